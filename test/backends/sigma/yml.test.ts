// The Sigma documents: valid against Sigma's JSON schema (draft 2020-12), conditions that parse and
// name only defined selections, metadata mapped from the rule and the options, golden files,
// determinism, and what is reported as unsupported.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsPlugin from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { checkCondition, parseCondition } from "../../../src/backends/sigma/condition.js";
import { sigmaBackend } from "../../../src/backends/sigma/index.js";
import { readSigma } from "../../../src/backends/sigma/reader.js";
import { stableUuid } from "../../../src/compile/ids.js";
import {
  compileCorpora,
  compileProject,
  compileText,
  here,
  repoRoot,
  ruleText,
  type CompiledEntry,
} from "./support.js";

const schema = JSON.parse(
  readFileSync(
    path.join(repoRoot, "../shared/data/sigma-schema/sigma-detection-rule-schema.json"),
    "utf8",
  ),
);
const ajv = new Ajv2020({ allErrors: true, strict: false });
// ajv-formats is CommonJS: its default export arrives wrapped or not depending on the loader.
const addFormats = ((formatsPlugin as { default?: unknown }).default ?? formatsPlugin) as (
  a: Ajv2020,
) => Ajv2020;
addFormats(ajv);
const validate = ajv.compile(schema);

let entries: CompiledEntry[] = [];
beforeAll(() => {
  entries = compileCorpora();
});

const docOf = (entry: CompiledEntry) =>
  parseYaml(entry.result.files[0]!.content) as Record<string, any>;

describe("sigma documents", () => {
  it("every generated rule validates against Sigma's detection rule schema", () => {
    const written = entries.filter((e) => e.result.files.length);
    expect(written.length).toBeGreaterThan(2);
    const invalid = written.flatMap((e) =>
      validate(docOf(e)) ? [] : [{ rule: e.rule.decl.id, errors: validate.errors }],
    );
    expect(invalid).toEqual([]);
  });

  it("every condition parses and names only defined selections; every selection is used", () => {
    for (const e of entries.filter((x) => x.result.files.length)) {
      const detection = docOf(e).detection as Record<string, unknown>;
      const names = Object.keys(detection).filter((k) => k !== "condition");
      const checked = checkCondition(detection.condition as string, names);
      expect({ rule: e.rule.decl.id, errors: checked.errors }).toEqual({
        rule: e.rule.decl.id,
        errors: [],
      });
      for (const name of names)
        expect(detection.condition as string).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it("a file is written exactly when the rule is not unsupported, one per rule, at <stem>.yml", () => {
    for (const e of entries) {
      expect(e.result.files.length).toBe(e.fidelity === "unsupported" ? 0 : 1);
      if (e.result.files.length) expect(e.result.files[0]!.path).toBe(`${e.rule.outputStem}.yml`);
      if (e.fidelity === "unsupported") {
        const kinds = new Set(e.result.notes.map((n) => n.fidelity));
        expect(kinds.has("unsupported") || (kinds.has("broader") && kinds.has("narrower"))).toBe(
          true,
        );
      }
    }
  });

  it("output is byte-deterministic and every file ends with exactly one newline", () => {
    expect(compileCorpora().map((e) => e.result)).toEqual(entries.map((e) => e.result));
    for (const file of entries.flatMap((e) => e.result.files)) {
      expect(file.content.endsWith("\n")).toBe(true);
      expect(file.content.endsWith("\n\n")).toBe(false);
      expect(file.content).not.toMatch(/[ \t]+\n/);
    }
  });

  it("reads the same with a YAML 1.1 loader's rules: no plain scalar that 1.1 would read differently", () => {
    // YAML 1.1 turns yes/no/on/off, 1_000, 1:20 and dates into other types: every such string is quoted.
    for (const e of entries.filter((x) => x.result.files.length)) {
      const doc = parseYaml(e.result.files[0]!.content, { version: "1.1" });
      expect(doc).toEqual(docOf(e));
    }
  });
});

describe("sigma metadata", () => {
  it("maps id, status, level, tags, logsource, references, fields, falsepositives and author", () => {
    const entry = compileText(
      ruleText(
        "Test.Meta",
        `eventName eq "x"`,
        `  attack TA0010:T1537, TA0005:T1562.008
  status test
  author "Ann", "Bob"
  reference "https://a.example/x", "https://a.example/x"
  falsepositives "Backups", "x"
  output eventName, userIdentity.arn, items[0]
  tags "AWS", "Free text"`,
      ).replace("severity  high", "severity  info"),
    );
    const doc = docOf(entry);
    expect(doc.id).toBe(stableUuid("Test.Meta"));
    expect(doc.status).toBe("test");
    expect(doc.level).toBe("informational");
    expect(doc.author).toBe("Ann, Bob");
    expect(doc.tags).toEqual([
      "attack.exfiltration",
      "attack.t1537",
      "attack.defense-evasion",
      "attack.t1562.008",
    ]);
    expect(doc.logsource).toEqual({ product: "aws", service: "cloudtrail" });
    expect(doc.references).toEqual(["https://a.example/x"]);
    expect(doc.fields).toEqual(["eventName", "userIdentity.arn"]);
    expect(doc.falsepositives).toEqual(["Backups"]);
    expect(doc.date).toBeUndefined();
    expect(validate(doc)).toBe(true);
  });

  it("date, author and status come from the options when the rule has none; a bad date is reported", () => {
    const text = ruleText("Test.Options", `eventName eq "x"`);
    const doc = docOf(
      compileText(text, { date: "2026-03-04", author: "Detection team", status: "experimental" }),
    );
    expect([doc.date, doc.author, doc.status]).toEqual([
      "2026-03-04",
      "Detection team",
      "experimental",
    ]);
    expect(validate(doc)).toBe(true);
    expect(docOf(compileText(text, { date: new Date("2026-03-04T00:00:00Z") })).date).toBe(
      "2026-03-04",
    );
    for (const date of ["2026-02-30", "4 March", 20260304]) {
      const bad = compileText(text, { date });
      expect(bad.result.files).toEqual([]);
      expect(bad.result.notes.map((n) => n.reason)).toEqual([expect.stringContaining("date")]);
    }
  });

  it("a log source without a Sigma logsource is unsupported unless options.logsources maps it", () => {
    const text = ruleText("Test.Okta", `eventType eq "user.session.start"`, "", "okta.systemlog");
    expect(compileText(text).result.notes[0]!.reason).toContain("okta.systemlog");
    const mapped = compileText(text, {
      logsources: { "okta.systemlog": { product: "okta", service: "okta" } },
    });
    expect(docOf(mapped).logsource).toEqual({ product: "okta", service: "okta" });
  });

  it("a title longer than the schema allows is unsupported, at the title", () => {
    const entry = compileText(
      ruleText("Test.Long", `eventName eq "x"`).replace(`"Title"`, JSON.stringify("t".repeat(257))),
    );
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes.map((n) => [n.fidelity, n.span])).toEqual([
      ["unsupported", entry.rule.decl.metaSpans.title],
    ]);
  });

  it("reports an unsupported construct at its own span", () => {
    const entry = compileText(
      ruleText("Test.Unsupported", `eventName eq "x" and userAgent matches /\\bcurl\\b/`),
    );
    expect(entry.result.files).toEqual([]);
    const note = entry.result.notes[0]!;
    expect(note.fidelity).toBe("unsupported");
    expect(note.reason).toContain("\\b");
    expect(entry.rule.file.text.slice(note.span.offset, note.span.end)).toBe(
      "userAgent matches /\\bcurl\\b/",
    );
  });

  it("the backend contract: name and capabilities", () => {
    expect(sigmaBackend.name).toBe("sigma");
    expect(sigmaBackend.capabilities["fixed-index"]).toBe("unsupported");
    expect(sigmaBackend.capabilities["quantified-any"]).toBe("broader");
  });
});

describe("sigma selections and conditions", () => {
  const detectionOf = (condition: string) =>
    docOf(compileText(ruleText("Test.Shape", condition))).detection;

  it("ANDed fields share one map; values of one field in an or share one list; null stands alone", () => {
    expect(
      detectionOf(
        `eventSource eq "ec2.amazonaws.com" and eventName in ["A", "B"] and errorCode is_null`,
      ),
    ).toEqual({
      selection: { "eventSource|cased": "ec2.amazonaws.com", "eventName|cased": ["A", "B"] },
      selection_error_code_null: { errorCode: null },
      condition: "selection and selection_error_code_null",
    });
    expect(
      detectionOf(`eventName eq "A" or eventName eq "B" or userAgent contains "curl"`),
    ).toEqual({
      selection_event_name: [
        { "eventName|cased": ["A", "B"] },
        { "userAgent|contains|cased": "curl" },
      ],
      condition: "selection_event_name",
    });
  });

  it("negated tests gather in a filter under not (De Morgan), and nested junctions are bracketed", () => {
    expect(
      detectionOf(
        `eventName eq "A" and eventSource ne "x" and userAgent not_in ["y", "z"] and errorCode is_not_null`,
      ),
    ).toEqual({
      selection_event_name: { "eventName|cased": "A" },
      filter_event_source: [{ "eventSource|cased": "x" }, { "userAgent|cased": ["y", "z"] }],
      filter_error_code_null: { errorCode: null },
      condition: "selection_event_name and not filter_event_source and not filter_error_code_null",
    });
    expect(detectionOf(`a eq "p" and (b eq "q" or c ne "r")`).condition).toBe(
      "selection_a and (selection_b or not filter_c)",
    );
  });

  it("condition parser: precedence, x of, them, and errors", () => {
    expect(parseCondition("a or b and not c").ast).toEqual({
      kind: "or",
      left: { kind: "ref", name: "a" },
      right: {
        kind: "and",
        left: { kind: "ref", name: "b" },
        right: { kind: "not", operand: { kind: "ref", name: "c" } },
      },
    });
    expect(parseCondition("1 of selection* and not all of them").ast).toEqual({
      kind: "and",
      left: { kind: "of", quantifier: "1", pattern: "selection*" },
      right: { kind: "not", operand: { kind: "of", quantifier: "all", pattern: "them" } },
    });
    expect(checkCondition("selection and not filter", ["selection"]).errors).toEqual([
      "the condition names 'filter', which is not a selection",
    ]);
    expect(checkCondition("1 of filter_*", ["selection"]).errors).toEqual([
      "'1 of filter_*' matches no selection",
    ]);
    for (const bad of ["", "a and", "(a", "a b", "not", "a | b", "and"])
      expect(parseCondition(bad).errors).toHaveLength(1);
  });

  it("the reader rejects what is outside the subset", () => {
    const doc = (detection: string) =>
      `title: t\nlogsource: {product: aws}\ndetection:\n${detection}`;
    expect(readSigma(doc("  keywords: [a, b]\n  condition: keywords")).errors[0]).toContain(
      "keyword",
    );
    expect(readSigma(doc("  sel: {a|base64: x}\n  condition: sel")).errors[0]).toContain(
      "unknown modifier",
    );
    expect(readSigma(doc("  sel: {a|re: '\\d'}\n  condition: sel")).errors[0]).toContain("subset");
    expect(readSigma(doc("  sel: {a: x}\n  condition: sel and other")).errors[0]).toContain(
      "other",
    );
    expect(readSigma(doc("  sel: {a: x}\n  condition: sel")).errors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Golden files: test/backends/sigma/cases/<case>/expected.yml. A case with an input.det compiles that
// file; a case without one compiles the rule of the same file name under rules/. UPDATE_GOLDEN=1
// rewrites the expected files.

const casesDir = path.join(here, "cases");
const cases = existsSync(casesDir)
  ? readdirSync(casesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];

function compileCase(name: string): CompiledEntry {
  const input = path.join(casesDir, name, "input.det");
  if (existsSync(input))
    return compileProject([path.relative(repoRoot, input)], { date: "2026-03-04", author: "detc" })
      .entries[0]!;
  const entry = compileProject(["rules"]).entries.find(
    (e) => e.rule.outputStem.split("/").pop() === name,
  );
  if (!entry) throw new Error(`golden case ${name}: no input.det and no rules/**/${name}.det`);
  return entry;
}

describe("sigma golden files", () => {
  it("has the seed rules among its cases", () => {
    expect(cases).toEqual(
      expect.arrayContaining(["ami_deregistered", "ami_modified_for_public_access"]),
    );
  });

  it.each(cases)("%s", (name) => {
    const entry = compileCase(name);
    const expectedPath = path.join(casesDir, name, "expected.yml");
    const notesPath = path.join(casesDir, name, "expected-notes.txt");
    const actual = entry.result.files[0]?.content ?? "";
    const notes =
      entry.result.notes
        .map((n) => `${n.span.line}:${n.span.column} ${n.fidelity}: ${n.reason}`)
        .join("\n") + "\n";
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(path.dirname(expectedPath), { recursive: true });
      writeFileSync(expectedPath, actual);
      writeFileSync(notesPath, notes);
    }
    expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    expect(notes).toBe(readFileSync(notesPath, "utf8"));
  });
});
