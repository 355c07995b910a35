// Golden files: the full analytics rule for the two seed rules (reviewed by eye) and for a rule using
// every construct; `UPDATE_GOLDEN=1` rewrites them. Plus the rule format (the Azure-Sentinel
// repository's template limits, schema-checked), determinism and the options.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import schema from "../../../src/backends/sentinel/rule-schema.json" with { type: "json" };
import { sentinelBackend } from "../../../src/backends/sentinel/index.js";
import { stableUuid } from "../../../src/compile/ids.js";
import {
  compileCorpora,
  compileProject,
  here,
  kql,
  queryOf,
  type CompiledEntry,
} from "./support.js";

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const casesDir = path.join(here, "cases");
const cases = readdirSync(casesDir).sort();

function compileCase(name: string): CompiledEntry {
  const input = path.join(casesDir, name, "input.det");
  const source = existsSync(input)
    ? path.relative(path.resolve(here, "../../.."), input)
    : `rules/aws/ec2/${name}.det`;
  const entries = compileProject([source]).entries;
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

describe("sentinel golden files", () => {
  it.each(cases)("%s", (name) => {
    const entry = compileCase(name);
    expect(entry.result.files.map((f) => f.path)).toHaveLength(1);
    const file = entry.result.files[0]!;
    const expectedPath = path.join(casesDir, name, "expected.yaml");
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(expectedPath, file.content);
    expect(file.content).toBe(readFileSync(expectedPath, "utf8"));
    expect(kql().check(queryOf(file.content))).toEqual([]);
  });

  it("the AMI rule filters successful ModifyImageAttribute calls and looks inside launchPermission.add.items", () => {
    const entry = compileCase("ami_modified_for_public_access");
    const doc = parseYaml(entry.result.files[0]!.content) as { query: string; id: string };
    expect(doc.id).toBe(stableUuid("AWS.CloudTrail.AMIModifiedForPublicAccess"));
    expect(doc.query).toContain(
      '| where isempty(ErrorCode)\n    and isempty(ErrorMessage)\n    and EventName == "ModifyImageAttribute"',
    );
    expect(doc.query).toContain("requestParameters.launchPermission.add.items");
    expect(doc.query).toContain('tostring(element1.group) == "all"');
    expect(doc.query).toContain(
      'not(gettype(element1.userId) == "string" and tostring(element1.userId) in (org_accounts))',
    );
    expect(doc.query).toContain('_GetWatchlist("org_accounts")');
    // errorCode/errorMessage is_null cannot tell "" from missing: reported, never hidden.
    expect(entry.result.notes.map((n) => n.fidelity)).toEqual(["broader", "broader"]);
    expect(entry.result.notes[0]!.reason).toMatch(/missing errorCode as "" in ErrorCode/);
  });
});

describe("the analytics rule format", () => {
  const entries = compileCorpora();
  const written = entries.filter((e) => e.result.files.length);

  it("every written rule matches the Azure-Sentinel template schema", () => {
    expect(written.length).toBeGreaterThan(40);
    const invalid = written.flatMap((e) => {
      const doc = parseYaml(e.result.files[0]!.content);
      return validate(doc) ? [] : [{ rule: e.rule.decl.id, errors: validate.errors }];
    });
    expect(invalid).toEqual([]);
  });

  it("the schema rejects what Sentinel's validation rejects", () => {
    const good = parseYaml(written[0]!.result.files[0]!.content) as Record<string, unknown>;
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, severity: "Critical" })).toBe(false);
    expect(validate({ ...good, customDetails: { RequestParametersImageId: "X" } })).toBe(false);
    expect(validate({ ...good, tactics: ["Defense Evasion"] })).toBe(false);
    expect(validate({ ...good, unknownKey: 1 })).toBe(false);
  });

  it("ids are stable GUIDs, outputs are byte-deterministic with one trailing newline", () => {
    const again = compileCorpora();
    expect(again.map((e) => e.result)).toEqual(entries.map((e) => e.result));
    for (const e of written) {
      const content = e.result.files[0]!.content;
      expect(content.endsWith("\n") && !content.endsWith("\n\n")).toBe(true);
      expect((parseYaml(content) as { id: string }).id).toBe(stableUuid(e.rule.decl.id));
      expect(e.result.files[0]!.path).toBe(`${e.rule.outputStem}.yaml`);
    }
    const ids = written.map((e) => (parseYaml(e.result.files[0]!.content) as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("an unsupported rule writes nothing and says why, at the construct", () => {
    for (const e of entries.filter((x) =>
      x.result.notes.some((n) => n.fidelity === "unsupported"),
    )) {
      expect(e.result.files).toEqual([]);
      for (const n of e.result.notes) {
        expect(n.reason.length).toBeGreaterThan(10);
        expect(n.span.file).toBe(e.rule.file.path);
      }
    }
    const undocumented = entries.find(
      (e) => e.rule.decl.id === "Examples.EC2.UndocumentedWorldIngress",
    )!;
    expect(
      undocumented.result.notes.some((n) =>
        /no column for the CloudTrail field status/.test(n.reason),
      ),
    ).toBe(true);
  });

  it("options: frequency and period from the config, checked; lists inline on request", () => {
    const { project } = compileProject(["rules/aws/ec2/ami_modified_for_public_access.det"]);
    const listValues = new Map([
      [
        "org_accounts",
        [
          { type: "string" as const, value: "123456789012" },
          { type: "number" as const, value: 42, text: "42" },
        ],
      ],
    ]);
    const result = sentinelBackend.compile(project.rules[0]!, {
      options: { queryFrequency: "5m", queryPeriod: "2h", listsAs: "inline" },
      lists: project.lists,
      listValues,
    });
    const doc = parseYaml(result.files[0]!.content) as {
      queryFrequency: string;
      queryPeriod: string;
      query: string;
    };
    expect([doc.queryFrequency, doc.queryPeriod]).toEqual(["5m", "2h"]);
    expect(doc.query).not.toContain("_GetWatchlist");
    // Inline values keep their types: the string by text, the number by value.
    expect(doc.query).toContain(
      'not((gettype(element1.userId) == "string" and tostring(element1.userId) == "123456789012") or (gettype(element1.userId) in ("int", "long", "real", "decimal") and toreal(element1.userId) == 42.0))',
    );
    for (const [options, message] of [
      [
        { queryFrequency: "2h", queryPeriod: "1h" },
        /queryPeriod \(1h\) must be at least queryFrequency \(2h\)/,
      ],
      [{ queryFrequency: "1m" }, /from 5m to 14d/],
      [{ queryPeriod: "15d" }, /from 5m to 14d/],
      [{ queryPeriod: 60 }, /from 5m to 14d/],
      [{ listsAs: "table" }, /listsAs must be watchlist or inline/],
      [{ frequency: "1h" }, /unknown sentinel option frequency/],
    ] as const) {
      const [entry] = compileProject(["rules/aws/ec2/ami_deregistered.det"], options).entries;
      expect(entry!.result.files).toEqual([]);
      expect(
        entry!.result.notes.some((n) => n.fidelity === "unsupported" && message.test(n.reason)),
      ).toBe(true);
    }
  });
});
