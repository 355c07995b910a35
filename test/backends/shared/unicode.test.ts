import { describe, expect, it } from "vitest";
import { charactersWithCase } from "../../../src/backends/shared/unicode.js";

/** Every code point, one at a time: the slow scan the chunked one must equal. */
function* everyCharacter(): Generator<string> {
  for (let cp = 0; cp <= 0x10ffff; cp++)
    if (cp < 0xd800 || cp > 0xdfff) yield String.fromCodePoint(cp);
}

describe("charactersWithCase", () => {
  const found = charactersWithCase();
  const set = new Set(found);

  it("equals a one-by-one scan of the code space by this engine, in code point order (else: node scripts/import-unicode-case.mjs)", () => {
    const property =
      /[\p{Cased}\p{Changes_When_Casemapped}\p{Changes_When_Casefolded}\p{Changes_When_Lowercased}]/u;
    let expected = "";
    for (const ch of everyCharacter()) if (property.test(ch)) expected += ch;
    expect(found).toBe(expected);
    expect(found.length).toBeGreaterThan(2000);
  });

  it("holds every character toLowerCase or toUpperCase changes (what Chronicle's folding asks)", () => {
    const missing: string[] = [];
    for (const ch of everyCharacter())
      if ((ch.toLowerCase() !== ch || ch.toUpperCase() !== ch) && !set.has(ch)) missing.push(ch);
    expect(missing).toEqual([]);
  });
});
