// Unicode facts several targets' case-folding translations need, computed from the running
// engine's own tables once per process.

const MAX_CODE_POINT = 0x10ffff;
const CHUNK = 0x1000;
const hasCaseBehaviour =
  /[\p{Cased}\p{Changes_When_Casemapped}\p{Changes_When_Casefolded}\p{Changes_When_Lowercased}]/gu;

let caseCharacters: string | undefined;

/**
 * Every character that is cased or changes under case mapping or folding (a few thousand), in
 * code point order: the only characters any case folding can equate with another. Found by a
 * regex over the code space a chunk at a time, far quicker than testing 1.1M characters one by one.
 */
export function charactersWithCase(): string {
  if (caseCharacters === undefined) {
    const found: string[] = [];
    const codePoints: number[] = [];
    for (let start = 0; start <= MAX_CODE_POINT; start += CHUNK) {
      codePoints.length = 0;
      const end = Math.min(start + CHUNK - 1, MAX_CODE_POINT);
      for (let cp = start; cp <= end; cp++) if (cp < 0xd800 || cp > 0xdfff) codePoints.push(cp);
      if (codePoints.length === 0) continue;
      const matches = String.fromCodePoint(...codePoints).match(hasCaseBehaviour);
      if (matches) found.push(matches.join(""));
    }
    caseCharacters = found.join("");
  }
  return caseCharacters;
}
