// The generated Sigma, read back by the project's Sigma reader (src/backends/sigma/reader.ts) and
// matched on events, must agree with the reference evaluator: equal for every exact translation,
// and differing only in the reported direction for broader / narrower ones. Events: each rule's
// own tests, and random / mutated events shaped by the rule (the Panther tests' generator).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { plainListValue } from "../../../src/backends/sigma/translate.js";
import { readSigma, sigmaMatches, type SigmaRule } from "../../../src/backends/sigma/reader.js";
import { evalNode } from "../../../src/eval/evaluate.js";
import type { IrValue } from "../../../src/ir/types.js";
import type { JsonValue } from "../../../src/syntax/ast.js";
import { listsForTest } from "../../../src/testing/run.js";
import { randomCases } from "../panther/support.js";
import {
  agrees,
  compileCorpora,
  compileProject,
  compileText,
  placeholdersFor,
  ruleText,
  tempDir,
  toLogsourceShape,
  type CompiledEntry,
} from "./support.js";

/** Conditions that stress Sigma's differences from detc, with the fidelity the backend must report. */
const stress: Array<[string, string]> = [
  // strings: |cased, nocase, escaping of wildcards and backslashes
  [`s eq "abc"`, "exact"],
  [`s eq "ABC" nocase`, "exact"],
  [`s ne "abc"`, "exact"],
  [`s eq "a*b?c\\\\d\\\\*"`, "exact"],
  [`s in ["a", "B", "ß", "İ"] nocase`, "exact"],
  [`s not_in ["x", "Y", "-"]`, "exact"],
  [`s eq "K" nocase or t eq "ΣΑΣ" nocase`, "exact"],
  [`s contains "ab" or t contains "AB" nocase`, "exact"],
  [`s starts_with "pre" and not (t ends_with "ß" nocase)`, "exact"],
  [`s contains "*?" or t starts_with "\\\\"`, "exact"],
  [`not (s contains "")`, "exact"],
  [`s eq "" or t ne ""`, "exact"],
  // typed values: Sigma compares text
  [`s eq "5"`, "broader"],
  [`s ne "true"`, "narrower"],
  [`s eq "TRUE" nocase`, "broader"],
  [`n eq 1`, "broader"],
  [`n ne 1.5`, "narrower"],
  [`b eq true or b eq false`, "broader"],
  [`n in [1, 2, "x"]`, "broader"],
  [`n lt 10 and m ge 2.5`, "broader"],
  [`not (n gt 3)`, "narrower"],
  [`s lt "m"`, "unsupported"],
  // presence
  [`x is_null`, "exact"],
  [`x is_not_null and y is_null`, "exact"],
  [`x is_empty`, "narrower"],
  [`x is_not_empty`, "broader"],
  // paths: documented CloudTrail objects, and others
  [`userIdentity.type eq "Root" and userIdentity.invokedBy is_null`, "exact"],
  [`userIdentity.sessionContext.attributes.mfaAuthenticated ne "true"`, "narrower"],
  [`a.b eq "x"`, "broader"],
  [`a.b ne "x"`, "narrower"],
  [`x[0] eq "a"`, "unsupported"],
  [`requestParameters."x-amz-acl" eq "public-read"`, "exact"],
  [`requestParameters."a.b" eq "x"`, "unsupported"],
  // cidr
  [`ip cidr "10.1.2.3/8"`, "exact"],
  [`not (ip cidr "2001:db8::/32") and ip cidr "0.0.0.0/0"`, "exact"],
  [`ip cidr "::ffff:0:0/96" or ip cidr "fe80::/10"`, "exact"],
  // regexes: Sigma's PCRE subset
  [`s matches /^a.c/`, "exact"],
  [`s matches /a$/`, "broader"],
  [`not (s matches /a$/)`, "narrower"],
  [`s matches /\\d+-\\w\\s/ or t matches /[\\d_]x\\D/`, "exact"],
  [`s matches /k/ nocase or t matches /(?i)ab|cd/`, "exact"],
  [`s matches /(?s)a.b/ or t matches /a.b/`, "exact"],
  [`s matches /[[:alpha:]]x[^\\d_]/`, "exact"],
  [`s matches /a{2,3}b*?c+?/ or t matches /(?U)x+y/`, "exact"],
  [`s matches /\\Qa.b\\E|\\/x/`, "exact"],
  [`s matches /(?P<n>x)y|(?:z)/`, "exact"],
  [`s matches /a{,3}/ or t matches /[]a-]/`, "exact"],
  [`s matches /\\x41\\x{e9}\\t/`, "exact"],
  [`s matches /\\bfoo/`, "unsupported"],
  [`s matches /(?m)^a/`, "unsupported"],
  [`s matches /a(?i)b/`, "unsupported"],
  [`s matches /\\pL/`, "unsupported"],
  // arrays
  [`any xs (y eq "a")`, "broader"],
  [`any xs (y eq "a" or z contains "b")`, "broader"],
  [`any xs (y eq "a" and z eq "b")`, "broader"],
  [`any xs (y eq "a" and z ne "b")`, "broader"],
  [`all xs (y ne "a")`, "narrower"],
  [`all xs (y is_null and z not_in ["q", "r"])`, "narrower"],
  [`not any xs (y eq "a")`, "narrower"],
  [`any xs (any ys (z eq "a"))`, "broader"],
  [`any xs (@ eq "a")`, "unsupported"],
  // named lists
  [`v in $plain and w not_in $plain`, "exact"],
  [`v in $mixed`, "broader"],
];

const stressLists = `
list plain "plain strings" = ["alice", "Bob", "x y"]
list mixed "values of several types" = ["1", 1, true, "a*"]
`;

type Case = {
  entry: CompiledEntry;
  sigma: SigmaRule;
  name: string;
  event: JsonValue;
  lists: ReadonlyMap<string, readonly IrValue[]>;
};

let entries: CompiledEntry[] = [];
let stressEntries: CompiledEntry[] = [];
const cases: Case[] = [];
const unreadable: Array<{ id: string; errors: string[] }> = [];
let reshaped = 0;
let skipped = 0;

beforeAll(() => {
  const stressRoot = path.join(tempDir("detc-sigma-stress-"), "rules");
  mkdirSync(stressRoot);
  writeFileSync(path.join(stressRoot, "lists.det"), stressLists);
  stress.forEach(([condition], i) =>
    writeFileSync(
      path.join(stressRoot, `stress_${String(i).padStart(3, "0")}.det`),
      ruleText(`Stress.Rule${i}`, condition),
    ),
  );
  stressEntries = compileProject([stressRoot]).entries.sort((a, b) =>
    a.rule.outputStem < b.rule.outputStem ? -1 : 1,
  );
  entries = [...compileCorpora(), ...stressEntries];

  entries.forEach((entry, i) => {
    const file = entry.result.files[0];
    if (!file) return;
    const read = readSigma(file.content);
    if (!read.rule) {
      unreadable.push({ id: entry.rule.decl.id, errors: read.errors });
      return;
    }
    const sigma = read.rule;
    const ir = entry.rule.ir!;
    const base = entry.ctx.listValues;
    const add = (
      name: string,
      event: JsonValue,
      lists: ReadonlyMap<string, readonly IrValue[]>,
    ) => {
      // The exact claims hold for records of the log source's documented shape, and for lists of plain strings.
      const plain = ir.lists.every(
        (l) =>
          (lists.get(l) ?? []).every((v) => plainListValue(v, true)) ||
          base.get(l)?.some((v) => !plainListValue(v, true)),
      );
      if (!plain) {
        skipped++;
        return;
      }
      const shaped = toLogsourceShape(entry.rule, event);
      if (shaped !== undefined) reshaped++;
      cases.push({ entry, sigma, name, event: shaped ?? event, lists });
    };
    for (const test of entry.rule.decl.tests)
      if (test.event) add(test.name, test.event, listsForTest(test, base));
    const testEvents = entry.rule.decl.tests.flatMap((t) => (t.event ? [t.event] : []));
    randomCases(ir.condition, ir.lists, base, 60, 2000 + i, testEvents).forEach((generated, n) => {
      const lists = new Map<string, readonly IrValue[]>(base);
      generated.lists.forEach((values, name) => lists.set(name, values));
      add(`random #${n}`, generated.event, lists);
    });
  });
});

function disagreements(kind: "test" | "random") {
  return cases
    .filter((c) => (kind === "random") === c.name.startsWith("random #"))
    .flatMap((c) => {
      const expected = evalNode(c.entry.rule.ir!.condition, {
        root: c.event,
        lists: c.lists,
      }).result;
      const got = sigmaMatches(c.sigma, c.event, placeholdersFor(c.lists));
      return agrees(c.entry.fidelity, expected, got)
        ? []
        : [
            {
              rule: c.entry.rule.decl.id,
              fidelity: c.entry.fidelity,
              test: c.name,
              event: c.event,
              expected,
              got,
              sigma: c.entry.result.files[0]!.content,
            },
          ];
    });
}

describe("sigma: generated rules read back and match like the evaluator", () => {
  it("every generated rule reads back (the subset parses, the condition names defined selections)", () => {
    expect(entries.filter((e) => e.result.files.length).length).toBeGreaterThan(stress.length / 2);
    expect(unreadable).toEqual([]);
  });

  it("reports the expected fidelity for each stress condition", () => {
    const got = stressEntries.map((e, i) => [
      stress[i]![0],
      e.fidelity,
      e.result.notes.map((n) => n.reason),
    ]);
    const wrong = got
      .filter(([, fidelity], i) => fidelity !== stress[i]![1])
      .map(([c, f, r]) => ({
        condition: c,
        expected: stress[got.findIndex((g) => g[0] === c)]![1],
        got: f,
        reasons: r,
      }));
    expect(wrong).toEqual([]);
    // no file exactly when unsupported
    for (const e of stressEntries)
      expect(e.result.files.length === 0).toBe(e.fidelity === "unsupported");
  });

  it("agrees with the evaluator on every rule test (exact: equal; broader/narrower: only that way)", () => {
    expect(cases.filter((c) => !c.name.startsWith("random #")).length).toBeGreaterThan(10);
    expect(disagreements("test").slice(0, 3)).toEqual([]);
  });

  it("agrees on random and mutated events (null, wrong types, arrays, wrong-case keys and values)", () => {
    expect(cases.filter((c) => c.name.startsWith("random #")).length).toBeGreaterThan(2000);
    // Events reshaped to the documented record shape, or skipped for list values that are not plain strings.
    expect(reshaped + skipped).toBeLessThan(cases.length / 3);
    expect(disagreements("random").slice(0, 3)).toEqual([]);
  });

  // Each approximation, on an event where it shows (evaluator → Sigma): the notes are not decoration.
  it.each([
    [`s eq "5"`, { s: 5 }, false, true],
    [`n eq 1`, { n: "1" }, false, true],
    [`b eq true or b eq false`, { b: "TRUE" }, false, true],
    [`n lt 10 and m ge 2.5`, { n: "5", m: 3 }, false, true],
    [`not (n gt 3)`, { n: "4" }, true, false],
    [`a.b eq "x"`, { a: [{ b: "x" }] }, false, true],
    [`a.b ne "x"`, { a: [{ b: "x" }] }, true, false],
    [`x is_empty`, { x: [] }, true, false],
    [`x is_not_empty`, { x: {} }, false, true],
    [`s matches /a$/`, { s: "a\n" }, false, true],
    [`not (s matches /a$/)`, { s: "a\n" }, true, false],
    [`any xs (y eq "a")`, { xs: { y: "a" } }, false, true],
    [`any xs (y eq "a" and z eq "b")`, { xs: [{ y: "a" }, { z: "b" }] }, false, true],
    [`any xs (y eq "a" and z ne "b")`, { xs: [{ y: "a", z: "b" }] }, false, true],
    [`all xs (y ne "a")`, { xs: { y: "a" } }, true, false],
    [`not any xs (y eq "a")`, { xs: { y: "a" } }, true, false],
    [`v in $mixed`, { v: "abc" }, false, true],
  ] as Array<[string, JsonValue, boolean, boolean]>)(
    "%s on %j: evaluator %s, Sigma %s",
    (condition, event, detc, sigma) => {
      const entry = compileText(ruleText("Test.Approximation", condition), {}, stressLists);
      expect(entry.fidelity).toBe(detc ? "narrower" : "broader");
      const read = readSigma(entry.result.files[0]!.content).rule!;
      expect(
        evalNode(entry.rule.ir!.condition, { root: event, lists: entry.ctx.listValues }).result,
      ).toBe(detc);
      expect(sigmaMatches(read, event, placeholdersFor(entry.ctx.listValues))).toBe(sigma);
    },
  );

  it("the check catches a wrong translation: without |cased, a case variant matches", () => {
    const entry = compileText(ruleText("Test.Cased", `eventName eq "DeregisterImage"`));
    const right = readSigma(entry.result.files[0]!.content).rule!;
    const wrong = readSigma(entry.result.files[0]!.content.replace("|cased", "")).rule!;
    const event = { eventName: "deregisterimage" };
    expect(evalNode(entry.rule.ir!.condition, { root: event, lists: new Map() }).result).toBe(
      false,
    );
    expect(sigmaMatches(right, event)).toBe(false);
    expect(sigmaMatches(wrong, event)).toBe(true);
  });
});
