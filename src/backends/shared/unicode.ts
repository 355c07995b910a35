// Unicode facts several targets' case-folding translations need.
import caseCharacters from "./case-characters.json" with { type: "json" };

let characters: string | undefined;

/**
 * Every character that is cased or changes under case mapping or folding (a few thousand), in
 * code point order: the only characters any case folding can equate with another. From
 * case-characters.json (scripts/import-unicode-case.mjs), which a test keeps equal to the running
 * engine's own tables; scanning the 1.1M code points at run time cost ~40 ms and 30 MB of garbage.
 */
export function charactersWithCase(): string {
  if (characters === undefined) {
    const parts: string[] = [];
    for (const [first, last] of caseCharacters.ranges as Array<[number, number]>)
      for (let cp = first; cp <= last; cp++) parts.push(String.fromCodePoint(cp));
    characters = parts.join("");
  }
  return characters;
}

/**
 * Whether any code point of `ranges` (sorted, disjoint, inclusive [first, last] pairs) has case:
 * a set without one folds to itself, so its fold closure needs no scan.
 */
export function hasCharacterWithCase(ranges: ReadonlyArray<readonly [number, number]>): boolean {
  const cased = caseCharacters.ranges as Array<[number, number]>;
  let i = 0;
  for (const [first, last] of ranges) {
    while (i < cased.length && cased[i]![1] < first) i++;
    if (i === cased.length) return false;
    if (cased[i]![0] <= last) return true;
  }
  return false;
}
