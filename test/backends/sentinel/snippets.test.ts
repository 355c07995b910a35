// The KQL emitted for each IR construct, against a table of expected snippets and fidelity notes
// (no KQL engine runs here: this table, the analyser and the golden review are the semantic check).
// Each query is also checked by Kusto.Language.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sentinelBackend } from "../../../src/backends/sentinel/index.js";
import { lowerExpr } from "../../../src/ir/lower.js";
import type { IrValue } from "../../../src/ir/types.js";
import type { LoadedRule } from "../../../src/project/project.js";
import { parseSource } from "../../../src/syntax/index.js";
import { compileCondition, conditionArbitrary, kql, queryOf } from "./support.js";

type Row = [condition: string, snippet: string, fidelities: string[]];

const rows: Row[] = [
  // string columns: "" is missing, so null and "" collapse
  ['eventName eq "X"', '| where EventName == "X"', []],
  ['eventName ne "X"', '| where EventName != "X"', []],
  ['eventName eq "X" nocase', '| where tolower(EventName) == "x"', []],
  [
    'eventName eq "Kali" nocase',
    'tolower(replace_string(EventName, "\\u0130", "i\\u0307")) == "kali"',
    [],
  ],
  ['eventName eq "ΑΣ" nocase', 'tolower(EventName) == "\\u03b1\\u03c2"', ["narrower"]],
  ["eventName eq 5", "| where false", []],
  ["eventName ne 5", "AWSCloudTrail", []],
  ['eventName eq ""', "| where isempty(EventName)", ["broader"]],
  ['eventName ne ""', "| where isnotempty(EventName)", ["narrower"]],
  ["errorCode is_null", "| where isempty(ErrorCode)", ["broader"]],
  ["errorCode is_not_null", "| where isnotempty(ErrorCode)", ["narrower"]],
  ["errorCode is_empty", "| where isempty(ErrorCode)", []],
  ["errorCode is_not_empty", "| where isnotempty(ErrorCode)", []],
  [
    'eventName lt "M"',
    '| where isnotempty(EventName) and strcmp(EventName, "M") < 0',
    ["narrower"],
  ],
  ['eventName gt "M"', '| where strcmp(EventName, "M") > 0', []],
  [
    'not (eventName lt "M")',
    '| where not(isnotempty(EventName) and strcmp(EventName, "M") < 0)',
    ["broader"],
  ],
  ['eventName in ["A", "B"]', '| where EventName in ("A", "B")', []],
  ['eventName not_in ["A", "B"]', '| where EventName !in ("A", "B")', []],
  ['eventName in ["A", ""]', '| where EventName in ("A", "")', ["broader"]],
  ['eventName in ["A", 1, true]', '| where EventName == "A"', []],
  ["eventName in $l", "| where EventName in (l)", []],
  [
    "eventName in $l nocase",
    'let l_nocase = toscalar(_GetWatchlist("l") | summarize make_set(tolower(SearchKey)));',
    [],
  ],
  ['userAgent contains "a"', '| where UserAgent contains_cs "a"', []],
  ['userAgent starts_with "a"', '| where UserAgent startswith_cs "a"', []],
  ['userAgent ends_with "a"', '| where UserAgent endswith_cs "a"', []],
  ['not (userAgent contains "a")', '| where not(UserAgent contains_cs "a")', []],
  [
    'userAgent contains ""',
    '| where isnotempty(UserAgent) and UserAgent contains_cs ""',
    ["narrower"],
  ],
  [
    "userAgent matches /^aws-cli\\/\\d/",
    '| where UserAgent matches regex "^aws-cli\\\\/\\\\d"',
    [],
  ],
  ["userAgent matches /boto/ nocase", '| where UserAgent matches regex "(?i)boto"', []],
  [
    "userAgent matches /x*/",
    '| where isnotempty(UserAgent) and UserAgent matches regex "x*"',
    ["narrower"],
  ],
  ['sourceIPAddress cidr "10.1.2.3/8"', 'ipv4_is_in_range(SourceIpAddress, "10.0.0.0/8")', []],
  [
    'sourceIPAddress cidr "2001:DB8::/32"',
    'coalesce(ipv6_is_in_range(replace_regex(SourceIpAddress, "%.*", ""), "2001:db8::/32"), false)',
    [],
  ],
  // bool columns: CloudTrail booleans, and the "true"/"false" strings of mfaAuthenticated
  ["readOnly eq false", "| where ReadOnly == false", []],
  ["readOnly ne false", "| where ReadOnly != false", []],
  ['readOnly eq "false"', "| where false", []],
  ["readOnly is_null", "| where isnull(ReadOnly)", []],
  ["readOnly in [true, false]", "| where isnotnull(ReadOnly)", []],
  [
    'userIdentity.sessionContext.attributes.mfaAuthenticated eq "true"',
    "| where SessionMfaAuthenticated == true",
    [],
  ],
  [
    'userIdentity.sessionContext.attributes.mfaAuthenticated ne "false"',
    "| where SessionMfaAuthenticated != false",
    [],
  ],
  ["userIdentity.sessionContext.attributes.mfaAuthenticated eq true", "| where false", []],
  [
    'userIdentity.sessionContext.attributes.mfaAuthenticated in ["false", false]',
    "| where SessionMfaAuthenticated == false",
    [],
  ],
  [
    'userIdentity.sessionContext.attributes.mfaAuthenticated contains "ru"',
    "| where SessionMfaAuthenticated == true",
    [],
  ],
  // datetime columns
  [
    'eventTime ge "2026-01-01T00:00:00Z"',
    "| where isnotnull(TimeGenerated) and TimeGenerated >= datetime(2026-01-01T00:00:00Z)",
    [],
  ],
  [
    'not (userIdentity.sessionContext.attributes.creationDate lt "2026-01-01T00:00:00Z")',
    "| where not(isnotnull(SessionCreationDate) and SessionCreationDate < datetime(2026-01-01T00:00:00Z))",
    [],
  ],
  [
    'eventTime in ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]',
    "| where TimeGenerated == datetime(2026-01-01T00:00:00Z) or TimeGenerated == datetime(2026-01-02T00:00:00Z)",
    [],
  ],
  ["eventTime is_not_null", "| where isnotnull(TimeGenerated)", []],
  // JSON columns: parse_json, typed with gettype()
  ['requestParameters.x eq "a"', '| where tostring(requestParameters.x) == "a"', []],
  ['requestParameters.x ne "a"', '| where tostring(requestParameters.x) != "a"', []],
  [
    'requestParameters.x eq "5"',
    '| where gettype(requestParameters.x) == "string" and tostring(requestParameters.x) == "5"',
    [],
  ],
  [
    'requestParameters.x eq ""',
    '| where gettype(requestParameters.x) == "string" and tostring(requestParameters.x) == ""',
    [],
  ],
  [
    "requestParameters.x eq 5",
    '| where gettype(requestParameters.x) in ("int", "long", "real", "decimal") and toreal(requestParameters.x) == 5.0',
    [],
  ],
  [
    "requestParameters.x eq true",
    '| where gettype(requestParameters.x) == "bool" and tobool(requestParameters.x) == true',
    [],
  ],
  ["requestParameters.x gt 1e3", "toreal(requestParameters.x) > 1000.0", []],
  [
    "not (requestParameters.x gt 5)",
    '| where not(gettype(requestParameters.x) in ("int", "long", "real", "decimal") and toreal(requestParameters.x) > 5.0)',
    [],
  ],
  [
    'requestParameters.x lt "b"',
    '| where gettype(requestParameters.x) == "string" and strcmp(tostring(requestParameters.x), "b") < 0',
    [],
  ],
  [
    'requestParameters.x contains "a"',
    '| where gettype(requestParameters.x) == "string" and tostring(requestParameters.x) contains_cs "a"',
    [],
  ],
  [
    'requestParameters.x in ["a", 1]',
    '(gettype(requestParameters.x) == "string" and tostring(requestParameters.x) == "a") or (gettype(requestParameters.x) in ("int", "long", "real", "decimal") and toreal(requestParameters.x) == 1.0)',
    [],
  ],
  [
    "requestParameters.x in $l",
    '| where gettype(requestParameters.x) == "string" and tostring(requestParameters.x) in (l)',
    [],
  ],
  ["requestParameters.x is_null", "| where isnull(requestParameters.x)", []],
  ["requestParameters.x is_not_null", "| where isnotnull(requestParameters.x)", []],
  [
    "requestParameters.x is_empty",
    '| where isnull(requestParameters.x) or (gettype(requestParameters.x) == "string" and tostring(requestParameters.x) == "") or (gettype(requestParameters.x) in ("array", "dictionary") and tostring(requestParameters.x) in ("[]", "{}"))',
    [],
  ],
  ["responseElements is_null", "| where isempty(ResponseElements) or isnull(responseElements)", []],
  [
    "responseElements is_not_empty",
    '| where isnotempty(ResponseElements) and not(isnull(responseElements) or (gettype(responseElements) == "string"',
    [],
  ],
  [
    'requestParameters.items[0].name eq "a"',
    'tostring(requestParameters.items[0].name) == "a"',
    [],
  ],
  ['requestParameters."x-amz-acl" eq "a"', 'tostring(requestParameters["x-amz-acl"]) == "a"', []],
  [
    'requestParameters.and.where eq "a"',
    "tostring(requestParameters['and'] ['where']) == \"a\"".replace(
      "'and'] ['where'",
      '"and"]["where"',
    ),
    [],
  ],
  [
    'requestParameters.sourceIp cidr "10.0.0.0/8"',
    'gettype(requestParameters.sourceIp) == "string" and tostring(requestParameters.sourceIp) matches regex',
    [],
  ],
  // any / all: mv-apply keeping one row per event; empty and non-arrays hold no elements
  [
    'any requestParameters.items (name eq "a")',
    'summarize any1 = countif(index1 < array_length(array1) and tostring(element1.name) == "a") > 0',
    [],
  ],
  [
    'all requestParameters.items (@ eq "a")',
    'summarize all1 = countif(index1 < array_length(array1) and tostring(element1) != "a") == 0',
    [],
  ],
  [
    "any requestParameters.items (@ is_null)",
    'extend array1 = iff(gettype(requestParameters.items) == "array", requestParameters.items, dynamic([]))',
    [],
  ],
  [
    'any requestParameters.items (any tags (key eq "a"))',
    "| summarize any1 = countif(index1 < array_length(array1) and any2) > 0",
    [],
  ],
  ['any eventName (@ eq "a")', "| where false", []],
  ['all eventName (@ eq "a")', "AWSCloudTrail", []],
  ['any userIdentity (@ eq "a")', "| where false", []],
  // objects the connector flattened, fields under scalars, fields it drops
  [
    "userIdentity is_null",
    "| where (isnull(SessionCreationDate) and isempty(SessionIssuerAccountId)",
    ["broader"],
  ],
  [
    "userIdentity is_not_empty",
    "| where not(isnull(SessionCreationDate) and isempty(SessionIssuerAccountId)",
    ["narrower"],
  ],
  ['userIdentity eq "x"', "| where false", []],
  ['errorCode.x eq "a"', "| where false", []],
  ["errorCode.x is_null", "AWSCloudTrail", []],
];

describe("KQL per IR construct", () => {
  it.each(rows)("%s", (condition, snippet, fidelities) => {
    const { query, notes } = compileCondition(condition);
    expect(query).toBeDefined();
    expect(query).toContain(snippet);
    expect(notes.map((n) => n.fidelity)).toEqual(fidelities);
    expect(kql().check(query!)).toEqual([]);
  });

  it("output fields: columns, JSON members, flattened objects; eventTime is TimeGenerated once", () => {
    const text = (output: string) => {
      const parsed = parseSource(
        "o.det",
        `rule "T.O" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  output ${output}\n  condition eventName eq "X"\n}\n`,
      );
      const decl = parsed.value.rules[0]!;
      const ir = lowerExpr(decl.condition!);
      const rule: LoadedRule = {
        decl,
        file: { path: "o.det", absolutePath: "/o.det", text: "", ast: parsed.value },
        outputStem: "o",
        ir: { id: decl.id, condition: ir, lists: [] },
        diagnostics: [],
      };
      return sentinelBackend.compile(rule, { options: {}, lists: new Map(), listValues: new Map() })
        .files[0]!.content;
    };
    const content = text("eventTime, eventName, requestParameters.bucketName, tlsDetails, bytes");
    const query = queryOf(content);
    expect(query).toContain(
      "| extend RequestParametersBucketName = tostring(requestParameters.bucketName)",
    );
    expect(query).toContain(
      '| extend TlsDetails = tostring(bag_pack("tlsVersion", TlsVersion, "cipherSuite", CipherSuite))',
    );
    expect(query).toContain(
      "| project TimeGenerated, EventName, RequestParametersBucketName, TlsDetails",
    );
    expect(content).toContain(
      "# detc: output field bytes has no AWSCloudTrail column and is not projected.",
    );
    expect(content).toContain("  ParametersBucketName: RequestParametersBucketName\n");
    expect(content).not.toContain("entityMappings");
    expect(kql().check(query)).toEqual([]);
  });

  it("a constant-true condition leaves every row: no where, no helper columns", () => {
    expect(compileCondition("errorCode.x is_null").query).toBe("AWSCloudTrail");
  });

  it("fields the table does not hold are unsupported, with the reason, and no file", () => {
    for (const condition of [
      "bytes gt 5",
      'eventTime contains "2026"',
      'eventTime eq "2026-01-01"',
      'any items (@ eq "a")',
      'tlsDetails.clientProvidedHostHeader eq "x"',
    ]) {
      const { query, notes } = compileCondition(condition);
      expect(query).toBeUndefined();
      expect(notes.map((n) => n.fidelity)).toContain("unsupported");
    }
    expect(compileCondition("bytes gt 5").notes[0]!.reason).toMatch(
      /no column for the CloudTrail field bytes/,
    );
  });

  it("a query longer than Sentinel's 10000 characters is unsupported", () => {
    const long = Array.from({ length: 400 }, (_, i) => `eventName ne "Event${i}"`).join(" and ");
    const { query, notes } = compileCondition(long);
    expect(query).toBeUndefined();
    expect(notes.map((n) => n.reason)).toEqual([
      expect.stringMatching(/Sentinel accepts at most 10000/),
    ]);
  });

  it("inline lists carry the configured values with their types", () => {
    const values: IrValue[] = [
      { type: "string", value: "a" },
      { type: "number", value: 7, text: "7" },
    ];
    expect(compileCondition("eventName in $l", { listsAs: "inline" }, values).query).toContain(
      '| where EventName == "a"',
    );
    expect(
      compileCondition("requestParameters.x not_in $l", { listsAs: "inline" }, values).query,
    ).toContain(
      'not((gettype(requestParameters.x) == "string" and tostring(requestParameters.x) == "a") or (gettype(requestParameters.x) in ("int", "long", "real", "decimal") and toreal(requestParameters.x) == 7.0))',
    );
    // A watchlist holds text: a number among the configured values cannot match there (reported).
    expect(
      compileCondition("requestParameters.x in $l", {}, values).notes.map((n) => n.fidelity),
    ).toEqual(["narrower"]);
    // A string column holds no numbers: the number could not match there under detc either.
    expect(compileCondition("eventName in $l", {}, values).notes).toEqual([]);
  });

  it("a negated leaf reports the opposite direction of its positive form", () => {
    expect(compileCondition("not (errorCode is_null)").notes.map((n) => n.fidelity)).toEqual([
      "narrower",
    ]);
    expect(compileCondition('not (eventName eq "")').notes.map((n) => n.fidelity)).toEqual([
      "narrower",
    ]);
    expect(compileCondition('not (userAgent contains "")').notes.map((n) => n.fidelity)).toEqual([
      "broader",
    ]);
  });

  it("random conditions over every kind of field compile to KQL the analyser accepts", () => {
    const condition = conditionArbitrary();
    let written = 0;
    fc.assert(
      fc.property(condition, fc.constantFrom("watchlist", "inline"), (text, listsAs) => {
        const { query, notes } = compileCondition(text, { listsAs });
        if (query === undefined) {
          expect(notes.some((n) => n.fidelity === "unsupported")).toBe(true);
          return;
        }
        written++;
        expect({ text, query, problems: kql().check(query) }).toEqual({
          text,
          query,
          problems: [],
        });
      }),
      { numRuns: 150, seed: 20261122 },
    );
    expect(written).toBeGreaterThan(60);
  });
});
