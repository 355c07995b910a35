// The parser and AST builder: the example of language.md §1, every condition form, JSON and list
// syntax, spans, and recovery from a missing final `}`.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Expr, FieldPath, Literal, RuleDecl } from "../../src/syntax/ast.js";
import { parseSource } from "../../src/syntax/index.js";
import type { Span } from "../../src/diagnostics/span.js";
import { loadProject } from "../../src/project/project.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");

// ---- helpers -----------------------------------------------------------------------------------

/** Drop spans so structures compare by meaning. */
function strip<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (k, v) =>
      k === "span" || k === "idSpan" || k === "metaSpans" ? undefined : v,
    ),
  );
}

function ruleWith(condition: string, extra = ""): string {
  return `rule "r" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  condition ${condition}\n${extra}}\n`;
}

/** Parse a condition inside a minimal rule; no errors allowed (warnings such as DETC2018 may appear). */
function cond(condition: string): Expr {
  const { value, diagnostics } = parseSource("c.det", ruleWith(condition));
  expect(
    diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`),
  ).toEqual([]);
  expect(value.rules).toHaveLength(1);
  const c = value.rules[0]!.condition;
  expect(c).toBeDefined();
  return strip(c!);
}

const p = (...segments: (string | number)[]): Omit<FieldPath, "span"> => ({
  kind: "path",
  segments,
  self: false,
});
const self = { kind: "path", segments: [], self: true };
const str = (value: string) => ({ kind: "string", value });
const num = (value: number, text = String(value)) => ({ kind: "number", value, text });
const bool = (value: boolean) => ({ kind: "boolean", value });
type Shape = Record<string, unknown>;
const eq = (path: unknown, value: unknown, nocase = false): Shape => ({
  kind: "compare",
  op: "eq",
  path,
  value,
  nocase,
});
const pres = (path: unknown, op: string): Shape => ({ kind: "presence", op, path, nocase: false });

// ---- §1 example --------------------------------------------------------------------------------

const example = `# Anyone may launch the image: its disks (and any secrets baked into them) are exposed.
rule "AWS.CloudTrail.AMIModifiedForPublicAccess" {
  title       "Amazon Machine Image (AMI) Modified to Allow Public Access"
  description "An Amazon Machine Image (AMI) was modified to allow it to be launched by anyone. Any sensitive configuration or application data stored in the AMI's block devices is at risk."
  severity    medium
  logsource   aws.cloudtrail
  attack      TA0010:T1537
  tags        "AWS", "Exfiltration:Transfer Data to Cloud Account"
  reference   "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html"
  runbook     """
    Determine if the AMI is intended to be publicly accessible. If not, first modify the AMI
    to not be publicly accessible, then change any sensitive data stored in its block devices.
    """
  summary     userAgent, sourceIPAddress, recipientAccountId
  output      eventName, eventSource, awsRegion, recipientAccountId, sourceIPAddress, userAgent, userIdentity

  condition
    not (errorCode is_not_null or errorMessage is_not_null or eventName ne "ModifyImageAttribute")
    and any requestParameters.launchPermission.add.items (
      group eq "all"
      or (userId is_not_null and userId not_in $org_accounts)
    )

  test "AMI Made Public" matches { "eventName": "ModifyImageAttribute", "requestParameters": { "launchPermission": { "add": { "items": [ { "group": "all" } ] } } } }
  test "AMI Added to User" ignores with org_accounts = ["bob"] { "eventName": "ModifyImageAttribute", "requestParameters": { "launchPermission": { "add": { "items": [ { "userId": "bob" }, ] } } }, }
}
`;

describe("the example rule of language.md §1", () => {
  const { value, diagnostics } = parseSource("rules/aws/ec2/ami_made_public.det", example);
  const rule = value.rules[0] as RuleDecl;

  it("parses with zero diagnostics into one rule", () => {
    expect(diagnostics).toEqual([]);
    expect(value.kind).toBe("file");
    expect(value.path).toBe("rules/aws/ec2/ami_made_public.det");
    expect(value.rules).toHaveLength(1);
    expect(value.lists).toEqual([]);
    expect(rule.id).toBe("AWS.CloudTrail.AMIModifiedForPublicAccess");
  });

  it("has the metadata values", () => {
    const m = rule.meta;
    expect(m.title).toBe("Amazon Machine Image (AMI) Modified to Allow Public Access");
    expect(m.description).toMatch(/^An Amazon Machine Image \(AMI\) was modified .* is at risk\.$/);
    expect(m.severity).toBe("medium");
    expect(m.logsource).toBe("aws.cloudtrail");
    expect(m.attack.map(({ tactic, technique }) => ({ tactic, technique }))).toEqual([
      { tactic: "TA0010", technique: "T1537" },
    ]);
    expect(m.tags).toEqual(["AWS", "Exfiltration:Transfer Data to Cloud Account"]);
    expect(m.reference).toEqual([
      "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html",
    ]);
    expect(m.enabled).toBe(true);
    expect(m.status).toBeUndefined();
    expect(m.author).toEqual([]);
  });

  it("removes the block string's margin and has no trailing newline", () => {
    expect(rule.meta.runbook).toBe(
      "Determine if the AMI is intended to be publicly accessible. If not, first modify the AMI\n" +
        "to not be publicly accessible, then change any sensitive data stored in its block devices.",
    );
  });

  it("reads summary and output as field paths", () => {
    expect(rule.meta.summary.map((f) => f.segments)).toEqual([
      ["userAgent"],
      ["sourceIPAddress"],
      ["recipientAccountId"],
    ]);
    expect(rule.meta.output.map((f) => f.segments.join("."))).toEqual([
      "eventName",
      "eventSource",
      "awsRegion",
      "recipientAccountId",
      "sourceIPAddress",
      "userAgent",
      "userIdentity",
    ]);
    expect(rule.meta.output.every((f) => !f.self)).toBe(true);
  });

  it("builds the condition tree", () => {
    expect(strip(rule.condition)).toEqual({
      kind: "and",
      operands: [
        {
          kind: "not",
          operand: {
            kind: "or",
            operands: [
              pres(p("errorCode"), "is_not_null"),
              pres(p("errorMessage"), "is_not_null"),
              {
                kind: "compare",
                op: "ne",
                path: p("eventName"),
                value: str("ModifyImageAttribute"),
                nocase: false,
              },
            ],
          },
        },
        {
          kind: "quantified",
          quantifier: "any",
          path: p("requestParameters", "launchPermission", "add", "items"),
          body: {
            kind: "or",
            operands: [
              eq(p("group"), str("all")),
              {
                kind: "and",
                operands: [
                  pres(p("userId"), "is_not_null"),
                  {
                    kind: "set",
                    negated: true,
                    path: p("userId"),
                    list: { kind: "named", name: "org_accounts" },
                    nocase: false,
                  },
                ],
              },
            ],
          },
        },
      ],
    });
  });

  it("reads the tests: names, expectations, bindings and events", () => {
    expect(rule.tests.map((t) => [t.name, t.expect])).toEqual([
      ["AMI Made Public", "matches"],
      ["AMI Added to User", "ignores"],
    ]);
    expect(rule.tests[0]!.bindings).toEqual([]);
    expect(rule.tests[0]!.event).toEqual({
      eventName: "ModifyImageAttribute",
      requestParameters: { launchPermission: { add: { items: [{ group: "all" }] } } },
    });
    expect(strip(rule.tests[1]!.bindings)).toEqual([
      { name: "org_accounts", values: [str("bob")] },
    ]);
    expect(rule.tests[1]!.event).toEqual({
      eventName: "ModifyImageAttribute",
      requestParameters: { launchPermission: { add: { items: [{ userId: "bob" }] } } },
    });
    expect(rule.tests[1]!.fromFile).toBeUndefined();
  });

  it("parses the seed rule files without diagnostics", () => {
    for (const f of [
      "rules/aws/ec2/ami_modified_for_public_access.det",
      "rules/aws/ec2/ami_deregistered.det",
      "rules/lists.det",
    ]) {
      const r = parseSource(f, readFileSync(path.join(repoRoot, f), "utf8"));
      expect(r.diagnostics, f).toEqual([]);
    }
  });
});

// ---- conditions --------------------------------------------------------------------------------

describe("conditions", () => {
  it("parses the seed condition unchanged", () => {
    expect(
      cond(
        'not (errorCode is_not_null or errorMessage is_not_null or eventName ne "ModifyImageAttribute")',
      ),
    ).toEqual({
      kind: "not",
      operand: {
        kind: "or",
        operands: [
          pres(p("errorCode"), "is_not_null"),
          pres(p("errorMessage"), "is_not_null"),
          {
            kind: "compare",
            op: "ne",
            path: p("eventName"),
            value: str("ModifyImageAttribute"),
            nocase: false,
          },
        ],
      },
    });
  });

  it.each(["eq", "ne", "lt", "le", "gt", "ge"])("comparison %s", (op) => {
    expect(cond(`a ${op} 5`)).toEqual({
      kind: "compare",
      op,
      path: p("a"),
      value: num(5),
      nocase: false,
    });
    expect(cond(`a ${op} "x"`)).toMatchObject({ kind: "compare", op, value: str("x") });
  });

  it("values: strings with escapes, numbers keep their text, booleans", () => {
    expect(cond(String.raw`a eq "q\"\\\/\n\u0041"`)).toMatchObject({ value: str('q"\\/\nA') });
    expect(cond("a eq -1.5e3")).toMatchObject({ value: num(-1500, "-1.5e3") });
    expect(cond("a eq 123456789012345678901")).toMatchObject({
      value: { kind: "number", text: "123456789012345678901" },
    });
    expect(cond("a eq 0")).toMatchObject({ value: num(0) });
    expect(cond("a eq true")).toMatchObject({ value: bool(true) });
    expect(cond("a ne false")).toMatchObject({ op: "ne", value: bool(false) });
  });

  it("in / not_in with literal lists and $lists, nocase", () => {
    expect(cond('a in ["x", 1, true]')).toEqual({
      kind: "set",
      negated: false,
      path: p("a"),
      list: { kind: "values", values: [str("x"), num(1), bool(true)] },
      nocase: false,
    });
    expect(cond('a not_in ["x"] nocase')).toMatchObject({
      kind: "set",
      negated: true,
      nocase: true,
    });
    expect(cond("a in $admins")).toMatchObject({
      kind: "set",
      negated: false,
      list: { kind: "named", name: "admins" },
    });
    expect(cond("a not_in $org_accounts nocase")).toMatchObject({
      kind: "set",
      negated: true,
      list: { kind: "named", name: "org_accounts" },
      nocase: true,
    });
    expect(cond("a in []")).toMatchObject({ kind: "set", list: { kind: "values", values: [] } });
  });

  it("trailing commas in value lists", () => {
    expect(cond('a in ["x", "y",]')).toMatchObject({
      list: { kind: "values", values: [str("x"), str("y")] },
    });
    expect(cond('a not_in ["x",]')).toMatchObject({ list: { kind: "values", values: [str("x")] } });
  });

  it.each(["contains", "starts_with", "ends_with"])(
    "string operator %s with and without nocase",
    (op) => {
      expect(cond(`a ${op} "Ab"`)).toEqual({
        kind: "string",
        op,
        path: p("a"),
        value: str("Ab"),
        nocase: false,
      });
      expect(cond(`a ${op} "Ab" nocase`)).toEqual({
        kind: "string",
        op,
        path: p("a"),
        value: str("Ab"),
        nocase: true,
      });
    },
  );

  it("eq/ne nocase", () => {
    expect(cond('a eq "X" nocase')).toEqual(eq(p("a"), str("X"), true));
    expect(cond('a ne "X" nocase')).toMatchObject({ op: "ne", nocase: true });
  });

  it("matches keeps the pattern as written, with escaped slashes", () => {
    expect(cond(String.raw`a matches /^arn:aws:iam::\d+:root$/`)).toEqual({
      kind: "matches",
      path: p("a"),
      pattern: String.raw`^arn:aws:iam::\d+:root$`,
      nocase: false,
    });
    expect(cond(String.raw`a matches /a\/b[\/]/ nocase`)).toMatchObject({
      pattern: String.raw`a\/b[\/]`,
      nocase: true,
    });
  });

  it("cidr (IPv4 and IPv6)", () => {
    expect(cond('sourceIPAddress cidr "10.0.0.0/8"')).toEqual({
      kind: "cidr",
      path: p("sourceIPAddress"),
      range: "10.0.0.0/8",
      nocase: false,
    });
    expect(cond('ip cidr "2001:db8::/32"')).toMatchObject({ kind: "cidr", range: "2001:db8::/32" });
  });

  it.each(["is_null", "is_not_null", "is_empty", "is_not_empty"])("presence %s", (op) => {
    expect(cond(`a.b ${op}`)).toEqual(pres(p("a", "b"), op));
  });

  it("any/all with a relative body and @", () => {
    expect(cond('any p_any_ip_addresses (@ cidr "10.0.0.0/8")')).toEqual({
      kind: "quantified",
      quantifier: "any",
      path: p("p_any_ip_addresses"),
      body: { kind: "cidr", path: self, range: "10.0.0.0/8", nocase: false },
    });
    expect(cond('all items (@ in ["a", "b"] or @ eq 3)')).toMatchObject({
      kind: "quantified",
      quantifier: "all",
      path: p("items"),
      body: {
        kind: "or",
        operands: [
          { kind: "set", path: self },
          { kind: "compare", path: self },
        ],
      },
    });
    expect(cond("any a.b (any c (@ is_null))")).toMatchObject({
      kind: "quantified",
      body: { kind: "quantified", path: p("c"), body: pres(self, "is_null") },
    });
  });

  it("paths: quoted segments, indexes, condition words after a dot", () => {
    expect(cond('requestParameters."x-amz-acl" eq "public-read"')).toMatchObject({
      path: p("requestParameters", "x-amz-acl"),
    });
    expect(cond('items[0].group eq "all"')).toMatchObject({ path: p("items", 0, "group") });
    expect(cond("a[0][12] is_null")).toMatchObject({ path: p("a", 0, 12) });
    expect(cond('"any" eq 1')).toEqual(eq(p("any"), num(1)));
    expect(cond('"not_in" ne "x"')).toMatchObject({ path: p("not_in") });
    expect(cond('"a b".c eq 1')).toMatchObject({ path: p("a b", "c") });
    expect(cond("a.any.in.not.eq.true eq 1")).toMatchObject({
      path: p("a", "any", "in", "not", "eq", "true"),
    });
  });

  it("metadata and structure words are field names", () => {
    for (const w of [
      "status",
      "title",
      "test",
      "output",
      "severity",
      "rule",
      "list",
      "condition",
      "with",
      "from",
      "ignores",
      "enabled",
      "falsepositives",
    ]) {
      expect(cond(`${w} eq "x"`), w).toEqual(eq(p(w), str("x")));
      expect(cond(`a.${w} is_null`), w).toEqual(pres(p("a", w), "is_null"));
    }
    expect(cond("any status (test eq 1)")).toMatchObject({
      kind: "quantified",
      path: p("status"),
      body: { path: p("test") },
    });
  });

  it("precedence: not > and > or", () => {
    const a = eq(p("a"), num(1));
    const b = eq(p("b"), num(2));
    const c = eq(p("c"), num(3));
    expect(cond("a eq 1 or b eq 2 and c eq 3")).toEqual({
      kind: "or",
      operands: [a, { kind: "and", operands: [b, c] }],
    });
    expect(cond("a eq 1 and b eq 2 or c eq 3")).toEqual({
      kind: "or",
      operands: [{ kind: "and", operands: [a, b] }, c],
    });
    expect(cond("not a eq 1 and b eq 2")).toEqual({
      kind: "and",
      operands: [{ kind: "not", operand: a }, b],
    });
    expect(cond("not a eq 1 or b eq 2")).toEqual({
      kind: "or",
      operands: [{ kind: "not", operand: a }, b],
    });
    expect(cond("not not a eq 1")).toEqual({ kind: "not", operand: { kind: "not", operand: a } });
    expect(cond("a eq 1 and b eq 2 and c eq 3")).toEqual({ kind: "and", operands: [a, b, c] });
    expect(cond("a eq 1 or b eq 2 or c eq 3")).toEqual({ kind: "or", operands: [a, b, c] });
  });

  it("parentheses group", () => {
    const a = eq(p("a"), num(1));
    const b = eq(p("b"), num(2));
    const c = eq(p("c"), num(3));
    expect(cond("(a eq 1 or b eq 2) and c eq 3")).toEqual({
      kind: "and",
      operands: [{ kind: "or", operands: [a, b] }, c],
    });
    expect(cond("not (a eq 1 and b eq 2)")).toEqual({
      kind: "not",
      operand: { kind: "and", operands: [a, b] },
    });
    expect(cond("((a eq 1))")).toEqual(a);
  });

  it("comments anywhere", () => {
    expect(cond("a eq 1 # trailing\n  # full line\n  and b eq 2")).toMatchObject({ kind: "and" });
  });
});

// ---- metadata ----------------------------------------------------------------------------------

describe("metadata", () => {
  it("reads every key", () => {
    const text = `rule "all.keys" {
  title "T"
  description "D"
  severity critical
  logsource okta.system
  attack TA0005:T1562.008, TA0010:T1537
  tags "a", "b"
  reference "https://a", "https://b"
  runbook "one line"
  author "alice", "bob"
  status experimental
  falsepositives "fp1"
  summary userIdentity.arn, requestParameters.any
  output a.b.c
  enabled false
  condition a is_null
}
`;
    const { value, diagnostics } = parseSource("k.det", text);
    expect(diagnostics.map((d) => d.message)).toEqual([]);
    const m = value.rules[0]!.meta;
    expect(m.severity).toBe("critical");
    expect(m.logsource).toBe("okta.system");
    expect(m.summary.map((f) => f.segments)).toEqual([
      ["userIdentity", "arn"],
      ["requestParameters", "any"],
    ]);
    expect(m.attack.map((a) => `${a.tactic}:${a.technique}`)).toEqual([
      "TA0005:T1562.008",
      "TA0010:T1537",
    ]);
    expect(m.author).toEqual(["alice", "bob"]);
    expect(m.status).toBe("experimental");
    expect(m.falsepositives).toEqual(["fp1"]);
    expect(m.enabled).toBe(false);
    expect(m.output.map((f) => f.segments)).toEqual([["a", "b", "c"]]);
  });

  it("reports a key given twice", () => {
    const { diagnostics } = parseSource("d.det", ruleWith("a is_null", '  title "again"\n'));
    expect(diagnostics.map((d) => d.code)).toContain("DETC2001");
  });

  it("reports a bad severity with the allowed words", () => {
    const { diagnostics } = parseSource(
      "s.det",
      'rule "r" {\n title "t"\n severity urgent\n logsource a\n condition a is_null\n}\n',
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.code).toBe("DETC2003");
    expect(diagnostics[0]!.message).toContain("one of info, low, medium, high or critical");
    expect(diagnostics[0]!.span).toMatchObject({ line: 3, column: 11 });
  });

  it("block strings: margin errors, blank lines, and no escapes", () => {
    const ok = parseSource(
      "b.det",
      'rule "r" {\n title """\n    a \\n "b"\n\n      c\n    """\n severity low\n logsource x\n condition a is_null\n}\n',
    );
    expect(ok.diagnostics).toEqual([]);
    expect(ok.value.rules[0]!.meta.title).toBe('a \\n "b"\n\n  c');
    const bad = parseSource(
      "b.det",
      'rule "r" {\n title """\n    a\n  b\n    """\n severity low\n logsource x\n condition a is_null\n}\n',
    );
    expect(bad.diagnostics.map((d) => [d.code, d.span.line])).toEqual([["DETC1006", 4]]);
  });
});

// ---- tests, JSON and lists ---------------------------------------------------------------------

describe("tests and JSON events", () => {
  it("JSON with trailing commas, nesting, all value kinds", () => {
    const { value, diagnostics } = parseSource(
      "j.det",
      ruleWith(
        "a is_null",
        '  test "j" ignores { "a": [1, -2.5e1, "s", true, false, null, {}, [],], "b": { "c": { }, }, }\n',
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(value.rules[0]!.tests[0]!.event).toEqual({
      a: [1, -25, "s", true, false, null, {}, []],
      b: { c: {} },
    });
  });

  it("a duplicate JSON key is an error", () => {
    const { diagnostics } = parseSource(
      "j.det",
      ruleWith("a is_null", '  test "j" ignores { "a": 1, "a": 2 }\n'),
    );
    expect(diagnostics.map((d) => d.code)).toEqual(["DETC3001"]);
  });

  it("a key named __proto__ is kept as data", () => {
    const { value } = parseSource(
      "j.det",
      ruleWith("a is_null", '  test "j" ignores { "__proto__": { "x": 1 } }\n'),
    );
    const event = value.rules[0]!.tests[0]!.event!;
    expect(Object.keys(event)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
  });

  it("with a = [...], b = [...]", () => {
    const { value, diagnostics } = parseSource(
      "w.det",
      ruleWith(
        "a in $a or b in $b",
        '  test "w" matches with a = ["x", "y",], b = [1, true] { "a": "x" }\n',
      ),
    );
    expect(diagnostics).toEqual([]);
    const t = value.rules[0]!.tests[0]!;
    expect(strip(t.bindings)).toEqual([
      { name: "a", values: [str("x"), str("y")] },
      { name: "b", values: [num(1), bool(true)] },
    ]);
    expect(t.event).toEqual({ a: "x" });
  });

  it("list declarations with and without defaults", () => {
    const { value, diagnostics } = parseSource(
      "l.det",
      'list org_accounts "ours"\nlist admin_roles "admins" = ["a", "b",]\n',
    );
    expect(diagnostics).toEqual([]);
    expect(strip(value.lists)).toEqual([
      { kind: "list", name: "org_accounts", description: "ours" },
      { kind: "list", name: "admin_roles", description: "admins", defaults: [str("a"), str("b")] },
    ]);
  });

  describe('from "file.json"', () => {
    const dir = mkdtempSync(path.join(tmpdir(), "detc-parser-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const rules = path.join(dir, "rules");
    mkdirSync(path.join(rules, "events"), { recursive: true });
    writeFileSync(
      path.join(rules, "events", "public.json"),
      '{ "eventName": "X", "items": [1, 2,], }\n',
    );
    writeFileSync(path.join(rules, "events", "array.json"), "[1, 2]\n");
    writeFileSync(path.join(rules, "events", "dup.json"), '{\n  "a": 1,\n  "a": 2\n}\n');

    it("reads the event relative to the rule file through the reader", () => {
      const calls: string[] = [];
      const { value, diagnostics } = parseSource(
        "r.det",
        ruleWith("a is_null", '  test "f" matches from "events/public.json"\n'),
        (rel) => {
          calls.push(rel);
          return { value: { eventName: "X" }, diagnostics: [] };
        },
      );
      expect(diagnostics).toEqual([]);
      expect(calls).toEqual(["events/public.json"]);
      expect(value.rules[0]!.tests[0]).toMatchObject({
        name: "f",
        expect: "matches",
        fromFile: "events/public.json",
        event: { eventName: "X" },
      });
    });

    it("loadProject reads the file, and reports missing, non-object and invalid files", () => {
      writeFileSync(
        path.join(rules, "r.det"),
        ruleWith(
          'eventName eq "X"',
          '  test "ok" matches from "events/public.json"\n' +
            '  test "missing" matches from "events/none.json"\n' +
            '  test "array" matches from "events/array.json"\n' +
            '  test "dup" matches from "events/dup.json"\n',
        ),
      );
      const project = loadProject(["rules"], { cwd: dir });
      const tests = project.rules[0]!.decl.tests;
      expect(tests.map((t) => t.name)).toEqual(["ok", "missing", "array", "dup"]);
      expect(tests[0]!.event).toEqual({ eventName: "X", items: [1, 2] });
      expect(tests[1]!.event).toBeUndefined();
      expect(tests[2]!.event).toBeUndefined();
      const byCode = project.diagnostics.map((d) => [d.code, d.span.file, d.span.line]);
      expect(byCode).toContainEqual(["DETC3002", "rules/r.det", 7]);
      expect(byCode).toContainEqual(["DETC3003", "rules/r.det", 8]);
      // the duplicate key is located in the JSON file itself
      expect(byCode).toContainEqual(["DETC3001", "rules/events/dup.json", 3]);
      expect(project.sources.get("rules/events/dup.json")).toContain('"a": 2');
    });
  });
});

// ---- spans -------------------------------------------------------------------------------------

describe("spans", () => {
  const text =
    'rule "S" {\n  title "t"\n  severity low\n  logsource x\n  condition\n    a.b eq "v" and not (c in $l or any d (@ cidr "10.0.0.0/8"))\n  test "one" ignores {}\n}\n';
  const { value, diagnostics } = parseSource("dir/s.det", text);
  const rule = value.rules[0]!;
  const at = (offset: number, end: number) => text.slice(offset, end);

  it("parses", () => expect(diagnostics).toEqual([]));

  it("every span carries file, line, column and offsets that agree with the text", () => {
    const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
    const check = (span: Span) => {
      expect(span.file).toBe("dir/s.det");
      expect(span.line).toBeGreaterThanOrEqual(1);
      expect(span.column).toBeGreaterThanOrEqual(1);
      expect(span.end).toBeGreaterThanOrEqual(span.offset);
      expect(lineStarts[span.line - 1]! + span.column - 1).toBe(span.offset);
      expect(lineStarts[span.endLine - 1]! + span.endColumn - 1).toBe(span.end);
    };
    const visit = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
          if (k === "span" || k === "idSpan") check(v as never);
          else if (k !== "event") visit(v);
        }
      }
    };
    visit(value);
  });

  it("points at the constructs", () => {
    expect(at(rule.idSpan.offset, rule.idSpan.end)).toBe('"S"');
    expect(rule.span).toMatchObject({ line: 1, column: 1, endLine: 8, endColumn: 2 });
    const c = rule.condition as Extract<Expr, { kind: "and" }>;
    expect(c.span).toMatchObject({ line: 6, column: 5 });
    expect(at(c.span.offset, c.span.end)).toBe(
      'a.b eq "v" and not (c in $l or any d (@ cidr "10.0.0.0/8"))',
    );
    const first = c.operands[0] as Extract<Expr, { kind: "compare" }>;
    expect(first.span).toMatchObject({
      file: "dir/s.det",
      line: 6,
      column: 5,
      offset: text.indexOf("a.b eq"),
    });
    expect(at(first.span.offset, first.span.end)).toBe('a.b eq "v"');
    expect(at(first.path.span.offset, first.path.span.end)).toBe("a.b");
    expect(at((first.value as Literal).span.offset, (first.value as Literal).span.end)).toBe('"v"');
    const neg = c.operands[1] as Extract<Expr, { kind: "not" }>;
    expect(neg.span.column).toBe(20);
    const inner = neg.operand as Extract<Expr, { kind: "or" }>;
    const set = inner.operands[0] as Extract<Expr, { kind: "set" }>;
    expect(at(set.span.offset, set.span.end)).toBe("c in $l");
    expect(at(set.list.span.offset, set.list.span.end)).toBe("$l");
    const q = inner.operands[1] as Extract<Expr, { kind: "quantified" }>;
    expect(at(q.span.offset, q.span.end)).toBe('any d (@ cidr "10.0.0.0/8")');
    const cidr = q.body as Extract<Expr, { kind: "cidr" }>;
    expect(at(cidr.path.span.offset, cidr.path.span.end)).toBe("@");
    expect(rule.tests[0]!.span).toMatchObject({ line: 7, column: 3 });
  });

  it("a path with an index ends after its bracket", () => {
    const t = ruleWith('items[0] eq "x"');
    const c = parseSource("i.det", t).value.rules[0]!.condition as Extract<
      Expr,
      { kind: "compare" }
    >;
    expect(t.slice(c.path.span.offset, c.path.span.end)).toBe("items[0]");
  });
});

// ---- recovery ----------------------------------------------------------------------------------

describe("recovery", () => {
  it("a missing final } still yields the rule, and an end-of-file diagnostic with line and column", () => {
    const full = ruleWith(
      'a eq "x"',
      '  test "t1" matches { "a": "x" }\n  test "t2" ignores { "a": "y" }\n',
    );
    const text = full.slice(0, full.lastIndexOf("}")); // ends with "\n"
    const { value, diagnostics } = parseSource("m.det", text);
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0]!;
    expect(d.code).toBe("DETC1003");
    expect(d.message).toMatch(/^unexpected end of file: expected .*'\}'/);
    const lines = text.split("\n");
    expect(d.span).toMatchObject({
      file: "m.det",
      line: lines.length,
      column: lines[lines.length - 1]!.length + 1,
    });
    const rule = value.rules[0]!;
    expect(rule.meta).toMatchObject({ title: "t", severity: "low", logsource: "aws.cloudtrail" });
    expect(strip(rule.condition)).toEqual(eq(p("a"), str("x")));
    expect(rule.tests.map((t) => [t.name, t.event])).toEqual([
      ["t1", { a: "x" }],
      ["t2", { a: "y" }],
    ]);
  });

  it("end of file without a trailing newline is reported on the last line", () => {
    const text = 'rule "r" {\n  title "t"\n  condition a eq';
    const { diagnostics } = parseSource("e.det", text);
    const eof = diagnostics.find((d) => d.code === "DETC1003");
    expect(eof).toBeDefined();
    expect(eof!.span).toMatchObject({ line: 3, column: text.split("\n")[2]!.length + 1 });
    expect(eof!.message).toContain("a value: a string, number, true or false");
  });

  it("reports several errors in one file and keeps the rest", () => {
    const text =
      'rule "r" {\n  title "t"\n  severity low\n  logsource x\n  condition a eq eq 1\n  test "ok" ignores { "a": 1 }\n  test "bad" ignores { "a" 1 }\n}\n';
    const { value, diagnostics } = parseSource("several.det", text);
    const lines = diagnostics.map((d) => d.span.line);
    expect(lines).toContain(5);
    expect(lines).toContain(7);
    expect(value.rules[0]!.tests.map((t) => t.name)).toContain("ok");
  });
});
