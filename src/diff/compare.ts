// `detc diff`: compile the rules on both sides with the same detc (so only rule changes show, not
// compiler changes), match rules by id, and say per rule what changed: source path, metadata,
// condition (printed from the IR, so a reformatting is no change), tests (by name) and every
// target's files and fidelity.
import type { Backend, Fidelity } from "../backends/types.js";
import { compileRules, sortedKeys } from "../compile/compile.js";
import type { ConfigOverrides } from "../config/config.js";
import { loadConfig } from "../config/config.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { lowerPath } from "../ir/lower.js";
import { printIr, printPath, printValue } from "../ir/print.js";
import type { IrNode } from "../ir/types.js";
import { loadProject } from "../project/project.js";
import {
  metadataKeys,
  type Literal,
  type Metadata,
  type RuleDecl,
  type TestCase,
} from "../syntax/ast.js";
import { unifiedDiff } from "./unified.js";

export interface TargetSnapshot {
  fidelity: Fidelity;
  notes: string[];
  files: Map<string, string>;
}

export interface RuleSnapshot {
  id: string;
  source: string;
  metadata: Record<string, string>;
  /** The condition printed from the IR, one top-level operand per line; undefined if the rule has errors. */
  condition: string | undefined;
  tests: Map<string, string>;
  targets: Map<string, TargetSnapshot>;
}

export interface SideSnapshot {
  rules: Map<string, RuleSnapshot>;
  targets: string[];
  /** Errors met loading this side (its rules with errors have no condition and no outputs). */
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

export interface SideOptions {
  overrides: ConfigOverrides;
  /** Looks a target up by name (the registry's findBackend). */
  findBackend: (name: string) => Backend | undefined;
}

const literal = (l: Literal) =>
  l.kind === "string"
    ? JSON.stringify(l.value)
    : l.kind === "number"
      ? l.text
      : l.kind === "boolean"
        ? String(l.value)
        : "null";

function metadataText(meta: Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of metadataKeys) {
    const value = meta[key];
    let text: string | undefined;
    if (value === undefined) text = undefined;
    else if (key === "attack")
      text = meta.attack.map((a) => `${a.tactic}:${a.technique}`).join(", ");
    else if (key === "summary" || key === "output")
      text = meta[key].map((p) => printPath(lowerPath(p))).join(", ");
    else if (Array.isArray(value))
      text = (value as string[]).map((s) => JSON.stringify(s)).join(", ");
    else
      text =
        typeof value === "string"
          ? key === "severity" || key === "status" || key === "logsource"
            ? value
            : JSON.stringify(value)
          : String(value);
    if (text !== undefined && text !== "") out[key] = text;
  }
  return out;
}

/** Stable JSON (sorted keys) of what a test means: expectation, bindings, event. */
function testText(test: TestCase): string {
  const bindings = Object.fromEntries(test.bindings.map((b) => [b.name, b.values.map(literal)]));
  const shown: Record<string, unknown> = { expect: test.expect, bindings };
  if (test.fromFile !== undefined) shown.from = test.fromFile;
  shown.event = test.event ?? null;
  return JSON.stringify(sortedKeys(shown), null, 2);
}

/** The condition as review text: each top-level operand of an and/or on its own line. */
export function conditionText(node: IrNode): string {
  if (node.kind === "and")
    return node.items.map((i, n) => (n === 0 ? "" : "and ") + printIr(i, true)).join("\n");
  if (node.kind === "or")
    return node.items.map((i, n) => (n === 0 ? "" : "or ") + printIr(i, false)).join("\n");
  return printIr(node);
}

function ruleSnapshot(decl: RuleDecl, source: string, condition: IrNode | undefined): RuleSnapshot {
  const tests = new Map<string, string>();
  for (const t of decl.tests) tests.set(t.name, testText(t));
  return {
    id: decl.id,
    source,
    metadata: metadataText(decl.meta),
    condition: condition && conditionText(condition),
    tests,
    targets: new Map(),
  };
}

/** Load and compile the project whose root (config and rules) is `cwd`. */
export function compileSide(
  cwd: string,
  options: SideOptions,
): SideSnapshot | { configErrors: Diagnostic[]; unknownTargets?: string[] } {
  const config = loadConfig(cwd, options.overrides);
  if (hasErrors(config.diagnostics)) return { configErrors: config.diagnostics };
  const targets: Backend[] = [];
  const unknown: string[] = [];
  for (const name of config.value.targets) {
    const backend = options.findBackend(name);
    if (backend) targets.push(backend);
    else unknown.push(name);
  }
  if (unknown.length > 0) return { configErrors: [], unknownTargets: unknown };
  const project = loadProject([config.value.rules], { cwd });
  const compiled = compileRules(project, {
    targets,
    listValues: config.value.lists,
    targetOptions: config.value.targetOptions,
  });
  const byId = new Map(compiled.map((r) => [r.ruleId, r]));
  const rules = new Map<string, RuleSnapshot>();
  for (const rule of project.rules) {
    if (rules.has(rule.decl.id)) continue; // a duplicate id is an error reported with the diagnostics
    const snap = ruleSnapshot(rule.decl, rule.file.path, rule.ir?.condition);
    const result = byId.get(rule.decl.id);
    for (const [name, t] of result?.targets ?? []) {
      snap.targets.set(name, {
        fidelity: t.fidelity,
        notes: t.notes.map((n) => `${n.fidelity}: ${n.reason}`),
        files: t.files,
      });
    }
    rules.set(rule.decl.id, snap);
  }
  return {
    rules,
    targets: targets.map((t) => t.name),
    diagnostics: project.diagnostics.filter((d) => d.severity === "error"),
    sources: project.sources,
  };
}

// ---- comparing --------------------------------------------------------------------------------------

export type Status = "added" | "removed" | "changed" | "unchanged";

export interface FileChange {
  path: string;
  status: Exclude<Status, "unchanged">;
  diff: string;
}

export interface TargetChange {
  target: string;
  status: Status;
  fidelity: { base: Fidelity | undefined; head: Fidelity | undefined };
  notes: { added: string[]; removed: string[] };
  files: FileChange[];
}

export interface RuleChange {
  id: string;
  status: Status;
  source: { base: string | undefined; head: string | undefined };
  metadata: { key: string; base: string | undefined; head: string | undefined }[];
  condition: { base: string | undefined; head: string | undefined; diff: string } | undefined;
  tests: { added: string[]; removed: string[]; changed: string[] };
  targets: TargetChange[];
}

export interface DiffReport {
  base: { ref: string; commit: string };
  head: { ref: string; commit: string | undefined };
  targets: string[];
  rules: RuleChange[];
  summary: {
    rules: Record<Status, number>;
    targets: Record<string, Record<Exclude<Status, "unchanged">, number>>;
  };
}

function compareTarget(
  name: string,
  base: TargetSnapshot | undefined,
  head: TargetSnapshot | undefined,
): TargetChange {
  const files: FileChange[] = [];
  const paths = [...new Set([...(base?.files.keys() ?? []), ...(head?.files.keys() ?? [])])].sort();
  for (const p of paths) {
    const before = base?.files.get(p);
    const after = head?.files.get(p);
    if (before === after) continue;
    const status = before === undefined ? "added" : after === undefined ? "removed" : "changed";
    files.push({
      path: p,
      status,
      diff: unifiedDiff(before ?? "", after ?? "", {
        from: before === undefined ? undefined : `a/${p}`,
        to: after === undefined ? undefined : `b/${p}`,
      }),
    });
  }
  const baseNotes = new Set(base?.notes ?? []);
  const headNotes = new Set(head?.notes ?? []);
  const notes = {
    added: [...headNotes].filter((n) => !baseNotes.has(n)),
    removed: [...baseNotes].filter((n) => !headNotes.has(n)),
  };
  const status: Status = !base
    ? head
      ? "added"
      : "unchanged"
    : !head
      ? "removed"
      : files.length > 0 ||
          base.fidelity !== head.fidelity ||
          notes.added.length + notes.removed.length > 0
        ? "changed"
        : "unchanged";
  return {
    target: name,
    status,
    fidelity: { base: base?.fidelity, head: head?.fidelity },
    notes,
    files,
  };
}

function compareRule(
  id: string,
  base: RuleSnapshot | undefined,
  head: RuleSnapshot | undefined,
  targets: string[],
): RuleChange {
  const metadata: RuleChange["metadata"] = [];
  const keys = [
    ...new Set([...Object.keys(base?.metadata ?? {}), ...Object.keys(head?.metadata ?? {})]),
  ];
  for (const key of metadataKeys.filter((k) => keys.includes(k))) {
    const before = base?.metadata[key];
    const after = head?.metadata[key];
    if (before !== after) metadata.push({ key, base: before, head: after });
  }
  const condition =
    base?.condition !== head?.condition
      ? {
          base: base?.condition,
          head: head?.condition,
          diff: unifiedDiff(
            base?.condition ? base.condition + "\n" : "",
            head?.condition ? head.condition + "\n" : "",
          ),
        }
      : undefined;
  const baseTests = base?.tests ?? new Map<string, string>();
  const headTests = head?.tests ?? new Map<string, string>();
  const tests = {
    added: [...headTests.keys()].filter((n) => !baseTests.has(n)),
    removed: [...baseTests.keys()].filter((n) => !headTests.has(n)),
    changed: [...headTests.keys()].filter(
      (n) => baseTests.has(n) && baseTests.get(n) !== headTests.get(n),
    ),
  };
  const targetChanges = targets.map((t) =>
    compareTarget(t, base?.targets.get(t), head?.targets.get(t)),
  );
  const changed =
    base?.source !== head?.source ||
    metadata.length > 0 ||
    condition !== undefined ||
    tests.added.length + tests.removed.length + tests.changed.length > 0 ||
    targetChanges.some((t) => t.status !== "unchanged");
  const status: Status = !base ? "added" : !head ? "removed" : changed ? "changed" : "unchanged";
  return {
    id,
    status,
    source: { base: base?.source, head: head?.source },
    metadata,
    condition,
    tests,
    targets: targetChanges,
  };
}

export function compareSides(
  base: SideSnapshot,
  head: SideSnapshot,
  refs: { base: DiffReport["base"]; head: DiffReport["head"] },
): DiffReport {
  const targets = [...new Set([...base.targets, ...head.targets])];
  const ids = [...new Set([...base.rules.keys(), ...head.rules.keys()])];
  const rules = ids.map((id) => compareRule(id, base.rules.get(id), head.rules.get(id), targets));
  const sourceOf = (r: RuleChange) => r.source.head ?? r.source.base ?? "";
  rules.sort((a, b) =>
    sourceOf(a) < sourceOf(b) ? -1 : sourceOf(a) > sourceOf(b) ? 1 : a.id < b.id ? -1 : 1,
  );
  const summary: DiffReport["summary"] = {
    rules: { added: 0, removed: 0, changed: 0, unchanged: 0 },
    targets: {},
  };
  for (const t of targets) summary.targets[t] = { added: 0, removed: 0, changed: 0 };
  for (const rule of rules) {
    summary.rules[rule.status]++;
    for (const t of rule.targets)
      if (t.status !== "unchanged") summary.targets[t.target]![t.status]++;
  }
  return { base: refs.base, head: refs.head, targets, rules, summary };
}
