// Regexes are RE2 (the syntax every target shares); re2js is a faithful port, so constructs RE2
// lacks (look-around, back-references) are rejected exactly as RE2 would. Compiled once per process.
import { RE2JS } from "re2js";

export type CompiledRegex = { ok: true; regex: RE2JS } | { ok: false; error: string };

const cache = new Map<string, CompiledRegex>();

export function compileRegex(pattern: string, nocase: boolean): CompiledRegex {
  const key = `${nocase ? "i" : "c"}:${pattern}`;
  let compiled = cache.get(key);
  if (!compiled) {
    try {
      compiled = { ok: true, regex: RE2JS.compile(pattern, nocase ? RE2JS.CASE_INSENSITIVE : 0) };
    } catch (e) {
      const message =
        e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
      compiled = { ok: false, error: message + hintFor(message) };
    }
    cache.set(key, compiled);
  }
  return compiled;
}

function hintFor(message: string): string {
  if (/unsupported Perl syntax|invalid escape sequence: `\\[1-9]/.test(message))
    return " (detc regexes are RE2: no look-around or back-references)";
  if (/missing closing \]/.test(message))
    return " (a '/' ends the regex: write it as '\\/', also inside [...])";
  return "";
}

/** Unanchored search, as in every target. */
export function regexFinds(compiled: RE2JS, value: string): boolean {
  return compiled.matcher(value).find();
}
