// Panther's case-insensitive regexes spell out RE2's case folding as character sets. For a small set
// only the characters JavaScript's case mapping relates to its members are asked about: that must
// never leave out a character RE2 folds with one of them.
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { foldCandidates, foldClosure } from "../../../src/backends/panther/regex.js";
import { charactersWithCase } from "../../../src/backends/shared/unicode.js";

describe("RE2 case folding for Panther", () => {
  const all = charactersWithCase();

  it("the candidates of every cased character hold every character RE2 folds it with", () => {
    const missing: string[] = [];
    for (const ch of all) {
      const cp = ch.codePointAt(0)!;
      const candidates = new Set(foldCandidates([[cp, cp]]));
      const matcher = RE2JS.compile(`[\\x{${cp.toString(16)}}]`, RE2JS.CASE_INSENSITIVE).matcher(
        all,
      );
      while (matcher.find()) {
        const folded = matcher.group()!;
        if (!candidates.has(folded)) missing.push(`U+${cp.toString(16)} ~ ${folded}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("closes sets the way RE2 matches them", () => {
    const codes = (s: string) => [...s].map((c) => c.codePointAt(0)!);
    const members = (set: Array<[number, number]>) =>
      set.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));
    // k: K and the Kelvin sign; s: S and the long s; σ: Σ and final ς; i: I but not the dotless ı.
    expect(members(foldClosure([[0x6b, 0x6b]]))).toEqual(codes("Kk\u212a").sort((a, b) => a - b));
    expect(members(foldClosure([[0x73, 0x73]]))).toEqual(codes("Ss\u017f").sort((a, b) => a - b));
    expect(members(foldClosure([[0x3c3, 0x3c3]]))).toEqual([0x3a3, 0x3c2, 0x3c3]);
    expect(members(foldClosure([[0x69, 0x69]]))).toEqual([0x49, 0x69]);
    expect(members(foldClosure([[0x30, 0x39]]))).toEqual(members([[0x30, 0x39]]));
  });
});
