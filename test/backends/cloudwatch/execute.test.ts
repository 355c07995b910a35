// Every generated filter pattern, run by the project's pattern evaluator, against the reference
// evaluator: on every rule's test events and on many generated and mutated events. An `exact`
// translation must agree everywhere; a `narrower` one may only miss; a `broader` one may only add.
import { describe, expect, it } from "vitest";
import { patternMatches } from "../../../src/backends/cloudwatch/pattern/evaluate.js";
import { parsePattern } from "../../../src/backends/cloudwatch/pattern/parse.js";
import { printPattern } from "../../../src/backends/cloudwatch/pattern/print.js";
import type { JsonPattern } from "../../../src/backends/cloudwatch/pattern/ast.js";
import { renderPattern } from "../../../src/backends/cloudwatch/renderer.js";
import { overallFidelity, type Fidelity } from "../../../src/backends/types.js";
import { matches } from "../../../src/eval/evaluate.js";
import type { IrNode, IrValue } from "../../../src/ir/types.js";
import type { LoadedRule } from "../../../src/project/project.js";
import type { JsonValue } from "../../../src/syntax/ast.js";
import { listsForTest } from "../../../src/testing/run.js";
import { randomCases } from "../panther/support.js";
import { compileCorpus, compileText, keepsPromise, ruleText } from "./support.js";

/** Conditions that stress each translation (each becomes its own rule, with its own random events). */
const stressConditions = [
  `s eq "abc"`,
  `s ne "abc"`,
  `s eq "5" or t eq "true"`,
  `s ne "5"`,
  `s eq ""`,
  `s eq "a*b"`,
  `s eq "a\\"b" or t eq "x"`,
  `s eq "%x%"`,
  `s eq "\${x}" and t eq "%{y}"`,
  `s eq "é\u{1F600}"`,
  `n eq 1`,
  `n ne 1`,
  `n eq 1.5 or n eq -0`,
  `n eq 12345678901234567890`,
  `b eq true`,
  `b ne false`,
  `n lt 10`,
  `not (n ge 2.5)`,
  `n gt 3 and m le 4`,
  `s in ["a", "b", "c"]`,
  `s not_in ["a", "b"]`,
  `v in ["1", 1, true]`,
  `v not_in ["x", 2, false]`,
  `v in $mixed`,
  `v not_in $mixed`,
  `s in []`,
  `s starts_with "pre"`,
  `s ends_with "fix"`,
  `not (s starts_with "pre")`,
  `s contains "mid"`,
  `not (s contains "mid")`,
  `s starts_with "a*"`,
  `s contains ""`,
  `s starts_with "1"`,
  `s eq "abc" nocase`,
  `s eq "k" nocase`,
  `s contains "ki" nocase`,
  `s starts_with "X-Y" nocase`,
  `not (s ends_with "Ab" nocase)`,
  `s matches /^a.c$/`,
  `s matches /\\d+/`,
  `not (s matches /^x/)`,
  `ip cidr "10.0.0.0/8"`,
  `ip cidr "192.168.0.0/16" or ip cidr "1.2.3.4/32"`,
  `not (ip cidr "172.16.5.0/24")`,
  `ip cidr "0.0.0.0/0"`,
  `x is_null`,
  `x is_not_null`,
  `x is_empty`,
  `x is_not_empty`,
  `x.y is_null and x[0] is_null`,
  `x[1].y eq "a" or x[0] is_not_null`,
  `any xs (@ eq "a")`,
  `all xs (@ starts_with "i-")`,
  `any xs (y eq 1 and z eq "2")`,
  `not any xs (@ is_null)`,
  `all xs (y ne "a")`,
  `any xs (all ys (@ eq "y"))`,
  `all xs (any ys (@ in ["p", "q"]))`,
  `any xs (ys[0] eq "a" or ys is_empty)`,
  `any ips (@ cidr "10.0.0.0/8")`,
  `(s eq "a" or t eq "b") and (u eq "c" or not (v eq "d"))`,
];

const stressLists = `list mixed "values of several types" = ["1", 1, true, "b"]\n`;

interface Tally {
  checked: Record<Fidelity, number>;
  mismatches: Array<{
    rule: string;
    pattern: string;
    fidelity: Fidelity;
    event: JsonValue;
    rule_: boolean;
    pattern_: boolean;
  }>;
}

function listKey(lists: ReadonlyMap<string, readonly IrValue[]>, used: readonly string[]): string {
  return JSON.stringify(used.map((name) => lists.get(name) ?? []));
}

/** Render (and read back) once per distinct list values; check one event. */
function checker(rule: LoadedRule, tally: Tally) {
  type Entry = { text: string; pattern: JsonPattern; fidelity: Fidelity } | undefined;
  const cache = new Map<string, Entry>();
  const condition = rule.ir!.condition;
  const prepare = (lists: ReadonlyMap<string, readonly IrValue[]>): Entry => {
    const result = renderPattern(condition, { arrayIndexes: 5, listValues: lists });
    const fidelity = overallFidelity(result.notes);
    if (!result.ok || fidelity === "unsupported") return undefined;
    const parsed = parsePattern(result.text);
    if (!parsed.ok)
      throw new Error(
        `${rule.decl.id}: generated pattern does not parse: ${parsed.error.message}\n${result.text}`,
      );
    // the text read back is the tree the renderer built
    expect(printPattern(parsed.pattern)).toBe(result.text);
    expect(parsed.pattern).toEqual(result.pattern);
    return { text: result.text, pattern: parsed.pattern, fidelity };
  };
  return (event: JsonValue, lists: ReadonlyMap<string, readonly IrValue[]>) => {
    const key = listKey(lists, rule.ir!.lists);
    if (!cache.has(key)) cache.set(key, prepare(lists));
    const entry = cache.get(key);
    if (!entry) return;
    const byRule = matches(condition, event, lists);
    const byPattern = patternMatches(entry.pattern, event);
    tally.checked[entry.fidelity]++;
    if (!keepsPromise(entry.fidelity, byRule, byPattern) && tally.mismatches.length < 20)
      tally.mismatches.push({
        rule: rule.decl.id,
        pattern: entry.text,
        fidelity: entry.fidelity,
        event,
        rule_: byRule,
        pattern_: byPattern,
      });
  };
}

/** Values at the edges of the translations: case folding, number text, wildcards, empties, containers. */
const edgeValues: JsonValue[] = [
  "\u212a",
  "\u212aI",
  "\u0130",
  "x\u0130",
  "\u017f",
  "K",
  "k",
  "ki",
  "KI",
  "abc",
  "ABC",
  "a*b",
  "axb",
  "*",
  "",
  " ",
  "5",
  "5.0",
  "-0",
  "1e3",
  "true",
  "false",
  "null",
  5,
  15,
  1.5,
  -0,
  0,
  1,
  2.5,
  3,
  10,
  true,
  false,
  null,
  [],
  {},
  [""],
  ["a"],
  { a: 1 },
  "10.1.2.3",
  "10.abc",
  "192.168.1.1",
  "1.2.3.4",
  "172.16.5.9",
  "010.0.0.1",
  "pre",
  "prefix",
  "fix",
  "mid",
  "amid",
  '"',
  "%x%",
  "\${x}",
  "%{y}",
  'a"b',
  "é\u{1F600}",
];

/** Every absolute path the condition reads (quantified arrays at indexes 0 and 1). */
function pathsOf(
  node: IrNode,
  prefix: Array<string | number>,
  out: Array<Array<string | number>>,
): void {
  const at = (p: { segments: Array<string | number>; self: boolean }) =>
    p.self ? prefix : [...prefix, ...p.segments];
  switch (node.kind) {
    case "const":
      return;
    case "and":
    case "or":
      node.items.forEach((i) => pathsOf(i, prefix, out));
      return;
    case "quantified":
      out.push(at(node.path));
      for (const i of [0, 1]) pathsOf(node.body, [...at(node.path), i], out);
      return;
    default:
      out.push(at(node.path));
  }
}

function withValue(event: JsonValue, path: Array<string | number>, value: JsonValue): JsonValue {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    const array = Array.isArray(event) ? [...event] : [];
    while (array.length <= head) array.push(null);
    array[head] = withValue(array[head] ?? null, rest, value);
    return array;
  }
  const object =
    event !== null && typeof event === "object" && !Array.isArray(event) ? { ...event } : {};
  object[head!] = withValue(object[head!] ?? null, rest, value);
  return object;
}

/** Events that put each edge value at each path, alone and into each test event. */
function edgeEvents(node: IrNode, seeds: JsonValue[]): JsonValue[] {
  const paths: Array<Array<string | number>> = [];
  pathsOf(node, [], paths);
  const out: JsonValue[] = [];
  for (const seed of [{}, ...seeds])
    for (const p of paths) for (const v of edgeValues) out.push(withValue(seed, p, v));
  return out;
}

function runRule(
  rule: LoadedRule,
  project: ReadonlyMap<string, readonly IrValue[]>,
  tally: Tally,
  randomCount: number,
  seed: number,
): void {
  const check = checker(rule, tally);
  const events: Array<{ [key: string]: JsonValue }> = [];
  for (const test of rule.decl.tests) {
    if (!test.event) continue;
    events.push(test.event);
    check(test.event, listsForTest(test, project));
  }
  for (const event of edgeEvents(rule.ir!.condition, events)) check(event, project);
  for (const c of randomCases(
    rule.ir!.condition,
    rule.ir!.lists,
    project,
    randomCount,
    seed,
    events,
  ))
    check(c.event, c.lists);
}

const emptyTally = (): Tally => ({
  checked: { exact: 0, narrower: 0, broader: 0, unsupported: 0 },
  mismatches: [],
});

describe("generated patterns against the reference evaluator", () => {
  it("every rule in rules/ and grammar/examples/valid: test events and random events", () => {
    const entries = compileCorpus();
    expect(entries.length).toBeGreaterThan(10);
    const tally = emptyTally();
    entries.forEach((entry, i) => {
      // the backend's own files carry the same pattern as the renderer gives for the configured lists
      const direct = renderPattern(entry.rule.ir!.condition, {
        arrayIndexes: 5,
        listValues: entry.ctx.listValues,
      });
      if (direct.ok && entry.result.files.length)
        expect(entry.result.files[0]!.content).toContain(JSON.stringify(direct.text).slice(1, -1));
      runRule(entry.rule, entry.ctx.listValues, tally, 150, 1000 + i);
    });
    if (process.env.DETC_TALLY) console.log(tally.checked);
    expect(tally.mismatches).toEqual([]);
    expect(tally.checked.exact).toBeGreaterThan(1000);
    expect(tally.checked.narrower).toBeGreaterThan(1000);
  });

  it("stress conditions: every translation, with random events shaped by each condition", () => {
    const tally = emptyTally();
    stressConditions.forEach((condition, i) => {
      const entry = compileText(`${stressLists}${ruleText(`Stress.Rule${i}`, condition)}`);
      runRule(entry.rule, entry.ctx.listValues, tally, 300, 7 + i);
    });
    if (process.env.DETC_TALLY) console.log(tally.checked);
    expect(tally.mismatches).toEqual([]);
    expect(tally.checked.exact).toBeGreaterThan(2000);
    expect(tally.checked.narrower).toBeGreaterThan(2000);
    expect(tally.checked.broader).toBeGreaterThan(1000);
  });

  it("the check has teeth: a bare != claimed exact for ne is caught", () => {
    const entry = compileText(ruleText("Teeth.Ne", `s ne "abc"`));
    const wrong = parsePattern('{ $.s != "abc" }');
    if (!wrong.ok) throw new Error(wrong.error.message);
    const condition: IrNode = entry.rule.ir!.condition;
    const found = randomCases(condition, [], new Map(), 200, 3).some(
      (c) =>
        !keepsPromise("exact", matches(condition, c.event), patternMatches(wrong.pattern, c.event)),
    );
    expect(found).toBe(true);
    // and a broader claim for a narrower pattern is caught too
    const narrowerPattern = parsePattern('{ $.s != "abc" || $.s NOT EXISTS || $.s IS NULL }');
    if (!narrowerPattern.ok) throw new Error(narrowerPattern.error.message);
    const wrongDirection = randomCases(condition, [], new Map(), 300, 4).some(
      (c) =>
        !keepsPromise(
          "broader",
          matches(condition, c.event),
          patternMatches(narrowerPattern.pattern, c.event),
        ),
    );
    expect(wrongDirection).toBe(true);
  });
});
