// IR → detc condition text: for explanations, diffs and debugging. Output re-parses to the same IR.
import type { IrNode, IrPath, IrValue, IrVisitor } from "./types.js";
import { visitIr } from "./types.js";

const conditionWords = new Set(
  "and or not any all in not_in eq ne lt le gt ge contains starts_with ends_with matches cidr is_null is_not_null is_empty is_not_empty nocase true false null".split(
    " ",
  ),
);

export function printPath(path: IrPath): string {
  if (path.self) return "@";
  let out = "";
  path.segments.forEach((segment, i) => {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment) && !(i === 0 && conditionWords.has(segment)))
      out += i === 0 ? segment : `.${segment}`;
    else out += i === 0 ? JSON.stringify(segment) : `.${JSON.stringify(segment)}`;
  });
  return out;
}

export function printValue(value: IrValue): string {
  if (value.type === "string") return JSON.stringify(value.value);
  if (value.type === "number") return value.text;
  return String(value.value);
}

const nocase = (on: boolean) => (on ? " nocase" : "");
const not = (on: boolean, text: string) => (on ? `not ${text}` : text);

const printers: IrVisitor<string, boolean> = {
  const: (n) => (n.value ? "true" : "false"),
  and: (n) => n.items.map((i) => printIr(i, true)).join(" and "),
  or: (n, nested) => {
    const text = n.items.map((i) => printIr(i, false)).join(" or ");
    return nested ? `(${text})` : text;
  },
  quantified: (n) => `${n.quantifier} ${printPath(n.path)} (${printIr(n.body, false)})`,
  compare: (n) => `${printPath(n.path)} ${n.op} ${printValue(n.value)}${nocase(n.nocase)}`,
  order: (n) => not(n.negated, `${printPath(n.path)} ${n.op} ${printValue(n.value)}`),
  set: (n) => {
    const list =
      n.list.kind === "named" ? `$${n.list.name}` : `[${n.list.values.map(printValue).join(", ")}]`;
    return `${printPath(n.path)} ${n.negated ? "not_in" : "in"} ${list}${nocase(n.nocase)}`;
  },
  string: (n) =>
    not(n.negated, `${printPath(n.path)} ${n.op} ${JSON.stringify(n.value)}${nocase(n.nocase)}`),
  matches: (n) => not(n.negated, `${printPath(n.path)} matches /${n.pattern}/${nocase(n.nocase)}`),
  cidr: (n) => not(n.negated, `${printPath(n.path)} cidr ${JSON.stringify(n.range)}`),
  presence: (n) => `${printPath(n.path)} ${n.op}`,
};

/** `nested` is true inside an `and`, where an `or` needs parentheses. */
export function printIr(node: IrNode, nested = false): string {
  return visitIr(printers, node, nested);
}
