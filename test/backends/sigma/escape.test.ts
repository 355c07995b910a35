// escape.ts and regex.ts: Sigma value escaping and YAML scalars round-trip any string (fast-check);
// random values survive the whole way (rule → Sigma → reader) with the evaluator's meaning; random
// RE2 patterns translated to Sigma's PCRE subset search like re2js.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  sigmaEscape,
  sigmaLiteral,
  sigmaPattern,
  yamlEntry,
  yamlString,
} from "../../../src/backends/sigma/escape.js";
import { compileSigmaRegex, readSigma, sigmaMatches } from "../../../src/backends/sigma/reader.js";
import { translateRegex } from "../../../src/backends/sigma/regex.js";
import { evalNode } from "../../../src/eval/evaluate.js";
import { compileRegex, regexFinds } from "../../../src/eval/regex.js";
import type { JsonValue } from "../../../src/syntax/ast.js";
import { agrees, compileProject, tempDir } from "./support.js";

const SEED = 20261122;
const nasty = [
  ..."\\*?%'\"\n\t\0 :#-|{}[]ab",
  "\\*",
  "\\\\",
  "%x%",
  "\u0085",
  "\u2028",
  "\u202e",
  "\ufeff",
  "\u00e9",
  "\u{1F600}",
  "\ud800",
  "K",
  "ß",
  "İ",
  "yes",
  "null",
  "1",
  "0x1",
];
const nastyString = fc.oneof(
  fc.array(fc.constantFrom(...nasty), { maxLength: 10 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.string({ maxLength: 10 }),
);

describe("sigma escape", () => {
  it("a plain value reads back as exactly the text it escapes: no wildcard, no lost backslash", () => {
    fc.assert(
      fc.property(nastyString, (s) => {
        expect(sigmaLiteral(sigmaEscape(s))).toBe(s);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("reads Sigma's escape rules as the specification states them", () => {
    expect(sigmaPattern("a*b?")).toEqual([
      { kind: "text", text: "a" },
      { kind: "any" },
      { kind: "text", text: "b" },
      { kind: "one" },
    ]);
    expect(sigmaLiteral("\\*")).toBe("*");
    expect(sigmaLiteral("C:\\Windows")).toBe("C:\\Windows"); // a backslash before a plain character is itself
    expect(sigmaLiteral("\\\\\\*")).toBe("\\*"); // three backslashes and a star: a backslash and a star
    expect(sigmaLiteral("\\\\\\\\")).toBe("\\\\"); // four: two
    expect(sigmaLiteral("\\\\*")).toBeUndefined(); // a backslash, then a wildcard
  });

  it("YAML scalars read back exactly with YAML 1.2 and 1.1 rules", () => {
    fc.assert(
      fc.property(nastyString, nastyString, (k, v) => {
        const text = yamlEntry(k, [v, { [k]: v }], 0) + "\n";
        for (const version of ["1.2", "1.1"] as const)
          expect(parseYaml(text, { version })).toEqual({ [k]: [v, { [k]: v }] });
        expect(yamlString(v)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe("sigma values end to end", () => {
  // Random values in every string operator, compiled as rules, read back, matched on near events.
  const values = fc.sample(
    nastyString.filter((s) => s.length > 0 && !/[\ud800-\udfff]/u.test(s.normalize())),
    { numRuns: 150, seed: SEED },
  );
  const ops = ["eq", "ne", "contains", "starts_with", "ends_with"];

  it("every value means the same in Sigma as in detc (exact, or reported)", () => {
    const rules = path.join(tempDir("detc-sigma-values-"), "rules");
    mkdirSync(rules);
    const text = values
      .map((v, i) => {
        const op = ops[i % ops.length]!;
        const nocase = i % 3 === 0 ? " nocase" : "";
        return `rule "Value.${i}" {\n  title "v"\n  severity low\n  logsource aws.cloudtrail\n  condition\n    x ${op} ${JSON.stringify(v)}${nocase}\n}\n`;
      })
      .join("\n");
    writeFileSync(path.join(rules, "values.det"), text);
    const { project, entries } = compileProject([rules]);
    expect(project.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(entries.length).toBe(values.length);
    const wrong: unknown[] = [];
    for (const entry of entries) {
      const sigma = readSigma(entry.result.files[0]!.content).rule!;
      const v =
        entry.rule.ir!.condition.kind === "string" || entry.rule.ir!.condition.kind === "compare"
          ? values[Number(entry.rule.decl.id.split(".")[1])]!
          : "";
      const subjects = [
        v,
        v.toUpperCase(),
        v.toLowerCase(),
        `a${v}`,
        `${v}b`,
        v.slice(1),
        `${v}${v}`,
        "",
        "x",
        "*",
        "\\",
        1,
        true,
        null,
      ];
      for (const x of subjects) {
        const event: JsonValue = x === null ? {} : { x };
        const expected = evalNode(entry.rule.ir!.condition, {
          root: event,
          lists: new Map(),
        }).result;
        const got = sigmaMatches(sigma, event);
        if (!agrees(entry.fidelity, expected, got))
          wrong.push({
            rule: entry.rule.decl.id,
            value: v,
            x,
            expected,
            got,
            fidelity: entry.fidelity,
          });
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

// Random RE2 patterns from pieces that differ between RE2 and PCRE.
const pieces = [
  ..."abkK.-_ /",
  "\\.",
  "\\d",
  "\\D",
  "\\w",
  "\\W",
  "\\s",
  "\\S",
  "^",
  "$",
  "\\A",
  "[a-c]",
  "[^a]",
  "[[:alpha:]]",
  "[\\d_]",
  "[]a]",
  "[a-]",
  "\\x41",
  "\\x{e9}",
  "\\n",
  "\\t",
  "\\Qa.\\E",
  "\\/",
  "{",
  "}",
  "\u00e9",
  "\u{1F600}",
];
const quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?", "??", "{,2}"];
const reArb: fc.Arbitrary<string> = fc.letrec<{ re: string; item: string }>((tie) => ({
  re: fc.array(tie("item"), { minLength: 1, maxLength: 4 }).map((items) => items.join("")),
  item: fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom(...pieces), fc.constantFrom(...quantifiers))
        .map(([p, q]) => p + q),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom("(", "(?:", "(?P<g>"),
          fc.array(tie("re"), { minLength: 1, maxLength: 2 }),
          fc.constantFrom(...quantifiers),
        )
        .map(([open, alts, q]) => `${open}${alts.join("|")})${q}`),
    },
  ),
})).re;
const prefixArb = fc.constantFrom("", "", "(?i)", "(?s)", "(?U)", "(?is)");
const subjectArb = fc
  .array(fc.constantFrom(..."abcABkK_-. /\n\u212a\u00e9\u00c9\u{1F600}1{}A\t"), { maxLength: 6 })
  .map((cs) => cs.join(""));
const regexCases = fc
  .sample(
    fc.tuple(
      prefixArb,
      reArb,
      fc.boolean(),
      fc.array(subjectArb, { minLength: 12, maxLength: 12 }),
    ),
    { numRuns: 1500, seed: SEED },
  )
  .map(([prefix, re, nocase, subjects]) => ({ pattern: prefix + re, nocase, subjects }))
  .filter((c) => compileRegex(c.pattern, c.nocase).ok);

describe("sigma regex translation", () => {
  it("random RE2 patterns: translated ones search like re2js; $ differs only by matching before a final newline", () => {
    expect(regexCases.length).toBeGreaterThan(800);
    let translated = 0;
    const diffs: unknown[] = [];
    for (const { pattern, nocase, subjects } of regexCases) {
      const t = translateRegex(pattern, nocase);
      if (!t.ok) continue;
      translated++;
      const compiled = compileSigmaRegex(t.pattern, ["re", ...t.flags]);
      if (!compiled.ok) {
        diffs.push({ pattern, sigma: t.pattern, error: compiled.error });
        continue;
      }
      const re2 = compileRegex(pattern, nocase);
      for (const subject of subjects) {
        const expected = re2.ok && regexFinds(re2.regex, subject);
        const got = compiled.regex.test(subject);
        if (expected !== got && !(t.endAnchor && got && subject.includes("\n")))
          diffs.push({ pattern, nocase, sigma: t.pattern, flags: t.flags, subject, expected, got });
      }
    }
    expect(translated).toBeGreaterThan(regexCases.length / 3);
    expect(diffs.slice(0, 5)).toEqual([]);
  });

  it.each([
    ["^a.c$", false, "^a.c$", [], true],
    ["\\d+\\s\\w", false, "[0-9]+[\t\n\f\r ][0-9A-Za-z_]", [], false],
    ["(?i)ab|cd", false, "ab|cd", ["i"], false],
    ["k", true, "k", ["i"], false],
    ["(?s)a.b*?", false, "a.b*", ["s"], false],
    ["(?P<n>x)(?:y)", false, "(x)(y)", [], false],
    ["\\Qa.b\\E\\/", false, "a\\.b/", [], false],
    ["a{,3}[]a-]", false, "a\\{,3\\}[\\]a\\-]", [], false],
    ["[[:alpha:]][^\\d_]", false, "[A-Za-z][^0-9_]", [], false],
  ])("/%s/ (nocase %s) → %s", (pattern, nocase, sigma, flags, endAnchor) => {
    expect(translateRegex(pattern, nocase)).toEqual({ ok: true, pattern: sigma, flags, endAnchor });
  });

  it.each([
    "\\bfoo",
    "a\\z",
    "\\pL",
    "(?m)^a",
    "a(?i)b",
    "(?i:a)",
    "\\101",
    "[\\D]",
    "^*a",
    "[[:punct:]]",
  ])("/%s/ is unsupported, with the reason", (pattern) => {
    const t = translateRegex(pattern, false);
    expect(t.ok).toBe(false);
    expect(t.ok ? "" : t.reason).toMatch(/./);
  });
});
