// The YAML spec: valid against Panther's rule schema, read the same by YAML 1.2 and 1.1 loaders,
// tests and mocks as Panther runs them; golden files; determinism; what is reported as unsupported.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { pantherBackend } from "../../../src/backends/panther/index.js";
import schema from "../../../src/backends/panther/rule-schema.json" with { type: "json" };
import { compileProject, here, repoRoot, tempDir, type CompiledEntry } from "./support.js";

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const exampleFiles = readdirSync(path.join(repoRoot, "grammar/examples/valid"))
  .filter((f) => f.endsWith(".det"))
  .sort()
  .map((f) => path.join("grammar/examples/valid", f));

let entries: CompiledEntry[] = [];

beforeAll(() => {
  entries = [compileProject(["rules"]), ...exampleFiles.map((f) => compileProject([f]))].flatMap(
    (c) => c.entries,
  );
});

const ymlOf = (entry: CompiledEntry) =>
  entry.result.files.find((f) => f.path.endsWith(".yml"))!.content;

describe("panther YAML spec", () => {
  it("every generated spec validates against Panther's rule schema", () => {
    expect(entries.length).toBeGreaterThan(2);
    const invalid = entries.flatMap((entry) => {
      const doc = parseYaml(ymlOf(entry));
      return validate(doc) ? [] : [{ rule: entry.rule.decl.id, errors: validate.errors }];
    });
    expect(invalid).toEqual([]);
  });

  it("the schema rejects what Panther's tool rejects", () => {
    const good = parseYaml(ymlOf(entries[0]!)) as Record<string, unknown>;
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, Unknown: 1 })).toBe(false);
    expect(validate({ ...good, RuleID: "a%b" })).toBe(false);
    expect(validate({ ...good, DisplayName: "Tom & Jerry" })).toBe(false);
    expect(validate({ ...good, LogTypes: ["AWS.Cloudtrail"] })).toBe(false);
    expect(validate({ ...good, LogTypes: ["Custom.MyLogs"] })).toBe(true);
    expect(validate({ ...good, Severity: "medium" })).toBe(false);
    const { Filename: _, ...noFilename } = good;
    expect(validate(noFilename)).toBe(false);
  });

  it("every spec's tests carry the rule's test events unchanged, also for a YAML 1.1 loader (PyYAML)", () => {
    const docs = entries.map((entry) => ({
      entry,
      text: ymlOf(entry),
      doc: parseYaml(ymlOf(entry)) as {
        Tests?: Array<{ Name: string; ExpectedResult: boolean; Log: unknown }>;
      },
    }));
    for (const { entry, doc } of docs) {
      const tests = entry.rule.decl.tests.filter((t) => t.event);
      expect((doc.Tests ?? []).map((t) => [t.Name, t.ExpectedResult, t.Log])).toEqual(
        tests.map((t) => [t.name, t.expect === "matches", t.event]),
      );
    }
    const dir = tempDir("detc-panther-yml-");
    const spec = path.join(dir, "docs.json");
    writeFileSync(spec, JSON.stringify(docs.map((d) => ({ text: d.text, expected: d.doc }))));
    const check = `
import json, sys
try:
    import yaml
except ImportError:
    print("null"); sys.exit(0)
docs = json.load(open(sys.argv[1], encoding="utf-8"))
print(json.dumps([i for i, d in enumerate(docs) if yaml.safe_load(d["text"]) != d["expected"]]))
`;
    const run = spawnSync("python3", ["-c", check, spec], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const mismatched = JSON.parse(run.stdout) as number[] | null;
    if (mismatched !== null) expect(mismatched.map((i) => docs[i]!.entry.rule.decl.id)).toEqual([]);
  });

  it("the seed rule AMIModifiedForPublicAccess has its six tests, with Mocks where lists were bound", () => {
    const entry = entries.find(
      (e) => e.rule.decl.id === "AWS.CloudTrail.AMIModifiedForPublicAccess",
    )!;
    const doc = parseYaml(ymlOf(entry)) as {
      Tests: Array<{ Name: string; ExpectedResult: boolean; Mocks?: unknown }>;
    };
    expect(doc.Tests.map((t) => t.Name)).toEqual([
      "AMI Made Public",
      "AMI Not Made Public",
      "AMI Launch Permissions Not Modified",
      "AMI Added to User",
      "Error Making AMI Public",
      "Access Granted To Unknown User",
    ]);
    const mocks = Object.fromEntries(
      doc.Tests.filter((t) => t.Mocks).map((t) => [t.Name, t.Mocks]),
    );
    expect(mocks).toEqual({
      "AMI Added to User": [{ objectName: "org_accounts", returnValue: '["bob"]' }],
      "Access Granted To Unknown User": [
        { objectName: "org_accounts", returnValue: '["123456789012"]' },
      ],
    });
    expect(ymlOf(entry)).toContain(`returnValue: '["bob"]'`);
  });

  it("output is byte-deterministic and every file ends with exactly one newline", () => {
    const again = [
      compileProject(["rules"]),
      ...exampleFiles.map((f) => compileProject([f])),
    ].flatMap((c) => c.entries);
    expect(again.map((e) => e.result)).toEqual(entries.map((e) => e.result));
    for (const file of entries.flatMap((e) => e.result.files)) {
      expect(file.content.endsWith("\n")).toBe(true);
      expect(file.content.endsWith("\n\n")).toBe(false);
      expect(file.content).not.toMatch(/[ \t]+\n/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Golden files: test/backends/panther/cases/<case>/expected.{py,yml}. A case with an input.det
// compiles that file; a case without one compiles the rule of the same file name under rules/.
// UPDATE_GOLDEN=1 rewrites the expected files.

const casesDir = path.join(here, "cases");
const cases = existsSync(casesDir)
  ? readdirSync(casesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];

function compileCase(name: string): CompiledEntry {
  const input = path.join(casesDir, name, "input.det");
  if (existsSync(input)) return compileProject([path.relative(repoRoot, input)]).entries[0]!;
  const entry = compileProject(["rules"]).entries.find(
    (e) => e.rule.outputStem.split("/").pop() === name,
  );
  if (!entry) throw new Error(`golden case ${name}: no input.det and no rules/**/${name}.det`);
  return entry;
}

describe("panther golden files", () => {
  it("has the seed rules among its cases", () => {
    expect(cases).toEqual(
      expect.arrayContaining(["ami_deregistered", "ami_modified_for_public_access"]),
    );
  });

  it.each(cases)("%s", (name) => {
    const entry = compileCase(name);
    expect(entry.result.notes).toEqual([]);
    for (const ext of ["py", "yml"]) {
      const actual = entry.result.files.find((f) => f.path.endsWith(`.${ext}`))!.content;
      const expectedPath = path.join(casesDir, name, `expected.${ext}`);
      if (process.env.UPDATE_GOLDEN === "1") {
        mkdirSync(path.dirname(expectedPath), { recursive: true });
        writeFileSync(expectedPath, actual);
      }
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// What Panther cannot say is reported, with no files.

function compileText(text: string, options: Record<string, unknown> = {}): CompiledEntry {
  const dir = tempDir("detc-panther-notes-");
  const rules = path.join(dir, "rules");
  mkdirSync(rules);
  writeFileSync(path.join(rules, "rule.det"), text);
  const project = compileProject([rules], options);
  expect(project.project.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return project.entries[0]!;
}

const ruleText = (
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

describe("panther: unsupported constructs and options", () => {
  it("a Unicode class in a regex is unsupported, at the matches, and no file is written", () => {
    const entry = compileText(
      ruleText("Test.Unicode", `eventName eq "x" and userAgent matches /\\p{Greek}+/`),
    );
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes).toHaveLength(1);
    const note = entry.result.notes[0]!;
    expect(note.fidelity).toBe("unsupported");
    expect(note.reason).toContain("\\p{Greek}");
    expect(entry.rule.file.text.slice(note.span.offset, note.span.end)).toBe(
      "userAgent matches /\\p{Greek}+/",
    );
  });

  it("a RuleID Panther rejects is unsupported", () => {
    const entry = compileText(ruleText("Test.100%", `eventName eq "x"`));
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes.map((n) => n.reason)).toEqual([expect.stringContaining("RuleID")]);
  });

  it("a log source without a Panther log type is unsupported unless options.logTypes maps it", () => {
    const text = ruleText("Test.Okta", `eventType eq "user.session.start"`, "", "okta.systemlog");
    const unmapped = compileText(text);
    expect(unmapped.result.files).toEqual([]);
    expect(unmapped.result.notes[0]!.reason).toContain("okta.systemlog");
    const mapped = compileText(text, { logTypes: { "okta.systemlog": "Okta.SystemLog" } });
    expect(mapped.result.notes).toEqual([]);
    expect(parseYaml(mapped.result.files[1]!.content).LogTypes).toEqual(["Okta.SystemLog"]);
    const overridden = compileText(ruleText("Test.CT", `eventName eq "x"`), {
      logTypes: { "aws.cloudtrail": ["AWS.CloudTrail", "Custom.CloudTrailCopy"] },
    });
    expect(parseYaml(overridden.result.files[1]!.content).LogTypes).toEqual([
      "AWS.CloudTrail",
      "Custom.CloudTrailCopy",
    ]);
  });

  it("a title with characters Panther rejects in DisplayName keeps them in title() and drops DisplayName", () => {
    const entry = compileText(
      ruleText("Test.Title", `eventName eq "x"`).replace(`"Title"`, `"Tom & Jerry's <test>"`),
    );
    const doc = parseYaml(entry.result.files[1]!.content) as Record<string, unknown>;
    expect(doc.DisplayName).toBeUndefined();
    expect(validate(doc)).toBe(true);
    expect(entry.result.files[0]!.content).toContain(`return "Tom & Jerry's <test>"`);
  });

  it("the backend contract: name, capabilities, two files for a rule with IR", () => {
    expect(pantherBackend.name).toBe("panther");
    expect(Object.values(pantherBackend.capabilities).every((c) => c === "exact")).toBe(true);
    const entry = compileText(ruleText("Test.Files", `eventName eq "x"`));
    expect(entry.result.files.map((f) => f.path)).toEqual(["rule.py", "rule.yml"]);
  });
});
