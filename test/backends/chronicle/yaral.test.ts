// The project's YARA-L 2.0 check: hand-written valid rules (including Google's own shape) pass,
// and each invalid one is rejected with a message naming the problem. Plus the escape functions,
// read back by the same reader.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  metaString,
  regexLiteralText,
  regexPatternText,
  snakeCase,
  yaralString,
  yaralStringSafe,
} from "../../../src/backends/chronicle/escape.js";
import { checkYaral } from "../../../src/backends/chronicle/yaral.js";
import { compileRegex, regexFinds } from "../../../src/eval/regex.js";

const valid = `// A comment
rule aws_ec2_ami_shared_publicly {

  meta:
    author = "Google Cloud Security"
    description = "Detects when an AMI is shared \\"publicly\\"."
    severity = "High"
    version = 2
    enabled = true

  events:
    $cloudtrail.metadata.vendor_name = "AMAZON"
    $cloudtrail.metadata.product_name = "AWS CloudTrail"
    (
        $cloudtrail.metadata.product_event_type = "ModifyImageAttribute" or
        $cloudtrail.metadata.product_event_type = "ModifySnapshotAttribute"
    )
    $cloudtrail.target.resource.attribute.labels["Add Items Group"] = "all"
    not $cloudtrail.principal.user.userid = /\\/i-.*$/ nocase
    net.ip_in_range_cidr($cloudtrail.principal.ip, "10.0.0.0/8")
    re.regex($cloudtrail.network.http.user_agent, \`curl\`)
    $cloudtrail.principal.user.userid in %trusted_users
    /* block comment */
    $cloudtrail.security_result.action = "ALLOW"

  outcome:
    $risk_score = 75
    $principal_ip = $cloudtrail.principal.ip

  condition:
    $cloudtrail
}
`;

const errorsOf = (text: string) => checkYaral(text).errors.map((e) => e.message);

describe("YARA-L check: valid rules", () => {
  it("accepts a rule in Google's own layout and reads its parts", () => {
    const result = checkYaral(valid);
    expect(result.errors).toEqual([]);
    const rule = result.rule!;
    expect(rule.name).toBe("aws_ec2_ami_shared_publicly");
    expect(rule.meta.find((m) => m.key === "description")!.value).toBe(
      'Detects when an AMI is shared "publicly".',
    );
    expect(rule.events).toHaveLength(9);
    expect(rule.events[2]).toMatchObject({ kind: "or" });
    expect(rule.events[3]).toMatchObject({
      kind: "compare",
      field: { path: 'target.resource.attribute.labels["Add Items Group"]' },
      value: { value: "all" },
    });
    expect(rule.events[4]).toMatchObject({
      kind: "not",
      operand: { kind: "compare", value: { kind: "regex", pattern: "\\/i-.*$" }, nocase: true },
    });
    expect(rule.events[5]).toMatchObject({ kind: "cidr", range: "10.0.0.0/8" });
    expect(rule.events[7]).toMatchObject({ kind: "in", list: "trusted_users" });
    expect(rule.outcome.map((o) => o.name)).toEqual(["$risk_score", "$principal_ip"]);
    expect(rule.condition).toEqual(["$cloudtrail"]);
  });

  it("keeps precedence: not > and > or", () => {
    const rule = checkYaral(
      valid.replace(
        /\(\n[^)]*\)/,
        '$cloudtrail.a = "1" or $cloudtrail.b = "2" and not $cloudtrail.c = "3"',
      ),
    ).rule!;
    expect(rule.events[2]).toMatchObject({
      kind: "or",
      items: [{ kind: "compare" }, { kind: "and", items: [{ kind: "compare" }, { kind: "not" }] }],
    });
  });
});

describe("YARA-L check: invalid rules", () => {
  it("rejects `conditions:` for `condition:`", () => {
    expect(errorsOf(valid.replace("condition:", "conditions:"))).toEqual([
      expect.stringContaining("unknown section 'conditions:'"),
    ]);
  });

  it("rejects a dropped bracket (parenthesis or brace)", () => {
    expect(
      errorsOf(valid.replace('"ModifySnapshotAttribute"\n    )', '"ModifySnapshotAttribute"\n')),
    ).toEqual([expect.stringContaining("expected ')'")]);
    expect(errorsOf(valid.replace("(\n        $cloudtrail", "\n        $cloudtrail"))).toEqual([
      expect.stringContaining("expected"),
    ]);
    expect(errorsOf(valid.replace(/\}\n$/, "\n"))).toEqual([expect.stringContaining("or '}'")]);
    expect(
      errorsOf(valid.replace('labels["Add Items Group"]', 'labels["Add Items Group"')),
    ).toEqual([expect.stringContaining("expected ']'")]);
  });

  it("rejects an undefined variable in condition and in outcome", () => {
    expect(errorsOf(valid.replace("condition:\n    $cloudtrail", "condition:\n    $e"))).toEqual([
      "condition names $e, which 'events:' does not define",
    ]);
    expect(errorsOf(valid.replace("= $cloudtrail.principal.ip", "= $e.principal.ip"))).toEqual([
      "outcome $principal_ip reads $e, which 'events:' does not define",
    ]);
  });

  it("rejects an unescaped quote in meta", () => {
    expect(errorsOf(valid.replace('shared \\"publicly\\".', 'shared "publicly".'))).toEqual([
      expect.stringContaining("expected"),
    ]);
  });

  it("rejects sections out of order, repeated, missing, or outside the subset", () => {
    const swapped = valid
      .replace(/  events:[\s\S]*?(?=  outcome:)/, "")
      .replace("  meta:", `  events:\n    $cloudtrail.a = "b"\n\n  meta:`);
    expect(errorsOf(swapped)).toEqual([
      expect.stringContaining("section 'meta:' must come before 'events:'"),
    ]);
    expect(
      errorsOf(valid.replace("  outcome:", '  events:\n    $cloudtrail.a = "b"\n  outcome:')),
    ).toEqual([expect.stringContaining("section 'events:' appears twice")]);
    expect(errorsOf(valid.replace(/  meta:[\s\S]*?(?=  events:)/, ""))).toEqual([
      "the rule has no 'meta:' section",
    ]);
    expect(errorsOf(valid.replace(/  condition:\n    \$cloudtrail\n/, ""))).toEqual([
      "the rule has no 'condition:' section",
    ]);
    expect(errorsOf(valid.replace("  outcome:", "  match:\n    $x over 1h\n  outcome:"))).toEqual([
      expect.stringContaining("outside the subset"),
    ]);
  });

  it("rejects bad predicates, strings and outcome values", () => {
    expect(errorsOf(valid.replace('= "ALLOW"', '== "ALLOW"'))).toEqual([
      expect.stringContaining("expected a string or a /regular expression/"),
    ]);
    expect(errorsOf(valid.replace('= "ALLOW"', '= "AL\\qLOW"'))).toEqual([
      expect.stringContaining("unknown escape \\q"),
    ]);
    expect(errorsOf(valid.replace('= "ALLOW"', '= "ALLOW'))).toEqual([
      expect.stringContaining("unterminated string"),
    ]);
    expect(errorsOf(valid.replace("/\\/i-.*$/", "/\\/i-.*$"))).toEqual([
      expect.stringContaining("regular expression must end on its line"),
    ]);
    expect(errorsOf(valid.replace("$cloudtrail.security_result.action", "$cloudtrail"))).toEqual([
      expect.stringContaining("expected '.' and a UDM field"),
    ]);
    expect(errorsOf(valid.replace("net.ip_in_range_cidr", "net.ip_in_range"))).toEqual([
      expect.stringContaining("unknown function net.ip_in_range"),
    ]);
    expect(errorsOf(valid.replace("$risk_score = 75", '$risk_score = "75"'))).toEqual([
      "$risk_score must be an integer",
    ]);
    expect(errorsOf(valid.replace("$principal_ip =", "$risk_score ="))).toEqual([
      "outcome variable $risk_score is assigned twice",
    ]);
    const many = Array.from({ length: 20 }, (_, i) => `    $o${i} = $cloudtrail.principal.ip`).join(
      "\n",
    );
    expect(
      errorsOf(valid.replace("    $risk_score = 75", `    $risk_score = 75\n${many}`)),
    ).toEqual(["the outcome section has 22 variables (at most 20)"]);
    expect(errorsOf(valid.replace("    version = 2", '    severity = "Low"'))).toEqual([
      "meta key severity appears twice",
    ]);
  });
});

describe("YARA-L escapes", () => {
  const safeString = fc.string({ unit: "binary", maxLength: 30 }).filter(yaralStringSafe);

  it("a string literal reads back as exactly its text", () => {
    fc.assert(
      fc.property(safeString, (s) => {
        const rule = checkYaral(
          `rule r {\n meta:\n  k = ${yaralString(s)}\n events:\n  $e.a = ${yaralString(s)}\n condition:\n  $e\n}\n`,
        );
        expect(rule.errors).toEqual([]);
        expect(rule.rule!.meta[0]!.value).toBe(s);
        expect(rule.rule!.events[0]).toMatchObject({ value: { kind: "string", value: s } });
      }),
      { numRuns: 300 },
    );
  });

  it("meta strings replace what YARA-L cannot carry, and never break the line", () => {
    expect(metaString("a\u0000b\u202ec\nd\r\ne\tf")).toBe('"a\ufffdb\ufffdc d e f"');
    expect(
      checkYaral('rule r {\n meta:\n  k = "a\\nb"\n events:\n  $e.a = "b"\n condition:\n  $e\n}\n')
        .errors,
    ).toEqual([expect.objectContaining({ message: "unknown escape \\n in a string" })]);
    expect(
      checkYaral('rule r {\n meta:\n  k = "a\tb"\n events:\n  $e.a = "b"\n condition:\n  $e\n}\n')
        .errors,
    ).toEqual([expect.objectContaining({ message: "a raw control character in a string" })]);
    expect(yaralStringSafe("\ud800")).toBe(false);
    expect(yaralStringSafe("\u{1F600}")).toBe(true);
  });

  it("a literal turned into a regex matches exactly the text it came from", () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: "binary", maxLength: 12 })
          .filter((s) => s !== "" && regexLiteralText(s) !== undefined),
        fc.string({ maxLength: 6 }),
        (s, around) => {
          const pattern = regexLiteralText(s);
          const rule = checkYaral(
            `rule r {\n meta:\n events:\n  $e.a = /${pattern!}/\n condition:\n  $e\n}\n`,
          );
          expect(rule.errors).toEqual([]);
          const compiled = compileRegex(`^${pattern!}$`, false);
          expect(compiled.ok).toBe(true);
          if (compiled.ok) {
            expect(regexFinds(compiled.regex, s)).toBe(true);
            expect(regexFinds(compiled.regex, s + around)).toBe(around === "");
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a detc pattern keeps its syntax; control characters become \\x{…} outside escapes", () => {
    expect(regexPatternText("^a\\/b[\\/]$")).toBe("^a\\/b[\\/]$");
    expect(regexPatternText("a\tb[\t]")).toBe("a\\x{9}b[\\x{9}]");
    expect(regexPatternText("a\\\tb")).toBeUndefined();
    expect(regexPatternText("\\Qa\tb\\E")).toBeUndefined();
    for (const [pattern, text] of [
      ["a\tb", "xa\tb"],
      ["[\t]x", "\tx"],
    ] as const) {
      const compiled = compileRegex(regexPatternText(pattern)!, false);
      expect(compiled.ok && regexFinds(compiled.regex, text)).toBe(true);
    }
  });

  it("snake_case names are YARA-L identifiers", () => {
    expect(snakeCase("AWS.EC2.AMIDeregistered")).toBe("aws_ec2_ami_deregistered");
    expect(snakeCase("AWS.CloudTrail.AMIModifiedForPublicAccess")).toBe(
      "aws_cloud_trail_ami_modified_for_public_access",
    );
    expect(snakeCase("userIdentity.arn")).toBe("user_identity_arn");
    expect(snakeCase("9lives")).toBe("r_9lives");
  });
});
