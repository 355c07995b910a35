// The project's CloudWatch filter-pattern parser and evaluator, on the documented examples first
// (AWS, "Filter pattern syntax…", JSON section), then on the cases the documentation leaves open
// (each pinned to the choice documented in src/backends/cloudwatch/pattern/evaluate.ts).
import { describe, expect, it } from "vitest";
import { patternMatches } from "../../../src/backends/cloudwatch/pattern/evaluate.js";
import { parsePattern } from "../../../src/backends/cloudwatch/pattern/parse.js";
import { printPattern } from "../../../src/backends/cloudwatch/pattern/print.js";
import type { JsonValue } from "../../../src/syntax/ast.js";

function matches(pattern: string, event: JsonValue): boolean {
  const parsed = parsePattern(pattern);
  if (!parsed.ok) throw new Error(`${pattern}: ${parsed.error.message}`);
  return patternMatches(parsed.pattern, event);
}

// The documentation's example event for JSON patterns.
const documented: JsonValue = {
  eventType: "UpdateTrail",
  sourceIPAddress: "111.111.111.111",
  arrayKey: ["value", "another value"],
  objectList: [
    { name: "a", id: 1 },
    { name: "b", id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
};

// The documentation's event for compound expressions.
const compound: JsonValue = {
  user: { id: 1, email: "John.Stiles@example.com" },
  users: [
    { id: 2, email: "John.Doe@example.com" },
    { id: 3, email: "Jane.Doe@example.com" },
  ],
  actions: ["GET", "PUT", "DELETE"],
  coordinates: [
    [0, 1],
    [1, 2],
    [2, 3],
  ],
};

describe("documented examples", () => {
  it.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ["{ $.sourceIPAddress != 123.123.* }", true],
    ["{ $.sourceIPAddress = 111.111.* }", true],
    ['{ $.arrayKey[0] = "value" }', true],
    ['{ $.arrayKey[1] = "value" }', false],
    ["{ $.objectList[1].id = 2 }", true],
    ["{ $.objectList[0].id = 2 }", false],
    ["{ $.SomeObject IS NULL }", true],
    ["{ $.SomeOtherObject NOT EXISTS }", true],
    ["{ $.SomeObject NOT EXISTS }", false],
    ["{ $.ThisFlag IS TRUE }", true],
    ["{ $.ThisFlag IS FALSE }", false],
  ])("%s → %s", (pattern, expected) => {
    expect(matches(pattern, documented)).toBe(expected);
  });

  it.each([
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
    [
      '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }',
      false,
    ],
    ['{ $.coordinates[0][1] = 1 && $.actions[2] = "DELETE" }', true],
    ['{ $.users[1].email = "Jane.Doe@example.com" }', true],
  ])("%s → %s", (pattern, expected) => {
    expect(matches(pattern, compound)).toBe(expected);
  });

  it("a missing field matches neither = nor != (hence ne needs || NOT EXISTS)", () => {
    expect(matches('{ $.missing = "x" }', documented)).toBe(false);
    expect(matches('{ $.missing != "x" }', documented)).toBe(false);
    expect(matches('{ $.missing != "x" || $.missing NOT EXISTS }', documented)).toBe(true);
  });

  it("a selector at an object or an array matches neither = nor !=", () => {
    for (const sel of ["$.user", "$.users", "$.actions", "$.coordinates[0]"]) {
      expect(matches(`{ ${sel} = "x" }`, compound)).toBe(false);
      expect(matches(`{ ${sel} != "x" }`, compound)).toBe(false);
      expect(matches(`{ ${sel} = * }`, compound)).toBe(false);
      expect(matches(`{ ${sel} != 1 }`, compound)).toBe(false);
    }
  });

  it("IS NULL is a present null; NOT EXISTS an absent field", () => {
    expect(matches("{ $.a IS NULL }", { a: null })).toBe(true);
    expect(matches("{ $.a IS NULL }", {})).toBe(false);
    expect(matches("{ $.a NOT EXISTS }", { a: null })).toBe(false);
    expect(matches("{ $.a NOT EXISTS }", {})).toBe(true);
    expect(matches("{ $.a.b NOT EXISTS }", { a: "text" })).toBe(true);
    expect(matches("{ $.a[0] NOT EXISTS }", { a: [] })).toBe(true);
    expect(matches("{ $.a[0] NOT EXISTS }", { a: [null] })).toBe(false);
  });

  it("wildcards match any run of characters at the start, the end, or both", () => {
    expect(matches('{ $.eventType = "Update*" }', documented)).toBe(true);
    expect(matches("{ $.eventType = *Trail }", documented)).toBe(true);
    expect(matches('{ $.eventType = "*dateTr*" }', documented)).toBe(true);
    expect(matches('{ $.eventType = "*" }', documented)).toBe(true);
    expect(matches('{ $.eventType = "Trail*" }', documented)).toBe(false);
    expect(matches('{ $.eventType = "update*" }', documented)).toBe(false); // case-sensitive
    expect(matches('{ $.e = "*" }', { e: "" })).toBe(true);
  });

  it("regexes are an unanchored search within the documented subset", () => {
    expect(matches("{ $.eventType = %Trail% }", documented)).toBe(true);
    expect(matches("{ $.eventType = %^Trail% }", documented)).toBe(false);
    expect(matches("{ $.eventType = %^Up[a-z]+Tr.il$% }", documented)).toBe(true);
    expect(matches("{ $.eventType != %^Up% }", documented)).toBe(false);
    expect(matches("{ $.sourceIPAddress = %111\\.111\\.% }", documented)).toBe(true);
    expect(matches("{ $.eventType = %colou?r|Trail% }", documented)).toBe(true);
  });

  it("numbers compare numerically", () => {
    expect(matches("{ $.user.id = 1 }", compound)).toBe(true);
    expect(matches("{ $.user.id = 1.0 }", compound)).toBe(true);
    expect(
      matches(
        "{ $.user.id >= 1 && $.users[1].id > 2 && $.users[0].id < 3 && $.user.id <= 1e0 }",
        compound,
      ),
    ).toBe(true);
    expect(matches("{ $.user.id != 1 }", compound)).toBe(false);
    expect(matches("{ $.user.email > 1 }", compound)).toBe(false);
    expect(matches("{ $.user.email != 1 }", compound)).toBe(false);
  });
});

describe("choices where the documentation is silent (see evaluate.ts)", () => {
  it("a quoted value compares with the TEXT of a number or boolean (the broader reading)", () => {
    expect(matches('{ $.n = "5" }', { n: 5 })).toBe(true);
    expect(matches('{ $.n = "1*" }', { n: 15 })).toBe(true);
    expect(matches('{ $.b = "true" }', { b: true })).toBe(true);
  });

  it("a number operand also reads a string holding a JSON number literal", () => {
    expect(matches("{ $.n = 5 }", { n: "5" })).toBe(true);
    expect(matches("{ $.n = 5 }", { n: "5.0" })).toBe(true);
    expect(matches("{ $.n = 5 }", { n: " 5" })).toBe(false);
    expect(matches("{ $.n < 5 }", { n: "x" })).toBe(false);
  });

  it("a null value matches neither = nor != (IS NULL says null)", () => {
    expect(matches('{ $.a = "null" }', { a: null })).toBe(false);
    expect(matches('{ $.a != "x" }', { a: null })).toBe(false);
    expect(matches("{ $.a = * }", { a: null })).toBe(false);
  });

  it("IS TRUE / IS FALSE see JSON booleans only", () => {
    expect(matches("{ $.a IS TRUE }", { a: "true" })).toBe(false);
    expect(matches("{ $.a IS FALSE }", { a: 0 })).toBe(false);
  });

  it("&& binds tighter than || (detc never relies on it: it parenthesises every mix)", () => {
    expect(
      matches(
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "x" && $.actions[2] = "x" }',
        compound,
      ),
    ).toBe(true);
  });
});

describe("parser", () => {
  it.each([
    ["{ $.a = (x) }", "expected a value"],
    ["{ $.a = %(x)% }", "parentheses"],
    ["{ $.a = %x y% }", "character set"],
    ["{ $.a = %é% }", "character set"],
    ["{ $.a = %% }", "empty"],
    ["{ $.a = %x }", "unterminated regex"],
    ["{ $.a = %a% || $.b = %b% || $.c = %c% }", "at most 2 regexes"],
    ["{ $.a[*] = 1 }", "array index"],
    ["{ $.a IS MAYBE }", "NULL, TRUE or FALSE"],
    ["{ $.a NOT THERE }", "EXISTS"],
    ['{ $.a = "x\\"y" }', "backslash"],
    ['{ $.a = "x\ny" }', "control character"],
    ['{ $.a = "x }', "unterminated"],
    ['{ $.a < "x" }', "compares numbers"],
    ['{ $.a = "x" ', "closing '}'"],
    ['$.a = "x"', "'{'"],
    ['{ $.a = "x" } extra', "after the closing"],
    ['{ $ = "x" }', "property selector"],
    ['{ ($.a = "x" }', "')'"],
    ['{ $.a = "x" && }', "property selector"],
    ["{ $.a = }", "expected a value"],
  ])("rejects %s (%s)", (pattern, message) => {
    const parsed = parsePattern(pattern);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain(message);
  });

  it("rejects a pattern over 1,024 characters and accepts one at the limit", () => {
    const at = (n: number) => `{ $.a = "${"x".repeat(n - 12)}" }`;
    expect(at(1024).length).toBe(1024);
    expect(parsePattern(at(1024)).ok).toBe(true);
    const over = parsePattern(at(1025));
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.message).toContain("1025 characters");
  });

  it("printing a parsed pattern gives the canonical text back", () => {
    for (const text of [
      '{ $.a = "x" }',
      "{ ($.a NOT EXISTS || $.a IS NULL) && $.b[0].c = 5 }",
      '{ ($.a = "x" && $.b != *y) || $.c = %^z$% }',
      "{ $.a IS TRUE || $.b IS FALSE || $.c >= -1.5e3 }",
    ]) {
      const parsed = parsePattern(text);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(printPattern(parsed.pattern)).toBe(text);
    }
  });
});
