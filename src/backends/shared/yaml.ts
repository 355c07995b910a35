// YAML scalars and blocks that both YAML 1.1 (PyYAML, Panther's tool) and YAML 1.2 (the `yaml`
// package, Sigma and Sentinel tooling) read back exactly: shared by the targets that write YAML.
import type { JsonValue } from "../../syntax/ast.js";

const visible = /^[\p{L}\p{N}\p{P}\p{S}]$/u;

/** Visible non-ASCII: letters, numbers, punctuation and symbols (not controls, formats, spaces). */
export function isVisibleNonAscii(ch: string): boolean {
  return ch.codePointAt(0)! > 0x7f && visible.test(ch);
}

/** Text of printable ASCII only (space to `~`): most values, which most escapers pass through. */
export const printableAscii = /^[\x20-\x7e]*$/;

/**
 * Printable ASCII without `"` or `\`: text every double-quoted syntax here (YAML, KQL, HCL) writes
 * between its quotes as it is, so escapers return it without their per-character loop.
 */
export function quotableAsIs(s: string): boolean {
  return printableAscii.test(s) && !s.includes('"') && !s.includes("\\");
}

export function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Words YAML 1.1 or 1.2 resolves to booleans or null when plain. */
const yamlReservedWords = /^(?:y|n|yes|no|on|off|true|false|null)$/i;
const yamlPlainText = /^[A-Za-z_][A-Za-z0-9_ .,:;()'&%@+=?!/-]*$/;

export function yamlPlainSafe(s: string): boolean {
  return (
    yamlPlainText.test(s) &&
    !yamlReservedWords.test(s) &&
    !s.includes(": ") &&
    !s.endsWith(":") &&
    !s.endsWith(" ")
  );
}

/** Printable for YAML without escaping: ASCII printable, or visible non-ASCII. */
export function yamlPrintable(ch: string): boolean {
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
  if (quotableAsIs(s)) return `"${s}"`;
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
  // One line of printable ASCII: single-quoted unless edge spaces need the double-quoted form.
  if (printableAscii.test(s))
    return s !== "" && !s.startsWith(" ") && !s.endsWith(" ")
      ? `'${s.replace(/'/g, "''")}'`
      : yamlDoubleQuoted(s);
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
