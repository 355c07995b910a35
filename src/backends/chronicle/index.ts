// The Google SecOps (Chronicle) target: for each rule, a YARA-L 2.0 single-event rule over UDM
// as Google's default AWS CloudTrail parser writes it (targets.md §4). Pure: renders, writes nothing.
import { render } from "../templates.js";
import type { Backend, FidelityNote } from "../types.js";
import { chronicleCapabilities } from "./capabilities.js";
import { renderRule } from "./renderer.js";

/** detc log sources this target has a UDM mapping for. */
export const supportedLogSources: readonly string[] = ["aws.cloudtrail"];

export const chronicleBackend: Backend = {
  name: "chronicle",
  description:
    "Google SecOps (Chronicle): a YARA-L 2.0 rule over UDM (default AWS CloudTrail parser)",
  capabilities: chronicleCapabilities,
  compile(rule, ctx) {
    const ir = rule.ir;
    if (!ir) return { files: [], notes: [] };
    const logsource = rule.decl.meta.logsource ?? "";
    if (!supportedLogSources.includes(logsource)) {
      const note: FidelityNote = {
        fidelity: "unsupported",
        reason: `Chronicle: no UDM mapping for log source '${logsource}' (known: ${supportedLogSources.join(", ")})`,
        span: rule.decl.metaSpans.logsource ?? rule.decl.idSpan,
      };
      return { files: [], notes: [note] };
    }
    const rendered = renderRule(rule, ir, ctx);
    if (!rendered.context || rendered.notes.some((n) => n.fidelity === "unsupported"))
      return { files: [], notes: rendered.notes };
    return {
      files: [
        {
          path: `${rule.outputStem}.yaral`,
          content: render("chronicle", "rule.yaral", rendered.context),
        },
      ],
      notes: rendered.notes,
    };
  },
};
