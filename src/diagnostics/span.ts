import type { CstNodeLocation, IToken } from "chevrotain";

/** A half-open source range with 1-based line/column of its start and end. */
export interface Span {
  file: string;
  offset: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function spanOfToken(file: string, token: IToken): Span {
  return {
    file,
    offset: token.startOffset,
    end: (token.endOffset ?? token.startOffset) + 1,
    line: token.startLine ?? 1,
    column: token.startColumn ?? 1,
    endLine: token.endLine ?? token.startLine ?? 1,
    endColumn: (token.endColumn ?? token.startColumn ?? 1) + 1,
  };
}

export function spanOfLocation(file: string, loc: CstNodeLocation): Span {
  return {
    file,
    offset: loc.startOffset,
    end: (loc.endOffset ?? loc.startOffset) + 1,
    line: loc.startLine ?? 1,
    column: loc.startColumn ?? 1,
    endLine: loc.endLine ?? loc.startLine ?? 1,
    endColumn: (loc.endColumn ?? loc.startColumn ?? 1) + 1,
  };
}

export function joinSpans(first: Span, last: Span): Span {
  return { ...first, end: last.end, endLine: last.endLine, endColumn: last.endColumn };
}

/** The position just past the end of a text, for errors at end of file. */
export function endOfText(file: string, text: string): Span {
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines.length;
  const column = lines[lines.length - 1]!.length + 1;
  return { file, offset: text.length, end: text.length, line, column, endLine: line, endColumn: column };
}

/** A span at an offset inside a text (used for files that are not tokenised, e.g. configs). */
export function spanAtOffset(file: string, text: string, offset: number, length = 1): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // \r\n, \r and \n each end a line, as in the lexer
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = offset - lineStart + 1;
  return { file, offset, end: offset + length, line, column, endLine: line, endColumn: column + length };
}
