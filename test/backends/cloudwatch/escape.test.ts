// Random string values (quotes, backslashes, `*`, `%`, `${`, `%{`, control characters, unicode) give
// valid patterns, valid YAML and valid HCL that read back to the same text, or an explicit
// `unsupported` where the pattern syntax cannot carry them.
import { parse as parseHcl } from "@cdktf/hcl2json";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { hclIdentifier, hclString, yamlString } from "../../../src/backends/cloudwatch/escape.js";
import { patternMatches } from "../../../src/backends/cloudwatch/pattern/evaluate.js";
import { parsePattern } from "../../../src/backends/cloudwatch/pattern/parse.js";
import { renderPattern } from "../../../src/backends/cloudwatch/renderer.js";
import { overallFidelity } from "../../../src/backends/types.js";
import { matches } from "../../../src/eval/evaluate.js";
import type { IrNode } from "../../../src/ir/types.js";
import type { JsonValue } from "../../../src/syntax/ast.js";
import { compileProject, fileOf, keepsPromise, repoRoot } from "./support.js";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Terraform reads a quoted string's `$${` and `%%{` as literal `${` and `%{`, left to right. */
function terraformText(s: string): string {
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

const pieces = [
  '"',
  "\\",
  "*",
  "%",
  "$",
  "{",
  "}",
  "${",
  "%{",
  "$${",
  "a",
  "B",
  "k",
  " ",
  "é",
  "\u{1F600}",
  "\n",
  "\t",
  "\r",
  ".",
  "-",
  ":",
  "/",
  "İ",
  "\u212a",
  "\u0000",
  "\u007f",
  "\u0085",
  "\u2028",
  "\ufeff",
  "5",
  "true",
];
const tricky = fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join(""));
const anyText = fc.oneof(tricky, fc.string({ unit: "binary", maxLength: 10 }));

describe("escape functions", () => {
  it("yamlString reads back as the same string (YAML 1.2 and 1.1 loaders)", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(parseYaml(`k: ${yamlString(s)}\n`).k).toBe(s);
        expect(parseYaml(`k: ${yamlString(s)}\n`, { version: "1.1" }).k).toBe(s);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("hclString parses as HCL and Terraform reads the same string (for NFC text)", async () => {
    const samples = fc
      .sample(anyText, { numRuns: 300, seed: 12 })
      .filter((s) => s.normalize("NFC") === s && !/\p{Cs}/u.test(s));
    samples.push("${x}", "%{if a}", "$${x}", "%%{x}", "$$${x}", "a$", "a%", "$", "%", "\\${x}");
    const doc = samples.map((s, i) => `v${i} = ${hclString(s)}`).join("\n") + "\n";
    const parsed = (await parseHcl("escape.tf", doc)) as Record<string, string>;
    samples.forEach((s, i) => expect(terraformText(parsed[`v${i}`]!), JSON.stringify(s)).toBe(s));
  });

  it("HCL normalises strings to NFC, escapes included (why the backend refuses non-NFC patterns)", async () => {
    const parsed = (await parseHcl("nfc.tf", 'a = "\\u212A"\nb = "e\\u0301"\n')) as Record<
      string,
      string
    >;
    expect(parsed).toEqual({ a: "K", b: "\u00e9" });
  });

  it("hclString leaves no raw template sequence and no line break", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = hclString(s);
        // scanning as HCL does: an escape ($${ or %%{) is skipped whole; a bare ${ or %{ would start a template
        for (let i = 0; i < out.length; i++) {
          const three = out.slice(i, i + 3);
          if (three === "$${" || three === "%%{") i += 2;
          else expect(["${", "%{"]).not.toContain(out.slice(i, i + 2));
        }
        expect(out).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it("hclIdentifier is a valid, stable Terraform name", () => {
    expect(hclIdentifier("aws/ec2/ami-made.public")).toBe("detc_aws_ec2_ami_made_public");
  });
});

const ops = ["eq", "ne", "starts_with", "ends_with", "contains", "eq nocase"] as const;

function conditionFor(op: (typeof ops)[number], value: string): string {
  const literal = JSON.stringify(value);
  switch (op) {
    case "eq":
      return `s eq ${literal}`;
    case "ne":
      return `s ne ${literal}`;
    case "eq nocase":
      return `s eq ${literal} nocase`;
    default:
      return `s ${op} ${literal}`;
  }
}

describe("random values through the whole backend", () => {
  it("each gives files whose pattern, YAML and HCL agree and keep the fidelity promise, or an unsupported note", async () => {
    const values = [
      ...new Set([
        ...fc.sample(tricky, { numRuns: 80, seed: 21 }),
        "a*b",
        "${x}",
        "%{y}",
        'say "hi"',
        "back\\slash",
        "%x%",
        "100%",
        "é😀",
        "İ",
        "\u212a",
      ]),
    ].filter((v) => !/[\uD800-\uDFFF]/.test(v.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "")));
    const rules: string[] = [];
    const cases: Array<{ id: string; value: string; op: (typeof ops)[number] }> = [];
    values.forEach((value, i) =>
      ops.forEach((op, j) => {
        const id = `Fuzz.R${i}_${j}`;
        cases.push({ id, value, op });
        rules.push(
          `rule "${id}" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  condition\n    ${conditionFor(op, value)}\n}\n`,
        );
      }),
    );
    const dir = mkdtempSync(path.join(tmpdir(), "detc-cloudwatch-fuzz-"));
    mkdirSync(path.join(dir, "rules"));
    writeFileSync(path.join(dir, "rules", "fuzz.det"), rules.join("\n"));
    const { project, entries } = compileProject([path.join(dir, "rules")], {}, dir);
    expect(project.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(entries.length).toBe(cases.length);
    expect(repoRoot).toBeTruthy();

    let supported = 0;
    let unsupported = 0;
    const hclDocs: string[] = [];
    const expectedPatterns: string[] = [];
    for (const [k, entry] of entries.entries()) {
      const { value } = cases[k]!;
      const condition: IrNode = entry.rule.ir!.condition;
      if (value.normalize("NFC") !== value) {
        expect(entry.result.files, JSON.stringify(value)).toEqual([]);
        expect(entry.result.notes.map((n) => n.reason).join()).toMatch(/NFC|regex character set/);
      }
      if (entry.result.files.length === 0) {
        unsupported++;
        const notes = entry.result.notes.filter((n) => n.fidelity === "unsupported");
        expect(notes.length).toBeGreaterThan(0);
        continue;
      }
      supported++;
      const cfn = parseYaml(fileOf(entry.result, ".cfn.yaml")!) as {
        Resources: { MetricFilter: { Properties: { FilterPattern: string } } };
      };
      const text = cfn.Resources.MetricFilter.Properties.FilterPattern;
      const rendered = renderPattern(condition, { arrayIndexes: 5, listValues: new Map() });
      expect(rendered.ok && rendered.text).toBe(text);
      const parsed = parsePattern(text);
      expect(parsed.ok, text).toBe(true);
      if (!parsed.ok) continue;
      const fidelity = overallFidelity(entry.result.notes);
      const probes: JsonValue[] = [
        value,
        `${value}x`,
        `x${value}`,
        value.toUpperCase(),
        value.toLowerCase(),
        "",
        "x",
        5,
        null,
        ["a"],
        { a: value },
      ];
      for (const v of probes) {
        const event = { s: v };
        const byRule = matches(condition, event);
        const byPattern = patternMatches(parsed.pattern, event);
        expect(
          keepsPromise(fidelity, byRule, byPattern),
          `${text} on ${JSON.stringify(event)}`,
        ).toBe(true);
      }
      expect(
        keepsPromise(fidelity, matches(condition, {}), patternMatches(parsed.pattern, {})),
      ).toBe(true);
      hclDocs.push(
        fileOf(entry.result, ".tf")!
          .replace(/"detc_[A-Za-z0-9_]+"/g, `"r${k}"`)
          .replace(/var\.detc_[A-Za-z0-9_]+?_(log_group_name|alarm_topic_arn)/g, `var.r${k}_$1`)
          .replace(
            /aws_cloudwatch_log_metric_filter\.detc_[A-Za-z0-9_]+\./g,
            `aws_cloudwatch_log_metric_filter.r${k}.`,
          ),
      );
      expectedPatterns.push(text);
    }
    // one HCL parse for every .tf (each renamed so they can share a document)
    const tf = (await parseHcl("fuzz.tf", hclDocs.join("\n"))) as {
      resource: { aws_cloudwatch_log_metric_filter: Record<string, Array<{ pattern: string }>> };
    };
    const filters = tf.resource.aws_cloudwatch_log_metric_filter;
    const readBack = Object.keys(filters)
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
      .map((key) => terraformText(filters[key]![0]!.pattern));
    expect(readBack).toEqual(expectedPatterns);
    expect(supported).toBeGreaterThan(100);
    expect(unsupported).toBeGreaterThan(20);
  });

  it.each([
    ['s eq "a*b"', "{ $.s = %^a\\*b$% }"],
    ['s starts_with "a*"', "{ $.s = %^a\\*% }"],
    ['s eq "${x}"', '{ $.s = "${x}" }'],
    ['s eq "%{y}"', '{ $.s = "%{y}" }'],
    ['s eq "100%"', '{ $.s = "100%" }'],
    ['s eq "%x%"', "{ $.s = %^%x%$% }"],
    ['s eq "é😀"', '{ $.s = "é😀" }'],
    ['s eq "back\\\\slash"', "{ $.s = %^back\\\\slash$% }"],
  ])("%s → %s (or unsupported when no syntax can say it)", (condition, expected) => {
    const dir = mkdtempSync(path.join(tmpdir(), "detc-cloudwatch-one-"));
    mkdirSync(path.join(dir, "rules"));
    writeFileSync(
      path.join(dir, "rules", "r.det"),
      `rule "One" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  condition\n    ${condition}\n}\n`,
    );
    const entry = compileProject([path.join(dir, "rules")], {}, dir).entries[0]!;
    const result = renderPattern(entry.rule.ir!.condition, {
      arrayIndexes: 5,
      listValues: new Map(),
    });
    if (expected.includes("%^%x%$%")) {
      // `%` is outside the regex character set, and a quoted "%x%" reads like a regex: unsupported
      expect(result.ok).toBe(false);
      expect(result.notes.map((n) => n.reason).join()).toContain('"%"');
      return;
    }
    expect(result.ok && result.text).toBe(expected);
  });

  it("a double quote cannot be carried: unsupported, with the character named", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "detc-cloudwatch-quote-"));
    mkdirSync(path.join(dir, "rules"));
    writeFileSync(
      path.join(dir, "rules", "r.det"),
      `rule "Q" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  condition\n    s eq "\\"hi\\""\n}\n`,
    );
    const entry = compileProject([path.join(dir, "rules")], {}, dir).entries[0]!;
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes).toEqual([
      expect.objectContaining({
        fidelity: "unsupported",
        reason: expect.stringContaining('contains "\\""'),
      }),
    ]);
  });
});
