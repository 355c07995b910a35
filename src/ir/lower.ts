// AST → IR: push `not` to the leaves with exact complements, flatten and/or, fold constants.
import type { Span } from "../diagnostics/span.js";
import type { Expr, FieldPath, Literal, PresenceOperator } from "../syntax/ast.js";
import type { IrList, IrNode, IrPath, IrValue } from "./types.js";

/** Each presence test's exact opposite. */
export const presenceComplement: Readonly<Record<PresenceOperator, PresenceOperator>> = {
  is_null: "is_not_null",
  is_not_null: "is_null",
  is_empty: "is_not_empty",
  is_not_empty: "is_empty",
};

export function lowerPath(path: FieldPath): IrPath {
  return { segments: [...path.segments], self: path.self };
}

export function lowerValue(literal: Literal): IrValue | undefined {
  switch (literal.kind) {
    case "string":
      return { type: "string", value: literal.value };
    case "number":
      return { type: "number", value: literal.value, text: literal.text };
    case "boolean":
      return { type: "boolean", value: literal.value };
    case "null":
      return undefined; // rejected by the checks (use is_null)
  }
}

function lowerValues(literals: Literal[]): IrValue[] {
  return literals.map(lowerValue).filter((v): v is IrValue => v !== undefined);
}

/** Lower an expression; `negate` carries a pending `not` down to the leaves. */
export function lowerExpr(expr: Expr, negate = false): IrNode {
  const origin = expr.span;
  switch (expr.kind) {
    case "constant":
      return { kind: "const", value: expr.value !== negate, origin };
    case "not":
      return lowerExpr(expr.operand, !negate);
    case "and":
    case "or": {
      const items = expr.operands.map((e) => lowerExpr(e, negate));
      // De Morgan: not (a and b) = not a or not b.
      const kind = (expr.kind === "and") !== negate ? "and" : "or";
      return junction(kind, items, origin);
    }
    case "quantified": {
      // not any(c) = all(not c); not all(c) = any(not c): exact, since a non-array is an empty array.
      const quantifier = negate ? (expr.quantifier === "any" ? "all" : "any") : expr.quantifier;
      const body = lowerExpr(expr.body, negate);
      return quantified(quantifier, lowerPath(expr.path), body, origin);
    }
    case "compare": {
      const value = lowerValue(expr.value);
      const path = lowerPath(expr.path);
      // `eq null` is rejected by the checks; keep negation a complement all the same.
      if (!value) return { kind: "const", value: (expr.op === "ne") !== negate, origin };
      if (expr.op === "eq" || expr.op === "ne") {
        const op = (expr.op === "eq") !== negate ? "eq" : "ne";
        return { kind: "compare", op, path, value, nocase: expr.nocase, origin };
      }
      return { kind: "order", op: expr.op, negated: negate, path, value, origin };
    }
    case "set": {
      const negated = expr.negated !== negate;
      const list: IrList =
        expr.list.kind === "named"
          ? { kind: "named", name: expr.list.name }
          : { kind: "values", values: lowerValues(expr.list.values) };
      if (list.kind === "values" && list.values.length === 0)
        return { kind: "const", value: negated, origin };
      if (list.kind === "values" && list.values.length === 1) {
        return {
          kind: "compare",
          op: negated ? "ne" : "eq",
          path: lowerPath(expr.path),
          value: list.values[0]!,
          nocase: expr.nocase,
          origin,
        };
      }
      return {
        kind: "set",
        negated,
        path: lowerPath(expr.path),
        list,
        nocase: expr.nocase,
        origin,
      };
    }
    case "string": {
      const value = expr.value.kind === "string" ? expr.value.value : undefined;
      if (value === undefined) return { kind: "const", value: negate, origin };
      return {
        kind: "string",
        op: expr.op,
        negated: negate,
        path: lowerPath(expr.path),
        value,
        nocase: expr.nocase,
        origin,
      };
    }
    case "matches":
      return {
        kind: "matches",
        negated: negate,
        path: lowerPath(expr.path),
        pattern: expr.pattern,
        nocase: expr.nocase,
        origin,
      };
    case "cidr":
      return {
        kind: "cidr",
        negated: negate,
        path: lowerPath(expr.path),
        range: expr.range,
        origin,
      };
    case "presence":
      return {
        kind: "presence",
        op: negate ? presenceComplement[expr.op] : expr.op,
        path: lowerPath(expr.path),
        origin,
      };
  }
}

export function junction(kind: "and" | "or", items: IrNode[], origin: Span): IrNode {
  const absorbing = kind === "or"; // true absorbs an or, false absorbs an and
  const flat: IrNode[] = [];
  for (const item of items) {
    if (item.kind === kind) flat.push(...item.items);
    else if (item.kind === "const") {
      if (item.value === absorbing) return { kind: "const", value: absorbing, origin };
      // the neutral constant drops out
    } else flat.push(item);
  }
  if (flat.length === 0) return { kind: "const", value: !absorbing, origin };
  if (flat.length === 1) return flat[0]!;
  return { kind, items: flat, origin };
}

function quantified(quantifier: "any" | "all", path: IrPath, body: IrNode, origin: Span): IrNode {
  // any(false) is false and all(true) is true whatever the array holds.
  if (body.kind === "const" && body.value === (quantifier === "all"))
    return { kind: "const", value: body.value, origin };
  return { kind: "quantified", quantifier, path, body, origin };
}

/** Named lists used by a condition, sorted. */
export function listsUsed(node: IrNode, into = new Set<string>()): string[] {
  if (node.kind === "and" || node.kind === "or") node.items.forEach((i) => listsUsed(i, into));
  else if (node.kind === "quantified") listsUsed(node.body, into);
  else if (node.kind === "set" && node.list.kind === "named") into.add(node.list.name);
  return [...into].sort();
}
