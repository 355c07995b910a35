// The reference evaluator: THE semantics of detc. Small evalX functions over the IR with an
// explicit context; every backend is tested against it.
import type { IrNode, IrValue, IrVisitor } from "../ir/types.js";
import { visitIr } from "../ir/types.js";
import type { JsonValue } from "../syntax/ast.js";
import { inCidr, parseCidr } from "./cidr.js";
import { compileRegex, regexFinds } from "./regex.js";
import {
  foldCase,
  isEmptyValue,
  isScalar,
  orderCompare,
  resolvePath,
  scalarEquals,
} from "./values.js";

export interface EvalContext {
  /** The JSON value paths are resolved against: the event, or the array element inside any/all. */
  root: JsonValue | undefined;
  /** Values of named lists (test bindings, else configuration, else declared defaults). */
  lists: ReadonlyMap<string, readonly IrValue[]>;
}

export interface Verdict {
  result: boolean;
  /** The leaves (or whole quantifiers) that decided the result, with their own results. */
  decidedBy: Array<{ node: IrNode; result: boolean }>;
}

const leaf = (node: IrNode, result: boolean): Verdict => ({
  result,
  decidedBy: [{ node, result }],
});

function valueAt(
  node: { path: import("../ir/types.js").IrPath },
  ctx: EvalContext,
): JsonValue | undefined {
  return node.path.self
    ? ctx.root === null
      ? undefined
      : ctx.root
    : resolvePath(ctx.root, node.path);
}

function stringTest(
  op: "contains" | "starts_with" | "ends_with",
  actual: string,
  expected: string,
): boolean {
  switch (op) {
    case "contains":
      return actual.includes(expected);
    case "starts_with":
      return actual.startsWith(expected);
    case "ends_with":
      return actual.endsWith(expected);
  }
}

const evaluators: IrVisitor<Verdict, EvalContext> = {
  const: (node) => leaf(node, node.value),
  and: (node, ctx) => {
    const decided: Verdict["decidedBy"] = [];
    for (const item of node.items) {
      const v = evalNode(item, ctx);
      if (!v.result) return { result: false, decidedBy: v.decidedBy };
      decided.push(...v.decidedBy);
    }
    return { result: true, decidedBy: decided };
  },
  or: (node, ctx) => {
    const decided: Verdict["decidedBy"] = [];
    for (const item of node.items) {
      const v = evalNode(item, ctx);
      if (v.result) return { result: true, decidedBy: v.decidedBy };
      decided.push(...v.decidedBy);
    }
    return { result: false, decidedBy: decided };
  },
  quantified: (node, ctx) => {
    const array = resolvePath(ctx.root, node.path);
    // A missing, null or non-array value holds no elements: any is false, all is true.
    const elements = Array.isArray(array) ? array : [];
    const wanted = node.quantifier === "any";
    for (const element of elements) {
      const v = evalNode(node.body, { ...ctx, root: element });
      if (v.result === wanted) return leaf(node, wanted);
    }
    return leaf(node, !wanted);
  },
  compare: (node, ctx) => {
    const equal = scalarEquals(valueAt(node, ctx), node.value, node.nocase);
    return leaf(node, node.op === "eq" ? equal : !equal);
  },
  order: (node, ctx) => {
    const c = orderCompare(valueAt(node, ctx), node.value);
    const holds =
      c !== undefined &&
      (node.op === "lt" ? c < 0 : node.op === "le" ? c <= 0 : node.op === "gt" ? c > 0 : c >= 0);
    return leaf(node, holds !== node.negated);
  },
  set: (node, ctx) => {
    const actual = valueAt(node, ctx);
    const values =
      node.list.kind === "values" ? node.list.values : (ctx.lists.get(node.list.name) ?? []);
    const member = isScalar(actual) && values.some((v) => scalarEquals(actual, v, node.nocase));
    return leaf(node, member !== node.negated);
  },
  string: (node, ctx) => {
    const actual = valueAt(node, ctx);
    const holds =
      typeof actual === "string" &&
      (node.nocase
        ? stringTest(node.op, foldCase(actual), foldCase(node.value))
        : stringTest(node.op, actual, node.value));
    return leaf(node, holds !== node.negated);
  },
  matches: (node, ctx) => {
    const actual = valueAt(node, ctx);
    const compiled = compileRegex(node.pattern, node.nocase);
    const holds = typeof actual === "string" && compiled.ok && regexFinds(compiled.regex, actual);
    return leaf(node, holds !== node.negated);
  },
  cidr: (node, ctx) => {
    const actual = valueAt(node, ctx);
    const range = parseCidr(node.range);
    const holds = typeof actual === "string" && range !== undefined && inCidr(actual, range);
    return leaf(node, holds !== node.negated);
  },
  presence: (node, ctx) => {
    const actual = valueAt(node, ctx);
    switch (node.op) {
      case "is_null":
        return leaf(node, actual === undefined);
      case "is_not_null":
        return leaf(node, actual !== undefined);
      case "is_empty":
        return leaf(node, isEmptyValue(actual));
      case "is_not_empty":
        return leaf(node, !isEmptyValue(actual));
    }
  },
};

export function evalNode(node: IrNode, ctx: EvalContext): Verdict {
  return visitIr(evaluators, node, ctx);
}

/** Does the rule's condition match this event? */
export function matches(
  node: IrNode,
  event: JsonValue,
  lists: ReadonlyMap<string, readonly IrValue[]> = new Map(),
): boolean {
  return evalNode(node, { root: event, lists }).result;
}
