// SARIF 2.1.0 for GitHub code scanning: one run, a rule per diagnostic code, results with
// repository-relative paths and regions.
import { Codes } from "../diagnostics/codes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

const level = { error: "error", warning: "warning", info: "note" } as const;

export function toSarif(findings: readonly Diagnostic[], version: string): object {
  const rules = Object.values(Codes)
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((c) => ({
      id: c.code,
      name: c.name.replace(/(^|-)([a-z])/g, (_, __, ch: string) => ch.toUpperCase()),
      shortDescription: { text: c.name.replace(/-/g, " ") },
      fullDescription: { text: c.message.replace(/\{\d+\}/g, "…") },
      defaultConfiguration: { level: level[c.severity] },
      properties: {
        tags: [
          c.code.startsWith("DETC5")
            ? "fidelity"
            : c.code.startsWith("DETC6")
              ? "lint"
              : "language",
        ],
      },
    }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = findings.map((d) => ({
    ruleId: d.code,
    ruleIndex: index.get(d.code) ?? 0,
    level: level[d.severity],
    message: { text: d.note ? `${d.message} (${d.note})` : d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: d.span.file, uriBaseId: "%SRCROOT%" },
          region: {
            startLine: d.span.line,
            startColumn: d.span.column,
            endLine: d.span.endLine,
            endColumn: Math.max(
              d.span.endColumn,
              d.span.endLine === d.span.line ? d.span.column + 1 : 1,
            ),
          },
        },
      },
    ],
    partialFingerprints: {
      detcLocation: `${d.code}:${d.span.file}:${d.span.line}:${d.span.column}`,
    },
  }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "detc", version, semanticVersion: version, rules } },
        results,
      },
    ],
  };
}
