// Property: for random conditions and events, written with random spacing, line breaks and
// comments wherever whitespace may stand, formatting keeps the meaning (AST and IR), keeps every
// comment in order, and formatting twice equals once.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineIndex } from "../../src/diagnostics/span.js";
import { formatSource } from "../../src/format/format.js";
import { lowerExpr } from "../../src/ir/lower.js";
import { lex, parseSource } from "../../src/syntax/index.js";

let commentNo = 0;
/** Whitespace, sometimes with a comment (which runs to the end of its line). */
const ws = fc
  .constantFrom(" ", " ", " ", "  ", "\n    ", "\n\n  ", "#")
  .map((w) => (w === "#" ? `  # c${++commentNo}\n      ` : w));
const path = fc.constantFrom(
  "eventName",
  "userIdentity.arn",
  'requestParameters."x-amz-acl"',
  "resources[0].ARN",
  "status",
  "a.any.not",
);
const value = fc.constantFrom('"A"', '"a\\/b"', "12", "-1.50", "true", '"#not a comment"');

function seq(parts: (fc.Arbitrary<string> | string)[]): fc.Arbitrary<string> {
  return fc
    .tuple(...parts.map((p) => (typeof p === "string" ? fc.constant(p) : p)))
    .map((xs) => xs.join(""));
}

const predicate = fc.oneof(
  seq([path, ws, fc.constantFrom("eq", "ne", "contains", "starts_with"), ws, value]),
  seq([path, ws, fc.constantFrom("eq", "ne"), ws, '"x"', ws, "nocase"]),
  seq([
    path,
    ws,
    fc.constantFrom("in", "not_in"),
    ws,
    "[",
    ws,
    '"a"',
    ws,
    ",",
    ws,
    "1",
    ws,
    fc.constantFrom("", ","),
    ws,
    "]",
  ]),
  seq([path, ws, fc.constantFrom("is_null", "is_not_empty")]),
  seq([
    path,
    ws,
    "matches",
    ws,
    fc.constantFrom("/^Delete/", "/a\\/b/"),
    fc.constantFrom("", " nocase"),
  ]),
  seq(["@", ws, "cidr", ws, '"10.0.0.0/8"']),
);

const { expr } = fc.letrec<{ expr: string; unary: string }>((tie) => ({
  unary: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    predicate,
    seq(["not", ws, tie("unary")]),
    seq(["(", ws, tie("expr"), ws, ")"]),
    seq([fc.constantFrom("any", "all"), ws, path, ws, "(", ws, tie("expr"), ws, ")"]),
  ),
  expr: fc.oneof(
    { depthSize: "small" },
    tie("unary"),
    fc
      .array(fc.tuple(fc.constantFrom("and", "or"), ws, tie("unary"), ws), {
        minLength: 1,
        maxLength: 4,
      })
      .chain((rest) =>
        tie("unary").map(
          (first) => first + " " + rest.map(([op, w1, u, w2]) => `${w2}${op}${w1}${u}`).join(" "),
        ),
      ),
  ),
}));

const json: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    value,
    fc.constant("null"),
    fc
      .array(tie("v"), { maxLength: 3 })
      .chain((items) => ws.map((w) => `[${w}${items.join(`,${w}`)}]`)),
    fc
      .array(fc.tuple(fc.constantFrom('"a"', '"b"', '"c"', '"0"'), tie("v")), { maxLength: 3 })
      .chain((members) => {
        const unique = [...new Map(members).entries()];
        return ws.map((w) => `{${w}${unique.map(([k, v]) => `${k}:${w}${v}`).join(`,${w}`)}${w}}`);
      }),
  ),
})).v;

const event = fc
  .array(fc.tuple(fc.constantFrom('"eventName"', '"x"', '"y"'), json), { maxLength: 3 })
  .chain((members) => {
    const unique = [...new Map(members).entries()];
    return ws.map((w) => `{${w}${unique.map(([k, v]) => `${k}: ${v}`).join(`,${w}`)}${w}}`);
  });

const metadata = fc
  .tuple(
    ws,
    ws,
    ws,
    ws,
    fc.constantFrom('"Run it."', '"line \\"one\\""', '"""\n      a\n\n        b\n      """'),
    ws,
  )
  .map(
    ([w1, w2, w3, w4, runbook, w5]) =>
      `  tags${w1}"a"${w2},${w3}"b"\n  output${w4}a.b,${w5}c[0]\n  runbook ${runbook}\n`,
  );

const list = fc
  .tuple(ws, ws, ws, ws)
  .map(([a, b, c, d]) => `list l${a}"d"${b}=${c}["x",${d}"y"]\n`);
const header = fc
  .tuple(ws, ws, ws, ws, ws)
  .map(([a, b, c, d, e]) => `test${a}"e"${b}matches${c}with l = [${d}"a"]${e}`);

const ruleText = fc
  .tuple(list, metadata, ws, expr, ws, header, event, ws)
  .map(
    ([decl, meta, w1, condition, w2, head, ev, w3]) =>
      `${decl}rule "P"${w3}{\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n${meta}  condition${w1}${condition}${w2}\n  ${head}${ev}\n}\n`,
  );

function meaning(text: string): unknown {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => !["span", "idSpan", "metaSpans", "origin"].includes(k))
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  const file = parseSource("p.det", text).value;
  const rule = file.rules[0]!;
  return {
    ast: strip(rule),
    ir: rule.condition && strip(lowerExpr(rule.condition)),
    lists: strip(file.lists),
  };
}

const comments = (text: string) =>
  lex(new LineIndex("p.det", text)).comments.map((c) => c.image.trimEnd());

describe("formatting random rules", () => {
  it("keeps meaning and comments, and is idempotent", async () => {
    await fc.assert(
      fc.asyncProperty(ruleText, async (text) => {
        fc.pre(!parseSource("p.det", text).diagnostics.some((d) => d.severity === "error"));
        const once = await formatSource("p.det", text);
        expect(once.formatted).toBeDefined();
        expect(meaning(once.formatted!)).toEqual(meaning(text));
        expect(comments(once.formatted!)).toEqual(comments(text));
        expect((await formatSource("p.det", once.formatted!)).formatted).toBe(once.formatted);
      }),
      { numRuns: Number(process.env.DETC_PROPERTY_RUNS ?? 150) },
    );
  });
});
