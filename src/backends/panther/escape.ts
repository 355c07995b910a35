// Pure escape functions for the Panther target: Python source (string literals, comments, number
// literals, raw regex literals) and YAML scalars for the rule spec. The RE2 → Python regex
// translation, which needs a parser, is in regex.ts. Each one round-trips ANY input
// string exactly (lone surrogates included), and none lets a control, bidi or line-breaking
// character reach the output raw.
import type { IrValue } from "../../ir/types.js";

import { hex, isVisibleNonAscii, printableAscii } from "../shared/yaml.js";

/** `\xNN`, `\uNNNN` or `\UNNNNNNNN`: the escape both Python string literals and Python regexes read. */
export function pythonCodePointEscape(cp: number): string {
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

const pythonSimpleEscapes: Record<string, string> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/**
 * A Python string literal whose value is exactly `s` (code point for code point; a lone surrogate
 * becomes `\udXXX`, which Python keeps as that code point). Double quotes unless the text holds `"`
 * and no `'` (fewer escapes, as Black does).
 */
export function pythonString(s: string): string {
  // Printable ASCII without a backslash needs no escape: the common case, without the loop.
  if (printableAscii.test(s) && !s.includes("\\")) {
    if (!s.includes('"')) return `"${s}"`;
    if (!s.includes("'")) return `'${s}'`;
  }
  const quote = s.includes('"') && !s.includes("'") ? "'" : '"';
  if (printableAscii.test(s))
    return `${quote}${s.replace(quote === '"' ? /["\\]/g : /['\\]/g, "\\$&")}${quote}`;
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote) out += `\\${quote}`;
    else if (pythonSimpleEscapes[ch]) out += pythonSimpleEscapes[ch];
    else if ((cp >= 0x20 && cp < 0x7f) || isVisibleNonAscii(ch)) out += ch;
    else out += pythonCodePointEscape(cp);
  }
  return out + quote;
}

/** Text safe inside a `#` comment: one line, no control, format (bidi) or separator characters. */
export function pythonComment(text: string): string {
  if (printableAscii.test(text)) return text;
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x20 && cp < 0x7f) || isVisibleNonAscii(ch)) out += ch;
    else out += pythonCodePointEscape(cp);
  }
  return out;
}

/**
 * A Python number literal equal to the double detc reads from the literal's text (the evaluator's
 * value), so `float(x) == literal` compares exactly as the evaluator does: an integer text the
 * double holds exactly stays an integer, any other becomes a float literal (Python rounds decimal
 * text the way JavaScript does), and texts with a fraction or exponent are float literals already.
 */
export function pythonNumber(value: Extract<IrValue, { type: "number" }>): string {
  const { text } = value;
  if (/^-?\d+$/.test(text))
    return Number.isFinite(value.value) && BigInt(text) === BigInt(value.value)
      ? text
      : `${text}.0`;
  return text;
}

/** Python keywords (hard and soft): never usable as a generated name. */
export const pythonKeywords: ReadonlySet<string> = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for from " +
    "global if import in is lambda nonlocal not or pass raise return try while with yield match case type _"
  ).split(" "),
);

/** A `r"..."` literal for a translated regex (printable ASCII without `"`), else an ordinary literal. */
export function pythonRegexLiteral(pattern: string): string {
  return /^[\x20-\x21\x23-\x7e]*$/.test(pattern) && !/(^|[^\\])(\\\\)*\\$/.test(pattern)
    ? `r"${pattern}"`
    : pythonString(pattern);
}

// ---------------------------------------------------------------------------------------------
// YAML. Panther's tool reads the spec with a YAML 1.1-era loader, other tools with YAML 1.2: a
// scalar is written plain only when both read it back as the same string, and double-quoted
// scalars escape everything that is not plainly visible (PyYAML rejects raw C1 controls and DEL,
// and folds raw NEL / LS / PS as line breaks).

export {
  yamlBlock,
  yamlDoubleQuoted,
  yamlEntry,
  yamlKey,
  yamlNumber,
  yamlString,
} from "../shared/yaml.js";
