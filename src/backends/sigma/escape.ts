// Pure escape functions for the Sigma target: Sigma string values (wildcards `*` `?` and the
// backslash, Sigma 2.1 "Escaping"), their reading back, and a small YAML writer. Sigma rules are read
// by pySigma (PyYAML, YAML 1.1) and by YAML 1.2 tools: a scalar is written plain only when both read
// it as the same string; otherwise single-quoted when every character is visible, else double-quoted
// with escapes (no control, bidi or line-breaking character is written raw).
import { printableAscii, yamlDoubleQuoted, yamlNumber, yamlPrintable } from "../shared/yaml.js";

export { yamlDoubleQuoted, yamlNumber };

/**
 * A plain Sigma value whose meaning is exactly the text `s`: `\` → `\\`, `*` → `\*`, `?` → `\?`.
 * (Sigma reads `\` before `*`, `?` or `\` as an escape and any other `\` as itself.)
 */
export function sigmaEscape(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** One piece of a Sigma value pattern: literal text or a wildcard. */
export type SigmaPatternPart = { kind: "text"; text: string } | { kind: "any" } | { kind: "one" };

/** Read a Sigma value's escapes and wildcards (the inverse of sigmaEscape on escaped text). */
export function sigmaPattern(value: string): SigmaPatternPart[] {
  const parts: SigmaPatternPart[] = [];
  let text = "";
  const flush = () => {
    if (text !== "") parts.push({ kind: "text", text });
    text = "";
  };
  const chars = [...value];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\\") {
      const next = chars[i + 1];
      if (next === "*" || next === "?" || next === "\\") {
        text += next;
        i++;
      } else text += "\\";
    } else if (c === "*") {
      flush();
      parts.push({ kind: "any" });
    } else if (c === "?") {
      flush();
      parts.push({ kind: "one" });
    } else text += c;
  }
  flush();
  return parts;
}

/** The text of a pattern without wildcards (undefined when it has one). */
export function sigmaLiteral(value: string): string | undefined {
  const parts = sigmaPattern(value);
  if (parts.some((p) => p.kind !== "text")) return undefined;
  return parts.map((p) => (p.kind === "text" ? p.text : "")).join("");
}

// ---------------------------------------------------------------------------------------------
// YAML

/** Words YAML 1.1 or 1.2 resolve to booleans or null when plain. */
const reservedWords = /^(?:y|n|yes|no|on|off|true|false|null)$/i;
/** Plain scalars: start with a letter or `_`; no character YAML gives a meaning to at the start. */
const plainText = /^[A-Za-z_][A-Za-z0-9_ .,;:()'&%@+=!/|#~$^<>*?\\-]*$/;

function plainSafe(s: string): boolean {
  return (
    plainText.test(s) &&
    !reservedWords.test(s) &&
    !s.endsWith(" ") &&
    !s.endsWith(":") &&
    !s.includes(": ") &&
    !s.includes(" #")
  );
}

/** A YAML scalar for the string `s` (keys and values alike): plain, single- or double-quoted. */
export function yamlString(s: string): string {
  if (plainSafe(s)) return s;
  const chars = printableAscii.test(s) ? undefined : [...s];
  if (
    s !== "" &&
    (chars === undefined || chars.every(yamlPrintable)) &&
    !s.startsWith(" ") &&
    !s.endsWith(" ")
  )
    return `'${s.replace(/'/g, "''")}'`;
  return s === "" ? "''" : yamlDoubleQuoted(s);
}

/** A value a Sigma document holds. */
export type YamlValue =
  string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

function inline(value: YamlValue): string | undefined {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return yamlNumber(value);
  if (typeof value === "string") return yamlString(value);
  if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
  return Object.keys(value).length === 0 ? "{}" : undefined;
}

/** `key: value` lines (block style), the key's line indented by `indent` spaces; keys keep their order. */
export function yamlEntry(key: string, value: YamlValue, indent: number): string {
  const head = `${" ".repeat(indent)}${yamlString(key)}:`;
  const text = inline(value);
  if (text !== undefined) return `${head} ${text}`;
  // Four spaces per level, sequences included (SigmaHQ's style).
  return `${head}\n${yamlBlock(value, indent + 4)}`;
}

/** The lines of a non-empty sequence or mapping, indented by `indent` spaces. */
export function yamlBlock(value: YamlValue, indent: number): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const text = inline(item);
        if (text !== undefined) return `${pad}- ${text}`;
        // The nested block's first line shares the dash's line.
        return `${pad}- ${yamlBlock(item, indent + 2).slice(indent + 2)}`;
      })
      .join("\n");
  }
  if (value === null || typeof value !== "object")
    throw new Error("yamlBlock needs a sequence or a mapping");
  return Object.entries(value)
    .map(([k, v]) => yamlEntry(k, v, indent))
    .join("\n");
}
