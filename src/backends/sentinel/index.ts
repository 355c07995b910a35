// The Sentinel target: for each rule, a scheduled analytics rule in the Azure-Sentinel repository's
// YAML format, whose KQL query reads the AWSCloudTrail table (targets.md §5). Pure: renders, writes nothing.
import { render } from "../templates.js";
import type { Backend, FidelityNote } from "../types.js";
import { sentinelCapabilities } from "./capabilities.js";
import { readOptions, renderRule } from "./renderer.js";

/** Sentinel's limit on an analytics rule's query (its template validation: StringLength(10000)). */
export const maxQueryLength = 10000;

export const sentinelBackend: Backend = {
  name: "sentinel",
  description:
    "Microsoft Sentinel: a scheduled analytics rule (Azure-Sentinel YAML) with a KQL query over AWSCloudTrail",
  capabilities: sentinelCapabilities,
  compile(rule, ctx) {
    const ir = rule.ir;
    if (!ir) return { files: [], notes: [] };
    const notes: FidelityNote[] = [];
    const logsource = rule.decl.meta.logsource ?? "";
    if (logsource !== "aws.cloudtrail")
      notes.push({
        fidelity: "unsupported",
        reason: `Sentinel rules here read the AWSCloudTrail table: log source '${logsource}' has no table mapping`,
        span: rule.decl.metaSpans.logsource ?? rule.decl.idSpan,
      });
    const options = readOptions(ctx.options);
    for (const error of options.errors)
      notes.push({ fidelity: "unsupported", reason: error, span: rule.decl.idSpan });
    const rendered = renderRule(rule, ir, ctx, options.value);
    notes.push(...rendered.notes);
    if (rendered.query.length > maxQueryLength)
      notes.push({
        fidelity: "unsupported",
        reason: `the KQL query is ${rendered.query.length} characters; Sentinel accepts at most ${maxQueryLength}`,
        span: rule.decl.condition?.span ?? rule.decl.idSpan,
      });
    if (notes.some((n) => n.fidelity === "unsupported")) return { files: [], notes };
    return {
      files: [
        {
          path: `${rule.outputStem}.yaml`,
          content: render("sentinel", "rule.yaml", rendered.context),
        },
      ],
      notes,
    };
  },
};
