// The conformance corpus of grammar/examples: valid rules load cleanly and pass their own tests;
// each invalid file produces exactly the diagnostics in its sibling `.expected` file.
// UPDATE_GOLDEN=1 npx vitest run test/grammar/conformance.test.ts rewrites the .expected files
// (review every changed line: messages must say what was expected, in the language's words).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Codes } from "../../src/diagnostics/codes.js";
import { renderCompact } from "../../src/diagnostics/render.js";
import { loadProject } from "../../src/project/project.js";
import type { Expr, FieldPath, RuleFile } from "../../src/syntax/ast.js";
import { metadataKeys } from "../../src/syntax/ast.js";
import { parseSource } from "../../src/syntax/index.js";
import { runTests } from "../../src/testing/run.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const validDir = "grammar/examples/valid";
const invalidDir = "grammar/examples/invalid";
const update = process.env.UPDATE_GOLDEN === "1";

const detFiles = (dir: string) =>
  readdirSync(`${root}${dir}`)
    .filter((n) => n.endsWith(".det"))
    .sort();
const validFiles = detFiles(validDir);
const invalidFiles = detFiles(invalidDir);

const load = (paths: string[]) => loadProject(paths, { cwd: root });

describe("valid examples", () => {
  it("there are at least 12", () => {
    expect(validFiles.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of validFiles) {
    it(`${name}: no diagnostics, a complete aws.cloudtrail rule, every test passes`, () => {
      const project = load([`${validDir}/${name}`]);
      expect(project.diagnostics.map(renderCompact)).toEqual([]);
      expect(project.rules.length).toBeGreaterThan(0);
      for (const rule of project.rules) {
        expect(rule.decl.meta.logsource).toBe("aws.cloudtrail");
        expect(rule.ir, `${rule.decl.id} lowers to IR`).toBeDefined();
        const expects = new Set(rule.decl.tests.map((t) => t.expect));
        expect(expects, `${rule.decl.id} has a matches and an ignores test`).toEqual(
          new Set(["matches", "ignores"]),
        );
      }
      const report = runTests(project);
      const testCount = project.rules.reduce((n, r) => n + r.decl.tests.length, 0);
      expect(report.outcomes.length, "every test ran").toBe(testCount);
      const failures = report.outcomes
        .filter((o) => !o.passed)
        .map((o) => `${o.name}: expected ${o.expected}, got ${o.actual}`);
      expect(failures).toEqual([]);
    });
  }

  it("the whole folder loads together without diagnostics (list names are distinct)", () => {
    const project = load([validDir]);
    expect(project.diagnostics.map(renderCompact)).toEqual([]);
    expect(project.rules.length).toBe(validFiles.length);
    expect(runTests(project).failed).toBe(0);
  });

  it("together cover every metadata key, operator and construct of the language", () => {
    const features = new Set<string>();
    const texts: string[] = [];
    for (const name of validFiles) {
      const text = readFileSync(`${root}${validDir}/${name}`, "utf8");
      texts.push(text);
      const project = load([`${validDir}/${name}`]);
      for (const file of project.files) collectFileFeatures(file.ast, features);
    }
    const all = texts.join("\n");
    if (all.includes('"""')) features.add("block string");
    if (/^\s*#/m.test(all)) features.add("comment");

    const required = [
      ...metadataKeys.map((k) => `meta:${k}`),
      "meta:enabled=false",
      "list:with-defaults",
      "list:without-defaults",
      ...["eq", "ne", "lt", "le", "gt", "ge"].map((op) => `compare:${op}`),
      "compare:eq:nocase",
      "compare:ne:nocase",
      "set:in:values",
      "set:in:named",
      "set:not_in:values",
      "set:not_in:named",
      "set:in:nocase",
      "set:not_in:nocase",
      ...["contains", "starts_with", "ends_with"].flatMap((op) => [
        `string:${op}`,
        `string:${op}:nocase`,
      ]),
      "matches",
      "matches:nocase",
      "cidr:ipv4",
      "cidr:ipv6",
      ...["is_null", "is_not_null", "is_empty", "is_not_empty"].map((op) => `presence:${op}`),
      "any:objects",
      "all:objects",
      "any:@",
      "all:@",
      "any:nested",
      "not",
      "and",
      "or",
      "path:quoted-segment",
      "path:quoted-condition-word",
      "path:index",
      "path:soft-word-head",
      "test:matches",
      "test:ignores",
      "test:with",
      "test:with-several",
      "test:from",
      "block string",
      "comment",
    ];
    expect(required.filter((f) => !features.has(f))).toEqual([]);
  });
});

describe("invalid examples", () => {
  it("there are at least 20, each with a sibling .expected file (and no stray .expected)", () => {
    expect(invalidFiles.length).toBeGreaterThanOrEqual(20);
    const expectedFiles = readdirSync(`${root}${invalidDir}`).filter((n) =>
      n.endsWith(".expected"),
    );
    if (!update) {
      expect(expectedFiles.map((n) => n.replace(/\.expected$/, ".det")).sort()).toEqual(
        invalidFiles,
      );
    }
  });

  for (const name of invalidFiles) {
    it(`${name} gives exactly its .expected diagnostics`, () => {
      const project = load([`${invalidDir}/${name}`]);
      const actual = project.diagnostics.map(renderCompact);
      expect(actual.length, "an invalid example reports at least one error").toBeGreaterThan(0);
      const expectedPath = `${root}${invalidDir}/${name.replace(/\.det$/, ".expected")}`;
      if (update) writeFileSync(expectedPath, `${actual.join("\n")}\n`);
      expect(existsSync(expectedPath), `${expectedPath} exists (UPDATE_GOLDEN=1 writes it)`).toBe(
        true,
      );
      const expected = readFileSync(expectedPath, "utf8")
        .split("\n")
        .filter((l) => l !== "");
      expect(actual).toEqual(expected);
    });
  }

  it("messages speak the language's words, never token class names", () => {
    const tokenNames =
      /\b(Kw_\w+|StringLiteral|NumberLiteral|RegexLiteral|BlockString|Identifier|AnyWord|ListRef|AttackPair|LBrace|RBrace|LParen|RParen|LBracket|RBracket|EOF)\b/;
    for (const name of invalidFiles) {
      for (const d of load([`${invalidDir}/${name}`]).diagnostics)
        expect(d.message).not.toMatch(tokenNames);
    }
  });

  it("every lexical, syntax, rule and test code (DETC1xxx-3xxx) has an example", () => {
    // Codes no single .det file can produce, and why.
    const unreachable: Record<string, string> = {};
    const seen = new Set<string>();
    for (const name of invalidFiles) {
      const text = readFileSync(
        `${root}${invalidDir}/${name.replace(/\.det$/, ".expected")}`,
        "utf8",
      );
      for (const m of text.matchAll(/ (DETC\d{4}): /g)) seen.add(m[1]!);
    }
    const languageCodes = Object.values(Codes)
      .map((c) => c.code)
      .filter((c) => /^DETC[123]/.test(c));
    expect(languageCodes.filter((c) => !seen.has(c) && !(c in unreachable))).toEqual([]);
    expect(
      Object.keys(unreachable).filter((c) => seen.has(c)),
      "now reachable: remove from the list",
    ).toEqual([]);
  });

  it("a missing final '}' still yields the rest of the rule", () => {
    const file = `${invalidDir}/missing_closing_brace.det`;
    const parsed = parseSource(file, readFileSync(`${root}${file}`, "utf8"));
    const rule = parsed.value.rules[0]!;
    expect(rule.id).toBe("Invalid.MissingBrace");
    expect(rule.meta.title).toBe("Missing closing brace");
    expect(rule.condition?.kind).toBe("compare");
    expect(rule.tests.map((t) => t.name)).toEqual(["Trail deleted"]);
  });
});

// ---- feature collection over the AST ---------------------------------------------------------

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const conditionWords = new Set(
  "and or not any all in not_in eq ne lt le gt ge contains starts_with ends_with matches cidr is_null is_not_null is_empty is_not_empty nocase true false null".split(
    " ",
  ),
);
const softWords = new Set([
  "rule",
  "list",
  "test",
  "ignores",
  "with",
  "from",
  "condition",
  ...metadataKeys,
]);

function collectFileFeatures(file: RuleFile, out: Set<string>): void {
  for (const list of file.lists)
    out.add(list.defaults ? "list:with-defaults" : "list:without-defaults");
  for (const rule of file.rules) {
    for (const key of Object.keys(rule.metaSpans)) out.add(`meta:${key}`);
    if (!rule.meta.enabled) out.add("meta:enabled=false");
    for (const test of rule.tests) {
      out.add(`test:${test.expect}`);
      if (test.bindings.length > 0) out.add("test:with");
      if (test.bindings.length > 1) out.add("test:with-several");
      if (test.fromFile !== undefined) out.add("test:from");
    }
    if (rule.condition) collectExprFeatures(rule.condition, out, false);
  }
}

function collectPathFeatures(path: FieldPath, source: string, out: Set<string>): void {
  if (path.self) return;
  const head = path.segments[0];
  if (typeof head === "string" && softWords.has(head)) out.add("path:soft-word-head");
  // Quoting is only visible in the source text the path span covers.
  if (source.startsWith('"') && typeof head === "string" && conditionWords.has(head))
    out.add("path:quoted-condition-word");
  for (const s of path.segments) {
    if (typeof s === "number") out.add("path:index");
    else if (!identifier.test(s)) out.add("path:quoted-segment");
  }
}

function collectExprFeatures(expr: Expr, out: Set<string>, inQuantifier: boolean): void {
  const source = (p: FieldPath) => readSpan(p);
  switch (expr.kind) {
    case "constant":
      out.add("constant");
      return;
    case "and":
    case "or":
      out.add(expr.kind);
      expr.operands.forEach((e) => collectExprFeatures(e, out, inQuantifier));
      return;
    case "not":
      out.add("not");
      collectExprFeatures(expr.operand, out, inQuantifier);
      return;
    case "quantified": {
      if (inQuantifier) out.add(`${expr.quantifier}:nested`);
      const usesSelf = exprUsesSelf(expr.body);
      out.add(`${expr.quantifier}:${usesSelf ? "@" : "objects"}`);
      collectPathFeatures(expr.path, source(expr.path), out);
      collectExprFeatures(expr.body, out, true);
      return;
    }
    case "compare":
      out.add(`compare:${expr.op}`);
      if (expr.nocase) out.add(`compare:${expr.op}:nocase`);
      break;
    case "set": {
      const op = expr.negated ? "not_in" : "in";
      out.add(`set:${op}:${expr.list.kind}`);
      if (expr.nocase) out.add(`set:${op}:nocase`);
      break;
    }
    case "string":
      out.add(`string:${expr.op}`);
      if (expr.nocase) out.add(`string:${expr.op}:nocase`);
      break;
    case "matches":
      out.add(expr.nocase ? "matches:nocase" : "matches");
      break;
    case "cidr":
      out.add(expr.range.includes(":") ? "cidr:ipv6" : "cidr:ipv4");
      break;
    case "presence":
      out.add(`presence:${expr.op}`);
      break;
  }
  collectPathFeatures(expr.path, source(expr.path), out);
}

function exprUsesSelf(expr: Expr): boolean {
  switch (expr.kind) {
    case "and":
    case "or":
      return expr.operands.some(exprUsesSelf);
    case "not":
      return exprUsesSelf(expr.operand);
    case "quantified":
      return false; // `@` inside a nested quantifier is that quantifier's element
    case "constant":
      return false;
    default:
      return expr.path.self;
  }
}

const fileTexts = new Map<string, string>();
function readSpan(path: FieldPath): string {
  const file = path.span.file;
  let text = fileTexts.get(file);
  if (text === undefined) {
    text = readFileSync(`${root}${file}`, "utf8");
    fileTexts.set(file, text);
  }
  return text.slice(path.span.offset, path.span.end);
}
