// RE2 → Python `re`: a small RE2 parser (the syntax of Go's regexp/syntax, which re2js ports) whose
// output never depends on Python's flags or Unicode tables, because they differ from RE2's:
// - flags are resolved while parsing: `(?s)` dots, `(?m)` anchors, `(?U)` greediness, and `(?i)`
//   case folding is expanded into explicit character sets computed by re2js itself (Python's
//   IGNORECASE also equates i/I with ı/İ and knows an older Unicode), so no Python flag is set;
// - `\d \s \w \b` are ASCII in RE2 and Unicode in Python: written as explicit ASCII sets;
// - `$` without (?m) is end of text in RE2 but "before a final newline" in Python: `\Z`;
// - POSIX classes, `\Q...\E`, octal and `\x{...}` escapes, `(?<name>` are rewritten;
// - Unicode classes (`\pL`, `\p{Greek}`) have no Python `re` form: reported as unsupported.
import { RE2JS } from "re2js";
import { charactersWithCase, hasCharacterWithCase } from "../shared/unicode.js";
import { compileRegex } from "../../eval/regex.js";
import { pythonCodePointEscape } from "./escape.js";

export type RegexTranslation = { ok: true; python: string } | { ok: false; reason: string };

/** A set of code points: sorted, disjoint, non-adjacent inclusive ranges. */
type CharSet = Array<[number, number]>;

type RegexNode =
  | { kind: "set"; set: CharSet }
  | { kind: "assert"; python: string }
  | { kind: "group"; capture: boolean; name: string | undefined; body: RegexNode }
  | { kind: "repeat"; body: RegexNode; min: number; max: number | undefined; greedy: boolean }
  | { kind: "concat"; items: RegexNode[] }
  | { kind: "alt"; items: RegexNode[] };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX = 0x10ffff;

class Unsupported extends Error {}

// ---------------------------------------------------------------------------------------------
// Character sets

function normalise(ranges: Array<[number, number]>): CharSet {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: CharSet = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(set: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX) out.push([next, MAX]);
  return out;
}

const union = (...sets: CharSet[]): CharSet =>
  normalise(sets.flat().map(([lo, hi]) => [lo, hi] as [number, number]));
const single = (cp: number): CharSet => [[cp, cp]];
const sameSet = (a: CharSet, b: CharSet) =>
  a.length === b.length && a.every(([lo, hi], i) => lo === b[i]![0] && hi === b[i]![1]);

// RE2's Perl and POSIX classes (ASCII only).
const perlClasses: Record<string, CharSet> = {
  d: [[0x30, 0x39]],
  s: normalise([
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ]),
  w: normalise([
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ]),
};

const posixClasses: Record<string, CharSet> = {
  alnum: normalise([
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ]),
  alpha: normalise([
    [0x41, 0x5a],
    [0x61, 0x7a],
  ]),
  ascii: [[0x00, 0x7f]],
  blank: normalise([
    [0x09, 0x09],
    [0x20, 0x20],
  ]),
  cntrl: normalise([
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ]),
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: normalise([
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ]),
  space: normalise([
    [0x09, 0x0d],
    [0x20, 0x20],
  ]),
  upper: [[0x41, 0x5a]],
  word: perlClasses.w!,
  xdigit: normalise([
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ]),
};

// ---------------------------------------------------------------------------------------------
// Case folding, exactly as RE2 (re2js) does it: the fold closure of a set is computed by asking
// re2js which cased characters `(?i)[set]` matches. Every character RE2 folds has a case mapping,
// so scanning those (a few thousand, charactersWithCase) is enough; for a small set, scanning the
// few that JavaScript's case mapping relates to its members is (foldCandidates).

const foldCache = new Map<string, CharSet>();

function re2Class(set: CharSet): string {
  // RE2 rejects surrogates in classes; they have no case anyway.
  const parts: string[] = [];
  for (const [lo, hi] of set) {
    for (const [a, b] of [
      [lo, Math.min(hi, 0xd7ff)],
      [Math.max(lo, 0xe000), hi],
    ] as const) {
      if (a <= b) parts.push(`\\x{${a.toString(16)}}-\\x{${b.toString(16)}}`);
    }
  }
  return `[${parts.join("")}]`;
}

/** Cased characters by their lower case, upper case, and lower case of the upper case. */
let caseRelatives: Map<string, string[]> | undefined;

/**
 * The cased characters JavaScript's case mapping relates to a member of a small set (same lower,
 * upper, or lower-of-upper case): a superset of what RE2's folding equates with them (a test
 * checks it for every cased character), so RE2 has a few characters to look at, not thousands.
 * Undefined for a large set.
 */
export function foldCandidates(set: CharSet): string | undefined {
  let size = 0;
  for (const [lo, hi] of set) size += hi - lo + 1;
  if (size > 64) return undefined;
  if (!caseRelatives) {
    caseRelatives = new Map();
    for (const ch of charactersWithCase())
      for (const key of relationKeys(ch)) {
        const list = caseRelatives.get(key);
        if (list) list.push(ch);
        else caseRelatives.set(key, [ch]);
      }
  }
  const found = new Set<string>();
  for (const [lo, hi] of set)
    for (let cp = lo; cp <= hi; cp++)
      for (const key of relationKeys(String.fromCodePoint(cp)))
        for (const ch of caseRelatives.get(key) ?? []) found.add(ch);
  return [...found].join("");
}

function relationKeys(ch: string): string[] {
  const upper = ch.toUpperCase();
  return [`l${ch.toLowerCase()}`, `u${upper}`, `m${upper.toLowerCase()}`];
}

/** The set plus every character RE2's case folding makes equivalent to one of its members. */
export function foldClosure(set: CharSet): CharSet {
  const key = JSON.stringify(set);
  let closed = foldCache.get(key);
  if (!closed) {
    const klass = re2Class(set);
    if (klass === "[]" || !hasCharacterWithCase(set)) closed = set;
    else {
      const text = foldCandidates(set) ?? charactersWithCase();
      const matcher = RE2JS.compile(klass, RE2JS.CASE_INSENSITIVE).matcher(text);
      const added: Array<[number, number]> = [];
      while (matcher.find()) {
        const cp = matcher.group()!.codePointAt(0)!;
        added.push([cp, cp]);
      }
      closed = union(set, added);
    }
    foldCache.set(key, closed);
  }
  return closed;
}

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
  private pos = 0;
  private readonly chars: string[];

  constructor(
    pattern: string,
    private flags: Flags,
  ) {
    this.chars = [...pattern];
  }

  parse(): RegexNode {
    const node = this.alternation();
    if (this.pos < this.chars.length) throw new Error(`unexpected ${this.chars[this.pos]}`);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private next(): string {
    const ch = this.chars[this.pos++];
    if (ch === undefined) throw new Error("unexpected end of pattern");
    return ch;
  }

  private alternation(): RegexNode {
    const items = [this.concatenation()];
    while (this.peek() === "|") {
      this.pos++;
      items.push(this.concatenation());
    }
    return items.length === 1 ? items[0]! : { kind: "alt", items };
  }

  private concatenation(): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      const ch = this.peek();
      if (ch === undefined || ch === "|" || ch === ")") break;
      const atoms = this.atom();
      if (atoms.length === 0) {
        // A flag directive such as (?i), or an empty \Q\E: as in RE2, a repetition that follows
        // applies to the item before it (`a(?i)*` is `a*`).
        if (items.length > 0 && /^[*+?{]$/.test(this.peek() ?? ""))
          items.push(this.repetitions(items.pop()!));
        continue;
      }
      let last = atoms.pop()!;
      items.push(...atoms);
      last = this.repetitions(last);
      items.push(last);
    }
    return items.length === 1 ? items[0]! : { kind: "concat", items };
  }

  private repetitions(atom: RegexNode): RegexNode {
    for (;;) {
      const ch = this.peek();
      let min: number;
      let max: number | undefined;
      if (ch === "*") [min, max] = [0, undefined];
      else if (ch === "+") [min, max] = [1, undefined];
      else if (ch === "?") [min, max] = [0, 1];
      else if (ch === "{") {
        const spec = this.repeatSpec();
        if (!spec) return atom;
        [min, max] = spec;
      } else return atom;
      if (ch !== "{") this.pos++;
      let greedy = true;
      if (this.peek() === "?") {
        this.pos++;
        greedy = false;
      }
      if (this.flags.U) greedy = !greedy;
      atom = { kind: "repeat", body: atom, min, max, greedy };
    }
  }

  /** `{n}`, `{n,}` or `{n,m}` at the cursor (consumed); anything else is a literal `{`. */
  private repeatSpec(): [number, number | undefined] | undefined {
    const rest = this.chars.slice(this.pos, this.pos + 16).join("");
    // RE2 reads no leading zeros: `{01}` is literal text.
    const m = /^\{(0|[1-9]\d*)(,(0|[1-9]\d*)?)?\}/.exec(rest);
    if (!m) return undefined;
    this.pos += [...m[0]].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === undefined ? undefined : Number(m[3]);
    return [min, max];
  }

  private literal(cp: number): RegexNode {
    return { kind: "set", set: this.flags.i ? foldClosure(single(cp)) : single(cp) };
  }

  private group(set: CharSet): RegexNode {
    return { kind: "set", set: this.flags.i ? foldClosure(set) : set };
  }

  /** One atom; several for `\Q...\E`; none for a flag directive. */
  private atom(): RegexNode[] {
    const ch = this.next();
    switch (ch) {
      case "(":
        return this.parenthesised();
      case "[":
        return [this.characterClass()];
      case ".":
        return [{ kind: "set", set: this.flags.s ? [[0, MAX]] : complement(single(0x0a)) }];
      case "^":
        return [{ kind: "assert", python: this.flags.m ? "(?m:^)" : "^" }];
      case "$":
        return [{ kind: "assert", python: this.flags.m ? "(?m:$)" : "\\Z" }];
      case "\\":
        return this.escapeOutsideClass();
      default:
        return [this.literal(ch.codePointAt(0)!)];
    }
  }

  private parenthesised(): RegexNode[] {
    const saved = { ...this.flags };
    let capture = true;
    let name: string | undefined;
    if (this.peek() === "?") {
      this.pos++;
      const rest = this.chars.slice(this.pos).join("");
      const named = /^(?:P<|<)([A-Za-z0-9_]+)>/.exec(rest);
      if (named) {
        this.pos += named[0].length;
        name = named[1];
      } else {
        const m = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
        if (!m) throw new Error(`unsupported group syntax (?${rest.slice(0, 3)}`);
        this.pos += m[0].length;
        for (const f of m[1]!) this.flags[f as keyof Flags] = true;
        for (const f of m[2] ?? "") this.flags[f as keyof Flags] = false;
        if (m[3] === ")") return []; // (?flags): the rest of the enclosing group
        capture = false;
      }
    }
    const body = this.alternation();
    if (this.next() !== ")") throw new Error("missing )");
    this.flags = saved;
    return [{ kind: "group", capture, name, body }];
  }

  private escapeOutsideClass(): RegexNode[] {
    const ch = this.peek();
    switch (ch) {
      case "A":
        this.pos++;
        return [{ kind: "assert", python: "\\A" }];
      case "z":
        this.pos++;
        return [{ kind: "assert", python: "\\Z" }];
      case "b":
        this.pos++;
        return [{ kind: "assert", python: "(?a:\\b)" }];
      case "B":
        this.pos++;
        // Python's \B never matches in an empty string (until 3.14); RE2's does.
        return [{ kind: "assert", python: "(?:(?a:\\B)|^\\Z)" }];
      case "Q": {
        this.pos++;
        const out: RegexNode[] = [];
        while (this.pos < this.chars.length) {
          if (this.peek() === "\\" && this.peek(1) === "E") {
            this.pos += 2;
            break;
          }
          out.push(this.literal(this.next().codePointAt(0)!));
        }
        return out;
      }
    }
    const perl = this.perlClass();
    if (perl) return [perl.negated ? this.negatedGroup(perl.set) : this.group(perl.set)];
    return [this.literal(this.escapedCodePoint())];
  }

  /** RE2 folds a negated group by folding it first, then complementing. */
  private negatedGroup(set: CharSet): Extract<RegexNode, { kind: "set" }> {
    return { kind: "set", set: complement(this.flags.i ? foldClosure(set) : set) };
  }

  /** `\d \D \s \S \w \W` at the cursor (after the backslash); `\p` and `\P` are unsupported. */
  private perlClass(): { set: CharSet; negated: boolean } | undefined {
    const ch = this.peek();
    if (ch === "p" || ch === "P") {
      const rest = this.chars.slice(this.pos, this.pos + 40).join("");
      const m = /^[pP](\{[^}]*\}|.)/u.exec(rest);
      throw new Unsupported(
        `the Unicode class \\${m ? m[0] : ch} has no equivalent in Python's re module`,
      );
    }
    if (ch !== undefined && /^[dDsSwW]$/.test(ch)) {
      this.pos++;
      return { set: perlClasses[ch.toLowerCase()]!, negated: ch !== ch.toLowerCase() };
    }
    return undefined;
  }

  /** A single escaped character at the cursor (after the backslash): RE2's parseEscape. */
  private escapedCodePoint(): number {
    const ch = this.next();
    if (ch >= "0" && ch <= "7") {
      // \0 and up to two more octal digits; \1-\7 only when another octal digit follows.
      let value = ch.charCodeAt(0) - 48;
      for (let i = 0; i < 2 && /^[0-7]$/.test(this.peek() ?? ""); i++)
        value = value * 8 + this.next().charCodeAt(0) - 48;
      return value;
    }
    if (ch === "x") {
      if (this.peek() === "{") {
        this.pos++;
        let digits = "";
        while (this.peek() !== "}") digits += this.next();
        this.pos++;
        return parseInt(digits, 16);
      }
      return parseInt(this.next() + this.next(), 16);
    }
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (simple[ch] !== undefined) return simple[ch]!;
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(ch)) return cp; // escaped punctuation
    throw new Error(`invalid escape \\${ch}`);
  }

  /** `[...]` after the opening bracket: RE2's parseClass, folding item by item. */
  private characterClass(): RegexNode {
    let negated = false;
    if (this.peek() === "^") {
      this.pos++;
      negated = true;
    }
    const parts: CharSet[] = [];
    let first = true;
    while (this.peek() !== "]" || first) {
      if (this.peek() === undefined) throw new Error("missing ]");
      first = false;
      // POSIX [:name:] and [:^name:]
      if (this.peek() === "[" && this.peek(1) === ":") {
        const rest = this.chars.slice(this.pos, this.pos + 12).join("");
        const m = /^\[:(\^?)([a-z]+):\]/.exec(rest);
        if (m && posixClasses[m[2]!]) {
          this.pos += m[0].length;
          const set = posixClasses[m[2]!]!;
          parts.push(m[1] ? this.negatedGroup(set).set : this.foldIf(set));
          continue;
        }
      }
      if (this.peek() === "\\") {
        this.pos++;
        const perl = this.perlClass();
        if (perl) {
          parts.push(perl.negated ? this.negatedGroup(perl.set).set : this.foldIf(perl.set));
          continue;
        }
        this.pos--;
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        this.pos++;
        hi = this.classChar();
      }
      parts.push(this.foldIf([[lo, hi]]));
    }
    this.pos++; // ]
    const set = union(...parts);
    return { kind: "set", set: negated ? complement(set) : set };
  }

  private foldIf(set: CharSet): CharSet {
    return this.flags.i ? foldClosure(set) : set;
  }

  private classChar(): number {
    const ch = this.next();
    if (ch === "\\") return this.escapedCodePoint();
    return ch.codePointAt(0)!;
  }
}

// ---------------------------------------------------------------------------------------------
// Python output

const pythonSpecials = new Set([..."\\.^$*+?{}[]|()"]);

const controlEscapes: Record<number, string> = {
  0x09: "\\t",
  0x0a: "\\n",
  0x0b: "\\v",
  0x0c: "\\f",
  0x0d: "\\r",
};

function literalOutside(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (controlEscapes[cp]) return controlEscapes[cp];
  if (cp === 0x22 || cp === 0x27) return pythonCodePointEscape(cp);
  if (pythonSpecials.has(ch)) return `\\${ch}`;
  if (cp >= 0x20 && cp < 0x7f) return ch;
  return pythonCodePointEscape(cp);
}

function literalInside(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (controlEscapes[cp]) return controlEscapes[cp];
  if (/^[A-Za-z0-9 _]$/.test(ch)) return ch;
  if (cp === 0x22 || cp === 0x27) return pythonCodePointEscape(cp);
  if (cp > 0x20 && cp < 0x7f) return `\\${ch}`;
  return pythonCodePointEscape(cp);
}

function classBody(set: CharSet): string {
  return set
    .map(([lo, hi]) =>
      lo === hi
        ? literalInside(lo)
        : hi === lo + 1
          ? literalInside(lo) + literalInside(hi)
          : `${literalInside(lo)}-${literalInside(hi)}`,
    )
    .join("");
}

const everything: CharSet = [[0, MAX]];
const notNewline = complement(single(0x0a));

function emitSet(set: CharSet): { text: string; atomic: boolean } {
  if (set.length === 0) return { text: "(?!)", atomic: false };
  if (set.length === 1 && set[0]![0] === set[0]![1])
    return { text: literalOutside(set[0]![0]), atomic: true };
  if (sameSet(set, everything)) return { text: "(?s:.)", atomic: true };
  if (sameSet(set, notNewline)) return { text: ".", atomic: true };
  const inverse = complement(set);
  return {
    text: inverse.length < set.length ? `[^${classBody(inverse)}]` : `[${classBody(set)}]`,
    atomic: true,
  };
}

function emit(node: RegexNode): { text: string; atomic: boolean } {
  switch (node.kind) {
    case "set":
      return emitSet(node.set);
    case "assert":
      return { text: node.python, atomic: false };
    case "group": {
      const body = emit(node.body).text;
      if (!node.capture) return { text: `(?:${body})`, atomic: true };
      return {
        text:
          node.name && /^[A-Za-z_]\w*$/.test(node.name) ? `(?P<${node.name}>${body})` : `(${body})`,
        atomic: true,
      };
    }
    case "repeat": {
      const body = emit(node.body);
      const operand = body.atomic ? body.text : `(?:${body.text})`;
      const { min, max } = node;
      const op =
        max === undefined
          ? min === 0
            ? "*"
            : min === 1
              ? "+"
              : `{${min},}`
          : min === 0 && max === 1
            ? "?"
            : min === max
              ? `{${min}}`
              : `{${min},${max}}`;
      return { text: operand + op + (node.greedy ? "" : "?"), atomic: false };
    }
    case "concat":
      return { text: node.items.map((item) => emit(item).text).join(""), atomic: false };
    case "alt":
      return { text: node.items.map((item) => emit(item).text).join("|"), atomic: false };
  }
}

/**
 * Translate a detc regex (RE2 syntax, unanchored search; `nocase` folds case as RE2 does) into a
 * Python `re` pattern with the same matches and no flags, or say why it cannot be.
 */
export function translateRegex(pattern: string, nocase: boolean): RegexTranslation {
  // Packs repeat patterns (a team's idioms); the translation is pure, so each is done once.
  const key = `${nocase ? "i" : "c"}:${pattern}`;
  let translation = translations.get(key);
  if (!translation) translations.set(key, (translation = translateUncached(pattern, nocase)));
  return translation;
}

const translations = new Map<string, RegexTranslation>();

function translateUncached(pattern: string, nocase: boolean): RegexTranslation {
  const compiled = compileRegex(pattern, nocase);
  if (!compiled.ok) return { ok: false, reason: `invalid regex: ${compiled.error}` };
  try {
    const tree = new Parser(pattern, { i: nocase, m: false, s: false, U: false }).parse();
    return { ok: true, python: emit(tree).text };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: e.message };
    return { ok: false, reason: `cannot translate this regex to Python (${(e as Error).message})` };
  }
}
