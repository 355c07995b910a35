// detc's `nocase` folds with toLowerCase (eval/values.ts foldCase); YARA-L's `nocase` and RE2's
// case-insensitive matching fold with Unicode simple case folding. They agree on ASCII letters
// except k, s and i: RE2 folds s with ſ (U+017F), which toLowerCase keeps apart, and toLowerCase
// turns İ (U+0130) into "i" + U+0307. For those (and any non-ASCII letter) this module writes the
// case-insensitive test as a case-SENSITIVE RE2 pattern whose classes hold exactly the characters
// detc's folding equates, so the translation stays exact.
import { foldCase } from "../../eval/values.js";
import { charactersWithCase } from "../shared/unicode.js";
import { regexLiteralText } from "./escape.js";

/** Can YARA-L's own `nocase` say detc's nocase for this literal? ASCII, and no k, s or i. */
export function plainNocase(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value) && !/[ksi]/.test(foldCase(value));
}

let inverse: Map<string, string[]> | undefined;

/** Lower-case character → every character whose toLowerCase is exactly it (built once, on demand). */
function lowerInverse(): Map<string, string[]> {
  if (inverse) return inverse;
  inverse = new Map();
  // A character that toLowerCase changes has case behaviour, so only those few thousand are asked.
  for (const ch of charactersWithCase()) {
    const lower = ch.toLowerCase();
    if (lower === ch || [...lower].length !== 1) continue;
    const list = inverse.get(lower) ?? [];
    list.push(ch);
    inverse.set(lower, list);
  }
  return inverse;
}

const dotAbove = "\u0307";
const sigmas = /[σςΣ]/;

/**
 * A case-sensitive RE2 pattern body matching, at a position, exactly the texts whose foldCase
 * starts with foldCase(value) there (for `contains`/`starts_with`; `atEnd` for a match that must
 * end the text). Undefined for the letters toLowerCase folds by context (Greek sigma) or by
 * expansion into a following U+0307, which no character class can say.
 */
export function foldedPattern(value: string, atEnd: boolean): string | undefined {
  const folded = foldCase(value);
  if (folded.includes(dotAbove) || sigmas.test(folded)) return undefined;
  const chars = [...folded];
  let out = "";
  let plain = ""; // a run of ASCII characters RE2's (?i) folds exactly as detc does
  const flush = () => {
    if (plain !== "")
      out += /[a-z]/.test(plain) ? `(?i:${regexLiteralText(plain)!})` : regexLiteralText(plain)!;
    plain = "";
  };
  chars.forEach((ch, i) => {
    if (plainNocase(ch)) {
      plain += ch;
      return;
    }
    flush();
    const variants = [ch, ...(lowerInverse().get(ch) ?? [])];
    const texts = variants.map((v) =>
      /^[\x20-\x7e]$/.test(v) ? regexLiteralText(v)! : `\\x{${v.codePointAt(0)!.toString(16)}}`,
    );
    let piece = texts.length === 1 ? texts[0]! : `[${texts.join("")}]`;
    // İ lowercases to "i" + U+0307: it can stand for a final "i" when the match may stop inside it.
    if (ch === "i" && i === chars.length - 1 && !atEnd) piece = `(?:${piece}|\\x{130})`;
    out += piece;
  });
  flush();
  return out;
}
