// The regex subset CloudWatch filter patterns accept inside `%...%`. The documentation lists what a
// regex may contain: ASCII letters and digits; the symbols _ # = @ / ; , -; the operators
// ^ $ ? [ ] { } | \ * + . ; no parentheses, no multi-byte characters; at most 2 regexes per JSON
// pattern. One copy of the page also lists ':' among the symbols and another does not: detc takes
// the narrower reading and never emits ':' (nor accepts it in hand-written patterns).

const allowed = /^[A-Za-z0-9_#=@/;,\-^$?[\]{}|\\*+.]*$/;

/** Characters that are operators inside a CloudWatch regex: a literal one is written `\c`. */
const operators = new Set([..."^$?[]{}|\\*+."]);
/** Symbols that stand for themselves. */
const literalSymbols = new Set([..."_#=@/;,-"]);

/** Why `source` is not a regex CloudWatch accepts (undefined when it is). */
export function regexSourceProblem(source: string): string | undefined {
  if (source === "") return "an empty regex";
  if (source.includes("(") || source.includes(")"))
    return "parentheses are not supported in CloudWatch regexes";
  if (!allowed.test(source)) {
    const bad = [...source].find((c) => !allowed.test(c))!;
    return `the character ${JSON.stringify(bad)} is not in CloudWatch's regex character set`;
  }
  return undefined;
}

/** A literal character as CloudWatch regex text, or undefined when the subset cannot say it. */
export function regexLiteral(c: string): string | undefined {
  if (/^[A-Za-z0-9]$/.test(c) || literalSymbols.has(c)) return c;
  if (operators.has(c)) return `\\${c}`;
  return undefined;
}

/**
 * A literal string as CloudWatch regex text; with `nocase`, ASCII letters become `[aA]`.
 * Returns the offending character when a character cannot be written.
 */
export function regexForLiteral(
  text: string,
  nocase: boolean,
): { ok: true; source: string } | { ok: false; char: string } {
  let out = "";
  for (const c of text) {
    if (nocase && /^[A-Za-z]$/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      continue;
    }
    const lit = regexLiteral(c);
    if (lit === undefined) return { ok: false, char: c };
    out += lit;
  }
  return { ok: true, source: out };
}
