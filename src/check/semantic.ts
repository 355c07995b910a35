// Checks of meaning over the AST: what parses but cannot be evaluated as written.
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parseCidr } from "../eval/cidr.js";
import { compileRegex } from "../eval/regex.js";
import type { Expr, ListDecl, Literal, RuleDecl } from "../syntax/ast.js";

export interface CheckContext {
  lists: ReadonlyMap<string, ListDecl>;
}

const describeLiteral = (l: Literal) =>
  l.kind === "string"
    ? "a string"
    : l.kind === "number"
      ? `the number ${l.text}`
      : l.kind === "boolean"
        ? `${l.value}`
        : "null";

function checkExpr(
  expr: Expr,
  ctx: CheckContext,
  insideQuantifier: boolean,
  out: Diagnostic[],
): void {
  const checkSelf = (path: { self: boolean; span: import("../diagnostics/span.js").Span }) => {
    if (path.self && !insideQuantifier) out.push(diag("self-outside-quantifier", path.span));
  };
  switch (expr.kind) {
    case "constant":
      return;
    case "and":
    case "or":
      expr.operands.forEach((e) => checkExpr(e, ctx, insideQuantifier, out));
      return;
    case "not":
      checkExpr(expr.operand, ctx, insideQuantifier, out);
      return;
    case "quantified":
      checkExpr(expr.body, ctx, true, out);
      return;
    case "compare": {
      checkSelf(expr.path);
      const ordered = !["eq", "ne"].includes(expr.op);
      if (expr.value.kind === "null") {
        const replacement =
          expr.op === "ne"
            ? `${printablePath(expr)} is_not_null`
            : `${printablePath(expr)} is_null`;
        if (ordered) out.push(diag("ordered-comparison-type", expr.value.span, [expr.op, "null"]));
        else out.push(diag("null-comparison", expr.value.span, [expr.op, replacement]));
      } else if (ordered && expr.value.kind === "boolean") {
        out.push(
          diag("ordered-comparison-type", expr.value.span, [expr.op, describeLiteral(expr.value)]),
        );
      }
      if (ordered && expr.nocase) out.push(diag("nocase-not-allowed", expr.span, [expr.op]));
      return;
    }
    case "set":
      checkSelf(expr.path);
      if (expr.list.kind === "named") {
        if (!ctx.lists.has(expr.list.name))
          out.push(diag("unknown-list", expr.list.span, [expr.list.name]));
      } else {
        for (const v of expr.list.values) {
          if (v.kind === "null")
            out.push(
              diag("null-list-value", v.span, [
                `; to test for a missing field use '${printablePath(expr)} ${expr.negated ? "is_not_null" : "is_null"}'`,
              ]),
            );
        }
      }
      return;
    case "string":
      checkSelf(expr.path);
      if (expr.value.kind !== "string")
        out.push(
          diag("string-operand-required", expr.value.span, [expr.op, describeLiteral(expr.value)]),
        );
      return;
    case "matches": {
      checkSelf(expr.path);
      const compiled = compileRegex(expr.pattern, expr.nocase);
      if (!compiled.ok) out.push(diag("invalid-regex", expr.span, [expr.pattern, compiled.error]));
      return;
    }
    case "cidr":
      checkSelf(expr.path);
      if (expr.nocase) out.push(diag("nocase-not-allowed", expr.span, ["cidr"]));
      if (!parseCidr(expr.range))
        out.push(diag("invalid-cidr", expr.span, [JSON.stringify(expr.range)]));
      return;
    case "presence":
      checkSelf(expr.path);
      if (expr.nocase) out.push(diag("nocase-not-allowed", expr.span, [expr.op]));
      return;
  }
}

function printablePath(expr: { path: { self: boolean; segments: (string | number)[] } }): string {
  return expr.path.self ? "@" : expr.path.segments.join(".");
}

export function checkList(list: ListDecl): Diagnostic[] {
  return (list.defaults ?? [])
    .filter((v) => v.kind === "null")
    .map((v) => diag("null-list-value", v.span, [""]));
}

export function checkRule(rule: RuleDecl, ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (rule.condition) checkExpr(rule.condition, ctx, false, out);
  const names = new Set<string>();
  const declared = [...ctx.lists.keys()].sort();
  for (const test of rule.tests) {
    if (names.has(test.name))
      out.push(diag("duplicate-test-name", test.span, [JSON.stringify(test.name)]));
    names.add(test.name);
    const bound = new Set<string>();
    for (const b of test.bindings) {
      if (!ctx.lists.has(b.name))
        out.push(
          diag("binding-unknown-list", b.span, [
            b.name,
            declared.length ? declared.join(", ") : "(no lists are declared)",
          ]),
        );
      if (bound.has(b.name)) out.push(diag("duplicate-binding", b.span, [b.name]));
      bound.add(b.name);
      for (const v of b.values)
        if (v.kind === "null") out.push(diag("null-list-value", v.span, [""]));
    }
  }
  return out;
}
