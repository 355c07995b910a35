import type { CstNodeLocation, IToken } from "chevrotain";

/**
 * Line and column of any offset in one text, from its line starts (computed once, on first use).
 * The lexer tracks offsets only; spans get their line/column here, which is cheaper than having
 * Chevrotain track lines for every token and CST node. `\r\n`, `\r` and `\n` each end a line.
 */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
      this.starts = starts;
    }
    return this.starts;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The span of the half-open range [offset, end). */
  span(offset: number, end: number): Span {
    const start = this.position(offset);
    const stop = end === offset ? start : this.position(end);
    return { file: this.file, offset, end, line: start.line, column: start.column, endLine: stop.line, endColumn: stop.column };
  }

  tokenSpan(token: IToken): Span {
    const end = token.endOffset !== undefined && !Number.isNaN(token.endOffset) ? token.endOffset + 1 : token.startOffset + token.image.length;
    return this.span(token.startOffset, end);
  }

  locationSpan(loc: CstNodeLocation): Span {
    return this.span(loc.startOffset, (loc.endOffset ?? loc.startOffset) + 1);
  }

  endOfText(): Span {
    return this.span(this.text.length, this.text.length);
  }
}

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

export function joinSpans(first: Span, last: Span): Span {
  return { ...first, end: last.end, endLine: last.endLine, endColumn: last.endColumn };
}
