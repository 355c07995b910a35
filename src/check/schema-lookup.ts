// Field paths against the log source's schema: unknown fields (with a suggestion), types, arrays.
import type { PathSegment } from "../syntax/ast.js";
import { pantherField, type FieldType } from "./cloudtrail-schema.js";

export type Resolution =
  | { status: "typed"; type: FieldType }
  | { status: "unknown"; index: number; known: string[] }
  | { status: "through-array"; index: number; type: FieldType };

/** Resolve `segments` from `root`; an index step needs an array, a name step an object. */
export function resolveField(root: FieldType, segments: readonly PathSegment[]): Resolution {
  let type = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (type.kind === "open") return { status: "typed", type };
    if (typeof segment === "number") {
      if (type.kind !== "array") return { status: "typed", type: { kind: "open" } };
      type = type.of;
      continue;
    }
    if (type.kind === "array") return { status: "through-array", index: i, type };
    if (type.kind !== "object") return { status: "unknown", index: i, known: [] };
    const next = type.fields[segment] ?? (i === 0 ? pantherField(segment) : undefined);
    if (!next) return { status: "unknown", index: i, known: Object.keys(type.fields) };
    type = next;
  }
  return { status: "typed", type };
}

/** Damerau-free Levenshtein distance, small strings only. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest name: same letters in another case first, else within a third of the length. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3))
    ? best
    : undefined;
}
