// Reading and comparing JSON values under the language's rules (section 3 of the spec).
import type { JsonValue } from "../syntax/ast.js";
import type { IrPath, IrValue } from "../ir/types.js";

/** Follow a path exactly: a name never looks inside an array, an index only into arrays. */
export function resolvePath(root: JsonValue | undefined, path: IrPath): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const segment of path.segments) {
    if (current === null || current === undefined) return undefined;
    if (typeof segment === "number") {
      if (!Array.isArray(current) || segment >= current.length) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== "object" || Array.isArray(current) || !Object.hasOwn(current, segment))
        return undefined;
      current = current[segment];
    }
  }
  return current === null ? undefined : current;
}

export function isScalar(value: JsonValue | undefined): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** The case folding `nocase` uses everywhere (and that backends must reproduce). */
export function foldCase(s: string): string {
  return s.toLowerCase();
}

/** Typed equality: "5" never equals 5. */
export function scalarEquals(
  actual: JsonValue | undefined,
  expected: IrValue,
  nocase: boolean,
): boolean {
  switch (expected.type) {
    case "string":
      if (typeof actual !== "string") return false;
      return nocase ? foldCase(actual) === foldCase(expected.value) : actual === expected.value;
    case "number":
      return typeof actual === "number" && actual === expected.value;
    case "boolean":
      return typeof actual === "boolean" && actual === expected.value;
  }
}

/** Compare strings by code point (as Python and most targets do), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const dx = x.value.codePointAt(0)!;
    const dy = y.value.codePointAt(0)!;
    if (dx !== dy) return dx < dy ? -1 : 1;
  }
}

/** lt/le/gt/ge: numbers with numbers, strings with strings; anything else is false. */
export function orderCompare(actual: JsonValue | undefined, expected: IrValue): number | undefined {
  if (expected.type === "number" && typeof actual === "number")
    return actual === expected.value ? 0 : actual < expected.value ? -1 : 1;
  if (expected.type === "string" && typeof actual === "string")
    return compareCodePoints(actual, expected.value);
  return undefined;
}

export function isEmptyValue(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}
