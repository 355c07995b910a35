import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineIndex } from "../../src/diagnostics/span.js";

/** Line and column of `offset` counted character by character (`\r\n`, `\r` and `\n` end a line). */
function naivePosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

describe("LineIndex", () => {
  const piece = fc.constantFrom("a", "bc", " ", "\n", "\r\n", "\r", "é", "\t");
  const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(""));

  it("gives every offset the line and column a character-by-character count gives", () => {
    fc.assert(
      fc.property(text, (t) => {
        const index = new LineIndex("x.det", t);
        for (let offset = 0; offset <= t.length; offset++)
          expect(index.position(offset)).toEqual(naivePosition(t, offset));
      }),
    );
  });

  it("agrees with itself whether or not the text has a carriage return", () => {
    const lf = 'rule a {\n  title "x"\n}\n';
    const crlf = lf.replace(/\n/g, "\r\n");
    const spanOf = (t: string, word: string) => {
      const at = t.indexOf(word);
      const { line, column, endLine, endColumn } = new LineIndex("x.det", t).span(
        at,
        at + word.length,
      );
      return { line, column, endLine, endColumn };
    };
    expect(spanOf(lf, "title")).toEqual({ line: 2, column: 3, endLine: 2, endColumn: 8 });
    expect(spanOf(crlf, "title")).toEqual(spanOf(lf, "title"));
  });
});
