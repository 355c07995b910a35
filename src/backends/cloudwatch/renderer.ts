// IR → CloudWatch JSON filter pattern. The IR already has negation at the leaves, so each leaf maps
// to a positive pattern term (the syntax has no group NOT). Every approximation is a fidelity note
// at the leaf that caused it; the direction follows the pattern semantics in pattern/evaluate.ts:
//
//   eq "v"            $.x = "v"                         broader when "v" could be a number's or
//                                                        boolean's text (CloudWatch compares text)
//   ne "v"            ($.x != "v" || $.x NOT EXISTS || $.x IS NULL)
//                                                        narrower: an object/array value (or a
//                                                        non-string whose text is "v") matches no `!=`
//   eq 5 / lt 5 …     $.x = 5, $.x < 5                   broader: a string holding a number literal
//   ne 5, not lt 5    ($.x != 5 || …NOT EXISTS || …IS NULL), ($.x >= 5 || …)   narrower: non-numbers
//   eq true           $.x IS TRUE                         exact
//   ne true           ($.x IS FALSE || $.x NOT EXISTS || $.x IS NULL)          narrower: non-booleans
//   in / not_in       or of eq / (and of the != terms) || NOT EXISTS || IS NULL; named lists inlined
//   starts_with "v"   $.x = "v*"   ends_with: "*v"   contains: %v% (regex)     as eq
//   nocase            %^[aA]…$% regexes (ASCII letters only); 'k' (and 'i' for contains/starts_with)
//                     are approximate: JavaScript lower-cases U+212A to k and U+0130 to i + U+0307
//   matches /re/      $.x = %re% when the regex fits CloudWatch's subset   broader (text of numbers)
//   cidr a.b.0.0/16   $.x = "a.b.*" (octet-aligned IPv4 only)              broader: any text after
//                     the prefix; /32 is an exact string; IPv6 unsupported
//   is_null           ($.x NOT EXISTS || $.x IS NULL)     exact
//   is_not_null       $.x = *                             narrower: objects and arrays
//   is_empty          ($.x NOT EXISTS || $.x IS NULL || $.x = "")   narrower: [] and {}
//   is_not_empty      $.x != ""                           narrower: non-empty arrays and objects
//   any xs (c)        c at xs[0] … xs[N-1] (N = arrayIndexes, default 5)   narrower; unsupported
//                     when c holds for a missing element (no way to say "index i exists")
//   all xs (c)        $.xs[N] NOT EXISTS && each index: (NOT EXISTS || c)  narrower
//
// A value that a quoted pattern value cannot carry (a `*`, which is always a wildcard; `"`, `\`,
// control characters; a value written like %regex%) goes through a regex when the documented
// regex character set can spell it, else the rule is unsupported. So are patterns over 1,024
// characters or with more than 2 regexes: never truncated. (index.ts adds one more: text that is not
// in Unicode NFC, which Terraform's HCL would normalise.)
import { parseCidr } from "../../eval/cidr.js";
import { evalNode } from "../../eval/evaluate.js";
import type { IrNode, IrPath, IrValue, IrVisitor } from "../../ir/types.js";
import { visitIr } from "../../ir/types.js";
import { printPath } from "../../ir/print.js";
import type { Span } from "../../diagnostics/span.js";
import type { FidelityNote } from "../types.js";
import {
  patternLimits,
  type JsonPattern,
  type PatternNode,
  type PatternValue,
  type Selector,
} from "./pattern/ast.js";
import { parsePattern } from "./pattern/parse.js";
import { countRegexes, printPattern, printSelector } from "./pattern/print.js";
import { regexForLiteral, regexSourceProblem } from "./pattern/regex.js";

export interface RenderOptions {
  /** How many array indexes `any`/`all` expand to (the syntax has no array wildcard). */
  arrayIndexes: number;
  listValues: ReadonlyMap<string, readonly IrValue[]>;
}

export type PatternResult =
  | { ok: true; pattern: JsonPattern; text: string; notes: FidelityNote[] }
  | { ok: false; notes: FidelityNote[] };

type Out = PatternNode | boolean;

interface Ctx {
  prefix: Array<string | number>;
  options: RenderOptions;
  notes: FidelityNote[];
}

const nameSegment = /^[A-Za-z_][A-Za-z0-9_]*$/;

function and(items: Out[]): Out {
  const flat: PatternNode[] = [];
  for (const item of items) {
    if (item === false) return false;
    if (item === true) continue;
    if (item.kind === "and") flat.push(...item.items);
    else flat.push(item);
  }
  return flat.length === 0 ? true : flat.length === 1 ? flat[0]! : { kind: "and", items: flat };
}

function or(items: Out[]): Out {
  const flat: PatternNode[] = [];
  for (const item of items) {
    if (item === true) return true;
    if (item === false) continue;
    if (item.kind === "or") flat.push(...item.items);
    else flat.push(item);
  }
  return flat.length === 0 ? false : flat.length === 1 ? flat[0]! : { kind: "or", items: flat };
}

function note(ctx: Ctx, fidelity: FidelityNote["fidelity"], reason: string, span: Span): void {
  ctx.notes.push({ fidelity, reason, span });
}

function selectorFor(ctx: Ctx, path: IrPath, span: Span): Selector | undefined {
  const segments = path.self ? [...ctx.prefix] : [...ctx.prefix, ...path.segments];
  const bad = segments.find((s) => typeof s === "string" && !nameSegment.test(s));
  if (bad !== undefined) {
    note(
      ctx,
      "unsupported",
      `CloudWatch selectors have no documented quoting for the key ${JSON.stringify(bad)}`,
      span,
    );
    return undefined;
  }
  if (segments.length === 0) {
    note(ctx, "unsupported", "a CloudWatch selector cannot point at the whole event", span);
    return undefined;
  }
  return { segments };
}

const nullish = (s: Selector): PatternNode => ({
  kind: "or",
  items: [
    { kind: "notExists", selector: s },
    { kind: "is", selector: s, test: "NULL" },
  ],
});

const compare = (
  selector: Selector,
  op: "=" | "!=" | "<" | "<=" | ">" | ">=",
  value: PatternValue,
): PatternNode => ({
  kind: "compare",
  selector,
  op,
  value,
});

type TextOp = "eq" | "starts_with" | "ends_with" | "contains";

/** Could the text of some number or boolean satisfy this string test? (CloudWatch compares text.) */
function nonStringMayMatch(op: TextOp, value: string, nocase: boolean): boolean {
  const v = nocase ? value.toLowerCase() : value;
  const numberish = /^[-+.0-9eE]*$/.test(value);
  const texts = ["true", "false"];
  switch (op) {
    case "eq":
      return (value !== "" && numberish) || texts.includes(v);
    case "starts_with":
      return numberish || texts.some((t) => t.startsWith(v));
    case "ends_with":
      return numberish || texts.some((t) => t.endsWith(v));
    case "contains":
      return numberish || texts.some((t) => t.includes(v));
  }
}

/** Characters a quoted pattern value cannot hold (no escapes are documented; `*` is a wildcard). */
function quotable(value: string): boolean {
  if (/[*"\\\u0000-\u001f\u007f]/.test(value)) return false;
  if (/\p{Cs}/u.test(value)) return false; // a lone surrogate has no UTF-8 form
  if (value.length >= 2 && value.startsWith("%") && value.endsWith("%")) return false;
  return true;
}

/** The operand of a string test, or undefined (with an unsupported note) when none can say it. */
function textOperand(
  ctx: Ctx,
  op: TextOp,
  value: string,
  nocase: boolean,
  span: Span,
): PatternValue | undefined {
  if (!nocase && op !== "contains" && quotable(value)) {
    const text = op === "eq" ? value : op === "starts_with" ? `${value}*` : `*${value}`;
    return { kind: "string", value: text, quoted: true };
  }
  if (value === "" && op !== "eq") return { kind: "string", value: "*", quoted: false };
  const literal = regexForLiteral(value, nocase);
  if (!literal.ok) {
    const why = nocase
      ? "CloudWatch matches case-sensitively, and a case-insensitive test needs a regex"
      : op === "contains"
        ? "a substring test needs a regex"
        : "a quoted CloudWatch value cannot carry it (no escapes are documented and * is always a wildcard)";
    note(
      ctx,
      "unsupported",
      `the value ${JSON.stringify(value)} contains ${JSON.stringify(literal.char)}: ${why}, and CloudWatch's regex character set has no way to write that character`,
      span,
    );
    return undefined;
  }
  const source =
    op === "eq"
      ? `^${literal.source}$`
      : op === "starts_with"
        ? `^${literal.source}`
        : op === "ends_with"
          ? `${literal.source}$`
          : literal.source;
  return { kind: "regex", source };
}

/** Case-folding characters an ASCII class cannot see: JavaScript lower-cases U+212A to "k" and U+0130 to "i" + U+0307. */
function foldGap(op: TextOp, value: string): string | undefined {
  if (/[kK]/.test(value)) return "the Kelvin sign U+212A lower-cases to 'k'";
  if ((op === "contains" || op === "starts_with") && /[iI]/.test(value))
    return "U+0130 lower-cases to 'i' followed by U+0307";
  return undefined;
}

function textTest(
  ctx: Ctx,
  s: Selector,
  op: TextOp,
  value: string,
  nocase: boolean,
  negated: boolean,
  span: Span,
): Out {
  const operand = textOperand(ctx, op, value, nocase, span);
  if (!operand) return false;
  const gap = nocase ? foldGap(op, value) : undefined;
  if (!negated) {
    if (nonStringMayMatch(op, value, nocase))
      note(
        ctx,
        "broader",
        `CloudWatch compares the text of number and boolean values too, and ${JSON.stringify(value)} can match such text`,
        span,
      );
    if (gap)
      note(
        ctx,
        "narrower",
        `CloudWatch regexes are ASCII-only here, and ${gap}: such values are missed`,
        span,
      );
    return compare(s, "=", operand);
  }
  note(
    ctx,
    "narrower",
    `CloudWatch's != matches no object or array value (nor a number or boolean whose text matches), where the rule's negated test holds`,
    span,
  );
  if (gap)
    note(
      ctx,
      "broader",
      `CloudWatch regexes are ASCII-only here, and ${gap}: such values are wrongly counted as not matching`,
      span,
    );
  return or([compare(s, "!=", operand), nullish(s)]);
}

/** eq (negated = false) or ne of one value. Returns the positive term and the shape of its complement. */
function equality(
  ctx: Ctx,
  s: Selector,
  value: IrValue,
  nocase: boolean,
  negated: boolean,
  span: Span,
): Out {
  switch (value.type) {
    case "string":
      return textTest(ctx, s, "eq", value.value, nocase, negated, span);
    case "number":
      if (!negated) {
        note(
          ctx,
          "broader",
          `CloudWatch may compare a string holding a number literal numerically, so ${value.text} can also match such a string`,
          span,
        );
        return compare(s, "=", { kind: "number", value: value.value, text: value.text });
      }
      note(
        ctx,
        "narrower",
        `CloudWatch's != ${value.text} matches only numbers: other values, where ne holds, are missed`,
        span,
      );
      return or([
        compare(s, "!=", { kind: "number", value: value.value, text: value.text }),
        nullish(s),
      ]);
    case "boolean": {
      const test = value.value !== negated ? "TRUE" : "FALSE";
      if (!negated) return { kind: "is", selector: s, test };
      note(
        ctx,
        "narrower",
        `IS ${test} matches only booleans: other values, where ne holds, are missed`,
        span,
      );
      return or([{ kind: "is", selector: s, test }, nullish(s)]);
    }
  }
}

/** The positive part of a negated leaf: `(P || NOT EXISTS || IS NULL)` → P. */
function positivePart(term: Out, s: Selector): Out {
  if (typeof term === "boolean" || term.kind !== "or") return term;
  const rest = term.items.filter(
    (i) =>
      !(
        (i.kind === "notExists" || (i.kind === "is" && i.test === "NULL")) &&
        printSelector(i.selector) === printSelector(s)
      ),
  );
  return or(rest);
}

const inverse = { lt: ">=", le: ">", gt: "<=", ge: "<" } as const;
const direct = { lt: "<", le: "<=", gt: ">", ge: ">=" } as const;

function ipv4Prefix(range: string): { prefix: string; bits: number } | undefined {
  const parsed = parseCidr(range);
  if (!parsed || parsed.kind !== "ipv4") return undefined;
  const [address, bits] = parsed.range;
  const bytes = address.toByteArray();
  return { prefix: bytes.slice(0, bits / 8).join("."), bits };
}

const visitor: IrVisitor<Out, Ctx> = {
  const: (node) => node.value,
  and: (node, ctx) => and(node.items.map((i) => render(i, ctx))),
  or: (node, ctx) => or(node.items.map((i) => render(i, ctx))),
  quantified: (node, ctx) => {
    const s = selectorFor(ctx, node.path, node.origin);
    if (!s) return false;
    const n = ctx.options.arrayIndexes;
    // The body's value when the element is missing decides whether an index past the end is harmless.
    const onMissing = evalNode(node.body, {
      root: undefined,
      lists: ctx.options.listValues,
    }).result;
    const element = (i: number): Out => render(node.body, { ...ctx, prefix: [...s.segments, i] });
    const at = (i: number): Selector => ({ segments: [...s.segments, i] });
    if (node.quantifier === "any") {
      if (onMissing) {
        note(
          ctx,
          "unsupported",
          `the condition inside any ${printPath(node.path)} holds for a missing element, and CloudWatch cannot test that an index exists`,
          node.origin,
        );
        return false;
      }
      note(
        ctx,
        "narrower",
        `CloudWatch has no array wildcard: any ${printPath(node.path)} looks at indexes 0..${n - 1} only (option arrayIndexes)`,
        node.origin,
      );
      return or(Array.from({ length: n }, (_, i) => element(i)));
    }
    note(
      ctx,
      "narrower",
      `CloudWatch has no array wildcard: all ${printPath(node.path)} checks indexes 0..${n - 1} and does not match arrays longer than ${n} (option arrayIndexes)`,
      node.origin,
    );
    const items: Out[] = [{ kind: "notExists", selector: at(n) }];
    for (let i = 0; i < n; i++)
      items.push(onMissing ? element(i) : or([{ kind: "notExists", selector: at(i) }, element(i)]));
    return and(items);
  },
  compare: (node, ctx) => {
    const s = selectorFor(ctx, node.path, node.origin);
    if (!s) return false;
    return equality(ctx, s, node.value, node.nocase, node.op === "ne", node.origin);
  },
  order: (node, ctx) => {
    const s = selectorFor(ctx, node.path, node.origin);
    if (!s) return false;
    if (node.value.type === "string") {
      note(
        ctx,
        "unsupported",
        "CloudWatch's < <= > >= compare numbers only: a string ordering cannot be said",
        node.origin,
      );
      return false;
    }
    // Booleans are never ordered: the test is constant.
    if (node.value.type === "boolean") return node.negated;
    const value: PatternValue = { kind: "number", value: node.value.value, text: node.value.text };
    if (!node.negated) {
      note(
        ctx,
        "broader",
        `CloudWatch may compare a string holding a number literal numerically`,
        node.origin,
      );
      return compare(s, direct[node.op], value);
    }
    note(
      ctx,
      "narrower",
      `not ${node.op} also holds for non-numbers, which CloudWatch's ${inverse[node.op]} ${node.value.text} does not match`,
      node.origin,
    );
    return or([compare(s, inverse[node.op], value), nullish(s)]);
  },
  set: (node, ctx) => {
    const s = selectorFor(ctx, node.path, node.origin);
    if (!s) return false;
    const values =
      node.list.kind === "values"
        ? node.list.values
        : (ctx.options.listValues.get(node.list.name) ?? []);
    if (!node.negated)
      return or(values.map((v) => equality(ctx, s, v, node.nocase, false, node.origin)));
    if (values.length === 0) return true;
    // (A || N) && (B || N) = (A && B) || N, with N = NOT EXISTS || IS NULL: one null test for the list.
    const parts = values.map((v) =>
      positivePart(equality(ctx, s, v, node.nocase, true, node.origin), s),
    );
    return or([and(parts), nullish(s)]);
  },
  string: (node, ctx) => {
    const s = selectorFor(ctx, node.path, node.origin);
    if (!s) return false;
    return textTest(ctx, s, node.op, node.value, node.nocase, node.negated, node.origin);
  },
  matches: (node, ctx) => {
    const s = selectorFor(ctx, node.path, node.origin);
    if (!s) return false;
    if (node.nocase) {
      note(
        ctx,
        "unsupported",
        "CloudWatch regexes are case-sensitive and have no flags: a case-insensitive regex is not translated",
        node.origin,
      );
      return false;
    }
    const problem = regexSourceProblem(node.pattern);
    if (problem) {
      note(
        ctx,
        "unsupported",
        `the regex /${node.pattern}/ cannot be a CloudWatch regex: ${problem}`,
        node.origin,
      );
      return false;
    }
    const operand: PatternValue = { kind: "regex", source: node.pattern };
    if (!node.negated) {
      note(
        ctx,
        "broader",
        "CloudWatch applies a regex to the text of number and boolean values too",
        node.origin,
      );
      return compare(s, "=", operand);
    }
    note(
      ctx,
      "narrower",
      `CloudWatch's != %regex% matches no object or array value (nor a number or boolean whose text matches), where the negated regex holds`,
      node.origin,
    );
    return or([compare(s, "!=", operand), nullish(s)]);
  },
  cidr: (node, ctx) => {
    const s = selectorFor(ctx, node.path, node.origin);
    if (!s) return false;
    const range = ipv4Prefix(node.range);
    if (!range) {
      note(
        ctx,
        "unsupported",
        `cidr ${node.range}: CloudWatch has no address matching, and IPv6 text has too many spellings for a wildcard`,
        node.origin,
      );
      return false;
    }
    if (range.bits % 8 !== 0) {
      note(
        ctx,
        "unsupported",
        `cidr ${node.range}: only octet-aligned IPv4 prefixes (/0, /8, /16, /24, /32) can be written as a wildcard`,
        node.origin,
      );
      return false;
    }
    const text = range.bits === 32 ? range.prefix : range.bits === 0 ? "*" : `${range.prefix}.*`;
    const operand: PatternValue = { kind: "string", value: text, quoted: true };
    if (!node.negated) {
      if (range.bits !== 32)
        note(
          ctx,
          "broader",
          `cidr ${node.range} is the wildcard "${text}": any text after the prefix matches, not only IPv4 addresses`,
          node.origin,
        );
      return compare(s, "=", operand);
    }
    note(
      ctx,
      "narrower",
      `not cidr ${node.range} as != "${text}" misses objects, arrays and non-address text that starts with the prefix`,
      node.origin,
    );
    return or([compare(s, "!=", operand), nullish(s)]);
  },
  presence: (node, ctx) => {
    const s = selectorFor(ctx, node.path, node.origin);
    if (!s) return false;
    switch (node.op) {
      case "is_null":
        return nullish(s);
      case "is_not_null":
        note(
          ctx,
          "narrower",
          `${printPath(node.path)} is_not_null as = * matches scalar values only: an object or array value is missed`,
          node.origin,
        );
        return compare(s, "=", { kind: "string", value: "*", quoted: false });
      case "is_empty":
        note(
          ctx,
          "narrower",
          "CloudWatch cannot test for an empty array or object: [] and {} are missed",
          node.origin,
        );
        return or([nullish(s), compare(s, "=", { kind: "string", value: "", quoted: true })]);
      case "is_not_empty":
        note(
          ctx,
          "narrower",
          `${printPath(node.path)} is_not_empty as != "" matches scalar values only: a non-empty array or object is missed`,
          node.origin,
        );
        return compare(s, "!=", { kind: "string", value: "", quoted: true });
    }
  },
};

function render(node: IrNode, ctx: Ctx): Out {
  return visitIr(visitor, node, ctx);
}

function dedupe(notes: FidelityNote[]): FidelityNote[] {
  if (notes.length < 2) return notes;
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.fidelity}|${n.span.file}|${n.span.offset}|${n.span.end}|${n.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The filter pattern for a condition, with every approximation noted. */
export function renderPattern(condition: IrNode, options: RenderOptions): PatternResult {
  const ctx: Ctx = { prefix: [], options, notes: [] };
  const body = render(condition, ctx);
  const notes = dedupe(ctx.notes);
  if (notes.some((n) => n.fidelity === "unsupported")) return { ok: false, notes };
  if (typeof body === "boolean") {
    notes.push({
      fidelity: "unsupported",
      reason: `the condition is always ${body} here, and a metric filter pattern cannot say that`,
      span: condition.origin,
    });
    return { ok: false, notes };
  }
  const pattern: JsonPattern = { body };
  const text = printPattern(pattern);
  const regexes = countRegexes(body);
  if (regexes > patternLimits.maxRegexes) {
    notes.push({
      fidelity: "unsupported",
      reason: `the pattern needs ${regexes} regexes; CloudWatch allows at most ${patternLimits.maxRegexes} per pattern`,
      span: condition.origin,
    });
    return { ok: false, notes };
  }
  const length = [...text].length;
  if (length > patternLimits.maxLength) {
    notes.push({
      fidelity: "unsupported",
      reason: `the pattern is ${length} characters long; CloudWatch allows at most ${patternLimits.maxLength} (it is never truncated)`,
      span: condition.origin,
    });
    return { ok: false, notes };
  }
  const reparsed = parsePattern(text);
  if (!reparsed.ok) {
    notes.push({
      fidelity: "unsupported",
      reason: `the generated pattern does not parse (${reparsed.error.message} at ${reparsed.error.offset}): please report this`,
      span: condition.origin,
    });
    return { ok: false, notes };
  }
  return { ok: true, pattern, text, notes };
}
