// IR → a Sigma detection: selections and a condition, plus every place where Sigma cannot say
// exactly what the rule says (as fidelity notes with the construct's span).
//
// The Sigma meaning detc compiles for is the one reader.ts implements (Sigma's spec where it
// speaks, and the stated reading where it is silent): values are case-insensitive unless `|cased`;
// a dotted field name walks objects and, where it meets an array before its last step, reads every
// element; a field holding an array matches no value; `field: null` holds when no non-null value is
// reached; number and boolean values also match their text (Sigma has no typed values).
//
// Every IR leaf becomes a selection item `field|modifiers: values` used plainly or under `not`.
// Under the dotted-path reading an item is "some reached value passes" (`field: null` is "no
// reached value is non-null"), so a leaf is POSITIVE when it is a plain value item or a negated null
// item. `any PATH (body)` becomes the body with PATH prefixed to its fields: exact-ish only for
// positive leaves (then broader: see quantifierNote); `all PATH (body)` only for negative ones
// (then narrower). A leaf of the wrong polarity inside a quantifier is left out (true: broader).
import type { Span } from "../../diagnostics/span.js";
import { networkText } from "../../eval/cidr.js";
import { foldCase } from "../../eval/values.js";
import { junction } from "../../ir/lower.js";
import { printIr, printPath, printValue } from "../../ir/print.js";
import type { IrNode, IrPath, IrValue, IrVisitor } from "../../ir/types.js";
import { visitIr } from "../../ir/types.js";
import type { BackendContext, FidelityNote } from "../types.js";
import { sigmaEscape, type YamlValue } from "./escape.js";
import type { RecordShape } from "./mapping.js";
import { translateRegex } from "./regex.js";

export type SigmaScalar = string | number | boolean | null;

/** One map entry of a selection: `field|mod1|mod2: values` (a list of values is OR). */
export interface SigmaItem {
  field: string;
  modifiers: string[];
  values: SigmaScalar[];
}

export type Cond =
  | { kind: "leaf"; item: SigmaItem; negated: boolean; origin: Span }
  | { kind: "and" | "or"; items: Cond[] }
  | { kind: "const"; value: boolean };

const isNullItem = (item: SigmaItem) => item.values.length === 1 && item.values[0] === null;

/** Does the leaf hold when some reached value passes (true) or when none does (false)? */
export function positive(leaf: Extract<Cond, { kind: "leaf" }>): boolean {
  return leaf.negated === isNullItem(leaf.item);
}

interface Scope {
  /** Field segments of the enclosing quantifiers' arrays. */
  prefix: string[];
  quantifier: "any" | "all" | undefined;
  shape: RecordShape | undefined;
}

class Notes {
  readonly list: FidelityNote[] = [];
  private readonly seen = new Set<string>();
  add(fidelity: FidelityNote["fidelity"], reason: string, span: Span): void {
    const key = `${fidelity}\0${reason}\0${span.offset}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ fidelity, reason, span });
  }
  /** Forget the notes added since `mark`, except those `keep` says: they were about a test left out. */
  dropSince(mark: number, keep: (note: FidelityNote) => boolean): void {
    const removed = this.list.splice(mark).filter((n) => !keep(n) || (this.list.push(n), false));
    for (const n of removed) this.seen.delete(`${n.fidelity}\0${n.reason}\0${n.span.offset}`);
  }
  /** An approximation whose direction depends on the leaf's polarity: `broader` on a positive leaf. */
  directed(isPositive: boolean, reason: string, span: Span): void {
    this.add(isPositive ? "broader" : "narrower", reason, span);
  }
}

interface Ctx {
  scope: Scope;
  notes: Notes;
  backend: BackendContext;
}

/**
 * What Sigma cannot say, thrown up to the rule's translation and turned into an unsupported note. A
 * plain object, not an Error: it never leaves this module, and an Error would capture a stack trace
 * for each of the thousands a large rule set throws.
 */
class Inexpressible {
  constructor(readonly message: string) {}
}

// ---------------------------------------------------------------------------------------------
// Values

/** Values that need `|cased`: any character outside ASCII digits, punctuation and controls. */
function needsCased(s: string): boolean {
  return /[^\x00-\x40\x5b-\x60\x7b-\x7f]/.test(s);
}

/** Is `s` (folded when case-insensitive) the text a number or boolean field value reads as? */
function looksTyped(s: string, nocase: boolean): boolean {
  const t = nocase ? foldCase(s) : s;
  if (t === "true" || t === "false") return true;
  return t.trim() === t && t !== "" && Number.isFinite(Number(t)) && String(Number(t)) === t;
}

/** A list value a placeholder carries exactly: a string that is neither a pattern nor a typed value's text. */
export function plainListValue(v: IrValue, nocase: boolean): boolean {
  return v.type === "string" && !/[*?\\]/.test(v.value) && !looksTyped(v.value, nocase);
}

export function numberValue(v: Extract<IrValue, { type: "number" }>): number {
  return Object.is(v.value, -0) ? 0 : v.value;
}

// ---------------------------------------------------------------------------------------------
// Fields

/** The Sigma field name for a path in scope, or an exception saying why there is none. */
function fieldOf(path: IrPath, scope: Scope): string[] {
  if (path.self)
    throw new Inexpressible(
      "an array of plain values (`@`): Sigma has no syntax for the elements of a list-valued field, and backends differ (some match any element, some the whole value)",
    );
  const segments: string[] = [];
  for (const s of path.segments) {
    if (typeof s === "number")
      throw new Inexpressible(`the fixed index [${s}]: Sigma field names have no array index`);
    if (s === "" || /[.|*?\\]/.test(s))
      throw new Inexpressible(
        `the field name segment ${JSON.stringify(s)}: a Sigma field name cannot hold it unambiguously`,
      );
    segments.push(s);
  }
  return [...scope.prefix, ...segments];
}

function leaf(
  field: string[],
  modifiers: string[],
  values: SigmaScalar[],
  negated: boolean,
  origin: Span,
): Extract<Cond, { kind: "leaf" }> {
  return { kind: "leaf", item: { field: field.join("."), modifiers, values }, negated, origin };
}

/** Plain paths outside quantifiers that cross something not documented as an object. */
function crossingNote(field: string[], isPositive: boolean, ctx: Ctx, origin: Span): void {
  if (ctx.scope.quantifier || field.length < 2) return;
  const known = ctx.scope.shape?.objects ?? new Set<string>();
  for (let k = 1; k < field.length; k++) {
    const prefix = field.slice(0, k).join(".");
    if (!known.has(prefix)) {
      ctx.notes.directed(
        isPositive,
        `${field.join(".")}: where ${prefix} holds an array, Sigma backends read its elements; detc does not look inside an array without any/all`,
        origin,
      );
      return;
    }
  }
}

/** A path outside quantifiers that the log source documents as a string (never a list or object). */
function documentedString(field: string[], ctx: Ctx): boolean {
  return !ctx.scope.quantifier && (ctx.scope.shape?.strings.has(field.join(".")) ?? false);
}

function typedNote(isPositive: boolean, what: string, ctx: Ctx, origin: Span): void {
  ctx.notes.directed(
    isPositive,
    `${what}: Sigma has no typed values, so it also matches the same text with another JSON type (the string "5" and the number 5, "true" and true)`,
    origin,
  );
}

// ---------------------------------------------------------------------------------------------
// Leaves

function stringLeaves(
  field: string[],
  values: string[],
  nocase: boolean,
  negated: boolean,
  origin: Span,
  ctx: Ctx,
): Cond {
  const unique = [...new Set(values)];
  const cased = !nocase && unique.some(needsCased);
  const l = leaf(field, cased ? ["cased"] : [], unique.map(sigmaEscape), negated, origin);
  const typed = unique.filter((v) => looksTyped(v, nocase));
  if (typed.length) typedNote(positive(l), `the string ${JSON.stringify(typed[0])}`, ctx, origin);
  return l;
}

function typedLeaf(
  field: string[],
  values: IrValue[],
  negated: boolean,
  origin: Span,
  ctx: Ctx,
): Cond {
  const scalars = [
    ...new Map(
      values.map((v) => [
        printValue(v),
        v.type === "number" ? numberValue(v) : (v.value as boolean),
      ]),
    ).values(),
  ];
  const l = leaf(field, [], scalars, negated, origin);
  typedNote(
    positive(l),
    `the ${values[0]!.type} ${values.map(printValue).join(", ")}`,
    ctx,
    origin,
  );
  return l;
}

/** Equality with a set of values: one item per value type (`|cased` applies to strings only). */
function valuesCond(
  field: string[],
  values: IrValue[],
  nocase: boolean,
  negated: boolean,
  origin: Span,
  ctx: Ctx,
): Cond {
  const parts: Cond[] = [];
  const strings = values.flatMap((v) => (v.type === "string" ? [v.value] : []));
  if (strings.length) parts.push(stringLeaves(field, strings, nocase, negated, origin, ctx));
  for (const type of ["number", "boolean"] as const) {
    const typed = values.filter((v) => v.type === type);
    if (typed.length) parts.push(typedLeaf(field, typed, negated, origin, ctx));
  }
  // not (a or b) = not a and not b
  return parts.length === 1 ? parts[0]! : { kind: negated ? "and" : "or", items: parts };
}

const stringModifier = {
  contains: "contains",
  starts_with: "startswith",
  ends_with: "endswith",
} as const;
const orderModifier = { lt: "lt", le: "lte", gt: "gt", ge: "gte" } as const;

const leaves: IrVisitor<Cond, Ctx> = {
  const: (node) => ({ kind: "const", value: node.value }),
  and: (node, ctx) => ({ kind: "and", items: node.items.map((i) => condOf(i, ctx)) }),
  or: (node, ctx) => ({ kind: "or", items: node.items.map((i) => condOf(i, ctx)) }),
  quantified: (node, ctx) => quantified(node, ctx),
  compare: (node, ctx) =>
    valuesCond(
      fieldOf(node.path, ctx.scope),
      [node.value],
      node.nocase,
      node.op === "ne",
      node.origin,
      ctx,
    ),
  order: (node, ctx) => {
    if (node.value.type !== "number")
      throw new Inexpressible(`${printIr(node)}: Sigma's lt/lte/gt/gte compare numbers only`);
    const l = leaf(
      fieldOf(node.path, ctx.scope),
      [orderModifier[node.op]],
      [numberValue(node.value)],
      node.negated,
      node.origin,
    );
    ctx.notes.directed(
      positive(l),
      `${printIr(node)}: Sigma backends also compare a string holding a number`,
      node.origin,
    );
    return l;
  },
  set: (node, ctx) => {
    const field = fieldOf(node.path, ctx.scope);
    if (node.list.kind === "values")
      return valuesCond(field, node.list.values, node.nocase, node.negated, node.origin, ctx);
    const name = node.list.name;
    const l = leaf(
      field,
      node.nocase ? ["expand"] : ["expand", "cased"],
      [`%${name}%`],
      node.negated,
      node.origin,
    );
    const configured = ctx.backend.listValues.get(name) ?? [];
    // On a field the log source documents as a string, text that looks like a number (an account
    // id) cannot meet a number in the event: only wildcard characters and non-strings matter there.
    const stringField = documentedString(field, ctx);
    const exactValue = (v: IrValue) =>
      plainListValue(v, node.nocase) ||
      (stringField && v.type === "string" && !/[*?\\]/.test(v.value));
    if (configured.some((v) => !exactValue(v)))
      ctx.notes.directed(
        positive(l),
        `$${name}: a Sigma placeholder expands to text patterns, and the configured values hold a number, a boolean, the text of one, or a wildcard character`,
        node.origin,
      );
    return l;
  },
  string: (node, ctx) => {
    const field = fieldOf(node.path, ctx.scope);
    const cased = !node.nocase && needsCased(node.value);
    return leaf(
      field,
      [stringModifier[node.op], ...(cased ? ["cased"] : [])],
      [sigmaEscape(node.value)],
      node.negated,
      node.origin,
    );
  },
  matches: (node, ctx) => {
    const field = fieldOf(node.path, ctx.scope);
    const re = translateRegex(node.pattern, node.nocase);
    if (!re.ok) throw new Inexpressible(`regex /${node.pattern}/: ${re.reason}`);
    const l = leaf(field, ["re", ...re.flags], [re.pattern], node.negated, node.origin);
    if (re.endAnchor)
      ctx.notes.directed(
        positive(l),
        `regex /${node.pattern}/: PCRE's $ also matches before a final newline, RE2's only at the end`,
        node.origin,
      );
    return l;
  },
  cidr: (node, ctx) =>
    leaf(
      fieldOf(node.path, ctx.scope),
      ["cidr"],
      [networkText(node.range)],
      node.negated,
      node.origin,
    ),
  presence: (node, ctx) => {
    const field = fieldOf(node.path, ctx.scope);
    switch (node.op) {
      case "is_null":
        return leaf(field, [], [null], false, node.origin);
      case "is_not_null":
        return leaf(field, [], [null], true, node.origin);
      case "is_empty":
        if (!documentedString(field, ctx))
          ctx.notes.add(
            "narrower",
            `${printIr(node)}: Sigma can test null and '' but not an empty list or object`,
            node.origin,
          );
        return {
          kind: "or",
          items: [
            leaf(field, [], [null], false, node.origin),
            leaf(field, [], [""], false, node.origin),
          ],
        };
      case "is_not_empty":
        if (!documentedString(field, ctx))
          ctx.notes.add(
            "broader",
            `${printIr(node)}: Sigma can test null and '' but not an empty list or object`,
            node.origin,
          );
        return {
          kind: "and",
          items: [
            leaf(field, [], [null], true, node.origin),
            leaf(field, [], [""], true, node.origin),
          ],
        };
    }
  },
};

function condOf(node: IrNode, ctx: Ctx): Cond {
  if (node.kind === "and" || node.kind === "or" || node.kind === "const")
    return visitIr(leaves, node, ctx);
  try {
    const mark = ctx.notes.list.length;
    const cond = visitIr(leaves, node, ctx);
    if (node.kind === "quantified") return cond;
    const checked = checkLeaves(cond, node, ctx);
    // A test left out says nothing: only the note that it was left out remains.
    if (checked.kind === "const" && cond.kind !== "const")
      ctx.notes.dropSince(mark, (n) => n.reason.endsWith("this test is left out"));
    return checked;
  } catch (e) {
    if (!(e instanceof Inexpressible)) throw e;
    ctx.notes.add("unsupported", e.message, node.origin);
    return { kind: "const", value: true };
  }
}

/** Polarity inside quantifiers, and paths crossing undocumented objects outside them. */
function checkLeaves(cond: Cond, node: IrNode, ctx: Ctx): Cond {
  if (cond.kind === "const") return cond;
  if (cond.kind !== "leaf")
    return { ...cond, items: cond.items.map((c) => checkLeaves(c, node, ctx)) };
  const isPositive = positive(cond);
  const q = ctx.scope.quantifier;
  if (q && isPositive !== (q === "any")) {
    ctx.notes.add(
      "broader",
      `${printIr(node)}: inside ${q}, Sigma can only test that ${q === "any" ? "some element passes a test" : "no element passes a test"}; this test is left out`,
      node.origin,
    );
    return { kind: "const", value: true };
  }
  crossingNote(cond.item.field.split("."), isPositive, ctx, node.origin);
  return cond;
}

function quantified(node: Extract<IrNode, { kind: "quantified" }>, ctx: Ctx): Cond {
  const outer = ctx.scope.quantifier;
  if (outer && outer !== node.quantifier) {
    ctx.notes.add(
      "broader",
      `${printIr(node)}: Sigma cannot nest ${node.quantifier} inside ${outer}; this test is left out`,
      node.origin,
    );
    return { kind: "const", value: true };
  }
  const prefix = fieldOf(node.path, ctx.scope);
  const body = fold(
    condOf(node.body, { ...ctx, scope: { ...ctx.scope, prefix, quantifier: node.quantifier } }),
  );
  if (body.kind === "const") {
    // any(false) / all(true) are exact; any(true) ("a non-empty array") is beyond Sigma: true is broader.
    return body;
  }
  const path = printPath(node.path);
  const direction = node.quantifier === "any" ? "broader" : "narrower";
  ctx.notes.add(
    direction,
    `${node.quantifier} ${path}: Sigma has no array semantics; the dotted path ${prefix.join(".")} reads every element of an array, but also a single object, and looks inside arrays met on the way`,
    node.origin,
  );
  const correlated = node.quantifier === "any" ? "and" : "or";
  if (hasJunction(body, correlated))
    ctx.notes.add(
      direction,
      `${node.quantifier} ${path}: Sigma tests each condition on ${node.quantifier === "any" ? "any element, not all of them on the same one" : "every element separately, not the alternatives element by element"}`,
      node.origin,
    );
  return body;
}

function hasJunction(c: Cond, kind: "and" | "or"): boolean {
  return (
    (c.kind === "and" || c.kind === "or") &&
    (c.kind === kind || c.items.some((i) => hasJunction(i, kind)))
  );
}

/** Fold constants and flatten nested junctions of the same kind. */
export function fold(c: Cond): Cond {
  if (c.kind !== "and" && c.kind !== "or") return c;
  const absorbing = c.kind === "or";
  const items: Cond[] = [];
  for (const raw of c.items) {
    const item = fold(raw);
    if (item.kind === "const") {
      if (item.value === absorbing) return item;
    } else if (item.kind === c.kind) items.push(...item.items);
    else items.push(item);
  }
  if (items.length === 0) return { kind: "const", value: !absorbing };
  const merged = mergeSameKey(c.kind, items);
  return merged.length === 1 ? merged[0]! : { kind: c.kind, items: merged };
}

/**
 * `f: a or f: b` is `f: [a, b]`, and `not f: a and not f: b` is `not f: [a, b]`: leaves on the same
 * field and modifiers merge into one value list (null items stand alone).
 */
function mergeSameKey(kind: "and" | "or", items: Cond[]): Cond[] {
  const out: Cond[] = [];
  const byKey = new Map<string, Extract<Cond, { kind: "leaf" }>>();
  for (const item of items) {
    const mergeable =
      item.kind === "leaf" && item.negated === (kind === "and") && !isNullItem(item.item);
    if (!mergeable) {
      out.push(item);
      continue;
    }
    const key = [item.item.field, ...item.item.modifiers].join("|");
    const known = byKey.get(key);
    if (known) {
      const seen = new Set(known.item.values.map((v) => JSON.stringify(v)));
      known.item.values.push(...item.item.values.filter((v) => !seen.has(JSON.stringify(v))));
    } else {
      const copy = { ...item, item: { ...item.item, values: [...item.item.values] } };
      byKey.set(key, copy);
      out.push(copy);
    }
  }
  return out;
}

export interface Translation {
  cond: Cond;
  notes: FidelityNote[];
}

/** The rule's condition as a Sigma condition tree over items, with what it cannot say exactly. */
export function translateCondition(
  condition: IrNode,
  backend: BackendContext,
  shape: RecordShape | undefined,
): Translation {
  const notes = new Notes();
  const ctx: Ctx = {
    scope: { prefix: [], quantifier: undefined, shape },
    notes,
    backend,
  };
  const cond = fold(condOf(condition, ctx));
  if (cond.kind === "const" && !notes.list.some((n) => n.fidelity === "unsupported"))
    notes.add(
      "unsupported",
      `the condition is always ${cond.value} here; a Sigma rule needs a selection to test`,
      condition.origin,
    );
  return { cond, notes: notes.list };
}

export type { YamlValue };
