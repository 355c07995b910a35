// The Panther target: for each rule, a self-contained Python rule and its YAML spec for Panther's
// analysis tool (targets.md §1). Pure: renders, writes nothing.
import { render } from "../templates.js";
import type { Backend, FidelityNote } from "../types.js";
import { pantherCapabilities } from "./capabilities.js";
import { forbiddenNameCharacters, logTypesFor } from "./mapping.js";
import { renderRule } from "./renderer.js";

export const pantherBackend: Backend = {
  name: "panther",
  description:
    "Panther: a Python rule (rule(), title(), alert_context()) and its YAML spec with tests and mocks",
  capabilities: pantherCapabilities,
  compile(rule, ctx) {
    const ir = rule.ir;
    if (!ir) return { files: [], notes: [] };
    const notes: FidelityNote[] = [];
    const logsource = rule.decl.meta.logsource ?? "";
    const logTypes = logTypesFor(logsource, ctx.options);
    if (!logTypes) {
      notes.push({
        fidelity: "unsupported",
        reason: `Panther has no log type for log source '${logsource}': map it with the panther option logTypes (e.g. {"${logsource}": "Custom.MyLogs"})`,
        span: rule.decl.metaSpans.logsource ?? rule.decl.idSpan,
      });
    }
    if (forbiddenNameCharacters.test(rule.decl.id)) {
      notes.push({
        fidelity: "unsupported",
        reason: `Panther rejects a RuleID containing any of < > & " %`,
        span: rule.decl.idSpan,
      });
    }
    const rendered = renderRule(rule, ir, ctx, logTypes ?? []);
    notes.push(...rendered.notes);
    if (notes.some((n) => n.fidelity === "unsupported")) return { files: [], notes };
    return {
      files: [
        { path: `${rule.outputStem}.py`, content: render("panther", "rule.py", rendered.python) },
        { path: `${rule.outputStem}.yml`, content: render("panther", "rule.yml", rendered.yaml) },
      ],
      notes,
    };
  },
};
