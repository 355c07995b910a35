// What a JSON filter pattern matches, as the documentation describes it. The documentation leaves
// some cases open; each choice below is the conservative reading (it can only make detc report an
// approximation that the real service might not have, never hide one), and the renderer's fidelity
// notes follow it:
// - A selector reaches a value through object keys and array indexes only; anything else is absent.
// - `=` / `!=` with a string, wildcard or regex operand compare the TEXT of a scalar value: a string
//   as itself, a number as its JSON text, a boolean as `true`/`false` (how a quoted value compares
//   with a number field is not documented; comparing text is the broader reading).
// - `=` / `!=` / `<`… with a number operand compare numbers: a number value, or a string value
//   that is a JSON number literal (whether the service reads "5" as 5 is not documented).
// - A value that is absent, null, an object or an array matches neither `=` nor `!=` (documented
//   for absent fields and for objects/arrays; chosen for null: use IS NULL).
// - `*` is a wildcard anywhere in a string operand, matching any run of characters (also none).
// - `%regex%` is an unanchored search; the documented subset (literals, classes, anchors,
//   quantifiers, `|`) means the same in RE2 and Java, so RE2 (re2js) runs it here.
// - IS NULL: present and JSON null. NOT EXISTS: absent. IS TRUE / IS FALSE: JSON booleans only.
import { RE2JS } from "re2js";
import type { JsonValue } from "../../../syntax/ast.js";
import type { JsonPattern, PatternNode, PatternValue, Selector } from "./ast.js";

const absent = Symbol("absent");
type Reached = JsonValue | typeof absent;

export function select(root: JsonValue, selector: Selector): Reached {
  let current: JsonValue = root;
  for (const segment of selector.segments) {
    if (typeof segment === "number") {
      if (!Array.isArray(current) || segment >= current.length) return absent;
      current = current[segment]!;
    } else {
      if (
        current === null ||
        typeof current !== "object" ||
        Array.isArray(current) ||
        !Object.hasOwn(current, segment)
      )
        return absent;
      current = current[segment]!;
    }
  }
  return current;
}

/** The text a string comparison sees, or undefined for values it never matches. */
export function scalarText(value: Reached): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "boolean") return String(value);
  return undefined;
}

const jsonNumber = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The number a numeric comparison sees, or undefined. */
export function numericValue(value: Reached): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && jsonNumber.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const regexCache = new Map<string, RE2JS>();
const globCache = new Map<string, RegExp>();

function regexFor(source: string): RE2JS {
  let re = regexCache.get(source);
  if (!re) regexCache.set(source, (re = RE2JS.compile(source)));
  return re;
}

/** `*` matches any run of characters; every other character stands for itself. */
function globFor(value: string): RegExp {
  let re = globCache.get(value);
  if (!re) {
    const body = value
      .split("*")
      .map((part) => part.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"))
      .join("[\\s\\S]*");
    globCache.set(value, (re = new RegExp(`^${body}$`, "u")));
  }
  return re;
}

function textMatches(operand: Exclude<PatternValue, { kind: "number" }>, text: string): boolean {
  if (operand.kind === "regex") return regexFor(operand.source).matcher(text).find();
  return operand.value.includes("*") ? globFor(operand.value).test(text) : text === operand.value;
}

function evalCompare(node: Extract<PatternNode, { kind: "compare" }>, root: JsonValue): boolean {
  const reached = select(root, node.selector);
  const operand = node.value;
  if (operand.kind === "number") {
    const n = numericValue(reached);
    if (n === undefined) return false;
    switch (node.op) {
      case "=":
        return n === operand.value;
      case "!=":
        return n !== operand.value;
      case "<":
        return n < operand.value;
      case "<=":
        return n <= operand.value;
      case ">":
        return n > operand.value;
      case ">=":
        return n >= operand.value;
    }
  }
  const text = scalarText(reached);
  if (text === undefined) return false;
  const found = textMatches(operand, text);
  return node.op === "=" ? found : node.op === "!=" ? !found : false;
}

export function evalPatternNode(node: PatternNode, root: JsonValue): boolean {
  switch (node.kind) {
    case "and":
      return node.items.every((item) => evalPatternNode(item, root));
    case "or":
      return node.items.some((item) => evalPatternNode(item, root));
    case "compare":
      return evalCompare(node, root);
    case "is": {
      const reached = select(root, node.selector);
      return node.test === "NULL" ? reached === null : reached === (node.test === "TRUE");
    }
    case "notExists":
      return select(root, node.selector) === absent;
  }
}

/** Does the pattern match this log event (already parsed JSON)? */
export function patternMatches(pattern: JsonPattern, event: JsonValue): boolean {
  return evalPatternNode(pattern.body, event);
}
