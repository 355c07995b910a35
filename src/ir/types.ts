// The normalised IR every backend consumes: negation pushed to the leaves (so there is no `not`
// node), nested and/or flattened, constants folded. `origin` points at the source construct.
import type { Span } from "../diagnostics/span.js";
import type { PathSegment, PresenceOperator, StringOperator } from "../syntax/ast.js";

export interface IrPath {
  /** Relative to the array element inside any/all; `self` is `@`. */
  segments: PathSegment[];
  self: boolean;
}

export type IrValue =
  | { type: "string"; value: string }
  | { type: "number"; value: number; text: string }
  | { type: "boolean"; value: boolean };

export type IrList = { kind: "values"; values: IrValue[] } | { kind: "named"; name: string };

export type OrderOperator = "lt" | "le" | "gt" | "ge";

export type IrNode =
  | { kind: "const"; value: boolean; origin: Span }
  | { kind: "and"; items: IrNode[]; origin: Span }
  | { kind: "or"; items: IrNode[]; origin: Span }
  | { kind: "quantified"; quantifier: "any" | "all"; path: IrPath; body: IrNode; origin: Span }
  /** `ne` is exactly `not eq`: true on null. */
  | {
      kind: "compare";
      op: "eq" | "ne";
      path: IrPath;
      value: IrValue;
      nocase: boolean;
      origin: Span;
    }
  /** `negated` lt is not `ge`: both are false on null and on mixed types. */
  | {
      kind: "order";
      op: OrderOperator;
      negated: boolean;
      path: IrPath;
      value: IrValue;
      origin: Span;
    }
  | { kind: "set"; negated: boolean; path: IrPath; list: IrList; nocase: boolean; origin: Span }
  | {
      kind: "string";
      op: StringOperator;
      negated: boolean;
      path: IrPath;
      value: string;
      nocase: boolean;
      origin: Span;
    }
  | {
      kind: "matches";
      negated: boolean;
      path: IrPath;
      pattern: string;
      nocase: boolean;
      origin: Span;
    }
  | { kind: "cidr"; negated: boolean; path: IrPath; range: string; origin: Span }
  | { kind: "presence"; op: PresenceOperator; path: IrPath; origin: Span };

export type IrKind = IrNode["kind"];

/** An exhaustive map over IR node kinds: a new kind fails to compile until every pass handles it. */
export type IrVisitor<R, Ctx = void> = {
  [K in IrKind]: (node: Extract<IrNode, { kind: K }>, ctx: Ctx) => R;
};

export function visitIr<R, Ctx>(visitor: IrVisitor<R, Ctx>, node: IrNode, ctx: Ctx): R {
  return (visitor[node.kind] as (n: IrNode, c: Ctx) => R)(node, ctx);
}

/** A lowered rule: what the evaluator and every backend work from. */
export interface IrRule {
  id: string;
  condition: IrNode;
  /** Named lists the condition uses, sorted. */
  lists: string[];
}
