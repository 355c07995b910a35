// `detc test`: every rule's tests through the reference evaluator.
import type { Span } from "../diagnostics/span.js";
import { evalNode } from "../eval/evaluate.js";
import { lowerValue } from "../ir/lower.js";
import { printIr } from "../ir/print.js";
import type { IrNode, IrValue } from "../ir/types.js";
import { listValuesFor, type LoadedRule, type Project } from "../project/project.js";
import type { TestCase } from "../syntax/ast.js";

export interface DecidingPart {
  /** The part of the condition, as detc text (after negation was pushed to the leaves). */
  text: string;
  result: boolean;
  span: Span;
}

export interface TestOutcome {
  ruleId: string;
  file: string;
  name: string;
  expected: boolean;
  actual: boolean;
  passed: boolean;
  /** Why the condition came out as it did: the parts that decided it. */
  decidedBy: DecidingPart[];
  span: Span;
  durationMs: number;
}

export interface TestReport {
  outcomes: TestOutcome[];
  passed: number;
  failed: number;
}

/** List values for one test: bindings, else configuration, else declared defaults. */
export function listsForTest(
  test: TestCase,
  base: ReadonlyMap<string, readonly IrValue[]>,
): Map<string, readonly IrValue[]> {
  const lists = new Map(base);
  for (const b of test.bindings)
    lists.set(
      b.name,
      b.values.map(lowerValue).filter((v): v is IrValue => !!v),
    );
  return lists;
}

function decidingPart(node: IrNode, result: boolean): DecidingPart {
  return { text: printIr(node), result, span: node.origin };
}

export function runRuleTests(
  rule: LoadedRule,
  base: ReadonlyMap<string, readonly IrValue[]>,
): TestOutcome[] {
  const outcomes: TestOutcome[] = [];
  if (!rule.ir) return outcomes;
  for (const test of rule.decl.tests) {
    if (!test.event) continue;
    const started = performance.now();
    const verdict = evalNode(rule.ir.condition, {
      root: test.event,
      lists: listsForTest(test, base),
    });
    const expected = test.expect === "matches";
    outcomes.push({
      ruleId: rule.decl.id,
      file: rule.file.path,
      name: test.name,
      expected,
      actual: verdict.result,
      passed: verdict.result === expected,
      decidedBy: verdict.decidedBy.map((d) => decidingPart(d.node, d.result)),
      span: test.span,
      durationMs: performance.now() - started,
    });
  }
  return outcomes;
}

export function runTests(
  project: Project,
  configured?: ReadonlyMap<string, readonly IrValue[]>,
): TestReport {
  const base = listValuesFor(project.lists, configured);
  const outcomes = project.rules.flatMap((rule) => runRuleTests(rule, base));
  const passed = outcomes.filter((o) => o.passed).length;
  return { outcomes, passed, failed: outcomes.length - passed };
}
