// Pure escape functions: every value reaches a template through one of these.
import { hash } from "node:crypto";
import { printableAscii } from "../shared/yaml.js";

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * A YAML double-quoted scalar. Printable characters stay as they are; control characters, DEL, C1
 * controls, U+2028/U+2029, U+FEFF and lone surrogates are written as escapes (YAML would read some
 * of them as line breaks, and a lone surrogate has no UTF-8 form).
 */
export function yamlString(value: string): string {
  // Printable ASCII (a filter pattern, with its quotes): only `"` and `\` need a backslash.
  if (printableAscii.test(value)) return `"${value.replace(/["\\]/g, "\\$&")}"`;
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff ||
      (code >= 0xd800 && code <= 0xdfff)
    )
      out += `\\u${hex4(code)}`;
    else out += ch;
  }
  return out + '"';
}

/**
 * An HCL (Terraform) quoted string: `\` `"` and control characters escaped, and the template
 * sequences `${` and `%{` written `$${` and `%%{` so Terraform reads them literally.
 */
export function hclString(value: string): string {
  // Printable ASCII: `"` and `\` take a backslash, `${` and `%{` a doubled sigil.
  if (printableAscii.test(value))
    return `"${value.replace(/["\\]|[$%](?=\{)/g, (m) => (m === '"' || m === "\\" ? `\\${m}` : m + m))}"`;
  let out = '"';
  const chars = [...value];
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0)!;
    const next = chars[i + 1];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if ((ch === "$" || ch === "%") && next === "{") out += ch + ch;
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029)
      out += `\\u${hex4(code)}`;
    else out += ch;
  });
  return out + '"';
}

/** A `#` comment line's text: one line, no control characters. */
export function commentText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");
}

/** A Terraform identifier (block label) from a rule's output path. */
export function hclIdentifier(stem: string): string {
  return `detc_${stem.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "")}`;
}

/**
 * A name CloudWatch accepts for a metric filter, metric and alarm (no ':' or '*', printable ASCII,
 * at most 255 characters). A rule id that had to change gets a short hash of the original, so two
 * ids never share one metric.
 */
export function cloudWatchName(value: string): string {
  const safe = value.replace(/[^A-Za-z0-9._\-/#]+/g, "_");
  if (safe === value && safe.length <= 255) return safe;
  return `${safe.slice(0, 246)}-${hash("sha256", value, "hex").slice(0, 8)}`;
}
