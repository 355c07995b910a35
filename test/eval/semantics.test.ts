// language.md §3, one row per (condition, event, expected), through parse → lower → the reference
// evaluator. Every row is also checked negated: `not C` must be the plain complement of `C`.
import { describe, expect, it } from "vitest";
import { checkRule } from "../../src/check/semantic.js";
import { matches } from "../../src/eval/evaluate.js";
import { lowerExpr } from "../../src/ir/lower.js";
import type { IrNode, IrValue } from "../../src/ir/types.js";
import type { JsonValue, ListDecl } from "../../src/syntax/ast.js";
import { parseSource } from "../../src/syntax/index.js";
import { listsForTest } from "../../src/testing/run.js";

type Event = { [key: string]: JsonValue };
type Scalar = string | number | boolean;

function toIr(v: Scalar): IrValue {
  if (typeof v === "string") return { type: "string", value: v };
  if (typeof v === "number") return { type: "number", value: v, text: String(v) };
  return { type: "boolean", value: v };
}

const declared = (names: string[]): Map<string, ListDecl> =>
  new Map(
    names.map((name) => [
      name,
      { kind: "list", name, description: "", defaults: undefined, span: undefined as never },
    ]),
  );

function lower(condition: string): IrNode {
  const text = `rule "r" {\n title "t"\n severity low\n logsource x\n condition ${condition}\n}\n`;
  const { value, diagnostics } = parseSource("sem.det", text);
  expect(
    diagnostics.map((d) => d.message),
    condition,
  ).toEqual([]);
  const rule = value.rules[0]!;
  const listNames = [...condition.matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  expect(
    checkRule(rule, { lists: declared(listNames) }).map((d) => d.message),
    condition,
  ).toEqual([]);
  return lowerExpr(rule.condition!);
}

function run(condition: string, event: JsonValue, lists: Record<string, Scalar[]> = {}): boolean {
  const values = new Map(Object.entries(lists).map(([k, v]) => [k, v.map(toIr)]));
  return matches(lower(condition), event, values);
}

type Row = [condition: string, event: Event, expected: boolean, lists?: Record<string, Scalar[]>];

const ct = { sourceIPAddress: "AWS Internal" };

const rows: Row[] = [
  // 1. missing and null are the same: null
  ["a is_null", {}, true],
  ["a is_null", { a: null }, true],
  ["a is_not_null", { a: null }, false],
  ["a is_not_null", { a: 0 }, true],
  ["a is_not_null", { a: "" }, true],
  ["a.b is_null", { a: null }, true],
  ["a.b is_null", { a: "scalar" }, true],
  ["a.b.c is_null", { a: { b: null } }, true],
  // 2. positive tests on null are false; ne / not_in are their complements: true on null
  ['a eq "x"', {}, false],
  ['a eq "x"', { a: null }, false],
  ['a ne "x"', {}, true],
  ['a ne "x"', { a: null }, true],
  ['a ne "x"', { a: "x" }, false],
  ['a ne "x"', { a: "y" }, true],
  ['a in ["x", "y"]', {}, false],
  ['a not_in ["x", "y"]', {}, true],
  ['a not_in ["x", "y"]', { a: null }, true],
  ['a not_in ["x", "y"]', { a: "x" }, false],
  ['a contains "x"', { a: null }, false],
  ['a starts_with "x"', {}, false],
  ['a ends_with "x"', {}, false],
  ["a matches /x/", {}, false],
  ['a cidr "10.0.0.0/8"', {}, false],
  ["a lt 5", {}, false],
  ["a ge 5", { a: null }, false],
  // 3. typed values
  ['a eq "5"', { a: 5 }, false],
  ["a eq 5", { a: "5" }, false],
  ["a eq 5", { a: 5 }, true],
  ["a eq 5", { a: 5.0 }, true],
  ["a eq 1.5e1", { a: 15 }, true],
  ['a eq "true"', { a: true }, false],
  ["a eq true", { a: "true" }, false],
  ["a eq true", { a: true }, true],
  ["a eq false", { a: 0 }, false],
  ['a ne "5"', { a: 5 }, true],
  ['a in ["5", "6"]', { a: 5 }, false],
  ['a in [5, "6"]', { a: 5 }, true],
  ['a eq "123456789012"', { a: 123456789012 }, false],
  // lt / le / gt / ge: numbers with numbers, strings with strings, mixed is false
  ["a lt 5", { a: 4 }, true],
  ["a lt 5", { a: 5 }, false],
  ["a le 5", { a: 5 }, true],
  ["a gt 5", { a: 5.5 }, true],
  ["a ge -1", { a: -1 }, true],
  ['a lt "b"', { a: "a" }, true],
  ['a gt "b"', { a: "ab" }, false],
  ['a lt "b"', { a: "B" }, true],
  ['a ge "2026-01-01"', { a: "2026-03-04T10:15:00Z" }, true],
  ["a lt 5", { a: "4" }, false],
  ['a lt "5"', { a: 4 }, false],
  ["a gt 5", { a: "10" }, false],
  ["a lt 5", { a: true }, false],
  ["a lt 5", { a: [1] }, false],
  // 4. case: names and values case-sensitive unless nocase
  ['a eq "Admin"', { a: "admin" }, false],
  ['a eq "Admin" nocase', { a: "ADMIN" }, true],
  ['A eq "x"', { a: "x" }, false],
  ['a ne "Admin"', { a: "admin" }, true],
  ['a ne "Admin" nocase', { a: "admin" }, false],
  ['a in ["Root", "Admin"]', { a: "root" }, false],
  ['a in ["Root", "Admin"] nocase', { a: "root" }, true],
  ['a not_in ["Root", "Admin"]', { a: "root" }, true],
  ['a not_in ["Root", "Admin"] nocase', { a: "root" }, false],
  ['a contains "Key"', { a: "accesskeyid" }, false],
  ['a contains "Key" nocase', { a: "accesskeyid" }, true],
  ['a starts_with "Get"', { a: "getObject" }, false],
  ['a starts_with "Get" nocase', { a: "getObject" }, true],
  ['a ends_with ".EXE"', { a: "x.exe" }, false],
  ['a ends_with ".EXE" nocase', { a: "x.exe" }, true],
  ["a matches /^Delete/", { a: "deleteBucket" }, false],
  ["a matches /^Delete/ nocase", { a: "deleteBucket" }, true],
  ['a eq "x" nocase', { a: 1 }, false],
  // string operators on non-strings are false
  ['a contains "1"', { a: 123 }, false],
  ['a starts_with "t"', { a: true }, false],
  ['a contains "x"', { a: ["x"] }, false],
  ['a contains ""', { a: "" }, true],
  // regex: RE2, unanchored search
  ["a matches /Bucket/", { a: "DeleteBucketPolicy" }, true],
  ["a matches /^Bucket/", { a: "DeleteBucketPolicy" }, false],
  ["a matches /Policy$/", { a: "DeleteBucketPolicy" }, true],
  [
    String.raw`a matches /^arn:aws:iam::\d{12}:root$/`,
    { a: "arn:aws:iam::123456789012:root" },
    true,
  ],
  [String.raw`a matches /a\/b/`, { a: "xa/by" }, true],
  [String.raw`a matches /[\/]etc/`, { a: "/etc/passwd" }, true],
  ["a matches /5/", { a: 5 }, false],
  // 5. a path through an array without any/all is not a scalar: positive tests are false
  ['items.group eq "all"', { items: [{ group: "all" }] }, false],
  ['items.group in ["all"]', { items: [{ group: "all" }] }, false],
  ['items eq "all"', { items: ["all"] }, false],
  ['items contains "all"', { items: ["all"] }, false],
  ['items in ["all", "x"]', { items: ["all"] }, false],
  ['o in ["all", "x"]', { o: { all: 1 } }, false],
  ['items.group ne "all"', { items: [{ group: "all" }] }, true],
  ['items[0].group eq "all"', { items: [{ group: "all" }] }, true],
  ['items[1].group eq "all"', { items: [{ group: "all" }] }, false],
  ["items[0] eq 1", { items: { "0": 1 } }, false],
  // any / all
  ['any items (group eq "all")', { items: [{ group: "x" }, { group: "all" }] }, true],
  ['any items (group eq "all")', { items: [{ group: "x" }] }, false],
  ['all items (group eq "all")', { items: [{ group: "all" }, { group: "all" }] }, true],
  ['all items (group eq "all")', { items: [{ group: "all" }, { group: "x" }] }, false],
  ['any items (group eq "all")', {}, false],
  ['all items (group eq "all")', {}, true],
  ['any items (group eq "all")', { items: null }, false],
  ['all items (group eq "all")', { items: null }, true],
  ['any items (group ne "all")', { items: [] }, false],
  ['all items (group eq "all")', { items: [] }, true],
  ['any items (group eq "all")', { items: { group: "all" } }, false],
  ['all items (group ne "all")', { items: { group: "all" } }, true],
  ['any items (@ eq "all")', { items: "all" }, false],
  ["any items (@ is_null)", { items: [1, null] }, true],
  ["all items (@ is_not_null)", { items: [1, null] }, false],
  ['any ips (@ cidr "10.0.0.0/8")', { ips: ["192.0.2.1", "10.1.2.3"] }, true],
  ['all ips (@ cidr "10.0.0.0/8")', { ips: ["192.0.2.1", "10.1.2.3"] }, false],
  ['any tags (@ eq "prod" nocase)', { tags: ["dev", "PROD"] }, true],
  ["any nums (@ gt 10)", { nums: [1, "20", 11] }, true],
  ["any nums (@ gt 10)", { nums: [1, "20"] }, false],
  ['any a.b (any c (@ eq "x"))', { a: { b: [{ c: ["y"] }, { c: ["z", "x"] }] } }, true],
  [
    "any rows (x eq 1 and y eq 2)",
    {
      rows: [
        { x: 1, y: 3 },
        { x: 2, y: 2 },
      ],
    },
    false,
  ],
  [
    "any rows (x eq 1 and y eq 2)",
    {
      rows: [
        { x: 1, y: 3 },
        { x: 1, y: 2 },
      ],
    },
    true,
  ],
  ['any items (group eq "all")', { items: [{ group: "all" }], group: "x" }, true],
  // is_empty: missing, null, "", [], {} — but 0 and false are values
  ["a is_empty", {}, true],
  ["a is_empty", { a: null }, true],
  ["a is_empty", { a: "" }, true],
  ["a is_empty", { a: [] }, true],
  ["a is_empty", { a: {} }, true],
  ["a is_empty", { a: 0 }, false],
  ["a is_empty", { a: false }, false],
  ["a is_empty", { a: " " }, false],
  ["a is_empty", { a: [null] }, false],
  ["a is_empty", { a: { b: null } }, false],
  ["a is_not_empty", { a: 0 }, true],
  ["a is_not_empty", { a: false }, true],
  ["a is_not_empty", { a: "" }, false],
  ["a is_not_empty", {}, false],
  // cidr: IPv4, IPv6, mixed families, non-addresses
  ['ip cidr "10.0.0.0/8"', { ip: "10.255.0.1" }, true],
  ['ip cidr "10.0.0.0/8"', { ip: "11.0.0.1" }, false],
  ['ip cidr "192.168.1.0/24"', { ip: "192.168.1.255" }, true],
  ['ip cidr "192.168.1.0/24"', { ip: "192.168.2.0" }, false],
  ['ip cidr "0.0.0.0/0"', { ip: "8.8.8.8" }, true],
  ['ip cidr "203.0.113.7/32"', { ip: "203.0.113.7" }, true],
  ['ip cidr "2001:db8::/32"', { ip: "2001:db8:1::5" }, true],
  ['ip cidr "2001:db8::/32"', { ip: "2001:db9::1" }, false],
  ['ip cidr "::/0"', { ip: "::1" }, true],
  ['ip cidr "::/0"', { ip: "10.0.0.1" }, false],
  ['ip cidr "0.0.0.0/0"', { ip: "2001:db8::1" }, false],
  ['ip cidr "10.0.0.0/8"', { ip: "::ffff:10.0.0.1" }, false],
  ['sourceIPAddress cidr "0.0.0.0/0"', ct, false],
  ['sourceIPAddress cidr "::/0"', ct, false],
  ['not sourceIPAddress cidr "10.0.0.0/8"', ct, true],
  ['ip cidr "10.0.0.0/8"', { ip: "10.0.0.1/32" }, false],
  ['ip cidr "10.0.0.0/8"', { ip: "010.0.0.1" }, false],
  ['ip cidr "10.0.0.0/8"', { ip: 167772161 }, false],
  ['ip cidr "10.0.0.0/8"', { ip: ["10.0.0.1"] }, false],
  // named lists
  ["userId in $org_accounts", { userId: "111" }, true, { org_accounts: ["111", "222"] }],
  ["userId in $org_accounts", { userId: "333" }, false, { org_accounts: ["111", "222"] }],
  ["userId not_in $org_accounts", { userId: "333" }, true, { org_accounts: ["111", "222"] }],
  ["userId not_in $org_accounts", {}, true, { org_accounts: ["111"] }],
  ["userId in $org_accounts", { userId: 111 }, false, { org_accounts: ["111"] }],
  ["userId in $org_accounts", { userId: "111" }, false, { org_accounts: [] }],
  ["userId in $org_accounts", { userId: "111" }, false],
  ["userId not_in $org_accounts", { userId: "111" }, true],
  ["role in $admins nocase", { role: "ADMIN" }, true, { admins: ["admin"] }],
  ["userId in $org_accounts", { userId: ["111"] }, false, { org_accounts: ["111"] }],
  ["userId not_in $org_accounts", { userId: ["111"] }, true, { org_accounts: ["111"] }],
  // in with a single value and an empty list (folded at lowering)
  ['a in ["x"]', { a: "x" }, true],
  ['a not_in ["x"]', {}, true],
  ["a in []", { a: "x" }, false],
  ["a not_in []", {}, true],
  // quoted segments, metadata words, field names are case-sensitive JSON keys
  ['"any" eq 1', { any: 1 }, true],
  [
    'requestParameters."x-amz-acl" eq "public-read"',
    { requestParameters: { "x-amz-acl": "public-read" } },
    true,
  ],
  ['status eq "ok"', { status: "ok" }, true],
  ['title eq "ok"', { Title: "ok" }, false],
  ['a."" eq 1', { a: { "": 1 } }, true],
  ["a.constructor is_null", { a: {} }, true],
  ["toString is_not_null", {}, false],
  // the seed condition
  [
    'not (errorCode is_not_null or errorMessage is_not_null or eventName ne "ModifyImageAttribute") and any requestParameters.launchPermission.add.items (group eq "all" or (userId is_not_null and userId not_in $org_accounts))',
    {
      eventName: "ModifyImageAttribute",
      requestParameters: { launchPermission: { add: { items: [{ userId: "bob" }] } } },
    },
    false,
    { org_accounts: ["bob"] },
  ],
  [
    'not (errorCode is_not_null or errorMessage is_not_null or eventName ne "ModifyImageAttribute") and any requestParameters.launchPermission.add.items (group eq "all" or (userId is_not_null and userId not_in $org_accounts))',
    {
      eventName: "ModifyImageAttribute",
      requestParameters: { launchPermission: { add: { items: [{ userId: "eve" }] } } },
    },
    true,
    { org_accounts: ["bob"] },
  ],
  [
    'not (errorCode is_not_null or errorMessage is_not_null or eventName ne "ModifyImageAttribute") and any requestParameters.launchPermission.add.items (group eq "all")',
    {
      eventName: "ModifyImageAttribute",
      errorCode: null,
      requestParameters: { launchPermission: { add: { items: [{ group: "all" }] } } },
    },
    true,
  ],
];

describe("language.md §3 semantics", () => {
  it("has at least 60 rows", () => expect(rows.length).toBeGreaterThanOrEqual(60));

  it.each(rows.map((r, i) => [i, ...r] as const))(
    "#%i %s on %j is %s",
    (_i, condition, event, expected, lists) => {
      expect(run(condition, event, lists)).toBe(expected);
      // negation is always a plain complement
      expect(run(`not (${condition})`, event, lists)).toBe(!expected);
    },
  );
});

describe("named lists bound by tests", () => {
  it("a test's `with` binding overrides the configured values", () => {
    const text = `rule "r" {
 title "t"
 severity low
 logsource x
 condition userId not_in $org_accounts
 test "bound" ignores with org_accounts = ["bob", "eve"] { "userId": "eve" }
 test "unbound" matches { "userId": "eve" }
 test "two" matches with org_accounts = ["x"], other = [1] { "userId": "eve" }
}
`;
    const { value, diagnostics } = parseSource("b.det", text);
    expect(diagnostics).toEqual([]);
    const rule = value.rules[0]!;
    const ir = lowerExpr(rule.condition!);
    const configured = new Map<string, IrValue[]>([["org_accounts", [toIr("alice")]]]);
    for (const test of rule.tests) {
      const lists = listsForTest(test, configured);
      expect(matches(ir, test.event!, lists), test.name).toBe(test.expect === "matches");
    }
    expect(listsForTest(rule.tests[2]!, configured).get("other")).toEqual([toIr(1)]);
  });
});

describe("numbers past 2^53", () => {
  // Numbers are IEEE doubles in the evaluator (as in JSON parsers, Sigma and KQL); an integer a double
  // cannot hold is flagged where it is written (DETC2018), in the rule and in test events, rather than
  // compared silently as something else. Identifiers such as account ids are strings anyway.
  it("an integer literal or event number past 2^53 is reported where it is written", () => {
    const text = `rule "r" {\n title "t"\n severity low\n logsource x\n condition a eq 9007199254740993\n test "big" ignores { "a": 9007199254740992 }\n}\n`;
    const { diagnostics } = parseSource("big.det", text);
    expect(
      diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.severity} ${d.code}`),
    ).toEqual(["5:17 warning DETC2018"]);
  });

  it("a number a double cannot hold at all is an error", () => {
    const text = `rule "r" {\n title "t"\n severity low\n logsource x\n condition a eq 1e400\n test "big" ignores { "a": -1e999 }\n}\n`;
    const { diagnostics } = parseSource("big.det", text);
    expect(diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.code}`)).toEqual([
      "5:17 DETC1008",
      "6:28 DETC1008",
    ]);
  });
});
