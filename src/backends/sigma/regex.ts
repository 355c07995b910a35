// RE2 (detc's regex syntax) → the regex subset Sigma 2.1 defines for `|re` (modifiers appendix:
// "PCRE with the following metacharacters: `.`, `^`, `$`, `* + ? {n,m}`, `[a-z]`, `[^a-z]`, `()`,
// `|`; other metacharacters are unsupported"), with the sub-modifiers `|i` and `|s`.
//
// What is translated exactly: literals (metacharacters escaped with `\`), `.`, `^`/`\A`, groups
// (named and non-capturing groups become plain groups: captures do not change whether a search
// finds a match), alternation, quantifiers (lazy ones become greedy, and `(?U)` is dropped, for the
// same reason), classes with ranges, and the ASCII classes RE2 defines (`\d` → `[0-9]`, `\w`,
// `\s`, `[[:alpha:]]`…) spelled out; escapes of control characters become the characters themselves.
// A leading `(?i)` / `(?s)` becomes `|re|i` / `|re|s`.
// What differs: `$` outside multi-line mode also matches before a final newline in PCRE (reported
// by the caller in the direction it moves the rule). Everything else — `\b`, `\z`, `\pL`, octal
// escapes, flags after the start or inside groups, `(?m)` (PCRE's multi-line `^` does not match
// after a final newline, RE2's does), quantified anchors — is unsupported, with the reason.

export type SigmaRegex =
  | { ok: true; pattern: string; flags: Array<"i" | "s">; endAnchor: boolean }
  | { ok: false; reason: string };

class Unsupported extends Error {}

const metaOutside = new Set([..."\\^$.|?*+()[]{}"]);
const metaInside = new Set([..."\\]^-["]);

const asciiClasses: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  digit: "0-9",
  lower: "a-z",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
  space: "\t\n\v\f\r ",
  blank: "\t ",
};

const perlClasses: Record<string, string> = { d: "0-9", w: "0-9A-Za-z_", s: "\t\n\f\r " };

const controlEscapes: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  f: "\f",
  v: "\v",
  a: "\x07",
};

function literal(ch: string, inClass: boolean): string {
  return (inClass ? metaInside : metaOutside).has(ch) ? `\\${ch}` : ch;
}

class Translator {
  private i = 0;
  endAnchor = false;
  constructor(private readonly chars: string[]) {}

  private peek(offset = 0): string | undefined {
    return this.chars[this.i + offset];
  }

  private fail(what: string): never {
    throw new Unsupported(what);
  }

  alternation(depth: number): string {
    const branches = [this.concat(depth)];
    while (this.peek() === "|") {
      this.i++;
      branches.push(this.concat(depth));
    }
    return branches.join("|");
  }

  private concat(depth: number): string {
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "|" || (c === ")" && depth > 0)) return out;
      const { text, anchor } = this.atom(depth);
      const q = this.quantifier();
      if (q && anchor) this.fail("a quantified anchor");
      out += text + q;
    }
  }

  private quantifier(): string {
    const c = this.peek();
    let q = "";
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      q = c;
    } else if (c === "{") {
      const rest = this.chars.slice(this.i).join("");
      const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (!m) return "";
      if (/^0\d/.test(m[1]!) || (m[3] && /^0\d/.test(m[3])))
        this.fail("a repeat count with a leading zero");
      this.i += [...m[0]].length;
      q = m[0];
    } else return "";
    if (this.peek() === "?") this.i++; // lazy: the same matches exist
    return q;
  }

  private atom(depth: number): { text: string; anchor: boolean } {
    const c = this.chars[this.i++]!;
    switch (c) {
      case "(":
        return { text: this.group(depth), anchor: false };
      case "[":
        return { text: this.charClass(), anchor: false };
      case ".":
        return { text: ".", anchor: false };
      case "^":
        return { text: "^", anchor: true };
      case "$":
        this.endAnchor = true;
        return { text: "$", anchor: true };
      case "\\":
        return this.escape();
      default:
        return { text: literal(c, false), anchor: false };
    }
  }

  private group(depth: number): string {
    if (this.peek() === "?") {
      const rest = this.chars.slice(this.i).join("");
      const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      if (named) this.i += named[0].length;
      else if (rest.startsWith("?:")) this.i += 2;
      else
        this.fail("flags inside the pattern (only a leading (?i) or (?s) has a Sigma equivalent)");
    }
    const inner = this.alternation(depth + 1);
    if (this.chars[this.i++] !== ")") this.fail("an unbalanced group");
    return `(${inner})`;
  }

  private escape(): { text: string; anchor: boolean } {
    const c = this.chars[this.i++];
    if (c === undefined) this.fail("a trailing backslash");
    if (c === "A") return { text: "^", anchor: true };
    if (c === "Q") {
      let text = "";
      while (this.i < this.chars.length && !(this.peek() === "\\" && this.peek(1) === "E"))
        text += literal(this.chars[this.i++]!, false);
      if (this.i < this.chars.length) this.i += 2;
      // A quantifier after \E applies to the last character, as it does to the literal written out.
      return { text, anchor: false };
    }
    const cls = perlClasses[c.toLowerCase()];
    if (cls !== undefined && "dwsDWS".includes(c))
      return { text: c === c.toLowerCase() ? `[${cls}]` : `[^${cls}]`, anchor: false };
    const ch = this.escapedChar(c);
    return { text: literal(ch, false), anchor: false };
  }

  /** The character an escape (other than a class or an assertion) stands for. */
  private escapedChar(c: string): string {
    if (controlEscapes[c] !== undefined) return controlEscapes[c];
    if (c === "x") {
      const rest = this.chars.slice(this.i).join("");
      const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(rest) ?? /^([0-9A-Fa-f]{2})/.exec(rest);
      if (!m) this.fail("a malformed \\x escape");
      this.i += m[0].length;
      return String.fromCodePoint(parseInt(m[1]!, 16));
    }
    if (/^[0-9]$/.test(c)) this.fail(`the octal escape \\${c}`);
    if (/^[A-Za-z]$/.test(c)) this.fail(`\\${c}, which is not among Sigma's regex metacharacters`);
    return c; // escaped punctuation (`\/` included) is the character itself
  }

  private charClass(): string {
    let out = "[";
    if (this.peek() === "^") {
      this.i++;
      out += "^";
    }
    let first = true;
    for (;;) {
      const c = this.chars[this.i++];
      if (c === undefined) this.fail("an unterminated class");
      if (c === "]" && !first) return out + "]";
      first = false;
      if (c === "[" && this.peek() === ":") {
        const rest = this.chars.slice(this.i).join("");
        const m = /^:(\^?)([a-z]+):\]/.exec(rest);
        if (m) {
          const ascii = asciiClasses[m[2]!];
          if (m[1] || ascii === undefined) this.fail(`the class [:${m[1]}${m[2]}:]`);
          this.i += m[0].length;
          out += ascii;
          continue;
        }
      }
      const lo = this.classChar(c);
      if (lo.set !== undefined) {
        out += lo.set;
        continue;
      }
      if (this.peek() === "-" && this.peek(1) !== undefined && this.peek(1) !== "]") {
        this.i++;
        const hi = this.classChar(this.chars[this.i++]!);
        if (hi.set !== undefined) this.fail("a range ending in a class");
        out += `${literal(lo.ch!, true)}-${literal(hi.ch!, true)}`;
      } else out += literal(lo.ch!, true);
    }
  }

  private classChar(c: string): { ch?: string; set?: string } {
    if (c !== "\\") return { ch: c };
    const e = this.chars[this.i++];
    if (e === undefined) this.fail("a trailing backslash");
    if ("dws".includes(e)) return { set: perlClasses[e]! };
    if ("DWS".includes(e)) this.fail(`\\${e} inside a class`);
    return { ch: this.escapedChar(e) };
  }
}

/** Translate an RE2 pattern (as written in the rule, `\/` for `/`); `nocase` adds `|i`. */
export function translateRegex(pattern: string, nocase: boolean): SigmaRegex {
  const flags = new Set<"i" | "s">(nocase ? ["i"] : []);
  let body = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === "m")
        return {
          ok: false,
          reason: "(?m): PCRE's multi-line ^ does not match after a final newline, RE2's does",
        };
      if (f === "i" || f === "s") flags.add(f);
      // U (ungreedy) changes which match is found, not whether one is
    }
    body = body.slice(lead[0].length);
  }
  try {
    const t = new Translator([...body]);
    const out = t.alternation(0);
    return { ok: true, pattern: out, flags: [...flags].sort(), endAnchor: t.endAnchor };
  } catch (e) {
    if (e instanceof Unsupported)
      return { ok: false, reason: `${e.message} has no equivalent in Sigma's regex subset` };
    throw e;
  }
}
