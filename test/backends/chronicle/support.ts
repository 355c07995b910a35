// Shared by the Chronicle tests: compile projects and rule texts, read the generated YARA-L back,
// and run its events section over the UDM view of an event.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chronicleBackend } from "../../../src/backends/chronicle/index.js";
import { eventsMatch, udmView } from "../../../src/backends/chronicle/udm.js";
import { checkYaral, type YaralRule } from "../../../src/backends/chronicle/yaral.js";
import type { BackendContext, CompiledRule } from "../../../src/backends/types.js";
import type { IrValue } from "../../../src/ir/types.js";
import type { Project } from "../../../src/project/project.js";
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
  return compileWith(chronicleBackend, paths, options, cwd);
}

/** Every corpus the project has: rules/ as one project, each grammar example on its own. */
export function corpus(): CompiledEntry[] {
  const examples = readdirSync(path.join(repoRoot, "grammar/examples/valid"))
    .filter((f) => f.endsWith(".det"))
    .sort()
    .map((f) => `grammar/examples/valid/${f}`);
  return [compileProject(["rules"]), ...examples.map((f) => compileProject([f]))].flatMap(
    (c) => c.entries,
  );
}

/** Compile one rule written as text (in a fresh rules/ folder, with optional list declarations). */
export function compileText(text: string): CompiledEntry {
  const dir = mkdtempSync(path.join(tmpdir(), "detc-chronicle-"));
  const rules = path.join(dir, "rules");
  mkdirSync(rules);
  writeFileSync(path.join(rules, "rule.det"), text);
  const { project, entries } = compileProject([rules]);
  const errors = project.diagnostics.filter((d) => d.severity === "error");
  if (errors.length)
    throw new Error(`rule text has errors: ${JSON.stringify(errors.map((e) => e.message))}`);
  return entries[0]!;
}

export const ruleText = (
  condition: string,
  extra = "",
) => `list accounts "accounts" = ["111122223333"]
rule "Test.Chronicle" {
  title     "Title"
  severity  high
  logsource aws.cloudtrail
${extra}
  condition
    ${condition}
}
`;

export function yaralOf(entry: CompiledEntry): string | undefined {
  return entry.result.files.find((f) => f.path.endsWith(".yaral"))?.content;
}

export function parsed(entry: CompiledEntry): YaralRule {
  const text = yaralOf(entry);
  if (text === undefined)
    throw new Error(`${entry.rule.decl.id}: no .yaral (${JSON.stringify(entry.result.notes)})`);
  const { rule, errors } = checkYaral(text);
  if (!rule || errors.length) throw new Error(`${entry.rule.decl.id}: ${JSON.stringify(errors)}`);
  return rule;
}

/** The generated rule's verdict on a CloudTrail event. */
export function chronicleMatches(
  rule: YaralRule,
  event: JsonValue,
  lists: ReadonlyMap<string, readonly IrValue[]>,
): boolean {
  return eventsMatch(rule.events, { view: udmView(event), lists });
}
