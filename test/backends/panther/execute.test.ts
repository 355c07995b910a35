// The generated Python, run by python3 on a stand-in for Panther's event object, must agree with the
// reference evaluator on every event: the rules' own tests, and random events shaped by each rule.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { listJson, listNames } from "../../../src/backends/panther/renderer.js";
import { evalNode } from "../../../src/eval/evaluate.js";
import type { IrValue } from "../../../src/ir/types.js";
import { listValuesFor } from "../../../src/project/project.js";
import type { JsonValue } from "../../../src/syntax/ast.js";
import { listsForTest } from "../../../src/testing/run.js";
import {
  compileProject,
  randomCases,
  repoRoot,
  runHarness,
  tempDir,
  writeModules,
  type CompiledEntry,
  type HarnessCase,
  type HarnessResult,
} from "./support.js";

/** Conditions that stress the semantics: each becomes its own rule (random events per rule). */
const stressConditions = [
  // typed values; booleans are not 1; ne is true on null
  `n eq 1`,
  `n ne 1`,
  `n eq 1.5`,
  `n eq 12345678901234567890`,
  `n eq 1e3`,
  `n eq -0`,
  `n gt 1e308 or n lt -1.5e308`,
  `b eq true`,
  `b ne false`,
  `s eq "1"`,
  `s ne "abc"`,
  `n in [1, 2.5, 3]`,
  `v in [true, 1, "1"]`,
  `v not_in [false, 0, "0"]`,
  `v in $mixed`,
  `v not_in $mixed nocase`,
  `v in $org_accounts and w not_in $org_accounts`,
  // nocase folds like JavaScript's toLowerCase
  `s in ["a", "B", "ß"] nocase`,
  `s not_in ["x", "Y"]`,
  `s eq "İstanbul" nocase`,
  `s eq "ΣΑΣ" nocase or t ne "straße" nocase`,
  `s eq "K" nocase`,
  // ordered comparisons: numbers with numbers, strings with strings (by code point)
  `n lt 10 and m ge 2.5`,
  `not (n gt 3)`,
  `s lt "m" or t ge "é"`,
  `not (s le "b")`,
  `s gt "\u{1F600}" or s lt "\uFFFF"`,
  // string operators only on strings
  `s contains "ab" or t contains "AB" nocase`,
  `s starts_with "pre" and not (t ends_with "ß" nocase)`,
  `not (s contains "")`,
  `s starts_with "İ" nocase or s ends_with "Σ" nocase`,
  // constants folded by the lowering
  `n in []`,
  `n not_in [] or n eq 1`,
  // presence
  `x is_null`,
  `x is_not_null and y is_empty`,
  `x is_not_empty or x.y is_null`,
  `x[0] is_not_null and x[1].y eq "a"`,
  `"any"."all" eq 1 and requestParameters."x-amz-acl" eq "public-read"`,
  // arrays, @, nesting
  `any xs (@ eq "a")`,
  `all xs (@ starts_with "i-")`,
  `any xs (y eq 1 and z eq 2)`,
  `not any xs (@ is_null)`,
  `any xs (ys[0] eq 1 or ys is_empty)`,
  `all xs (any ys (@ in $mixed))`,
  `any xs (all ys (@ gt 0))`,
  `any xs (y.z[0] eq "q" or @ is_empty)`,
  `all xs (not (y eq 1) or any ys (@ eq "y"))`,
  // cidr
  `ip cidr "10.0.0.0/8"`,
  `ip cidr "10.1.2.3/8" or ip cidr "1.2.3.4/32"`,
  `not (ip cidr "192.168.0.0/16")`,
  `ip cidr "2001:db8::/32"`,
  `ip cidr "::ffff:0:0/96" or ip cidr "fe80::/10"`,
  `ip cidr "0.0.0.0/0" and not (ip cidr "::/0")`,
  `any ips (@ cidr "fe80::/10" or @ cidr "10.0.0.0/8")`,
  // regexes: RE2 semantics, translated
  `s matches /^a.c$/`,
  `s matches /\\d+/ or t matches /\\w\\s\\w/`,
  `s matches /\\bfoo\\b/ or t matches /\\Bx/`,
  `s matches /(?i)k/ or t matches /(?i)[a-z]s/`,
  `s matches /straße/ nocase`,
  `s matches /a$/ or t matches /a\\z/`,
  `s matches /(?m)^b$/ or t matches /(?s)a.b/`,
  `s matches /(?U)a+b/ and t matches /x*?/`,
  `s matches /\\Qa.b\\E/`,
  `s matches /[[:alpha:]]+[[:^digit:]]/`,
  `s matches /\\x{1F600}|\\x41|\\101\\0/`,
  `s matches /(?P<n>x)|(?<m>y)z/`,
  `s matches /a{,3}/ or t matches /^*a/`,
  `s matches /[^a-z]/ nocase`,
  `s matches /\\/\\./`,
  `s matches /[\\d\\-_]{2,}/`,
  `not (s matches /i/ nocase)`,
  `s matches /[\\W]/ nocase or t matches /\\S\\D/`,
  `s matches /ı/ nocase or t matches /σ/ nocase`,
  `s matches /a(?i)b|c/ or t matches /(a(?i)b)c/`,
  `s matches /[^\\n]+$/ or t matches /^$/`,
];

const stressLists = `
list mixed "values of several types" = ["1", 1, true, "İ", "b"]
list org_accounts "accounts" = ["123456789012"]
`;

function stressRule(i: number, condition: string): string {
  return `rule "Stress.Rule${i}" {
  title     "Stress ${i}"
  severity  low
  logsource aws.cloudtrail
  output    s, n, xs
  condition
    ${condition}
}
`;
}

interface Mismatch {
  rule: string;
  test: string;
  event: JsonValue;
  lists: Record<string, IrValue[]>;
  expected: boolean;
  got: HarnessResult;
}

const all: Array<{
  entry: CompiledEntry;
  kind: "test" | "random";
  name: string;
  event: JsonValue;
  lists: ReadonlyMap<string, readonly IrValue[]>;
  case: HarnessCase;
}> = [];
let results: HarnessResult[] = [];
let entries: CompiledEntry[] = [];
let exampleFiles: string[] = [];

beforeAll(() => {
  const work = tempDir("detc-panther-exec-");

  // The seed rules, each conformance example on its own, and the stress rules.
  const groups: CompiledEntry[][] = [compileProject(["rules"]).entries];
  const examplesDir = path.join(repoRoot, "grammar/examples/valid");
  exampleFiles = readdirSync(examplesDir)
    .filter((f) => f.endsWith(".det"))
    .sort();
  for (const file of exampleFiles)
    groups.push(compileProject([path.join("grammar/examples/valid", file)]).entries);
  const stressRoot = path.join(work, "stress", "rules");
  mkdirSync(stressRoot, { recursive: true });
  writeFileSync(path.join(stressRoot, "lists.det"), stressLists);
  stressConditions.forEach((condition, i) =>
    writeFileSync(
      path.join(stressRoot, `stress_${String(i).padStart(3, "0")}.det`),
      stressRule(i, condition),
    ),
  );
  groups.push(compileProject([stressRoot]).entries);
  entries = groups.flat();

  const modules = writeModules(path.join(work, "py"), entries, (_, i) => `m${i}`);
  entries.forEach((entry, i) => {
    const key = `m${i}`;
    if (!modules[key]) return;
    const ir = entry.rule.ir!;
    const base = entry.ctx.listValues;
    // The rule's own tests, with the Mocks the generated YAML gives Panther.
    const yml = parseYaml(entry.result.files.find((f) => f.path.endsWith(".yml"))!.content) as {
      Tests?: Array<{ Name: string; Mocks?: HarnessCase["mocks"] }>;
    };
    const mocksByTest = new Map((yml.Tests ?? []).map((t) => [t.Name, t.Mocks ?? []]));
    for (const test of entry.rule.decl.tests) {
      if (!test.event) continue;
      all.push({
        entry,
        kind: "test",
        name: test.name,
        event: test.event,
        lists: listsForTest(test, base),
        case: { module: key, event: test.event, mocks: mocksByTest.get(test.name), extras: true },
      });
    }
    // Random events; list values vary too (through mocks, as a Panther test would).
    const testEvents = entry.rule.decl.tests.flatMap((t) => (t.event ? [t.event] : []));
    const names = listNames(ir.lists);
    const seed = 1000 + i;
    for (const [n, generated] of randomCases(
      ir.condition,
      ir.lists,
      base,
      120,
      seed,
      testEvents,
    ).entries()) {
      const lists = new Map<string, readonly IrValue[]>(base);
      generated.lists.forEach((values, name) => lists.set(name, values));
      const mocks = [...generated.lists].map(([name, values]) => ({
        objectName: names.get(name)!.fn,
        returnValue: listJson(values),
      }));
      all.push({
        entry,
        kind: "random",
        name: `random #${n}`,
        event: generated.event,
        lists,
        case: { module: key, event: generated.event, mocks, extras: n < 3 },
      });
    }
  });
  results = runHarness(
    modules,
    all.map((c) => c.case),
    work,
  );
});

function mismatches(kind: "test" | "random"): Mismatch[] {
  const out: Mismatch[] = [];
  all.forEach((c, i) => {
    if (c.kind !== kind) return;
    const expected = evalNode(c.entry.rule.ir!.condition, { root: c.event, lists: c.lists }).result;
    const got = results[i]!;
    if (got.error !== undefined || got.bool !== true || got.result !== expected) {
      out.push({
        rule: c.entry.rule.decl.id,
        test: c.name,
        event: c.event,
        lists: Object.fromEntries(c.lists) as Record<string, IrValue[]>,
        expected,
        got,
      });
    }
  });
  return out;
}

describe("panther: generated Python runs like the evaluator", () => {
  it("compiles every seed rule, conformance example and stress rule", () => {
    expect(exampleFiles.length).toBeGreaterThan(0);
    const failed = entries
      .filter((e) => e.result.files.length !== 2)
      .map((e) => ({ id: e.rule.decl.id, notes: e.result.notes }));
    expect(failed).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(2 + stressConditions.length);
  });

  it("agrees with the evaluator on every rule test (bindings applied as Panther Mocks)", () => {
    expect(all.filter((c) => c.kind === "test").length).toBeGreaterThan(10);
    expect(mismatches("test")).toEqual([]);
  });

  it("agrees with the evaluator on random events (missing, null, wrong types, arrays, wrong-case keys)", () => {
    expect(all.filter((c) => c.kind === "random").length).toBeGreaterThan(1000);
    expect(mismatches("random").slice(0, 5)).toEqual([]);
  });

  it("rule() returns a real bool, and title() and alert_context() run on every test event", () => {
    const broken = all.flatMap((c, i) =>
      results[i]!.error !== undefined || results[i]!.bool !== true
        ? [{ rule: c.entry.rule.decl.id, test: c.name, got: results[i] }]
        : [],
    );
    expect(broken.slice(0, 5)).toEqual([]);
  });

  // ipaddr.js alone reads "::1.2.3.4" as ::ffff:1.2.3.4 and accepts 01/0x octets in an embedded IPv4
  // address; src/eval/cidr.ts reads them as RFC 4291 and Python's ipaddress do, and so must Panther.
  it("IPv6 texts with an embedded IPv4 address: the evaluator and Python agree", () => {
    const dir = tempDir("detc-panther-cidr-");
    const rules = path.join(dir, "rules");
    mkdirSync(rules);
    writeFileSync(path.join(rules, "cidr.det"), stressRule(0, `ip cidr "::ffff:0:0/96"`));
    const entry = compileProject([rules]).entries[0]!;
    const modules = writeModules(path.join(dir, "py"), [entry], () => "cidr");
    const texts = [
      "::1.2.3.4",
      "::ffff:01.2.3.4",
      "::ffff:0x1.2.3.4",
      "::ffff:1.2.3.4",
      "::ffff:1.2.3.04",
      "::ffff:255.255.255.255",
    ];
    const python = runHarness(
      modules,
      texts.map((ip) => ({ module: "cidr", event: { ip } })),
      dir,
    ).map((r) => r.result);
    const evaluator = texts.map(
      (ip) => evalNode(entry.rule.ir!.condition, { root: { ip }, lists: new Map() }).result,
    );
    expect(python).toEqual([false, false, false, true, false, true]);
    expect(evaluator).toEqual(python);
  });
});
