// Every generated .yaral passes the project's YARA-L check; output is deterministic; golden files
// for the seed rules and the hand-written cases; what the target reports, per construct.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chronicleBackend } from "../../../src/backends/chronicle/index.js";
import { cloudtrailUdm, rowsByPath } from "../../../src/backends/chronicle/mapping.js";
import { checkYaral } from "../../../src/backends/chronicle/yaral.js";
import { overallFidelity } from "../../../src/backends/types.js";
import { compileProject as compileAll } from "../../../src/compile/compile.js";
import { listValuesFor, loadProject } from "../../../src/project/project.js";
import {
  compileProject,
  compileText,
  corpus,
  here,
  repoRoot,
  ruleText,
  yaralOf,
  type CompiledEntry,
} from "./support.js";

let entries: CompiledEntry[] = [];
beforeAll(() => {
  entries = corpus();
});

describe("chronicle: every generated rule", () => {
  it("passes the project's YARA-L check", () => {
    const written = entries.filter((e) => e.result.files.length > 0);
    expect(written.length).toBeGreaterThan(2);
    const failures = written.flatMap((e) => {
      const { errors } = checkYaral(yaralOf(e)!);
      return errors.length ? [{ rule: e.rule.decl.id, errors }] : [];
    });
    expect(failures).toEqual([]);
  });

  it("writes exactly one file, .yaral at the rule's stem, unless unsupported", () => {
    for (const e of entries) {
      const fidelity = overallFidelity(e.result.notes);
      if (fidelity === "unsupported") expect(e.result.files).toEqual([]);
      else expect(e.result.files.map((f) => f.path)).toEqual([`${e.rule.outputStem}.yaral`]);
    }
  });

  it("filters on the constant vendor and product fields first, and ends in `condition: $e`", () => {
    for (const e of entries.filter((x) => x.result.files.length)) {
      const rule = checkYaral(yaralOf(e)!).rule!;
      expect(rule.events.slice(0, 2)).toMatchObject([
        { kind: "compare", field: { path: "metadata.vendor_name" }, value: { value: "AMAZON" } },
        {
          kind: "compare",
          field: { path: "metadata.product_name" },
          value: { value: "AWS CloudTrail" },
        },
      ]);
      expect(rule.condition).toEqual(["$e"]);
      expect(rule.outcome[0]).toMatchObject({ name: "$risk_score", value: { kind: "int" } });
    }
  });

  it("is byte-deterministic and ends with exactly one newline", () => {
    expect(corpus().map((e) => e.result)).toEqual(entries.map((e) => e.result));
    for (const file of entries.flatMap((e) => e.result.files)) {
      expect(file.content.endsWith("\n")).toBe(true);
      expect(file.content.endsWith("\n\n")).toBe(false);
      expect(file.content).not.toMatch(/[ \t]+\n/);
    }
  });

  it("names the field whenever a rule is unsupported for lack of a mapping", () => {
    for (const e of entries)
      for (const n of e.result.notes.filter((x) => x.reason.includes("has no UDM mapping")))
        expect(n.reason).toMatch(/(field|array) \S+ has no UDM mapping/);
  });
});

describe("chronicle mapping data", () => {
  it("has one row per CloudTrail path, each with a source, and UDM paths YARA-L can read", () => {
    expect(rowsByPath.size).toBe(cloudtrailUdm.length);
    for (const row of cloudtrailUdm) {
      expect(row.source).not.toBe("");
      const { errors } = checkYaral(
        `rule r {\n meta:\n events:\n  $e.${row.udm} = "x"\n condition:\n  $e\n}\n`,
      );
      expect(errors).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Golden files: cases/<case>/expected.yaral (when a file is written) and expected.notes.txt (the
// fidelity notes). A case with input.det compiles it; otherwise the rule of that name in rules/.
// UPDATE_GOLDEN=1 rewrites the expected files.

const casesDir = path.join(here, "cases");
const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function compileCase(name: string): CompiledEntry {
  const input = path.join(casesDir, name, "input.det");
  if (existsSync(input))
    return compileProject([path.relative(path.resolve(here, "../../.."), input)]).entries[0]!;
  const entry = compileProject(["rules"]).entries.find(
    (e) => e.rule.outputStem.split("/").pop() === name,
  );
  if (!entry) throw new Error(`golden case ${name}: no input.det and no rules/**/${name}.det`);
  return entry;
}

const notesText = (e: CompiledEntry) =>
  e.result.notes
    .map((n) => `${n.fidelity} ${n.span.line}:${n.span.column} ${n.reason}`)
    .join("\n") + "\n";

describe("chronicle golden files", () => {
  it("has the seed rules among its cases", () => {
    expect(cases).toEqual(
      expect.arrayContaining(["ami_deregistered", "ami_modified_for_public_access"]),
    );
  });

  it.each(cases)("%s", (name) => {
    const entry = compileCase(name);
    const yaralPath = path.join(casesDir, name, "expected.yaral");
    const notesPath = path.join(casesDir, name, "expected.notes.txt");
    const actual = yaralOf(entry);
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(path.dirname(yaralPath), { recursive: true });
      if (actual === undefined) rmSync(yaralPath, { force: true });
      else writeFileSync(yaralPath, actual);
      writeFileSync(notesPath, notesText(entry));
    }
    expect(notesText(entry)).toBe(readFileSync(notesPath, "utf8"));
    if (actual === undefined) expect(existsSync(yaralPath)).toBe(false);
    else expect(actual).toBe(readFileSync(yaralPath, "utf8"));
  });

  it("the AMI seed rule is unsupported: its userId test has no documented label, and the field is named", () => {
    const entry = compileCase("ami_modified_for_public_access");
    expect(entry.result.files).toEqual([]);
    expect(
      entry.result.notes.filter((n) => n.fidelity === "unsupported").map((n) => n.reason),
    ).toEqual([
      expect.stringContaining(
        "field requestParameters.launchPermission.add.items[].userId has no UDM mapping",
      ),
      expect.stringContaining(
        "field requestParameters.launchPermission.add.items[].userId has no UDM mapping",
      ),
    ]);
  });

  it("the public-AMI case reads the Add Items Group label as Google's rule does", () => {
    const text = yaralOf(compileCase("ami_shared_publicly"))!;
    expect(text).toContain('    $e.target.resource.attribute.labels["Add Items Group"] = "all"\n');
    expect(text).toContain('    $e.security_result.action = "ALLOW"\n');
  });
});

// ---------------------------------------------------------------------------------------------
// Fidelity, construct by construct.

const notesFor = (condition: string, extra = "") => {
  const e = compileText(ruleText(condition, extra));
  return {
    fidelity: overallFidelity(e.result.notes),
    reasons: e.result.notes.map((n) => `${n.fidelity}: ${n.reason}`),
    text: yaralOf(e),
  };
};

describe("chronicle fidelity", () => {
  it.each([
    ['eventName eq "X"', "exact", '$e.metadata.product_event_type = "X"'],
    ['eventName ne "X"', "exact", '$e.metadata.product_event_type != "X"'],
    ['eventName eq "x" nocase', "exact", '$e.metadata.product_event_type = "x" nocase'],
    ['eventName eq ""', "broader", '$e.metadata.product_event_type = ""'],
    ['eventName ne ""', "narrower", '$e.metadata.product_event_type != ""'],
    ["errorCode is_null", "exact", '$e.security_result.action = "ALLOW"'],
    ["errorCode is_not_null", "exact", '$e.security_result.action = "BLOCK"'],
    ["errorMessage is_null", "broader", '$e.security_result.description = ""'],
    ["errorMessage is_not_null", "narrower", '$e.security_result.description != ""'],
    ["userAgent is_empty", "broader", '$e.network.http.user_agent = ""'],
    ["userAgent is_not_empty", "narrower", '$e.network.http.user_agent != ""'],
    [
      'sourceIPAddress cidr "10.1.2.3/8"',
      "exact",
      'net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")',
    ],
    [
      'not sourceIPAddress cidr "2001:db8::/32"',
      "exact",
      'not net.ip_in_range_cidr($e.principal.ip, "2001:db8::/32")',
    ],
    ['sourceIPAddress eq "198.51.100.7"', "exact", '$e.principal.ip = "198.51.100.7"'],
    ['sourceIPAddress eq "AWS Internal"', "narrower", '$e.principal.ip = "AWS Internal"'],
    ['sourceIPAddress ne "AWS Internal"', "broader", '$e.principal.ip != "AWS Internal"'],
    ['userAgent contains "a.b/c"', "exact", "$e.network.http.user_agent = /a\\.b\\/c/"],
    ['userAgent starts_with "Boto" nocase', "exact", "$e.network.http.user_agent = /^Boto/ nocase"],
    ['not userAgent ends_with "(x)"', "exact", "not $e.network.http.user_agent = /\\(x\\)$/"],
    ["userAgent matches /a*/", "broader", "$e.network.http.user_agent = /a*/"],
    ["not userAgent matches /^curl\\//", "exact", "not $e.network.http.user_agent = /^curl\\//"],
    [
      'eventName not_in ["A", "B"]',
      "exact",
      '($e.metadata.product_event_type != "A" and $e.metadata.product_event_type != "B")',
    ],
    ["userIdentity.arn in $accounts", "exact", "$e.principal.user.userid in %accounts"],
    ["userIdentity.arn not_in $accounts", "exact", "not $e.principal.user.userid in %accounts"],
    [
      'not (eventName eq "A" and awsRegion eq "B")',
      "exact",
      '($e.metadata.product_event_type != "A" or $e.principal.location.name != "B")',
    ],
  ])("%s → %s", (condition, fidelity, line) => {
    const result = notesFor(condition);
    expect(result.fidelity).toBe(fidelity);
    expect(result.text).toContain(`\n    ${line}\n`);
  });

  it.each([
    [
      'requestParameters.bucketName eq "x"',
      "field requestParameters.bucketName has no UDM mapping",
    ],
    ["eventName eq 5", "string field: UDM cannot compare it with the number 5"],
    ['eventTime gt "2026"', "field eventTime has no UDM mapping"],
    ['eventName gt "A"', "ordered comparison"],
    ['userAgent cidr "10.0.0.0/8"', "not an IP field"],
    ["userIdentity.arn in $accounts nocase", "reference list cannot be matched case-insensitively"],
    [
      'all requestParameters.launchPermission.add.items (group eq "all")',
      "`all` over its elements cannot be said",
    ],
    [
      'any requestParameters.launchPermission.add.items (group ne "all")',
      "cannot tell from an empty array",
    ],
    [
      'any requestParameters.launchPermission.add.items (userId eq "1")',
      "items[].userId has no UDM mapping",
    ],
    ['any resources (type eq "x")', "array resources has no UDM mapping"],
    ['resources[0].type eq "x"', "field resources[0].type has no UDM mapping"],
    ['requestParameters."a.b" eq "x"', 'field requestParameters."a.b" has no UDM mapping'],
    ['eventName eq "a\\u0001"', "control or format character"],
    ['eventName eq "a\\nb"', "control or format character"],
    ['userAgent contains "\\ud800"', "cannot write in a regex"],
  ])("%s is unsupported", (condition, reason) => {
    const result = notesFor(condition);
    expect(result.fidelity).toBe("unsupported");
    expect(result.text).toBeUndefined();
    expect(result.reasons.join("\n")).toContain(reason);
  });

  it("a request-parameter label outside its documented event names is narrower", () => {
    const scoped = notesFor(
      'eventName eq "ModifyImageAttribute" and any requestParameters.launchPermission.add.items (group eq "all")',
    );
    expect(scoped.reasons).toEqual([expect.stringContaining("how several elements are flattened")]);
    const unscoped = notesFor('any requestParameters.launchPermission.add.items (group eq "all")');
    expect(unscoped.fidelity).toBe("narrower");
    expect(unscoped.reasons.join("\n")).toContain(
      "only for eventName ModifyImageAttribute or ModifySnapshotAttribute",
    );
  });

  it("a log source with no UDM mapping is unsupported", () => {
    const e = compileText(ruleText('eventName eq "x"').replace("aws.cloudtrail", "okta.system"));
    expect(e.result.files).toEqual([]);
    expect(e.result.notes.map((n) => n.reason)).toEqual([
      expect.stringContaining("no UDM mapping for log source 'okta.system'"),
    ]);
  });

  it("output fields become outcome variables; unmapped ones are named in a comment", () => {
    const r = notesFor(
      'eventName eq "X"',
      "  output      sourceIPAddress, requestParameters.imageId, userIdentity.arn",
    );
    expect(r.text).toContain(
      "    $source_ip_address = $e.principal.ip\n    $user_identity_arn = $e.principal.user.userid\n",
    );
    expect(r.text).toContain("// output requestParameters.imageId: no UDM field");
  });
});

describe("chronicle through the compile pipeline", () => {
  it("writes out/chronicle/<stem>.yaral and records fidelity and notes in the manifest", () => {
    const project = loadProject(["rules"], { cwd: repoRoot });
    const out = compileAll(project, {
      targets: [chronicleBackend],
      listValues: listValuesFor(project.lists),
      targetOptions: {},
    });
    expect(out.files.get("chronicle/aws/ec2/ami_deregistered.yaral")).toBe(
      readFileSync(path.join(casesDir, "ami_deregistered", "expected.yaral"), "utf8"),
    );
    expect([...out.files.keys()].some((f) => f.includes("ami_modified_for_public_access"))).toBe(
      false,
    );
    const targets = Object.values(out.manifest.rules).map((r) => r.targets["chronicle"]!);
    expect(targets.map((t) => t.fidelity)).toEqual(
      expect.arrayContaining(["exact", "unsupported"]),
    );
  });
});
