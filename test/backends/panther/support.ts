// Shared by the Panther tests: compile projects, run generated Python through harness.py (one
// python3 process per batch), and build random events shaped by a rule's IR.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { pantherBackend } from "../../../src/backends/panther/index.js";
import type { BackendContext, CompiledRule } from "../../../src/backends/types.js";
import { foldCase } from "../../../src/eval/values.js";
import type { IrNode, IrPath, IrValue } from "../../../src/ir/types.js";
import type { Project } from "../../../src/project/project.js";
import { compileWith, repoRoot, type CompiledEntry } from "../../support/backend.js";
import type { JsonValue } from "../../../src/syntax/ast.js";

export const here = path.dirname(fileURLToPath(import.meta.url));

export { contextFor, repoRoot, type CompiledEntry } from "../../support/backend.js";

/** Load `paths` (relative to the repository, or `cwd`) and compile every rule that has IR with this target. */
export function compileProject(
  paths: string[],
  options: Record<string, unknown> = {},
  cwd?: string,
): { project: Project; entries: CompiledEntry[] } {
  return compileWith(pantherBackend, paths, options, cwd);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export interface HarnessCase {
  module: string;
  event: JsonValue;
  mocks?: Array<{ objectName: string; returnValue: string }>;
  extras?: boolean;
}

export interface HarnessResult {
  result?: boolean | string;
  bool?: boolean;
  error?: string;
}

/** Run every case in one python3 process. */
export function runHarness(
  modules: Record<string, string>,
  cases: HarnessCase[],
  workDir: string,
): HarnessResult[] {
  const specPath = path.join(workDir, "spec.json");
  writeFileSync(specPath, JSON.stringify({ modules, cases }));
  const run = spawnSync("python3", [path.join(here, "harness.py"), specPath], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`harness failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as HarnessResult[];
}

/** Write each entry's .py under `dir` (one sub-folder per entry: stems may repeat); module key → path. */
export function writeModules(
  dir: string,
  entries: CompiledEntry[],
  keyOf: (entry: CompiledEntry, i: number) => string,
): Record<string, string> {
  const modules: Record<string, string> = {};
  entries.forEach((entry, i) => {
    const py = entry.result.files.find((f) => f.path.endsWith(".py"));
    if (!py) return;
    const file = path.join(dir, String(i), py.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, py.content);
    modules[keyOf(entry, i)] = file;
  });
  return modules;
}

// ---------------------------------------------------------------------------------------------
// Random events shaped by a rule's IR: every path the condition reads exists with some
// probability, holding values near the ones the rule tests (case variants, other types, null,
// arrays, objects), with wrong-case twins of keys to catch case-insensitive lookups.

interface Shape {
  keys: Map<string | number, Shape>;
  element: Shape | undefined;
  values: JsonValue[];
  strings: Array<fc.Arbitrary<string>>;
}

const newShape = (): Shape => ({ keys: new Map(), element: undefined, values: [], strings: [] });

const trickyChars = [
  ..."abcxyzkKsSiI_1/ .-",
  "\u212a",
  "\u017f",
  "\u0131",
  "\u0130",
  "\n",
  "\v",
  "\u00a0",
  "\u00e9",
  "\u00c9",
  "\u0663",
  "\u{1F600}",
  "\u00df",
  "\u1e9e",
  "\u03c3",
  "\u03c2",
  "\u03a3",
  "\0",
  "\u2028",
];

function caseVariants(s: string): string[] {
  const swapped = [...s]
    .map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))
    .join("");
  return [s, s.toUpperCase(), s.toLowerCase(), foldCase(s), swapped];
}

function scalarPool(value: IrValue): JsonValue[] {
  switch (value.type) {
    case "string": {
      const s = value.value;
      const n = Number(s);
      return [
        ...caseVariants(s),
        `${s}x`,
        `x${s}`,
        s.slice(1),
        s.slice(0, -1),
        "",
        ...(s !== "" && Number.isFinite(n) ? [n] : []),
      ];
    }
    case "number": {
      const n = value.value;
      return [
        n,
        n + 1,
        n - 1,
        -n,
        n / 2,
        value.text,
        String(n),
        n === 1 ? true : n === 0 ? false : n,
        1e21,
        2 ** 60,
      ];
    }
    case "boolean":
      return [value.value, !value.value, value.value ? 1 : 0, String(value.value)];
  }
}

function addressPool(range: string): JsonValue[] {
  const [address] = range.split("/");
  const v4 = address!.includes(".") && !address!.includes(":");
  const near = v4
    ? [
        address!,
        address!.replace(/\d+$/, "7"),
        address!.replace(/^\d+/, "11"),
        "10.0.0.1",
        "192.168.1.1",
        "010.0.0.1",
        "256.0.0.1",
        "10.0.0",
        "::ffff:10.0.0.1",
      ]
    : [
        address!.replace(/::$/, "::1"),
        address!.replace(/^[0-9a-f]+/, "fe80"),
        "2001:db8::1",
        "fe80::1%eth0",
        "fe80::1%eth0.1",
        "::1",
        "::ffff:1.2.3.4",
        "1:2:3:4:5:6:7:8",
        "1::2::3",
        "2001:DB8::1",
      ];
  return [...near, "AWS Internal", "", "1.2.3.4", "::", "0.0.0.0", 167772161];
}

function regexStrings(pattern: string): fc.Arbitrary<string> {
  const fromPattern = [...pattern.replace(/\\[a-zA-Z]/g, "")].filter((c) => c !== "\\");
  const alphabet = [
    ...new Set([
      ...fromPattern,
      "a",
      "b",
      "1",
      "\n",
      " ",
      "_",
      "K",
      "\u212a",
      "\u0131",
      "\u00e9",
      "\u0663",
      "\u{1F600}",
    ]),
  ];
  return fc.array(fc.constantFrom(...alphabet), { maxLength: 6 }).map((chars) => chars.join(""));
}

function shapeFor(node: IrNode, shape: Shape, listPool: (name: string) => JsonValue[]): void {
  const at = (p: IrPath): Shape => {
    if (p.self) return shape;
    let s = shape;
    for (const segment of p.segments) {
      let next = s.keys.get(segment);
      if (!next) s.keys.set(segment, (next = newShape()));
      s = next;
    }
    return s;
  };
  switch (node.kind) {
    case "const":
      return;
    case "and":
    case "or":
      node.items.forEach((item) => shapeFor(item, shape, listPool));
      return;
    case "quantified": {
      const s = at(node.path);
      s.element ??= newShape();
      shapeFor(node.body, s.element, listPool);
      return;
    }
    case "compare":
    case "order":
      at(node.path).values.push(...scalarPool(node.value));
      return;
    case "set":
      at(node.path).values.push(
        ...(node.list.kind === "values"
          ? node.list.values.flatMap(scalarPool)
          : listPool(node.list.name)),
      );
      return;
    case "string":
      at(node.path).values.push(
        ...scalarPool({ type: "string", value: node.value }).flatMap((v): JsonValue[] =>
          typeof v === "string" ? [v, `${v}${node.value}`, `${node.value}${v}`] : [v],
        ),
      );
      return;
    case "matches":
      // The pattern's text without regex syntax often matches it: "^a.c$" → "a.c", "\\Qa.b\\E" → "a.b".
      at(node.path).values.push(
        ...caseVariants(node.pattern.replace(/\\[QEAz]|[\^$]/g, "").replace(/\\(.)/g, "$1")),
      );
      at(node.path).strings.push(regexStrings(node.pattern));
      return;
    case "cidr":
      at(node.path).values.push(...addressPool(node.range));
      return;
    case "presence":
      at(node.path).values.push("", "x");
      return;
  }
}

const generic: JsonValue[] = [
  null,
  "",
  0,
  1,
  true,
  false,
  [],
  {},
  "AWS Internal",
  1.5,
  "1",
  -1.7976931348623157e308,
];

function valueArb(
  shape: Shape,
  depth: number,
  strings: fc.Arbitrary<string>,
): fc.Arbitrary<JsonValue> {
  const options: Array<{ weight: number; arbitrary: fc.Arbitrary<JsonValue> }> = [];
  if (shape.values.length) options.push({ weight: 6, arbitrary: fc.constantFrom(...shape.values) });
  if (shape.strings.length) options.push({ weight: 6, arbitrary: fc.oneof(...shape.strings) });
  options.push({ weight: 2, arbitrary: fc.constantFrom(...generic) });
  options.push({ weight: 1, arbitrary: strings });
  if (depth < 5) {
    const named = [...shape.keys].filter(([k]) => typeof k === "string") as Array<[string, Shape]>;
    const indexed = [...shape.keys].filter(([k]) => typeof k === "number") as Array<
      [number, Shape]
    >;
    if (named.length) options.push({ weight: 8, arbitrary: objectArb(named, depth, strings) });
    if (indexed.length) {
      const length = Math.max(...indexed.map(([i]) => i)) + 2;
      const slots = Array.from({ length }, (_, i) => {
        const s = shape.keys.get(i);
        return s ? valueArb(s, depth + 1, strings) : fc.constantFrom(...generic);
      });
      options.push({
        weight: 8,
        arbitrary: fc
          .tuple(...slots)
          .chain((items) => fc.integer({ min: 0, max: length }).map((n) => items.slice(0, n))),
      });
    }
    if (shape.element) {
      const element = shape.element;
      options.push({
        weight: 8,
        arbitrary: fc.array(
          fc.oneof(valueArb(element, depth + 1, strings), fc.constantFrom(...generic)),
          { maxLength: 4 },
        ),
      });
      if (shape.values.length)
        options.push({
          weight: 1,
          arbitrary: fc.array(fc.constantFrom(...shape.values), { maxLength: 3 }),
        });
    }
  }
  return fc.oneof(...options);
}

function wrongCase(key: string): string {
  const swapped = key === key.toLowerCase() ? key.toUpperCase() : key.toLowerCase();
  return swapped === key ? `${key}_` : swapped;
}

function objectArb(
  named: Array<[string, Shape]>,
  depth: number,
  strings: fc.Arbitrary<string>,
): fc.Arbitrary<JsonValue> {
  const entries = named.map(([key, shape]) =>
    fc
      .tuple(
        fc.constantFrom(
          "present",
          "present",
          "present",
          "present",
          "present",
          "present",
          "missing",
          "wrong-case",
          "both",
        ),
        valueArb(shape, depth + 1, strings),
        valueArb(shape, depth + 1, strings),
      )
      .map(([mode, value, other]) => ({ key, mode, value, other })),
  );
  return fc.tuple(...entries).map((chosen) => {
    const out: { [key: string]: JsonValue } = {};
    for (const { key, mode, value, other } of chosen) {
      if (mode === "present" || mode === "both") out[key] = value;
      if (mode === "wrong-case" || mode === "both") out[wrongCase(key)] = other;
    }
    return out;
  });
}

export interface GeneratedCase {
  event: { [key: string]: JsonValue };
  lists: Map<string, IrValue[]>;
}

function toIrValue(v: JsonValue): IrValue | undefined {
  if (typeof v === "string") return { type: "string", value: v };
  if (typeof v === "number") return { type: "number", value: v, text: JSON.stringify(v) };
  if (typeof v === "boolean") return { type: "boolean", value: v };
  return undefined;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shapeValues(shape: Shape, out: JsonValue[] = []): JsonValue[] {
  out.push(...shape.values);
  shape.keys.forEach((child) => shapeValues(child, out));
  if (shape.element) shapeValues(shape.element, out);
  return out;
}

/** An event one to three small edits away from `event`: near the boundaries the rule's tests chose. */
function mutate(
  event: { [key: string]: JsonValue },
  rng: () => number,
  pool: JsonValue[],
): { [key: string]: JsonValue } {
  const copy = structuredClone(event);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  for (let edits = 1 + Math.floor(rng() * 3); edits > 0; edits--) {
    const slots: Array<[JsonValue[] | { [key: string]: JsonValue }, string | number]> = [];
    const walk = (value: JsonValue) => {
      if (Array.isArray(value)) value.forEach((v, i) => (slots.push([value, i]), walk(v)));
      else if (value !== null && typeof value === "object")
        Object.entries(value).forEach(([k, v]) => (slots.push([value, k]), walk(v)));
    };
    walk(copy);
    if (slots.length === 0) return copy;
    const [parent, key] = pick(slots);
    const current = (parent as Record<string | number, JsonValue>)[key]!;
    const set = (v: JsonValue) => ((parent as Record<string | number, JsonValue>)[key] = v);
    switch (Math.floor(rng() * 7)) {
      case 0:
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
        break;
      case 1:
        set(null);
        break;
      case 2:
        set(pick([...generic, ...pool]));
        break;
      case 3:
        if (!Array.isArray(parent) && typeof key === "string") {
          delete parent[key];
          parent[wrongCase(key)] = current;
        }
        break;
      case 4:
        set(
          typeof current === "string"
            ? pick(caseVariants(current))
            : typeof current === "number"
              ? String(current)
              : current,
        );
        break;
      case 5:
        set([current]);
        break;
      case 6:
        set(Array.isArray(current) ? (current[0] ?? null) : pick(pool.length ? pool : generic));
        break;
    }
  }
  return copy;
}

/**
 * `count` cases (deterministic for a seed): events shaped by the condition, and (when the rule has
 * tests) edits of its test events; values for the named lists the rule uses.
 */
export function randomCases(
  node: IrNode,
  listNamesUsed: readonly string[],
  defaults: ReadonlyMap<string, readonly IrValue[]>,
  count: number,
  seed: number,
  seedEvents: ReadonlyArray<{ [key: string]: JsonValue }> = [],
): GeneratedCase[] {
  const root = newShape();
  const listPool = (name: string): JsonValue[] => {
    const base = (defaults.get(name) ?? []).map((v) => v.value as JsonValue);
    return [
      ...base,
      ...base.flatMap((v) => (typeof v === "string" ? caseVariants(v) : [])),
      "bob",
      "123456789012",
      1,
      true,
      "1",
    ];
  };
  shapeFor(node, root, listPool);
  const stringArb = fc.constantFrom(...trickyChars);
  const named = [...root.keys].filter(([k]) => typeof k === "string") as Array<[string, Shape]>;
  const eventArb = named.length
    ? (objectArb(named, 0, stringArb) as fc.Arbitrary<{ [key: string]: JsonValue }>)
    : fc.constant({});
  const listsArb = fc.tuple(
    ...listNamesUsed.map((name) =>
      fc
        .subarray(listPool(name))
        .map(
          (values) =>
            [name, values.map(toIrValue).filter((v): v is IrValue => !!v)] as [string, IrValue[]],
        ),
    ),
  );
  const shaped = seedEvents.length ? Math.ceil(count / 2) : count;
  const cases = fc
    .sample(fc.tuple(eventArb, listsArb), { numRuns: count, seed })
    .map(([event, lists]) => ({ event, lists: new Map(lists) }));
  const rng = mulberry32(seed);
  const pool = shapeValues(root);
  for (let i = shaped; i < count; i++)
    cases[i] = {
      event: mutate(seedEvents[i % seedEvents.length]!, rng, pool),
      lists: cases[i]!.lists,
    };
  return cases;
}
