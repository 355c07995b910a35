// Shared by the Sentinel tests: compile projects with the Sentinel backend; the corpora (every rule
// under rules/ and every valid conformance example, each on its own); one KQL checker per process.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { expect } from "vitest";
import { createKqlChecker, type KqlChecker } from "../../../src/backends/sentinel/check.js";
import { sentinelBackend } from "../../../src/backends/sentinel/index.js";
import type { BackendContext, CompiledRule, FidelityNote } from "../../../src/backends/types.js";
import { listsUsed, lowerExpr } from "../../../src/ir/lower.js";
import type { IrValue } from "../../../src/ir/types.js";
import { listValuesFor, type LoadedRule, type Project } from "../../../src/project/project.js";
import { compileWith, repoRoot, type CompiledEntry } from "../../support/backend.js";
import { parseSource } from "../../../src/syntax/index.js";

export const here = path.dirname(fileURLToPath(import.meta.url));

export { contextFor, repoRoot, type CompiledEntry } from "../../support/backend.js";

/** Load `paths` (relative to the repository, or `cwd`) and compile every rule that has IR with this target. */
export function compileProject(
  paths: string[],
  options: Record<string, unknown> = {},
  cwd?: string,
): { project: Project; entries: CompiledEntry[] } {
  return compileWith(sentinelBackend, paths, options, cwd);
}

export const exampleFiles = readdirSync(path.join(repoRoot, "grammar/examples/valid"))
  .filter((f) => f.endsWith(".det"))
  .sort()
  .map((f) => path.join("grammar/examples/valid", f));

/** Every rule of both corpora, compiled with `options`. */
export function compileCorpora(options: Record<string, unknown> = {}): CompiledEntry[] {
  return [
    compileProject(["rules"], options),
    ...exampleFiles.map((f) => compileProject([f], options)),
  ].flatMap((c) => c.entries);
}

let checker: KqlChecker | undefined;

/** The process's one KQL checker (Kusto global state built once). */
export function kql(): KqlChecker {
  checker ??= createKqlChecker();
  return checker;
}

/** The KQL query inside a generated rule file (the `query: |` block, dedented). */
export function queryOf(content: string): string {
  const lines = content.split("\n");
  const start = lines.indexOf("query: |");
  if (start < 0) throw new Error("no query block");
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("  ") && line !== "") break;
    out.push(line.slice(2));
  }
  return out.join("\n").trimEnd();
}

// ---------------------------------------------------------------------------------------------
// One-condition rules (the snippet table, random conditions)

export interface Compiled {
  query: string | undefined;
  notes: FidelityNote[];
  rule: LoadedRule;
  ctx: BackendContext;
}

/** Compile a rule with just this condition (and a list `l` of values "a", "b"). */
export function compileCondition(
  condition: string,
  options: Record<string, unknown> = {},
  values?: IrValue[],
): Compiled {
  const text = `list l "a list" = ["a", "b"]\nrule "T.Snippet" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  condition ${condition}\n}\n`;
  const parsed = parseSource("snippet.det", text);
  expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const decl = parsed.value.rules[0]!;
  const ir = lowerExpr(decl.condition!);
  const lists = new Map(parsed.value.lists.map((l) => [l.name, l]));
  const listValues = listValuesFor(lists, values ? new Map([["l", values]]) : undefined);
  const rule: LoadedRule = {
    decl,
    file: { path: "snippet.det", absolutePath: "/snippet.det", text, ast: parsed.value },
    outputStem: "snippet",
    ir: { id: decl.id, condition: ir, lists: listsUsed(ir) },
    diagnostics: [],
  };
  const ctx = { options, lists, listValues };
  const result = sentinelBackend.compile(rule, ctx);
  return {
    query: result.files[0] ? queryOf(result.files[0].content) : undefined,
    notes: result.notes,
    rule,
    ctx,
  };
}

/** Random detc conditions over every kind of field the backend distinguishes (a list `l` exists). */
export function conditionArbitrary(): fc.Arbitrary<string> {
  const paths = [
    "eventName",
    "errorCode",
    "sourceIPAddress",
    "readOnly",
    "eventTime",
    "userIdentity.sessionContext.attributes.mfaAuthenticated",
    "userIdentity",
    "errorCode.x",
    "requestParameters.x",
    'requestParameters."a b"',
    "requestParameters.items[1].and",
    "resources",
  ];
  const inner = ["@", "name", "a.b", '"x-y"'];
  const values = [
    '"a"',
    '""',
    '"5"',
    '"true"',
    "5",
    "1.5e3",
    "true",
    '"2026-01-01T00:00:00Z"',
    '"Kali\\n\\"q\\""',
  ];
  const leaf = (field: fc.Arbitrary<string>) =>
    fc.oneof(
      fc
        .tuple(field, fc.constantFrom("eq", "ne"), fc.constantFrom(...values), fc.boolean())
        .map(
          ([p, op, v, nocase]) => `${p} ${op} ${v}${nocase && v.startsWith('"') ? " nocase" : ""}`,
        ),
      fc
        .tuple(field, fc.constantFrom("lt", "ge"), fc.constantFrom('"m"', "5"))
        .map(([p, op, v]) => `${p} ${op} ${v}`),
      fc
        .tuple(
          field,
          fc.constantFrom("in", "not_in"),
          fc.constantFrom('["a", 5, true]', "$l", '[""]'),
        )
        .map(([p, op, v]) => `${p} ${op} ${v}`),
      fc
        .tuple(
          field,
          fc.constantFrom("contains", "starts_with", "ends_with"),
          fc.constantFrom('"a"', '""', '"I"'),
        )
        .map(([p, op, v]) => `${p} ${op} ${v}`),
      fc
        .tuple(field, fc.constantFrom("/^a.*b$/", "/x*/", "/\\d+/"))
        .map(([p, re]) => `${p} matches ${re}`),
      fc
        .tuple(field, fc.constantFrom('"10.0.0.0/8"', '"2001:db8::/32"'))
        .map(([p, r]) => `${p} cidr ${r}`),
      fc
        .tuple(field, fc.constantFrom("is_null", "is_not_null", "is_empty", "is_not_empty"))
        .map(([p, op]) => `${p} ${op}`),
    );
  return fc.letrec<{ top: string; body: string }>((tie) => ({
    top: fc.oneof(
      { depthSize: "small" },
      leaf(fc.constantFrom(...paths)),
      fc
        .tuple(tie("top"), fc.constantFrom("and", "or"), tie("top"))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie("top").map((a) => `not (${a})`),
      fc
        .tuple(
          fc.constantFrom("any", "all"),
          fc.constantFrom("requestParameters.items", "resources", "eventName"),
          tie("body"),
        )
        .map(([q, p, b]) => `${q} ${p} (${b})`),
    ),
    body: fc.oneof(
      { depthSize: "small" },
      leaf(fc.constantFrom(...inner)),
      fc
        .tuple(tie("body"), fc.constantFrom("and", "or"), tie("body"))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      tie("body").map((a) => `not (${a})`),
      fc
        .tuple(fc.constantFrom("any", "all"), fc.constantFrom("items", "a.b"), tie("body"))
        .map(([q, p, b]) => `${q} ${p} (${b})`),
    ),
  })).top;
}
