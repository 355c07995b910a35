// Shared by the CloudWatch tests: compile projects with the CloudWatch backend, read a generated
// pattern back, and judge a pattern's verdict against the reference evaluator's.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cloudwatchBackend } from "../../../src/backends/cloudwatch/index.js";
import type { BackendContext, CompiledRule, Fidelity } from "../../../src/backends/types.js";
import type { Project } from "../../../src/project/project.js";
import { compileWith, repoRoot, type CompiledEntry } from "../../support/backend.js";

export const here = path.dirname(fileURLToPath(import.meta.url));

export { contextFor, repoRoot, type CompiledEntry } from "../../support/backend.js";

/** Load `paths` (relative to the repository, or `cwd`) and compile every rule that has IR with this target. */
export function compileProject(
  paths: string[],
  options: Record<string, unknown> = {},
  cwd?: string,
): { project: Project; entries: CompiledEntry[] } {
  return compileWith(cloudwatchBackend, paths, options, cwd);
}

export const exampleFiles = readdirSync(path.join(repoRoot, "grammar/examples/valid"))
  .filter((f) => f.endsWith(".det"))
  .sort()
  .map((f) => path.join("grammar/examples/valid", f));

/** Every rule of the corpora: rules/ as one project, each grammar example on its own. */
export function compileCorpus(options: Record<string, unknown> = {}): CompiledEntry[] {
  return [
    compileProject(["rules"], options),
    ...exampleFiles.map((f) => compileProject([f], options)),
  ].flatMap((c) => c.entries);
}

/** A project in a temporary rules/ folder holding one file. */
export function compileText(text: string, options: Record<string, unknown> = {}): CompiledEntry {
  const dir = mkdtempSync(path.join(tmpdir(), "detc-cloudwatch-"));
  const rules = path.join(dir, "rules");
  mkdirSync(rules);
  writeFileSync(path.join(rules, "rule.det"), text);
  const { project, entries } = compileProject([rules], options, dir);
  const errors = project.diagnostics.filter((d) => d.severity === "error");
  if (errors.length)
    throw new Error(`test rule does not load: ${errors.map((d) => d.message).join("; ")}`);
  return entries[0]!;
}

export const ruleText = (id: string, condition: string, extra = "") => `rule "${id}" {
  title     "Title"
  severity  high
  logsource aws.cloudtrail
${extra}
  condition
    ${condition}
}
`;

/** The FilterPattern of a compiled rule's CloudFormation template, as the template holds it (YAML-escaped). */
export function fileOf(result: CompiledRule, ext: string): string | undefined {
  return result.files.find((f) => f.path.endsWith(ext))?.content;
}

/**
 * Does the pattern's verdict keep the promise of the reported fidelity? exact: equal; narrower:
 * the pattern matches only where the rule does; broader: the pattern matches wherever the rule does.
 */
export function keepsPromise(fidelity: Fidelity, rule: boolean, pattern: boolean): boolean {
  switch (fidelity) {
    case "exact":
      return rule === pattern;
    case "narrower":
      return !pattern || rule;
    case "broader":
      return !rule || pattern;
    case "unsupported":
      return true;
  }
}
