// Shared by the Sigma tests: compile projects with the Sigma backend, read the output back with the
// project's own Sigma reader, and compare it with the evaluator under the reported fidelity.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sigmaBackend } from "../../../src/backends/sigma/index.js";
import { recordShapes } from "../../../src/backends/sigma/mapping.js";
import type { BackendContext, CompiledRule, Fidelity } from "../../../src/backends/types.js";
import { overallFidelity } from "../../../src/backends/types.js";
import type { IrValue } from "../../../src/ir/types.js";
import { listValuesFor, type LoadedRule, type Project } from "../../../src/project/project.js";
import { compileWith, repoRoot, type CompiledEntry } from "../../support/backend.js";
import type { JsonValue } from "../../../src/syntax/ast.js";

export const here = path.dirname(fileURLToPath(import.meta.url));

export { contextFor, repoRoot, type CompiledEntry } from "../../support/backend.js";

/** Load `paths` (relative to the repository, or `cwd`) and compile every rule that has IR with this target. */
export function compileProject(
  paths: string[],
  options: Record<string, unknown> = {},
  cwd?: string,
): { project: Project; entries: CompiledEntry[] } {
  return compileWith(sigmaBackend, paths, options, cwd);
}

export const exampleFiles = readdirSync(path.join(repoRoot, "grammar/examples/valid"))
  .filter((f) => f.endsWith(".det"))
  .sort()
  .map((f) => path.join("grammar/examples/valid", f));

/** Every corpus: the rules/ tree, and each conformance example on its own. */
export function compileCorpora(): CompiledEntry[] {
  return [compileProject(["rules"]), ...exampleFiles.map((f) => compileProject([f]))].flatMap(
    (c) => c.entries,
  );
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Write one rule file (plus optional list declarations) under a fresh rules/ folder and compile it. */
export function compileText(
  text: string,
  options: Record<string, unknown> = {},
  lists = "",
): CompiledEntry {
  const rules = path.join(tempDir("detc-sigma-"), "rules");
  mkdirSync(rules);
  writeFileSync(path.join(rules, "rule.det"), text);
  if (lists) writeFileSync(path.join(rules, "lists.det"), lists);
  const compiled = compileProject([rules], options);
  const errors = compiled.project.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => d.message).join("\n"));
  return compiled.entries.find((e) => e.rule.file.path.endsWith("rule.det"))!;
}

export const ruleText = (
  id: string,
  condition: string,
  extra = "",
  logsource = "aws.cloudtrail",
) => `rule "${id}" {
  title     "Title"
  severity  high
  logsource ${logsource}
${extra}
  condition
    ${condition}
}
`;

/** Named list values as the text a Sigma placeholder expands to. */
export function placeholdersFor(
  lists: ReadonlyMap<string, readonly IrValue[]>,
): Map<string, string[]> {
  return new Map(
    [...lists].map(([name, values]) => [
      name,
      values.map((v) => (v.type === "number" ? v.text : String(v.value))),
    ]),
  );
}

/**
 * The event in the record shape the backend relies on for this log source (documented objects are
 * objects, documented strings are strings; either may be absent or null): an array at a documented
 * object becomes its first element (or goes), a number or boolean at a documented string its text,
 * an array or object there goes. Undefined when nothing had to change.
 */
export function toLogsourceShape(rule: LoadedRule, event: JsonValue): JsonValue | undefined {
  const shape = recordShapes[rule.decl.meta.logsource ?? ""];
  if (!shape || event === null || typeof event !== "object" || Array.isArray(event))
    return undefined;
  const copy = structuredClone(event);
  let changed = false;
  const fix = (p: string, repair: (v: JsonValue) => JsonValue | undefined | false) => {
    const keys = p.split(".");
    let holder: JsonValue = copy;
    for (const key of keys.slice(0, -1)) {
      if (
        holder === null ||
        typeof holder !== "object" ||
        Array.isArray(holder) ||
        !Object.hasOwn(holder, key)
      )
        return;
      holder = holder[key]!;
    }
    const last = keys[keys.length - 1]!;
    if (
      holder === null ||
      typeof holder !== "object" ||
      Array.isArray(holder) ||
      !Object.hasOwn(holder, last)
    )
      return;
    const repaired = repair(holder[last]!);
    if (repaired === false) return;
    changed = true;
    if (repaired === undefined) delete holder[last];
    else holder[last] = repaired;
  };
  // Shorter paths first: a repaired object may hold the next path.
  for (const p of [...shape.objects].sort((a, b) => a.length - b.length))
    fix(p, (v) =>
      Array.isArray(v)
        ? (v.find((e) => e !== null && typeof e === "object" && !Array.isArray(e)) ?? undefined)
        : false,
    );
  for (const p of shape.strings)
    fix(p, (v) =>
      v === null || typeof v === "string" ? false : typeof v === "object" ? undefined : String(v),
    );
  return changed ? copy : undefined;
}

/** Is Sigma's result allowed, given the evaluator's and the reported fidelity? */
export function agrees(fidelity: Fidelity, expected: boolean, sigma: boolean): boolean {
  if (fidelity === "exact") return expected === sigma;
  if (fidelity === "broader") return !expected || sigma;
  if (fidelity === "narrower") return expected || !sigma;
  return true;
}
