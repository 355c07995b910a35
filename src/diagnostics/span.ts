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
      if (!text.includes("\r")) {
        // The usual text: `\n` only, found by indexOf rather than a loop over every character.
        for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1))
          starts.push(i + 1);
      } else {
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
        }
      }
      this.starts = starts;
    }
    return this.starts;
  }

  /** The line index (0-based) holding `offset`; spans are asked for mostly in source order. */
  private lineOf(offset: number): number {
    const starts = this.lineStarts();
    let line = this.lastLine;
    if (starts[line]! <= offset && (line + 1 >= starts.length || offset < starts[line + 1]!))
      return line;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    line = lo;
    this.lastLine = line;
    return line;
  }

  private lastLine = 0;

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - this.lineStarts()[line]! + 1 };
  }

  /** The span of the half-open range [offset, end). */
  span(offset: number, end: number): Span {
    const starts = this.lineStarts();
    const line = this.lineOf(offset);
    const column = offset - starts[line]! + 1;
    // Most spans end on the line they start on.
    const next = line + 1 < starts.length ? starts[line + 1]! : Infinity;
    const endLine = end < next ? line : this.lineOf(end);
    return {
      file: this.file,
      offset,
      end,
      line: line + 1,
      column,
      endLine: endLine + 1,
      endColumn: end - starts[endLine]! + 1,
    };
  }

  tokenSpan(token: IToken): Span {
    const end =
      token.endOffset !== undefined && !Number.isNaN(token.endOffset)
        ? token.endOffset + 1
        : token.startOffset + token.image.length;
    return this.span(token.startOffset, end);
  }

  locationSpan(loc: CstNodeLocation): Span {
    // Chevrotain starts node offsets at NaN, so V8 keeps them as boxed doubles; `| 0` hands span()
    // small integers, or every Span would box its numbers too (≈400k heap numbers on 3,000 rules).
    const start = Number.isNaN(loc.startOffset) ? loc.startOffset : loc.startOffset | 0;
    const last = loc.endOffset ?? loc.startOffset;
    return this.span(start, Number.isNaN(last) ? last + 1 : (last | 0) + 1);
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

/** The empty span at the start of `file`: where a problem with the whole file is reported. */
export function fileStart(file: string): Span {
  return { file, offset: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

export function joinSpans(first: Span, last: Span): Span {
  return { ...first, end: last.end, endLine: last.endLine, endColumn: last.endColumn };
}
