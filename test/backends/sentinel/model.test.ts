// The generated queries, run by a model of KQL (kql-model.ts) on AWSCloudTrail rows built from the
// rules' own test events and from random events shaped by each rule, agree with the reference
// evaluator — exactly where the backend reports no approximation, in the reported direction where
// it does. This checks how queries are composed (negation, guards, any/all, lists), under the
// model's reading of KQL's documented semantics.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FidelityNote } from "../../../src/backends/types.js";
import { matches } from "../../../src/eval/evaluate.js";
import { lowerValue } from "../../../src/ir/lower.js";
import type { IrValue } from "../../../src/ir/types.js";
import type { JsonValue } from "../../../src/syntax/ast.js";
import { randomCases } from "../panther/support.js";
import { rowFor, runQuery } from "./kql-model.js";
import { compileCondition, compileCorpora, conditionArbitrary, queryOf } from "./support.js";

function direction(notes: readonly FidelityNote[]): "exact" | "broader" | "narrower" | "both" {
  const set = new Set(notes.map((n) => n.fidelity));
  if (set.size === 0) return "exact";
  if (set.size > 1 || set.has("unsupported")) return "both";
  return [...set][0] as "broader" | "narrower";
}

describe("generated queries under a model of KQL", () => {
  it("agree with the reference evaluator on test events and random events", () => {
    const entries = compileCorpora().filter((e) => e.result.files.length > 0);
    let compared = 0;
    let matched = 0;
    let exactCompared = 0;
    const disagreements: unknown[] = [];
    for (const entry of entries) {
      const query = queryOf(entry.result.files[0]!.content);
      const ir = entry.rule.ir!;
      const expectation = direction(entry.result.notes);
      const cases: Array<{
        event: { [key: string]: JsonValue };
        lists: ReadonlyMap<string, readonly IrValue[]>;
      }> = [];
      for (const test of entry.rule.decl.tests) {
        if (!test.event) continue;
        const lists = new Map(entry.ctx.listValues);
        for (const b of test.bindings)
          lists.set(
            b.name,
            b.values.map(lowerValue).filter((v): v is IrValue => !!v),
          );
        cases.push({ event: test.event, lists });
      }
      const seeds = entry.rule.decl.tests.flatMap((t) => (t.event ? [t.event] : []));
      for (const c of randomCases(
        ir.condition,
        ir.lists,
        entry.ctx.listValues,
        60,
        20261122,
        seeds,
      ))
        cases.push({
          event: c.event,
          // A watchlist holds text: bind only string values.
          lists: new Map(
            [...entry.ctx.listValues, ...c.lists].map(([n, vs]) => [
              n,
              vs.filter((v) => v.type === "string"),
            ]),
          ),
        });
      for (const { event, lists } of cases) {
        const row = rowFor(event);
        if (!row) continue; // a typed field holding a type CloudTrail never writes there
        const watchlists = new Map(
          [...lists].map(([name, values]) => [
            name,
            values.flatMap((v) => (v.type === "string" ? [v.value] : [])),
          ]),
        );
        const detc = matches(ir.condition, event, lists);
        const kql = runQuery(query, [row], watchlists).length > 0;
        compared++;
        if (detc) matched++;
        if (expectation === "exact") exactCompared++;
        const ok =
          detc === kql ||
          expectation === "both" ||
          (expectation === "broader" && kql && !detc) ||
          (expectation === "narrower" && detc && !kql);
        if (!ok) disagreements.push({ rule: entry.rule.decl.id, detc, kql, expectation, event });
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
    // Both outcomes are well represented, and most comparisons are of exact translations.
    expect(matched).toBeGreaterThan(compared / 20);
    expect(compared - matched).toBeGreaterThan(compared / 20);
    expect(exactCompared).toBeGreaterThan(compared / 2);
  });

  it("the model bites: a query composed wrongly disagrees with the evaluator", () => {
    const entry = compileCorpora().find(
      (e) => e.rule.decl.id === "AWS.CloudTrail.AMIModifiedForPublicAccess",
    )!;
    const query = queryOf(entry.result.files[0]!.content);
    const verdicts = (q: string) =>
      entry.rule.decl.tests.map((t) => {
        const lists = new Map(
          t.bindings.map((b) => [
            b.name,
            b.values.flatMap((v) => (v.kind === "string" ? [v.value] : [])),
          ]),
        );
        return runQuery(q, [rowFor(t.event!)!], lists).length > 0;
      });
    const expected = entry.rule.decl.tests.map((t) => t.expect === "matches");
    expect(verdicts(query)).toEqual(expected);
    for (const broken of [
      query.replace('tostring(element1.group) == "all"', 'tostring(element1.group) != "all"'),
      query.replace(
        "countif(index1 < array_length(array1) and",
        "countif(index1 <= array_length(array1) and not",
      ),
      query.replace("isempty(ErrorCode)", "isnotempty(ErrorCode)"),
      query.replace(" in (org_accounts)", " !in (org_accounts)"),
    ]) {
      expect(broken).not.toBe(query);
      expect(verdicts(broken)).not.toEqual(expected);
    }
  });

  it("agree with the reference evaluator on random conditions and random events", () => {
    const conditions = fc.sample(conditionArbitrary(), { numRuns: 150, seed: 20261122 });
    let compared = 0;
    const disagreements: unknown[] = [];
    for (const text of conditions) {
      const compiled = compileCondition(text);
      if (compiled.query === undefined) continue;
      const ir = compiled.rule.ir!;
      const expectation = direction(compiled.notes);
      if (expectation === "both") continue;
      for (const c of randomCases(ir.condition, ir.lists, compiled.ctx.listValues, 25, 7)) {
        const row = rowFor(c.event);
        if (!row) continue;
        // A watchlist holds text: bind only the string values (the compile-time note covers configured ones).
        const lists = new Map(
          [...compiled.ctx.listValues, ...c.lists].map(([n, vs]) => [
            n,
            vs.filter((v) => v.type === "string"),
          ]),
        );
        const watchlists = new Map(
          [...lists].map(([name, values]) => [
            name,
            values.flatMap((v) => (v.type === "string" ? [v.value] : [])),
          ]),
        );
        const detc = matches(ir.condition, c.event, lists);
        const kql = runQuery(compiled.query, [row], watchlists).length > 0;
        compared++;
        const ok =
          detc === kql ||
          (expectation === "broader" && kql && !detc) ||
          (expectation === "narrower" && detc && !kql);
        if (!ok)
          disagreements.push({ text, detc, kql, expectation, event: c.event, lists: [...c.lists] });
      }
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  });
});
