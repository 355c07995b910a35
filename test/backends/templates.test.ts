import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withOneTrailingNewline } from "../../src/backends/templates.js";

describe("withOneTrailingNewline", () => {
  it("is text.trimEnd() plus one newline, whatever the text ends with", () => {
    for (const text of [
      "",
      "\n",
      "a",
      "a\n",
      "a\n\n",
      "a \n",
      "a\u00a0\n",
      "a\r\n",
      "a\t",
      "\n\na\n",
    ])
      expect(withOneTrailingNewline(text)).toBe(text.trimEnd() + "\n");
    const ending = fc.constantFrom("", "\n", " ", "\t", "\r", "\u00a0", "\u2028", "\ufeff", "x");
    fc.assert(
      fc.property(fc.string(), fc.array(ending, { maxLength: 4 }), (body, tail) => {
        const text = body + tail.join("");
        expect(withOneTrailingNewline(text)).toBe(text.trimEnd() + "\n");
      }),
    );
  });
});
