// The CloudFormation and Terraform files: every .cfn.yaml checked against the CloudFormation
// resource specification, every .tf parsed by an HCL parser with the pattern read back equal to the
// rendered one; golden files; determinism.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { hclIdentifier } from "../../../src/backends/cloudwatch/escape.js";
import { parsePattern } from "../../../src/backends/cloudwatch/pattern/parse.js";
import { renderPattern } from "../../../src/backends/cloudwatch/renderer.js";
import { checkTemplate } from "./spec.js";
import {
  compileCorpus,
  compileProject,
  compileText,
  fileOf,
  here,
  repoRoot,
  ruleText,
  type CompiledEntry,
} from "./support.js";

let entries: CompiledEntry[] = [];
let written: CompiledEntry[] = [];

beforeAll(() => {
  entries = compileCorpus();
  written = entries.filter((e) => e.result.files.length > 0);
});

/**
 * hcl2json gives a quoted string's template text with its escapes (`$${`, `%%{`) kept; read it the
 * way Terraform does, left to right.
 */
function fromHclJson(s: string): string {
  let out = "";
  for (let i = 0; i < s.length;) {
    const three = s.slice(i, i + 3);
    if (three === "$${" || three === "%%{") {
      out += three.slice(1);
      i += 3;
    } else out += s[i++];
  }
  return out;
}

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function hclOf(content: string): Promise<Doc> {
  return (await parseHcl("rule.tf", content)) as Doc;
}

describe("CloudFormation templates", () => {
  it("most corpus rules produce files, and every rule either has files or an unsupported note", () => {
    expect(written.length).toBeGreaterThan(entries.length / 2);
    for (const e of entries)
      if (e.result.files.length === 0)
        expect(e.result.notes.some((n) => n.fidelity === "unsupported")).toBe(true);
  });

  it("every .cfn.yaml is valid against the CloudFormation resource specification", () => {
    const problems = written.flatMap((e) => {
      const errors = checkTemplate(parseYaml(fileOf(e.result, ".cfn.yaml")!));
      return errors.length ? [{ rule: e.rule.decl.id, errors }] : [];
    });
    expect(problems).toEqual([]);
  });

  it("every FilterPattern is the rendered pattern, parses, and fits the limits", () => {
    for (const e of written) {
      const doc = parseYaml(fileOf(e.result, ".cfn.yaml")!) as Doc;
      const pattern = doc.Resources.MetricFilter.Properties.FilterPattern as string;
      const rendered = renderPattern(e.rule.ir!.condition, {
        arrayIndexes: 5,
        listValues: e.ctx.listValues,
      });
      expect(rendered.ok && rendered.text).toBe(pattern);
      expect(parsePattern(pattern).ok).toBe(true);
      expect([...pattern].length).toBeLessThanOrEqual(1024);
      // the alarm watches the metric the filter writes
      const mt = doc.Resources.MetricFilter.Properties.MetricTransformations[0];
      expect(doc.Resources.Alarm.Properties.MetricName).toBe(mt.MetricName);
      expect(doc.Resources.Alarm.Properties.Namespace).toBe(mt.MetricNamespace);
      expect(doc.Resources.Alarm.Properties.AlarmActions).toEqual([{ Ref: "AlarmTopicArn" }]);
      expect(doc.Metadata.detc.RuleId).toBe(e.rule.decl.id);
    }
  });

  it("the checker rejects what CloudFormation would", () => {
    const doc = parseYaml(fileOf(written[0]!.result, ".cfn.yaml")!) as Doc;
    const broken = structuredClone(doc);
    broken.Resources.MetricFilter.Properties.Pattern = "x";
    delete broken.Resources.MetricFilter.Properties.LogGroupName;
    broken.Resources.MetricFilter.Properties.MetricTransformations[0].Unit = "Counts";
    broken.Resources.Alarm.Properties.Period = "300";
    broken.Resources.Alarm.Properties.ComparisonOperator = "GreaterThan";
    broken.Resources.Alarm.Properties.AlarmActions = [{ Ref: "NoSuchTopic" }];
    broken.Resources.Other = { Type: "AWS::Logs::MetricFilterX", Properties: {} };
    const errors = checkTemplate(broken);
    for (const expected of [
      "Pattern: unknown property",
      "LogGroupName: required",
      'Unit: "Counts"',
      "Period: expected an integer",
      "ComparisonOperator",
      "NoSuchTopic",
      "unknown resource type",
    ])
      expect(
        errors.some((e) => e.includes(expected)),
        expected,
      ).toBe(true);
  });
});

describe("Terraform files", () => {
  it("every .tf parses as HCL, and the pattern and names read back equal", async () => {
    for (const e of written) {
      const tf = await hclOf(fileOf(e.result, ".tf")!);
      const id = hclIdentifier(e.rule.outputStem);
      const filter = tf.resource.aws_cloudwatch_log_metric_filter[id][0];
      const alarm = tf.resource.aws_cloudwatch_metric_alarm[id][0];
      const cfn = parseYaml(fileOf(e.result, ".cfn.yaml")!) as Doc;
      expect(fromHclJson(filter.pattern)).toBe(cfn.Resources.MetricFilter.Properties.FilterPattern);
      expect(filter.name).toBe(cfn.Resources.MetricFilter.Properties.FilterName);
      expect(filter.log_group_name).toBe(`\${var.${id}_log_group_name}`);
      expect(filter.metric_transformation[0]).toMatchObject({
        value: "1",
        namespace: cfn.Resources.Alarm.Properties.Namespace,
      });
      expect(alarm).toMatchObject({
        statistic: "Sum",
        treat_missing_data: "notBreaching",
        comparison_operator: "GreaterThanOrEqualToThreshold",
        period: 300,
        threshold: 1,
      });
      expect(alarm.alarm_actions).toEqual([`\${var.${id}_alarm_topic_arn}`]);
      expect(Object.keys(tf.variable).sort()).toEqual([
        `${id}_alarm_topic_arn`,
        `${id}_log_group_name`,
      ]);
    }
  });

  it("resource and variable names are unique across the corpus (files in one folder form one module)", () => {
    const ids = written.map((e) => hclIdentifier(e.rule.outputStem));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("template sequences in values are escaped: ${ and %{ reach CloudWatch literally", async () => {
    const e = compileText(
      ruleText("Esc.Template", `eventName eq "\${x}" and userAgent eq "%{y} $\${z}"`),
    );
    const pattern = renderPattern(e.rule.ir!.condition, { arrayIndexes: 5, listValues: new Map() });
    expect(pattern.ok && pattern.text).toBe(
      '{ $.eventName = "${x}" && $.userAgent = "%{y} $${z}" }',
    );
    const tfText = fileOf(e.result, ".tf")!;
    expect(tfText).toContain(
      'pattern        = "{ $.eventName = \\"$${x}\\" && $.userAgent = \\"%%{y} $$${z}\\" }"',
    );
    const tf = await hclOf(tfText);
    const id = hclIdentifier(e.rule.outputStem);
    expect(fromHclJson(tf.resource.aws_cloudwatch_log_metric_filter[id][0].pattern)).toBe(
      pattern.ok && pattern.text,
    );
  });
});

describe("determinism and layout", () => {
  it("compiling twice gives byte-identical files with exactly one trailing newline", () => {
    const again = compileCorpus();
    expect(again.map((e) => e.result.files)).toEqual(entries.map((e) => e.result.files));
    for (const e of written)
      for (const f of e.result.files) {
        expect(f.content.endsWith("\n") && !f.content.endsWith("\n\n")).toBe(true);
        expect(f.content).not.toMatch(/[ \t]+\n/);
        expect(f.path).toMatch(new RegExp(`^${e.rule.outputStem}\\.(cfn\\.yaml|tf)$`));
      }
  });
});

// Golden files: cases/<case>/expected.{cfn.yaml,tf}; a case with input.det compiles it, else the
// rule of that file name under rules/. UPDATE_GOLDEN=1 rewrites them.
const casesDir = path.join(here, "cases");
const cases = existsSync(casesDir)
  ? readdirSync(casesDir)
      .filter((d) => !d.startsWith("."))
      .sort()
  : [];

describe("golden files", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThanOrEqual(2));
  it.each(cases)("%s", (name) => {
    const input = path.join(casesDir, name, "input.det");
    const entry = existsSync(input)
      ? compileProject([path.relative(repoRoot, input)]).entries[0]!
      : compileProject(["rules"]).entries.find((e) => e.rule.outputStem.split("/").pop() === name)!;
    expect(entry.result.notes.filter((n) => n.fidelity === "unsupported")).toEqual([]);
    expect(entry.result.files.length).toBe(2);
    for (const ext of ["cfn.yaml", "tf"]) {
      const actual = fileOf(entry.result, `.${ext}`)!;
      const expectedPath = path.join(casesDir, name, `expected.${ext}`);
      if (process.env.UPDATE_GOLDEN === "1") {
        mkdirSync(path.dirname(expectedPath), { recursive: true });
        writeFileSync(expectedPath, actual);
      }
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    }
  });
});
