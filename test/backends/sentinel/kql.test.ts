// Every generated query is parsed and analysed by Kusto.Language against the declared AWSCloudTrail
// schema, plus detc's own KQL checks (check.ts): none may report a problem. The checks bite on the
// mistakes other translators make; random strings stay valid KQL string literals.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  kqlMember,
  kqlReal,
  kqlReservedMemberNames,
  kqlString,
} from "../../../src/backends/sentinel/escape.js";
import { columns } from "../../../src/backends/sentinel/mapping.js";
import { compileCorpora, kql, queryOf, type CompiledEntry } from "./support.js";

let entries: CompiledEntry[] = [];
let inline: CompiledEntry[] = [];

beforeAll(() => {
  entries = compileCorpora();
  // Inline lists change only the queries of rules that use a named list.
  inline = compileCorpora({ listsAs: "inline" }).filter((e) => e.rule.ir!.lists.length > 0);
  kql();
});

describe("generated KQL", () => {
  it("every query of both corpora passes Kusto.Language and detc's checks (watchlists and inline lists)", () => {
    const written = [...entries, ...inline].filter((e) => e.result.files.length > 0);
    expect(written.length).toBeGreaterThan(40);
    expect(inline.filter((e) => e.result.files.length).length).toBeGreaterThan(2);
    const failures = written.flatMap((e) => {
      const query = queryOf(e.result.files[0]!.content);
      const problems = kql().check(query);
      return problems.length
        ? [
            {
              rule: e.rule.decl.id,
              problems: problems.map(
                (p) =>
                  `${p.code} ${p.message} @${p.start}: ${query.slice(p.start, p.start + p.length + 20)}`,
              ),
            },
          ]
        : [];
    });
    expect(failures).toEqual([]);
  });

  it("the query inside the YAML is the one checked: the YAML block reads back to the same text", () => {
    for (const e of entries.filter((x) => x.result.files.length)) {
      const doc = parseYaml(e.result.files[0]!.content) as { query: string };
      expect(doc.query.trimEnd()).toBe(queryOf(e.result.files[0]!.content));
    }
  });
});

describe("detc's KQL checks bite", () => {
  const base = 'AWSCloudTrail\n| where EventName == "DeregisterImage"';
  it("accepts a good query", () => {
    expect(kql().check(`${base}\n| where isempty(ErrorCode)`)).toEqual([]);
  });

  it.each([
    ["an unknown column", `${base} and ErrorCodes == "x"`, "KS142"],
    [
      "a dotted field written as a quoted string",
      `${base} and 'requestParameters.imageId' == "ami-1"`,
      "KQL001",
    ],
    ["isnull() on a string column", `${base} and isnull(ErrorCode)`, "KQL003"],
    ["isnotnull() on a string column", `${base} and isnotnull(ErrorCode)`, "KQL003"],
    ["a string compared with a number", `${base} and EventName == 5`, "KQL002"],
    ["a bool column compared with a string", `${base} and ReadOnly == "true"`, "KQL002"],
    ["a regex RE2 rejects", `${base} and UserAgent matches regex "(?=x)"`, "KQL004"],
    ["a syntax error", `${base} and`, "KS"],
    ["an unknown function", `${base} and is_null(ErrorCode)`, "KS"],
  ])("rejects %s", (_, query, code) => {
    const problems = kql().check(query);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.code.startsWith(code) && p.severity === "error")).toBe(true);
  });

  it("the schema has every AWSCloudTrail column, the five JSON columns as string", () => {
    const names = columns.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const json of [
      "RequestParameters",
      "ResponseElements",
      "AdditionalEventData",
      "Resources",
      "ServiceEventDetails",
    ])
      expect(columns.find((c) => c.name === json)).toMatchObject({ type: "string", kind: "json" });
    for (const b of ["ReadOnly", "ManagementEvent", "SessionMfaAuthenticated"])
      expect(columns.find((c) => c.name === b)?.type).toBe("bool");
    for (const name of names) expect(kql().check(`AWSCloudTrail | project ${name}`)).toEqual([]);
    expect(kql().check("AWSCloudTrail | project UserIdentityPrincipalId").length).toBeGreaterThan(
      0,
    );
  });
});

describe("KQL escaping", () => {
  const units = [
    ..."\"'\\\n\r\t\0{}$%@`ab é",
    "\u2028",
    "\u202e",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\u{1F600}",
    "\u007f",
    "\u0085",
  ];
  const nasty = fc.oneof(
    fc.array(fc.constantFrom(...units), { maxLength: 16 }).map((p) => p.join("")),
    fc.string({ unit: "binary", maxLength: 16 }),
    fc.string({ unit: "grapheme", maxLength: 8 }),
  );

  it("kqlString: any string is one KQL string literal reading back exactly, also inside a query", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const literal = kqlString(s);
        expect(/^[\x20-\x7e]*$/.test(literal)).toBe(true);
        expect(kql().stringLiteralValue(literal)).toBe(s);
        expect(kql().check(`AWSCloudTrail | where EventName == ${literal}`)).toEqual([]);
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it("kqlMember: every member name reads as that member (reserved words bracketed)", () => {
    const names = [
      ...kqlReservedMemberNames,
      "type",
      "items",
      "x-amz-acl",
      "a b",
      "",
      "é",
      "_x",
      "1a",
      "Key",
      "group",
    ];
    for (const name of names) {
      const query = `AWSCloudTrail | extend rp = parse_json(RequestParameters) | where tostring(rp${kqlMember(name)}) == "x"`;
      expect({ name, problems: kql().check(query) }).toEqual({ name, problems: [] });
    }
    fc.assert(
      fc.property(nasty, (name) => {
        expect(kql().check(`print x = tostring(dynamic({})${kqlMember(name)})`)).toEqual([]);
      }),
      { numRuns: 100, seed: 20261122 },
    );
  });

  it("kqlReal: every finite double is a KQL real literal with the same value", () => {
    const doubles = [
      0,
      -0,
      5,
      -5,
      0.1,
      1e21,
      1e-7,
      5e-324,
      1.7976931348623157e308,
      12345678901234567890,
      2 ** 53 + 2,
    ];
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...doubles)),
        (n) => {
          const text = kqlReal(n);
          expect(Number(text)).toBe(Object.is(n, -0) ? 0 : n);
          expect(/^-?\d+(\.\d+)?(e[-+]?\d+)?$/.test(text) && text.includes(".")).toBe(true);
          expect(kql().check(`print x = ${text}`)).toEqual([]);
        },
      ),
      { numRuns: 200, seed: 20261122 },
    );
  });
});
