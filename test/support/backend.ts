// Shared by every backend's tests: compile a project's rules with one backend, as the pipeline does.
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  overallFidelity,
  type Backend,
  type BackendContext,
  type CompiledRule,
  type Fidelity,
} from "../../src/backends/types.js";
import {
  listValuesFor,
  loadProject,
  type LoadedRule,
  type Project,
} from "../../src/project/project.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface CompiledEntry {
  rule: LoadedRule;
  ctx: BackendContext;
  result: CompiledRule;
  /** What the pipeline would record for this rule and target. */
  fidelity: Fidelity;
}

export function contextFor(
  project: Project,
  options: Record<string, unknown> = {},
): BackendContext {
  return { options, lists: project.lists, listValues: listValuesFor(project.lists) };
}

/** Load `paths` (relative to `cwd`, the repository by default) and compile every rule that has IR. */
export function compileWith(
  backend: Backend,
  paths: string[],
  options: Record<string, unknown> = {},
  cwd = repoRoot,
): { project: Project; entries: CompiledEntry[] } {
  const project = loadProject(paths, { cwd });
  const ctx = contextFor(project, options);
  const entries = project.rules
    .filter((rule) => rule.ir)
    .map((rule) => {
      const result = backend.compile(rule, ctx);
      return { rule, ctx, result, fidelity: overallFidelity(result.notes) };
    });
  return { project, entries };
}
