// AST → IR: negation pushed to the leaves with exact complements, and/or flattened, constants
// folded; properties: `not C` evaluates to the complement of `C`, lowering preserves the meaning
// of the source (against a naive evaluator of the source tree written here from language.md §3),
// and `printIr` output re-parses to an IR that evaluates identically.
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { matches } from "../../src/eval/evaluate.js";
import { lowerExpr } from "../../src/ir/lower.js";
import { printIr } from "../../src/ir/print.js";
import type { IrNode, IrValue } from "../../src/ir/types.js";
import type { JsonValue } from "../../src/syntax/ast.js";
import { parseSource } from "../../src/syntax/index.js";

// ---- helpers -----------------------------------------------------------------------------------

function parseCondition(condition: string) {
  const text = `rule "r" {\n title "t"\n severity low\n logsource x\n condition ${condition}\n}\n`;
  return parseSource("l.det", text);
}

function lower(condition: string): IrNode {
  const { value, diagnostics } = parseCondition(condition);
  if (diagnostics.some((d) => d.severity === "error") || !value.rules[0]?.condition) {
    throw new Error(
      `${condition}\n${diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.message}`).join("\n")}`,
    );
  }
  return lowerExpr(value.rules[0].condition);
}

/** The IR without source positions. */
function shape(node: IrNode): unknown {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === "origin" ? undefined : v)));
}

const P = (...segments: (string | number)[]) => ({ segments, self: false });
const S = (value: string): IrValue => ({ type: "string", value });
const N = (value: number): IrValue => ({ type: "number", value, text: String(value) });

// ---- examples ----------------------------------------------------------------------------------

describe("negation is pushed to the leaves with exact complements", () => {
  it("not (a or b) → not a and not b", () => {
    expect(shape(lower('not (a eq 1 or b eq "x")'))).toEqual({
      kind: "and",
      items: [
        { kind: "compare", op: "ne", path: P("a"), value: N(1), nocase: false },
        { kind: "compare", op: "ne", path: P("b"), value: S("x"), nocase: false },
      ],
    });
    expect(shape(lower("not (a eq 1 and b eq 2)"))).toMatchObject({
      kind: "or",
      items: [{ op: "ne" }, { op: "ne" }],
    });
    expect(shape(lower("not not a eq 1"))).toMatchObject({ kind: "compare", op: "eq" });
  });

  it.each([
    ["a eq 1", { kind: "compare", op: "ne" }],
    ["a ne 1", { kind: "compare", op: "eq" }],
    ['a eq "x" nocase', { kind: "compare", op: "ne", nocase: true }],
    [
      'a in ["x", "y"]',
      { kind: "set", negated: true, list: { kind: "values", values: [S("x"), S("y")] } },
    ],
    ['a not_in ["x", "y"] nocase', { kind: "set", negated: false, nocase: true }],
    ["a in $l", { kind: "set", negated: true, list: { kind: "named", name: "l" } }],
    ["a not_in $l", { kind: "set", negated: false, list: { kind: "named", name: "l" } }],
    ["a is_null", { kind: "presence", op: "is_not_null" }],
    ["a is_not_null", { kind: "presence", op: "is_null" }],
    ["a is_empty", { kind: "presence", op: "is_not_empty" }],
    ["a is_not_empty", { kind: "presence", op: "is_empty" }],
    ["a lt 1", { kind: "order", op: "lt", negated: true }],
    ["a le 1", { kind: "order", op: "le", negated: true }],
    ["a gt 1", { kind: "order", op: "gt", negated: true }],
    ['a ge "m"', { kind: "order", op: "ge", negated: true, value: S("m") }],
    ['a contains "x"', { kind: "string", op: "contains", negated: true, value: "x" }],
    [
      'a starts_with "x" nocase',
      { kind: "string", op: "starts_with", negated: true, nocase: true },
    ],
    ['a ends_with "x"', { kind: "string", op: "ends_with", negated: true }],
    ["a matches /x+/", { kind: "matches", negated: true, pattern: "x+" }],
    ['a cidr "10.0.0.0/8"', { kind: "cidr", negated: true, range: "10.0.0.0/8" }],
    [
      "any xs (@ eq 1)",
      {
        kind: "quantified",
        quantifier: "all",
        body: { kind: "compare", op: "ne", path: { segments: [], self: true } },
      },
    ],
    [
      "all xs (y is_null)",
      { kind: "quantified", quantifier: "any", body: { kind: "presence", op: "is_not_null" } },
    ],
  ])("not (%s)", (condition, expected) => {
    const positive = shape(lower(condition)) as Record<string, unknown>;
    const negative = shape(lower(`not (${condition})`)) as Record<string, unknown>;
    expect(negative).toMatchObject(expected);
    // double negation is the identity
    expect(shape(lower(`not not (${condition})`))).toEqual(positive);
    if ("negated" in negative) expect(positive.negated).toBe(!negative.negated);
  });

  it("a whole condition: the seed rule", () => {
    const ir = lower(
      'not (errorCode is_not_null or errorMessage is_not_null or eventName ne "ModifyImageAttribute") and any requestParameters.launchPermission.add.items (group eq "all" or (userId is_not_null and userId not_in $org_accounts))',
    );
    expect(printIr(ir)).toBe(
      'errorCode is_null and errorMessage is_null and eventName eq "ModifyImageAttribute" and any requestParameters.launchPermission.add.items (group eq "all" or userId is_not_null and userId not_in $org_accounts)',
    );
  });
});

describe("and/or are flattened", () => {
  it("nested and inside and, or inside or", () => {
    expect(
      shape(lower("(a eq 1 and (b eq 2 and c eq 3)) and (d eq 4 or (e eq 5 or f eq 6))")),
    ).toEqual({
      kind: "and",
      items: [
        { kind: "compare", op: "eq", path: P("a"), value: N(1), nocase: false },
        { kind: "compare", op: "eq", path: P("b"), value: N(2), nocase: false },
        { kind: "compare", op: "eq", path: P("c"), value: N(3), nocase: false },
        {
          kind: "or",
          items: [
            { kind: "compare", op: "eq", path: P("d"), value: N(4), nocase: false },
            { kind: "compare", op: "eq", path: P("e"), value: N(5), nocase: false },
            { kind: "compare", op: "eq", path: P("f"), value: N(6), nocase: false },
          ],
        },
      ],
    });
  });

  it("De Morgan output is flattened too", () => {
    // not (a and b) or c → not a or not b or c (one or, three items)
    expect(shape(lower("not (a eq 1 and b eq 2) or c eq 3"))).toMatchObject({
      kind: "or",
      items: [{ op: "ne" }, { op: "ne" }, { op: "eq" }],
    });
    // not (a or (b or c)) → three items under one and
    expect(shape(lower("not (a eq 1 or (b eq 2 or c eq 3))"))).toMatchObject({
      kind: "and",
      items: [{}, {}, {}],
    });
  });
});

describe("constants are folded", () => {
  it.each([
    ["a in []", { kind: "const", value: false }],
    ["a not_in []", { kind: "const", value: true }],
    ["not (a in [])", { kind: "const", value: true }],
    ["not (a not_in [])", { kind: "const", value: false }],
    ["a in [] or b eq 1", { kind: "compare", op: "eq", path: P("b") }],
    ["a not_in [] or b eq 1", { kind: "const", value: true }],
    ["a in [] and b eq 1", { kind: "const", value: false }],
    ["a not_in [] and b eq 1", { kind: "compare", op: "eq", path: P("b") }],
    ["any xs (a in [])", { kind: "const", value: false }],
    ["all xs (a not_in [])", { kind: "const", value: true }],
    ['a in ["x"]', { kind: "compare", op: "eq", path: P("a"), value: S("x"), nocase: false }],
    ['a in ["x",] nocase', { kind: "compare", op: "eq", value: S("x"), nocase: true }],
    ["a not_in [5]", { kind: "compare", op: "ne", value: N(5) }],
    ['not (a in ["x"])', { kind: "compare", op: "ne", value: S("x") }],
    ['not (a not_in ["x"])', { kind: "compare", op: "eq", value: S("x") }],
  ])("%s", (condition, expected) => {
    expect(shape(lower(condition))).toMatchObject(expected);
  });

  it("a quantifier whose body is constant folds only where the array cannot matter", () => {
    // all over an empty array is true, so all (false) must stay; any over an empty array is false, so any (true) must stay
    expect(shape(lower("all xs (a in [])"))).toMatchObject({
      kind: "quantified",
      quantifier: "all",
      body: { kind: "const", value: false },
    });
    expect(shape(lower("any xs (a not_in [])"))).toMatchObject({
      kind: "quantified",
      quantifier: "any",
      body: { kind: "const", value: true },
    });
    expect(matches(lower("all xs (a in [])"), {})).toBe(true);
    expect(matches(lower("all xs (a in [])"), { xs: [1] })).toBe(false);
    expect(matches(lower("any xs (a not_in [])"), { xs: [] })).toBe(false);
    expect(matches(lower("any xs (a not_in [])"), { xs: [1] })).toBe(true);
  });

  // `eq null` is rejected by the checks, but lowering must still keep `not` a plain complement.
  it("not (a eq null) lowers to the complement of a eq null", () => {
    const pos = matches(lower("a eq null"), {});
    const neg = matches(lower("not (a eq null)"), {});
    expect(neg).toBe(!pos);
  });
});

describe("printIr", () => {
  it("prints constants as text that parses back", () => {
    // `a in []` folds to a constant: what detc test shows and what a backend explains must re-parse
    for (const condition of [
      "a in []",
      "a not_in []",
      "all xs (a in [])",
      "any xs (a not_in [])",
    ]) {
      const printed = printIr(lower(condition));
      const { diagnostics } = parseCondition(printed);
      expect(
        diagnostics.map((d) => d.message),
        `${condition} printed as ${printed}`,
      ).toEqual([]);
    }
  });

  it("quotes condition words and non-identifiers, keeps number text", () => {
    expect(
      printIr(lower('"any" eq 1 and a."x-y".any[0] eq 12345678901234567890 and a ne -1.50')),
    ).toBe('"any" eq 1 and a."x-y".any[0] eq 12345678901234567890 and a ne -1.50');
  });
});

// ---- properties --------------------------------------------------------------------------------

type Scalar = string | number | boolean;
type Path = { self: true } | { self: false; segs: (string | number)[] };
type Cond =
  | {
      t: "cmp";
      op: "eq" | "ne" | "lt" | "le" | "gt" | "ge";
      path: Path;
      value: Scalar;
      nocase: boolean;
    }
  | { t: "set"; neg: boolean; path: Path; values: Scalar[] | string; nocase: boolean }
  | {
      t: "str";
      op: "contains" | "starts_with" | "ends_with";
      path: Path;
      value: string;
      nocase: boolean;
    }
  | { t: "re"; path: Path; pattern: string; nocase: boolean }
  | { t: "cidr"; path: Path; range: string }
  | { t: "pres"; op: "is_null" | "is_not_null" | "is_empty" | "is_not_empty"; path: Path }
  | { t: "not"; x: Cond }
  | { t: "and" | "or"; xs: Cond[]; parens: boolean }
  | { t: "q"; quant: "any" | "all"; path: Path & { self: false }; body: Cond };

const keys = ["a", "b", "status", "any", "x-y"];
const strings = [
  "x",
  "X",
  "abc",
  "ABC",
  "10.0.0.1",
  "10.2.3.4",
  "192.0.2.9",
  "2001:db8::1",
  "AWS Internal",
  "",
  "5",
  "true",
];
const scalarArb: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constantFrom(...strings),
  fc.constantFrom(0, 5, -1, 1.5, 10),
  fc.boolean(),
);
const lists = { l1: ["x", "ABC", 5], l2: [] as Scalar[] };
const listValues = new Map<string, IrValue[]>(
  Object.entries(lists).map(([k, vs]) => [
    k,
    vs.map((v): IrValue =>
      typeof v === "string"
        ? { type: "string", value: v }
        : typeof v === "number"
          ? { type: "number", value: v, text: String(v) }
          : { type: "boolean", value: v },
    ),
  ]),
);

const fieldPathArb = fc.oneof(
  fc.tuple(fc.constantFrom(...keys)).map((segs) => segs as (string | number)[]),
  fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...keys)),
  fc.tuple(fc.constantFrom(...keys), fc.constantFrom(0, 1)),
);

function pathArb(inQuantifier: boolean): fc.Arbitrary<Path> {
  const field = fieldPathArb.map((segs): Path => ({ self: false, segs }));
  return inQuantifier ? fc.oneof(field, fc.constant<Path>({ self: true })) : field;
}

function leafArb(inQ: boolean, allowEmptyLists: boolean): fc.Arbitrary<Cond> {
  const path = pathArb(inQ);
  const listArb = fc.oneof(
    fc.array(scalarArb, { minLength: allowEmptyLists ? 0 : 1, maxLength: 3 }),
    fc.constantFrom(...(allowEmptyLists ? ["l1", "l2"] : ["l1"])),
  );
  return fc.oneof(
    fc.record({
      t: fc.constant("cmp" as const),
      op: fc.constantFrom("eq" as const, "ne" as const),
      path,
      value: scalarArb,
      nocase: fc.boolean(),
    }),
    fc.record({
      t: fc.constant("cmp" as const),
      op: fc.constantFrom("lt" as const, "le" as const, "gt" as const, "ge" as const),
      path,
      value: fc.oneof(fc.constantFrom(...strings), fc.constantFrom(0, 5, -1, 1.5)),
      nocase: fc.constant(false),
    }),
    fc.record({
      t: fc.constant("set" as const),
      neg: fc.boolean(),
      path,
      values: listArb,
      nocase: fc.boolean(),
    }),
    fc.record({
      t: fc.constant("str" as const),
      op: fc.constantFrom("contains" as const, "starts_with" as const, "ends_with" as const),
      path,
      value: fc.constantFrom("x", "A", "abc", "10.", "", "Internal"),
      nocase: fc.boolean(),
    }),
    fc.record({
      t: fc.constant("re" as const),
      path,
      pattern: fc.constantFrom("x", "^a", "c$", "[0-9]+\\.", "^AWS", "b.c", "\\/"),
      nocase: fc.boolean(),
    }),
    fc.record({
      t: fc.constant("cidr" as const),
      path,
      range: fc.constantFrom("10.0.0.0/8", "192.0.2.0/24", "0.0.0.0/0", "2001:db8::/32", "::/0"),
    }),
    fc.record({
      t: fc.constant("pres" as const),
      op: fc.constantFrom(
        "is_null" as const,
        "is_not_null" as const,
        "is_empty" as const,
        "is_not_empty" as const,
      ),
      path,
    }),
  );
}

function condArb(depth: number, inQ: boolean, allowEmptyLists: boolean): fc.Arbitrary<Cond> {
  const leaf = leafArb(inQ, allowEmptyLists);
  if (depth <= 0) return leaf;
  const sub = condArb(depth - 1, inQ, allowEmptyLists);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: sub.map((x): Cond => ({ t: "not", x })) },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constantFrom("and" as const, "or" as const),
        xs: fc.array(sub, { minLength: 2, maxLength: 3 }),
        parens: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("q" as const),
        quant: fc.constantFrom("any" as const, "all" as const),
        path: fieldPathArb.map((segs) => ({ self: false as const, segs })),
        body: condArb(depth - 1, true, allowEmptyLists),
      }),
    },
  );
}

const conditionWords = new Set(
  "and or not any all in not_in eq ne lt le gt ge contains starts_with ends_with matches cidr is_null is_not_null is_empty is_not_empty nocase true false null".split(
    " ",
  ),
);

function renderPath(p: Path): string {
  if (p.self) return "@";
  return p.segs
    .map((s, i) => {
      if (typeof s === "number") return `[${s}]`;
      const ident = /^[A-Za-z_]\w*$/.test(s) && !(i === 0 && conditionWords.has(s));
      const text = ident ? s : JSON.stringify(s);
      return i === 0 ? text : `.${text}`;
    })
    .join("");
}

const renderScalar = (v: Scalar) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const nc = (on: boolean) => (on ? " nocase" : "");

/** Source text with only the parentheses precedence needs (plus random redundant ones). */
function render(c: Cond): string {
  switch (c.t) {
    case "cmp":
      return `${renderPath(c.path)} ${c.op} ${renderScalar(c.value)}${nc(c.nocase)}`;
    case "set": {
      const list =
        typeof c.values === "string"
          ? `$${c.values}`
          : `[${c.values.map(renderScalar).join(", ")}]`;
      return `${renderPath(c.path)} ${c.neg ? "not_in" : "in"} ${list}${nc(c.nocase)}`;
    }
    case "str":
      return `${renderPath(c.path)} ${c.op} ${JSON.stringify(c.value)}${nc(c.nocase)}`;
    case "re":
      return `${renderPath(c.path)} matches /${c.pattern}/${nc(c.nocase)}`;
    case "cidr":
      return `${renderPath(c.path)} cidr ${JSON.stringify(c.range)}`;
    case "pres":
      return `${renderPath(c.path)} ${c.op}`;
    case "not": {
      const inner = render(c.x);
      return c.x.t === "and" || c.x.t === "or" ? `not (${inner})` : `not ${inner}`;
    }
    case "and":
    case "or": {
      const parts = c.xs.map((x) => {
        const text = render(x);
        const needs = c.t === "and" && x.t === "or";
        return needs || (c.parens && (x.t === "and" || x.t === "or")) ? `(${text})` : text;
      });
      return parts.join(` ${c.t} `);
    }
    case "q":
      return `${c.quant} ${renderPath(c.path)} (${render(c.body)})`;
  }
}

// A naive evaluator of the generated tree, written from language.md §3 (not from src/eval).
function resolve(root: JsonValue | undefined, p: Path): JsonValue | undefined {
  if (p.self) return root === null ? undefined : root;
  let cur: JsonValue | undefined = root;
  for (const s of p.segs) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof s === "number") cur = Array.isArray(cur) ? cur[s] : undefined;
    else
      cur =
        typeof cur === "object" && !Array.isArray(cur) && Object.hasOwn(cur, s)
          ? cur[s]
          : undefined;
  }
  return cur === null ? undefined : cur;
}

function scalarEq(actual: JsonValue | undefined, expected: Scalar, nocase: boolean): boolean {
  if (typeof expected === "string")
    return (
      typeof actual === "string" &&
      (nocase ? actual.toLowerCase() === expected.toLowerCase() : actual === expected)
    );
  return typeof actual === typeof expected && actual === expected;
}

function inRange(value: JsonValue | undefined, range: string): boolean {
  if (typeof value !== "string") return false;
  const [net, bits] = ipaddr.parseCIDR(range);
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) address = ipaddr.IPv4.parse(value);
  else if (value.includes(":") && ipaddr.IPv6.isValid(value)) address = ipaddr.IPv6.parse(value);
  else return false;
  return address.kind() === net.kind() && address.match([net, bits] as never);
}

function naive(c: Cond, root: JsonValue | undefined): boolean {
  switch (c.t) {
    case "cmp": {
      const v = resolve(root, c.path);
      if (c.op === "eq") return scalarEq(v, c.value, c.nocase);
      if (c.op === "ne") return !scalarEq(v, c.value, c.nocase);
      const comparable =
        (typeof v === "number" && typeof c.value === "number") ||
        (typeof v === "string" && typeof c.value === "string");
      if (!comparable) return false;
      const a = v as number | string;
      const b = c.value as number | string;
      return c.op === "lt" ? a < b : c.op === "le" ? a <= b : c.op === "gt" ? a > b : a >= b;
    }
    case "set": {
      const v = resolve(root, c.path);
      const values =
        typeof c.values === "string" ? lists[c.values as keyof typeof lists] : c.values;
      const member =
        (typeof v === "string" || typeof v === "number" || typeof v === "boolean") &&
        values.some((x) => scalarEq(v, x, c.nocase));
      return member !== c.neg;
    }
    case "str": {
      const v = resolve(root, c.path);
      if (typeof v !== "string") return false;
      const a = c.nocase ? v.toLowerCase() : v;
      const b = c.nocase ? c.value.toLowerCase() : c.value;
      return c.op === "contains"
        ? a.includes(b)
        : c.op === "starts_with"
          ? a.startsWith(b)
          : a.endsWith(b);
    }
    case "re": {
      const v = resolve(root, c.path);
      return typeof v === "string" && new RegExp(c.pattern, c.nocase ? "i" : "").test(v);
    }
    case "cidr":
      return inRange(resolve(root, c.path), c.range);
    case "pres": {
      const v = resolve(root, c.path);
      const empty =
        v === undefined ||
        v === "" ||
        (Array.isArray(v)
          ? v.length === 0
          : v !== null && typeof v === "object" && Object.keys(v).length === 0);
      return c.op === "is_null"
        ? v === undefined
        : c.op === "is_not_null"
          ? v !== undefined
          : c.op === "is_empty"
            ? empty
            : !empty;
    }
    case "not":
      return !naive(c.x, root);
    case "and":
      return c.xs.every((x) => naive(x, root));
    case "or":
      return c.xs.some((x) => naive(x, root));
    case "q": {
      const arr = resolve(root, c.path);
      const elements = Array.isArray(arr) ? arr : [];
      return c.quant === "any"
        ? elements.some((e) => naive(c.body, e))
        : elements.every((e) => naive(c.body, e));
    }
  }
}

// Events over the same small vocabulary, so conditions hit, miss and meet every type.
const jsonArb: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarArb,
    fc.constant(null),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...keys), tie("v"), { maxKeys: 3 }),
  ),
})).v;
const eventArb = fc.dictionary(fc.constantFrom(...keys), jsonArb, { maxKeys: 5 });

/** Every and/or has ≥ 2 items, none of its own kind and no constants; no `not` survives (no such IR kind). */
function assertNormalised(node: IrNode, top = true): void {
  switch (node.kind) {
    case "and":
    case "or":
      expect(node.items.length).toBeGreaterThanOrEqual(2);
      for (const item of node.items) {
        expect(item.kind).not.toBe(node.kind);
        expect(item.kind).not.toBe("const");
        assertNormalised(item, false);
      }
      return;
    case "quantified":
      assertNormalised(node.body, true);
      return;
    case "const":
      // only a whole condition or a quantifier body may be constant
      expect(top).toBe(true);
      return;
    default:
      expect(["compare", "order", "set", "string", "matches", "cidr", "presence"]).toContain(
        node.kind,
      );
  }
}

const runs = { numRuns: 500 };

describe("properties", () => {
  it("lowering preserves the meaning of the source; not C is the complement of C", () => {
    fc.assert(
      fc.property(
        condArb(3, false, true),
        fc.array(eventArb, { minLength: 1, maxLength: 4 }),
        (c, events) => {
          const text = render(c);
          const ir = lower(text);
          const negated = lower(`not (${text})`);
          assertNormalised(ir);
          assertNormalised(negated);
          for (const event of events) {
            const expected = naive(c, event);
            expect(matches(ir, event, listValues), `${text} on ${JSON.stringify(event)}`).toBe(
              expected,
            );
            expect(
              matches(negated, event, listValues),
              `not (${text}) on ${JSON.stringify(event)}`,
            ).toBe(!expected);
          }
        },
      ),
      runs,
    );
  });

  it("printIr output re-parses and lowers to an IR that prints and evaluates the same", () => {
    // empty lists fold to constants, which printIr cannot yet write as parseable text (see the printIr test above)
    fc.assert(
      fc.property(
        condArb(3, false, false),
        fc.array(eventArb, { minLength: 1, maxLength: 4 }),
        (c, events) => {
          for (const ir of [lower(render(c)), lower(`not (${render(c)})`)]) {
            if (ir.kind === "const") continue;
            const printed = printIr(ir);
            const again = lower(printed);
            expect(printIr(again), printed).toBe(printed);
            expect(shape(again)).toEqual(shape(ir));
            for (const event of events)
              expect(matches(again, event, listValues), printed).toBe(
                matches(ir, event, listValues),
              );
          }
        },
      ),
      runs,
    );
  });
});
