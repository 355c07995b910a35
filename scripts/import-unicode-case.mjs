// Builds src/backends/shared/case-characters.json: every character that is cased or changes under
// case mapping or folding, as code point ranges, from this Node's Unicode tables (a one-by-one scan
// of the code space, ~1 s). The product reads only the generated file; a test fails when the
// running engine's tables disagree with it (a newer Node: run this script again).
// Usage: node scripts/import-unicode-case.mjs
import { writeFileSync } from "node:fs";

const property =
  /[\p{Cased}\p{Changes_When_Casemapped}\p{Changes_When_Casefolded}\p{Changes_When_Lowercased}]/u;
const ranges = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  if (!property.test(String.fromCodePoint(cp))) continue;
  const last = ranges[ranges.length - 1];
  if (last && last[1] === cp - 1) last[1] = cp;
  else ranges.push([cp, cp]);
}
const out = { unicode: process.versions.unicode, ranges };
writeFileSync(
  new URL("../src/backends/shared/case-characters.json", import.meta.url),
  JSON.stringify(out) + "\n",
);
console.error(`case-characters.json: ${ranges.length} ranges (Unicode ${out.unicode})`);
