// The Sigma target: for each rule, one Sigma rule (specification 2.1) for the log source's
// product/service, with named selections and a condition (targets.md §2). Pure: writes nothing.
import { overallFidelity, type Backend } from "../types.js";
import { sigmaCapabilities } from "./capabilities.js";
import { renderSigma } from "./renderer.js";

export const sigmaBackend: Backend = {
  name: "sigma",
  description:
    "Sigma: a rule (specification 2.1) with named selections, |cased values and %placeholders% for lists",
  capabilities: sigmaCapabilities,
  compile(rule, ctx) {
    if (!rule.ir) return { files: [], notes: [] };
    const rendered = renderSigma(rule, ctx);
    // Broader and narrower together cannot be trusted either way: unsupported, like any unsupported note.
    if (rendered.content === undefined || overallFidelity(rendered.notes) === "unsupported")
      return { files: [], notes: rendered.notes };
    return {
      files: [{ path: `${rule.outputStem}.yml`, content: rendered.content }],
      notes: rendered.notes,
    };
  },
};
