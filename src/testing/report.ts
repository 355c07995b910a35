// Test reports: text for people, JSON for tools, JUnit XML for CI dashboards.
import type { TestReport } from "./run.js";

export type TestFormat = "text" | "json" | "junit";

export function formatText(report: TestReport, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  for (const o of report.outcomes) {
    const mark = o.passed ? paint("32", "PASS") : paint("31", "FAIL");
    lines.push(`${mark} ${o.ruleId} › ${o.name}`);
    if (!o.passed) {
      lines.push(
        `     ${o.file}:${o.span.line}:${o.span.column}: expected the rule to ${o.expected ? "match" : "ignore"} this event, but it ${o.actual ? "matched" : "did not match"}`,
      );
      const shown = o.decidedBy.slice(0, 5);
      lines.push(`     decided by:`);
      for (const d of shown)
        lines.push(
          `       ${d.span.file}:${d.span.line}:${d.span.column}  ${d.text}  → ${d.result}`,
        );
      if (o.decidedBy.length > shown.length)
        lines.push(`       … and ${o.decidedBy.length - shown.length} more`);
    }
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return lines.join("\n") + "\n";
}

export function formatJson(report: TestReport): string {
  const tests = report.outcomes.map((o) => ({
    rule: o.ruleId,
    name: o.name,
    file: o.file,
    line: o.span.line,
    column: o.span.column,
    expected: o.expected ? "matches" : "ignores",
    actual: o.actual ? "matches" : "ignores",
    passed: o.passed,
    decidedBy: o.decidedBy.map((d) => ({
      text: d.text,
      result: d.result,
      line: d.span.line,
      column: d.span.column,
    })),
  }));
  return JSON.stringify({ passed: report.passed, failed: report.failed, tests }, null, 2) + "\n";
}

const xml = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

export function formatJunit(report: TestReport): string {
  const byRule = new Map<string, TestReport["outcomes"]>();
  for (const o of report.outcomes) byRule.set(o.ruleId, [...(byRule.get(o.ruleId) ?? []), o]);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="detc" tests="${report.outcomes.length}" failures="${report.failed}">`,
  ];
  for (const [rule, outcomes] of byRule) {
    const failures = outcomes.filter((o) => !o.passed).length;
    const time = (outcomes.reduce((t, o) => t + o.durationMs, 0) / 1000).toFixed(3);
    out.push(
      `  <testsuite name="${xml(rule)}" tests="${outcomes.length}" failures="${failures}" time="${time}" file="${xml(outcomes[0]!.file)}">`,
    );
    for (const o of outcomes) {
      const attrs = `name="${xml(o.name)}" classname="${xml(rule)}" file="${xml(o.file)}" line="${o.span.line}" time="${(o.durationMs / 1000).toFixed(3)}"`;
      if (o.passed) {
        out.push(`    <testcase ${attrs}/>`);
        continue;
      }
      const message = `expected ${o.expected ? "match" : "no match"}, got ${o.actual ? "match" : "no match"}`;
      const detail = o.decidedBy
        .map((d) => `${d.span.file}:${d.span.line}:${d.span.column} ${d.text} -> ${d.result}`)
        .join("\n");
      out.push(
        `    <testcase ${attrs}>`,
        `      <failure message="${xml(message)}">${xml(detail)}</failure>`,
        `    </testcase>`,
      );
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join("\n") + "\n";
}
