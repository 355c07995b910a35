// Pure escape functions for the Panther target: Python source (string literals, comments, number
// literals, raw regex literals) and YAML scalars for the rule spec. The RE2 → Python regex
// translation, which needs a parser, is in regex.ts. Each one round-trips ANY input
// string exactly (lone surrogates included), and none lets a control, bidi or line-breaking
// character reach the output raw.
import type { JsonValue } from "../../syntax/ast.js";
import type { IrValue } from "../../ir/types.js";

/** Letters, numbers, punctuation and symbols outside ASCII: safe to show raw in source text. */
const visible = /^[\p{L}\p{N}\p{P}\p{S}]$/u;

function isVisibleNonAscii(ch: string): boolean {
  return ch.codePointAt(0)! > 0x7f && visible.test(ch);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

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
  const quote = s.includes('"') && !s.includes("'") ? "'" : '"';
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

/** Words YAML 1.1 or 1.2 resolves to booleans or null when plain. */
const yamlReservedWords = /^(?:y|n|yes|no|on|off|true|false|null)$/i;
const yamlPlainText = /^[A-Za-z_][A-Za-z0-9_ .,:;()'&%@+=?!/-]*$/;

function yamlPlainSafe(s: string): boolean {
  return (
    yamlPlainText.test(s) &&
    !yamlReservedWords.test(s) &&
    !s.includes(": ") &&
    !s.endsWith(":") &&
    !s.endsWith(" ")
  );
}

/** Printable for YAML without escaping: ASCII printable, or visible non-ASCII. */
function yamlPrintable(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return (cp >= 0x20 && cp < 0x7f) || isVisibleNonAscii(ch);
}

const yamlDoubleEscapes: Record<string, string> = {
  "\\": "\\\\",
  '"': '\\"',
  "\0": "\\0",
  "\x07": "\\a",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\v": "\\v",
  "\f": "\\f",
  "\r": "\\r",
  "\x1b": "\\e",
};

/** A double-quoted YAML scalar holding exactly `s` (lone surrogates as `\uXXXX`). */
export function yamlDoubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (yamlDoubleEscapes[ch]) out += yamlDoubleEscapes[ch];
    else if (yamlPrintable(ch)) out += ch;
    else if (cp < 0x100) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + '"';
}

/** A YAML key: plain when safe, else double-quoted (never a block scalar). */
export function yamlKey(s: string): string {
  return yamlPlainSafe(s) ? s : yamlDoubleQuoted(s);
}

/**
 * A YAML scalar for a string value at a key or sequence entry whose line is indented by `indent`
 * spaces. Plain when safe; a `|-` literal block for multi-line visible text; single-quoted for other
 * visible one-line text; double-quoted with escapes otherwise. Block scalars start with a newline.
 */
export function yamlString(s: string, indent: number): string {
  if (yamlPlainSafe(s)) return s;
  const chars = [...s];
  const lines = s.split("\n");
  const firstText = lines.find((line) => line !== "");
  if (
    lines.length > 1 &&
    firstText !== undefined &&
    !firstText.startsWith(" ") &&
    lines[lines.length - 1] !== "" &&
    chars.every((ch) => ch === "\n" || yamlPrintable(ch)) &&
    lines.every((line) => !line.endsWith(" "))
  ) {
    const pad = " ".repeat(indent + 2);
    return "|-" + lines.map((line) => (line === "" ? "\n" : `\n${pad}${line}`)).join("");
  }
  if (s !== "" && chars.every(yamlPrintable) && !s.startsWith(" ") && !s.endsWith(" "))
    return `'${s.replace(/'/g, "''")}'`;
  return yamlDoubleQuoted(s);
}

/**
 * A JSON number as a YAML number both YAML 1.1 and 1.2 loaders read as that number: integers as
 * digits, other numbers with a `.` in the mantissa (YAML 1.1 reads `1e+21` as a string).
 */
export function yamlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a JSON number: ${n}`);
  const text = String(n);
  if (/^-?\d+$/.test(text)) return text;
  const [mantissa, exponent] = text.split("e");
  const withDot = mantissa!.includes(".") ? mantissa! : `${mantissa}.0`;
  return exponent === undefined ? withDot : `${withDot}e${exponent}`;
}

function yamlInline(value: JsonValue, indent: number): string | undefined {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return yamlNumber(value);
  if (typeof value === "string") return yamlString(value, indent);
  if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
  return Object.keys(value).length === 0 ? "{}" : undefined;
}

/** `key: value` lines (block style) for a JSON value, the key's line indented by `indent` spaces. */
export function yamlEntry(key: string, value: JsonValue, indent: number): string {
  const pad = " ".repeat(indent);
  const renderedKey = yamlKey(key);
  // Implicit keys are limited to 1024 characters: longer ones take the explicit `? key` form.
  const head =
    renderedKey.length > 1000 ? `${pad}? ${renderedKey}\n${pad}:` : `${pad}${renderedKey}:`;
  const inline = yamlInline(value, indent);
  if (inline !== undefined) return `${head} ${inline}`;
  return `${head}\n${yamlBlock(value, indent + 2)}`;
}

/** The lines of a non-empty array or object, indented by `indent` spaces. */
export function yamlBlock(value: JsonValue, indent: number): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const inline = yamlInline(item, indent);
        if (inline !== undefined) return `${pad}- ${inline}`;
        // The first line of the nested block shares the dash's line.
        return `${pad}- ${yamlBlock(item, indent + 2).slice(indent + 2)}`;
      })
      .join("\n");
  }
  if (value === null || typeof value !== "object")
    throw new Error("yamlBlock needs an array or an object");
  return Object.entries(value)
    .map(([k, v]) => yamlEntry(k, v, indent))
    .join("\n");
}
