import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { charactersWithCase, hasCharacterWithCase } from "../../../src/backends/shared/unicode.js";

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

describe("hasCharacterWithCase", () => {
  const cased = new Set([...charactersWithCase()].map((ch) => ch.codePointAt(0)!));
  const scan = (ranges: Array<[number, number]>) =>
    ranges.some(([first, last]) => {
      for (let cp = first; cp <= last; cp++) if (cased.has(cp)) return true;
      return false;
    });

  it("answers what a scan of the ranges' code points answers", () => {
    expect(hasCharacterWithCase([[0x30, 0x39]])).toBe(false); // digits
    expect(
      hasCharacterWithCase([
        [0x2d, 0x2d],
        [0x5f, 0x5f],
      ]),
    ).toBe(false); // - and _
    expect(
      hasCharacterWithCase([
        [0x30, 0x39],
        [0x212a, 0x212a],
      ]),
    ).toBe(true); // Kelvin sign
    expect(hasCharacterWithCase([[0, 0x10ffff]])).toBe(true);
    expect(hasCharacterWithCase([])).toBe(false);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 0x2200 }), { maxLength: 12 }),
        (points) => {
          // Sorted disjoint ranges from sorted distinct bounds, paired up.
          const bounds = [...points].sort((a, b) => a - b);
          const ranges: Array<[number, number]> = [];
          for (let i = 0; i + 1 < bounds.length; i += 2) ranges.push([bounds[i]!, bounds[i + 1]!]);
          expect(hasCharacterWithCase(ranges)).toBe(scan(ranges));
        },
      ),
    );
  });
});
