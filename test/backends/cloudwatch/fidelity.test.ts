// Each fidelity case the renderer reports, at the construct that caused it, and the options.
import { describe, expect, it } from "vitest";
import { cloudwatchBackend, readOptions } from "../../../src/backends/cloudwatch/index.js";
import { renderPattern } from "../../../src/backends/cloudwatch/renderer.js";
import { overallFidelity } from "../../../src/backends/types.js";
import { compileText, ruleText, type CompiledEntry } from "./support.js";

const lists = `list admins "admin users" = ["alice", "bob"]\n`;

function compile(condition: string, options: Record<string, unknown> = {}): CompiledEntry {
  return compileText(`${lists}${ruleText("Fid.Rule", condition)}`, options);
}

function patternOf(entry: CompiledEntry): string | false {
  const r = renderPattern(entry.rule.ir!.condition, {
    arrayIndexes: Number(entry.ctx.options.arrayIndexes ?? 5),
    listValues: entry.ctx.listValues,
  });
  return r.ok && r.text;
}

const spanText = (entry: CompiledEntry, i = 0) => {
  const n = entry.result.notes[i]!;
  return entry.rule.file.text.slice(n.span.offset, n.span.end);
};

describe("exact translations", () => {
  it.each([
    ['eventName eq "DeregisterImage"', '{ $.eventName = "DeregisterImage" }'],
    ["errorCode is_null", "{ $.errorCode NOT EXISTS || $.errorCode IS NULL }"],
    ["not (errorCode is_not_null)", "{ $.errorCode NOT EXISTS || $.errorCode IS NULL }"],
    ["readOnly eq true", "{ $.readOnly IS TRUE }"],
    ['eventName in ["A", "B"]', '{ $.eventName = "A" || $.eventName = "B" }'],
    ["userName in $admins", '{ $.userName = "alice" || $.userName = "bob" }'],
    ['arn starts_with "arn:aws:iam::"', '{ $.arn = "arn:aws:iam::*" }'],
    ['arn ends_with ":root"', '{ $.arn = "*:root" }'],
    ['eventName contains "Policy"', "{ $.eventName = %Policy% }"],
    [
      'eventName eq "deleteTrail" nocase',
      "{ $.eventName = %^[dD][eE][lL][eE][tT][eE][tT][rR][aA][iI][lL]$% }",
    ],
    ['sourceIPAddress cidr "10.1.2.3/32"', '{ $.sourceIPAddress = "10.1.2.3" }'],
    ['a eq "x" and (b eq "y" or c eq "z")', '{ $.a = "x" && ($.b = "y" || $.c = "z") }'],
  ])("%s → %s", (condition, pattern) => {
    const entry = compile(condition);
    expect(entry.result.notes).toEqual([]);
    expect(patternOf(entry)).toBe(pattern);
    expect(entry.result.files.map((f) => f.path)).toEqual(["rule.cfn.yaml", "rule.tf"]);
  });
});

describe("approximations, reported at their construct", () => {
  it.each([
    [
      'eventName ne "X"',
      "narrower",
      'eventName ne "X"',
      '{ $.eventName != "X" || $.eventName NOT EXISTS || $.eventName IS NULL }',
    ],
    [
      "userName not_in $admins",
      "narrower",
      "userName not_in $admins",
      '{ ($.userName != "alice" && $.userName != "bob") || $.userName NOT EXISTS || $.userName IS NULL }',
    ],
    ['code eq "404"', "broader", 'code eq "404"', '{ $.code = "404" }'],
    ["count eq 5", "broader", "count eq 5", "{ $.count = 5 }"],
    ["count gt 5", "broader", "count gt 5", "{ $.count > 5 }"],
    [
      "not (count gt 5)",
      "narrower",
      "count gt 5",
      "{ $.count <= 5 || $.count NOT EXISTS || $.count IS NULL }",
    ],
    [
      "flag ne true",
      "narrower",
      "flag ne true",
      "{ $.flag IS FALSE || $.flag NOT EXISTS || $.flag IS NULL }",
    ],
    ["userData is_not_null", "narrower", "userData is_not_null", "{ $.userData = * }"],
    [
      "userData is_empty",
      "narrower",
      "userData is_empty",
      '{ $.userData NOT EXISTS || $.userData IS NULL || $.userData = "" }',
    ],
    ["userData is_not_empty", "narrower", "userData is_not_empty", '{ $.userData != "" }'],
    ['ip cidr "10.0.0.0/8"', "broader", 'ip cidr "10.0.0.0/8"', '{ $.ip = "10.*" }'],
    ['ip cidr "192.168.7.9/16"', "broader", 'ip cidr "192.168.7.9/16"', '{ $.ip = "192.168.*" }'],
    [
      "agent matches /^aws-cli\\/2/",
      "broader",
      "agent matches /^aws-cli\\/2/",
      "{ $.agent = %^aws-cli\\/2% }",
    ],
    [
      "not (agent matches /^x/)",
      "narrower",
      "agent matches /^x/",
      "{ $.agent != %^x% || $.agent NOT EXISTS || $.agent IS NULL }",
    ],
    ['name eq "kms" nocase', "narrower", 'name eq "kms" nocase', "{ $.name = %^[kK][mM][sS]$% }"],
    [
      'any items (group eq "all")',
      "narrower",
      'any items (group eq "all")',
      '{ $.items[0].group = "all" || $.items[1].group = "all" || $.items[2].group = "all" || $.items[3].group = "all" || $.items[4].group = "all" }',
    ],
  ])("%s: %s", (condition, fidelity, at, pattern) => {
    const entry = compile(condition);
    expect(overallFidelity(entry.result.notes)).toBe(fidelity);
    expect(spanText(entry)).toBe(at);
    expect(patternOf(entry)).toBe(pattern);
    expect(entry.result.files).toHaveLength(2);
    expect(entry.result.files[0]!.content).toContain(`Fidelity: "${fidelity}"`);
  });

  it("all over an array: the index past the last checked one must be missing", () => {
    const entry = compile('all xs (@ eq "a")', { arrayIndexes: 2 });
    expect(overallFidelity(entry.result.notes)).toBe("narrower");
    expect(patternOf(entry)).toBe(
      '{ $.xs[2] NOT EXISTS && ($.xs[0] NOT EXISTS || $.xs[0] = "a") && ($.xs[1] NOT EXISTS || $.xs[1] = "a") }',
    );
  });

  it("arrayIndexes decides how many indexes any expands to", () => {
    expect(patternOf(compile('any xs (@ eq "a")', { arrayIndexes: 1 }))).toBe('{ $.xs[0] = "a" }');
  });

  it("broader and narrower in one rule are reported (the pipeline counts that as unsupported)", () => {
    const entry = compile('code eq "1" and name ne "x"');
    expect(new Set(entry.result.notes.map((n) => n.fidelity))).toEqual(
      new Set(["broader", "narrower"]),
    );
    expect(overallFidelity(entry.result.notes)).toBe("unsupported");
  });
});

describe("unsupported, with the reason and no files", () => {
  it.each([
    ['name lt "m"', "compare numbers only", 'name lt "m"'],
    ['ip cidr "10.0.0.0/12"', "octet-aligned", 'ip cidr "10.0.0.0/12"'],
    ['ip cidr "2001:db8::/32"', "IPv6", 'ip cidr "2001:db8::/32"'],
    ["agent matches /(a|b)c/", "parentheses", "agent matches /(a|b)c/"],
    ["agent matches /a b/", '" "', "agent matches /a b/"],
    ["agent matches /abc/ nocase", "case-sensitive", "agent matches /abc/ nocase"],
    [
      'requestParameters."x-amz-acl" eq "public-read"',
      "x-amz-acl",
      'requestParameters."x-amz-acl" eq "public-read"',
    ],
    ['name eq "é" nocase', "case-insensitive", 'name eq "é" nocase'],
    ["any xs (@ is_null)", "missing element", "any xs (@ is_null)"],
  ])("%s (%s)", (condition, reason, at) => {
    const entry = compile(condition);
    expect(entry.result.files).toEqual([]);
    const unsupported = entry.result.notes.filter((n) => n.fidelity === "unsupported");
    expect(unsupported).toHaveLength(1);
    expect(unsupported[0]!.reason).toContain(reason);
    expect(entry.rule.file.text.slice(unsupported[0]!.span.offset, unsupported[0]!.span.end)).toBe(
      at,
    );
  });

  it("more than 2 regexes in one pattern", () => {
    const entry = compile('a contains "x" or b contains "y" or c contains "z"');
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes.map((n) => n.reason)).toEqual([
      expect.stringContaining("needs 3 regexes"),
    ]);
  });

  it("a pattern over 1,024 characters is never truncated", () => {
    const values = Array.from({ length: 60 }, (_, i) => `"EventNumber${i}"`).join(", ");
    const entry = compile(`eventName in [${values}]`);
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes).toEqual([
      expect.objectContaining({
        fidelity: "unsupported",
        reason: expect.stringMatching(
          /the pattern is \d{4} characters long; CloudWatch allows at most 1024/,
        ),
      }),
    ]);
  });

  it("a condition that is always false (an empty list) cannot be a pattern", () => {
    const entry = compileText(
      `list empty "nothing" = []\n${ruleText("Fid.Empty", "userName in $empty")}`,
    );
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes.map((n) => n.reason)).toEqual([
      expect.stringContaining("always false"),
    ]);
  });

  it("a value whose text is not in Unicode NFC (Terraform would normalise it)", () => {
    const entry = compile('name eq "e\\u0301"');
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes.map((n) => n.reason)).toEqual([expect.stringContaining("NFC")]);
  });
});

describe("options", () => {
  it("defaults, and configured values reach both files", () => {
    expect(readOptions({})).toEqual({
      options: {
        logGroupName: "aws-cloudtrail-logs",
        arrayIndexes: 5,
        namespace: "detc",
        period: 300,
        threshold: 1,
      },
      problems: [],
    });
    const entry = compile('eventName eq "X"', {
      logGroupName: "org/trail",
      namespace: "Security/detc",
      period: 60,
      threshold: 2,
    });
    const [cfn, tf] = entry.result.files.map((f) => f.content);
    expect(cfn).toContain('Default: "org/trail"');
    expect(cfn).toContain('MetricNamespace: "Security/detc"');
    expect(cfn).toContain("Period: 60");
    expect(cfn).toContain("Threshold: 2");
    expect(tf).toContain('default     = "org/trail"');
    expect(tf).toContain("period              = 60");
  });

  it.each([
    [{ arrayIndexes: 0 }, "arrayIndexes"],
    [{ arrayIndexes: "5" }, "arrayIndexes"],
    [{ period: 45 }, "period"],
    [{ namespace: "a:b" }, "namespace"],
    [{ logGroupName: "has space" }, "logGroupName"],
    [{ threshold: -1 }, "threshold"],
  ])("%o is rejected as unsupported", (options, key) => {
    const entry = compile('eventName eq "X"', options);
    expect(entry.result.files).toEqual([]);
    expect(entry.result.notes).toEqual([
      expect.objectContaining({ fidelity: "unsupported", reason: expect.stringContaining(key) }),
    ]);
  });

  it("configured list values are inlined (they override declared defaults)", () => {
    const entry = compile("userName in $admins");
    const configured = cloudwatchBackend.compile(entry.rule, {
      ...entry.ctx,
      listValues: new Map([["admins", [{ type: "string", value: "carol" }]]]),
    });
    expect(configured.files[0]!.content).toContain('$.userName = \\"carol\\"');
  });
});

describe("names", () => {
  it("rule ids become CloudWatch names; a changed id keeps a hash so two ids never share a metric", async () => {
    const { cloudWatchName } = await import("../../../src/backends/cloudwatch/escape.js");
    expect(cloudWatchName("AWS.EC2.AMIDeregistered")).toBe("AWS.EC2.AMIDeregistered");
    const a = cloudWatchName("Team:Rule 1");
    const b = cloudWatchName("Team_Rule_1");
    expect(a).toMatch(/^Team_Rule_1-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(cloudWatchName("x".repeat(300)).length).toBeLessThanOrEqual(255);
  });
});
