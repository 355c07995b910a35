// Pure escape functions for YARA-L 2.0: double-quoted strings (meta values and literals), RE2
// literals for `/.../` regexes, rule and outcome-variable names. Each is checked against the
// project's YARA-L reader (yaral.ts), which reads them back to exactly the input.

/**
 * A YARA-L double-quoted string holding exactly `s`. Google documents two escapes, `\\"` and `\\\\`;
 * no escape for line breaks or other control characters is documented, so callers check
 * `yaralStringSafe` first (a condition value that fails it is unsupported; meta text is cleaned).
 */
export function yaralString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Control characters (line breaks included), DEL, C1, lone surrogates, bidi and other format characters. */
const unsafe = new RegExp(
  `[\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff]|${loneSurrogate.source}`,
);

/** Can `yaralString` carry `s` (one line, nothing hidden from a reviewer)? */
export function yaralStringSafe(s: string): boolean {
  return !unsafe.test(s);
}

/** Text for meta values (documentation, not logic): line breaks and tabs become spaces, other unsafe characters U+FFFD. */
export function metaString(s: string): string {
  if (yaralStringSafe(s)) return yaralString(s);
  let clean = "";
  for (const ch of s.replace(/\r\n|[\r\n\t]/g, " ")) clean += yaralStringSafe(ch) ? ch : "\ufffd";
  return yaralString(clean);
}

/**
 * A detc pattern (RE2, `\/` for `/`) as the text of a YARA-L `/.../` regex: the same syntax, with
 * control and format characters written `\x{…}` so the rule stays one readable line. Undefined when
 * such a character follows a backslash (an escape YARA-L could not show).
 */
export function regexPatternText(pattern: string): string | undefined {
  if (yaralStringSafe(pattern)) return pattern;
  if (pattern.includes("\\Q")) return undefined; // inside \Q…\E an escape would be literal text
  let out = "";
  let backslashes = 0;
  for (const ch of pattern) {
    if (!yaralStringSafe(ch)) {
      if (backslashes % 2 === 1) return undefined;
      out += `\\x{${ch.codePointAt(0)!.toString(16)}}`;
    } else out += ch;
    backslashes = ch === "\\" ? backslashes + 1 : 0;
  }
  return out;
}

const regexMeta = new Set([..."\\.+*?()|[]{}^$/"]);

/**
 * An RE2 pattern (inside YARA-L `/.../`) matching exactly the text `s`; undefined for a lone
 * surrogate, which RE2 (UTF-8) cannot match.
 */
export function regexLiteralText(s: string): string | undefined {
  if (/^[A-Za-z0-9 _\-:,;=@#%&'"!<>~`]*$/.test(s)) return s; // nothing to escape
  if (loneSurrogate.test(s)) return undefined;
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (regexMeta.has(ch)) out += `\\${ch}`;
    else if (!yaralStringSafe(ch)) out += `\\x{${cp.toString(16)}}`;
    else out += ch;
  }
  return out;
}

/** snake_case for rule names and outcome variables: `AWS.EC2.AMIDeregistered` → `aws_ec2_ami_deregistered`. */
export function snakeCase(s: string): string {
  const words = s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "");
  const name = words.join("_").toLowerCase();
  return /^[a-z]/.test(name) ? name : `r_${name}`;
}
