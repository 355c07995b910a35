// Each lint check on a small rule: the code, the place and the message a user reads.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pantherBackend } from "../../src/backends/panther/index.js";
import { lintProject } from "../../src/check/lint.js";
import { toSarif } from "../../src/check/sarif.js";
import { applySuppressions } from "../../src/check/suppress.js";
import { renderCompact } from "../../src/diagnostics/render.js";
import { loadProject } from "../../src/project/project.js";

const root = path.resolve(import.meta.dirname, "../..");

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "detc-lint-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A complete, clean rule around `condition`, with `extra` entries and tests. */
function rule(condition: string, extra = "", tests?: string): string {
  return `rule "Test.Rule" {
  title       "t"
  description "d"
  severity    low
  logsource   aws.cloudtrail
  attack      TA0040:T1485
  reference   "https://example.com"
  runbook     "r"
  output      eventName
${extra ? `${extra}\n` : ""}  condition   ${condition}
${
  tests ??
  `  test "m" matches { "eventName": "DeregisterImage", "eventSource": "ec2.amazonaws.com" }
  test "i" ignores { "eventName": "RunInstances" }`
}
}
`;
}

function lint(text: string, withPanther = false): string[] {
  const dir = project({ "rules/r.det": text });
  const p = loadProject(["rules"], { cwd: dir });
  expect(p.diagnostics.filter((d) => d.severity === "error").map(renderCompact)).toEqual([]);
  const findings = lintProject(p, {
    targets: withPanther ? [pantherBackend] : [],
    listValues: new Map(),
    targetOptions: {},
  });
  return applySuppressions(findings, p.sources, { ignore: new Set(), severity: new Map() }).map(
    renderCompact,
  );
}

describe("lint checks", () => {
  it("a clean rule has no findings", () => {
    expect(
      lint(rule('eventSource eq "ec2.amazonaws.com" and eventName eq "DeregisterImage"')),
    ).toEqual([]);
  });

  it("unknown-logsource", () => {
    expect(
      lint(rule('eventName eq "DeregisterImage"').replace("aws.cloudtrail", "gcp.audit")),
    ).toContain(
      "rules/r.det:5:3: warning DETC6001: unknown log source 'gcp.audit': detc knows aws.cloudtrail",
    );
  });

  it("unknown-field, with the field that differs only in case", () => {
    expect(lint(rule('sourceIpAddress eq "1.2.3.4"'))).toEqual([
      "rules/r.det:10:15: warning DETC6002: 'sourceIpAddress' is not a field of a CloudTrail record: did you mean 'sourceIPAddress'?",
    ]);
    expect(lint(rule('userIdentity.sessionContext.attributes.mfaAuth eq "true"'))).toEqual([
      "rules/r.det:10:15: warning DETC6002: 'userIdentity.sessionContext.attributes.mfaAuth' is not a field of a CloudTrail record",
    ]);
    // open objects: anything under requestParameters is allowed, Panther's p_ fields too
    expect(
      lint(rule('requestParameters.anything.at.all eq "x" and p_log_type eq "AWS.CloudTrail"')),
    ).toEqual([]);
  });

  it("type-mismatch: an account id written as a number, a boolean compared with a string", () => {
    expect(lint(rule("recipientAccountId eq 123456789012"))).toEqual([
      "rules/r.det:10:37: warning DETC6003: 'recipientAccountId' is a string in a CloudTrail record, but the rule compares it with the number 123456789012: this can never match",
    ]);
    expect(lint(rule('readOnly eq "false"'))).toEqual([
      `rules/r.det:10:27: warning DETC6003: 'readOnly' is a boolean in a CloudTrail record, but the rule compares it with the string "false": this can never match`,
    ]);
  });

  it("unknown-event-name against the service's API, with a suggestion; non-API events are known", () => {
    expect(
      lint(rule('eventSource eq "ec2.amazonaws.com" and eventName eq "DeregisterImages"')),
    ).toEqual([
      "rules/r.det:10:54: warning DETC6004: 'DeregisterImages' is not an operation of ec2.amazonaws.com: did you mean 'DeregisterImage'?",
    ]);
    expect(
      lint(rule('eventSource eq "signin.amazonaws.com" and eventName eq "ConsoleLogin"')),
    ).toEqual([]);
    expect(
      lint(
        rule(
          'eventSource eq "lambda.amazonaws.com" and eventName eq "UpdateFunctionConfiguration20150331v2"',
        ),
      ),
    ).toEqual([]);
  });

  it("unknown-event-source", () => {
    expect(lint(rule('eventSource eq "ec3.amazonaws.com"'))).toEqual([
      "rules/r.det:10:15: warning DETC6015: 'ec3.amazonaws.com' is not a known AWS event source: did you mean 'ec2.amazonaws.com'?",
    ]);
  });

  it("contradiction and tautology", () => {
    expect(lint(rule('eventName eq "A" and eventName eq "B"'))).toContain(
      `rules/r.det:10:15: warning DETC6005: this can never be true: eventName eq "A" and eventName eq "B": one field cannot hold two values`,
    );
    expect(lint(rule('errorCode is_null and errorCode eq "AccessDenied"'))).toContain(
      `rules/r.det:10:15: warning DETC6005: this can never be true: errorCode is_null and errorCode eq "AccessDenied": a missing field has no value`,
    );
    expect(lint(rule('eventName eq "A" or eventName ne "A"'))).toContain(
      `rules/r.det:10:15: warning DETC6006: this is always true: eventName eq "A" or eventName ne "A"`,
    );
    expect(lint(rule("eventName in []"))).toContain(
      "rules/r.det:10:15: warning DETC6005: this can never be true: the condition reduces to false",
    );
  });

  it("array-without-quantifier, from the schema and from the test events", () => {
    expect(lint(rule('resources.ARN eq "arn:aws:s3:::b"'))).toEqual([
      "rules/r.det:10:15: warning DETC6007: 'resources.ARN' goes through the array 'resources' without any/all, so it never matches: write `any resources (…)`",
    ]);
    const findings = lint(
      rule(
        'requestParameters.items.name eq "x"',
        "",
        `  test "m" matches { "requestParameters": { "items": { "name": "x" } } }
  test "i" ignores { "requestParameters": { "items": [ { "name": "x" } ] } }`,
      ),
    );
    expect(findings).toEqual([
      `rules/r.det:10:15: warning DETC6016: 'requestParameters.items.name' meets an array at 'requestParameters.items' in the event of test "i": the rule does not look inside it, so elements of that array never match; use \`any requestParameters.items (…)\` if they should`,
    ]);
  });

  it("missing-attack, unknown-attack (unknown, wrong tactic)", () => {
    expect(
      lint(rule('eventName eq "DeregisterImage"').replace("  attack      TA0040:T1485\n", "")),
    ).toContain(
      "rules/r.det:1:6: warning DETC6008: rule 'Test.Rule' has no ATT&CK pair: add `attack TA####:T####`",
    );
    expect(
      lint(rule('eventName eq "DeregisterImage"').replace("TA0040:T1485", "TA0040:T9999")),
    ).toContain(
      "rules/r.det:6:15: warning DETC6009: ATT&CK pair TA0040:T9999: T9999 is not an ATT&CK Enterprise technique",
    );
    expect(
      lint(rule('eventName eq "DeregisterImage"').replace("TA0040:T1485", "TA0001:T1485")),
    ).toContain(
      "rules/r.det:6:15: warning DETC6009: ATT&CK pair TA0001:T1485: T1485 (Data Destruction) does not belong to Initial Access; it is under impact",
    );
  });

  it("missing-metadata and missing-test", () => {
    const bare = `rule "Bare" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  attack TA0040:T1485\n  condition eventName eq "DeregisterImage"\n  test "m" matches { "eventName": "DeregisterImage" }\n}\n`;
    expect(lint(bare)).toEqual([
      "rules/r.det:1:6: info DETC6010: rule 'Bare' has no description",
      "rules/r.det:1:6: info DETC6010: rule 'Bare' has no runbook",
      "rules/r.det:1:6: info DETC6010: rule 'Bare' has no reference",
      "rules/r.det:1:6: info DETC6010: rule 'Bare' has no output fields",
      "rules/r.det:1:6: warning DETC6011: rule 'Bare' has no test that ignores: add `test \"…\" ignores {…}`",
    ]);
  });

  it("all-on-empty, unless the array is required to be non-empty", () => {
    expect(lint(rule('all requestParameters.items (name eq "x")'))).toContain(
      "rules/r.det:10:15: info DETC6012: `all requestParameters.items (…)` is true when requestParameters.items is missing or empty: add `requestParameters.items is_not_empty` if that is not intended",
    );
    expect(
      lint(
        rule('requestParameters.items is_not_empty and all requestParameters.items (name eq "x")'),
      ),
    ).toEqual([]);
  });

  it("fidelity per target: what a target cannot say is a finding", () => {
    expect(lint(rule("userAgent matches /^\\pL+$/"), true)).toEqual([
      "rules/r.det:10:15: warning DETC5003: panther (Test.Rule): cannot express this rule, no file written: regex /^\\pL+$/: the Unicode class \\pL has no equivalent in Python's re module",
    ]);
  });
});

describe("suppressions", () => {
  const noisy = rule('sourceIpAddress eq "1.2.3.4"');
  it("an inline comment with a reason suppresses the finding on the next line", () => {
    const text = noisy.replace(
      "  condition",
      "  # detc-ignore unknown-field -- Panther lower-cases this field in our pipeline\n  condition",
    );
    expect(lint(text)).toEqual([]);
  });
  it("by code on the same line; without a reason it still applies but is reported", () => {
    const text = noisy.replace('"1.2.3.4"', '"1.2.3.4" # detc-ignore DETC6002');
    expect(lint(text)).toEqual([
      "rules/r.det:10:44: warning DETC6013: suppression of DETC6002 gives no reason: write `# detc-ignore DETC6002 -- why`",
    ]);
  });
  it("a suppression that matches nothing is reported", () => {
    const text = rule('eventName eq "DeregisterImage"').replace(
      "  condition",
      "  # detc-ignore contradiction -- not needed\n  condition",
    );
    expect(lint(text)).toEqual([
      "rules/r.det:10:3: info DETC6014: suppression of contradiction matches no finding",
    ]);
  });
  it("config: ignore a check, or change its severity", () => {
    const dir = project({ "rules/r.det": noisy });
    const p = loadProject(["rules"], { cwd: dir });
    const findings = lintProject(p, { targets: [], listValues: new Map(), targetOptions: {} });
    expect(
      applySuppressions(findings, p.sources, {
        ignore: new Set(["unknown-field"]),
        severity: new Map(),
      }),
    ).toEqual([]);
    const raised = applySuppressions(findings, p.sources, {
      ignore: new Set(),
      severity: new Map([["DETC6002", "error" as const]]),
    });
    expect(raised.map((d) => d.severity)).toEqual(["error"]);
  });
});

describe("detc lint (CLI)", () => {
  const bin = path.join(root, "dist/bin/detc.mjs");
  const run = (cwd: string, ...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });

  it("--fail-level decides the exit code; info findings alone pass by default", () => {
    const dir = project({
      "rules/r.det": rule('all requestParameters.items (name eq "x")'),
      "detc.config.yaml": "targets: [panther]\n",
    });
    expect(run(dir, "lint").status).toBe(0);
    expect(run(dir, "lint", "--fail-level", "info").status).toBe(1);
    const bad = project({
      "rules/r.det": rule("recipientAccountId eq 123456789012"),
      "detc.config.yaml": "targets: [panther]\n",
    });
    expect(run(bad, "lint").status).toBe(1);
    expect(run(bad, "lint", "--fail-level", "error").status).toBe(0);
  });

  it("--fix applies the safe fixes and the rule lints clean afterwards", () => {
    const dir = project({
      "rules/r.det": rule('recipientAccountId eq 123456789012 and sourceIpAddress eq "1.2.3.4"'),
      "detc.config.yaml": "targets: [panther]\n",
    });
    const fixed = run(dir, "lint", "--fix");
    expect(fixed.stderr).toContain("applied 2 fixes");
    expect(readFileSync(path.join(dir, "rules/r.det"), "utf8")).toContain(
      'condition   recipientAccountId eq "123456789012" and sourceIPAddress eq "1.2.3.4"',
    );
    expect(run(dir, "lint").status).toBe(0);
  });

  it("a broken file exits 2 with its diagnostics", () => {
    const dir = project({ "rules/r.det": 'rule "X" {\n  title "t"\n' });
    const r = run(dir, "lint");
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("DETC1003");
  });

  it("--list documents every code", () => {
    const r = run(root, "lint", "--list");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("DETC6004  warning  unknown-event-name");
    expect(r.stdout).toContain("DETC5001  warning  fidelity-broader");
  });

  it("--format sarif is valid SARIF 2.1.0 with stable rule ids, relative paths and regions", () => {
    const dir = project({
      "rules/aws/r.det": rule(
        'sourceIpAddress eq "1.2.3.4" and eventName eq "A" and eventName eq "B"',
      ),
      "detc.config.yaml": "targets: [panther]\n",
    });
    const r = run(dir, "lint", "--format", "sarif");
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout);
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(
      readFileSync(
        require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"),
        "utf8",
      ),
    );
    // ajv-draft-04 is CommonJS whose module object is the class (the SARIF schema is draft-04)
    type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };
    const AjvDraft04 = require("ajv-draft-04") as new (options: object) => {
      compile(schema: object): Validator;
    };
    const ajv = new AjvDraft04({
      allErrors: true,
      strict: false,
      validateFormats: false,
      unicodeRegExp: false,
    });
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = sarif.runs[0].results;
    expect(results.map((x: { ruleId: string }) => x.ruleId)).toEqual(
      expect.arrayContaining(["DETC6002", "DETC6005"]),
    );
    const loc = results[0].locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe("rules/aws/r.det");
    expect(loc.region).toMatchObject({ startLine: 10, startColumn: 15 });
    // the same in-memory builder gives the same document
    expect(toSarif([], "x")).toMatchObject({ version: "2.1.0" });
  });
});
