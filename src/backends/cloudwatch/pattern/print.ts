// Pattern tree → filter-pattern text. Every mix of && and || is parenthesised, so the text means the
// same under any precedence; parsePattern(printPattern(p)) gives p back (tested).
import type { JsonPattern, PatternNode, PatternValue, Selector } from "./ast.js";

export function printSelector(selector: Selector): string {
  return "$" + selector.segments.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("");
}

export function printValue(value: PatternValue): string {
  switch (value.kind) {
    case "string":
      return value.quoted ? `"${value.value}"` : value.value;
    case "number":
      return value.text;
    case "regex":
      return `%${value.source}%`;
  }
}

function printNode(node: PatternNode, parent: "and" | "or" | "top"): string {
  switch (node.kind) {
    case "and":
    case "or": {
      const text = node.items
        .map((item) => printNode(item, node.kind))
        .join(node.kind === "and" ? " && " : " || ");
      return parent === "top" ? text : `(${text})`;
    }
    case "compare":
      return `${printSelector(node.selector)} ${node.op} ${printValue(node.value)}`;
    case "is":
      return `${printSelector(node.selector)} IS ${node.test}`;
    case "notExists":
      return `${printSelector(node.selector)} NOT EXISTS`;
  }
}

export function printPattern(pattern: JsonPattern): string {
  return `{ ${printNode(pattern.body, "top")} }`;
}

/** How many %regex% terms a pattern holds (the documented limit is 2). */
export function countRegexes(node: PatternNode): number {
  switch (node.kind) {
    case "and":
    case "or":
      return node.items.reduce((n, item) => n + countRegexes(item), 0);
    case "compare":
      return node.value.kind === "regex" ? 1 : 0;
    default:
      return 0;
  }
}
