// escape.ts and regex.ts: properties checked in one python3 process (Python literals compile and
// read back exactly; translated regexes search like re2js), plus unit tests of the translation.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { RE2JS } from "re2js";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  pythonComment,
  pythonNumber,
  pythonRegexLiteral,
  pythonString,
  yamlEntry,
  yamlNumber,
  yamlString,
} from "../../../src/backends/panther/escape.js";
import { translateRegex } from "../../../src/backends/panther/regex.js";
import { compileRegex, regexFinds } from "../../../src/eval/regex.js";
import type { JsonValue } from "../../../src/syntax/ast.js";
import { here, tempDir } from "./support.js";

const SEED = 20260304;

/** Characters escaping gets wrong: quotes, backslashes, line breaks, NUL, `%`, `${`, bidi, astral, lone surrogates. */
const nasty = [
  ..."\"'\\\n\r\t\0%${}#:- ab",
  "${",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u202e",
  "\u200b",
  "\ufeff",
  "\u007f",
  "\u009b",
  "\u00a0",
  "\u00e9",
  "e\u0301",
  "\u{1F600}",
  "\ud800",
  "\udfff",
  "\uffff",
  "\u{10FFFF}",
  "\u001b",
  "\v",
  "\f",
];
const nastyString = fc.oneof(
  fc.array(fc.constantFrom(...nasty), { maxLength: 12 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);

const strings = fc.sample(nastyString, { numRuns: 1500, seed: SEED });
const numberTexts = [
  ...fc
    .sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 300, seed: SEED })
    .map((n) => JSON.stringify(n)),
  ...fc
    .sample(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), { numRuns: 200, seed: SEED })
    .map(String),
  "0",
  "-0",
  "9007199254740993",
  "12345678901234567890",
  "1e308",
  "1.7976931348623157e308",
  "5e-324",
  "1E5",
  "-1.5e-3",
];

// Random RE2 patterns from pieces that differ between RE2 and Python.
const pieces = [
  ..."abksiK_-. ",
  "\u017f",
  "\u0131",
  "\u0130",
  "\u03c3",
  "\u00df",
  "\u00e9",
  "\u{1F600}",
  "\\.",
  "\\d",
  "\\D",
  "\\s",
  "\\S",
  "\\w",
  "\\W",
  "\\b",
  "\\B",
  "^",
  "$",
  "\\A",
  "\\z",
  "[a-c]",
  "[^a]",
  "[[:alpha:]]",
  "[[:^space:]]",
  "[\\d_]",
  "[^\\W]",
  "[k]",
  "[\\x{17f}]",
  "[^\\n]",
  "[]a]",
  "[a-]",
  "\\x41",
  "\\x{1F600}",
  "\\101",
  "\\0",
  "\\n",
  "\\v",
  "\\Qa.\\E",
  "\\/",
  "(?i)",
  "(?-i)",
  "(?m)",
  "(?s)",
  "(?U)",
  "{",
  "}",
];
const quantifiers = [
  "",
  "",
  "",
  "*",
  "+",
  "?",
  "{2}",
  "{1,3}",
  "{0,}",
  "*?",
  "+?",
  "??",
  "{,2}",
  "{01}",
  "{1,02}",
  "{0}",
];
type Re = fc.Arbitrary<string>;
const reArb: Re = fc.letrec<{ re: string; item: string }>((tie) => ({
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
          fc.constantFrom("(", "(?:", "(?i:", "(?P<g>", "(?<h>"),
          fc.array(tie("re"), { minLength: 1, maxLength: 2 }),
          fc.constantFrom(...quantifiers),
        )
        .map(([open, alts, q]) => `${open}${alts.join("|")})${q}`),
    },
  ),
})).re;
const subjectChars = [
  "a",
  "b",
  "c",
  "A",
  "B",
  "k",
  "K",
  "\u212a",
  "s",
  "S",
  "\u017f",
  "i",
  "I",
  "\u0131",
  "\u0130",
  "\u03c3",
  "\u03c2",
  "\u03a3",
  "\u00df",
  "\u1e9e",
  "1",
  "\u0663",
  "_",
  "-",
  ".",
  "\n",
  " ",
  "\v",
  "\u00a0",
  "\u00e9",
  "\u00c9",
  "\u{1F600}",
  "\0",
  "/",
  "{",
  "x",
];
const subjectArb = fc
  .array(fc.constantFrom(...subjectChars), { maxLength: 6 })
  .map((cs) => cs.join(""));
const regexCases = fc
  .sample(fc.tuple(reArb, fc.boolean(), fc.array(subjectArb, { minLength: 12, maxLength: 12 })), {
    numRuns: 1500,
    seed: SEED,
  })
  .filter(([pattern, nocase]) => compileRegex(pattern, nocase).ok);

const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.integer(),
    nastyString,
    fc.constantFrom(
      "yes",
      "No",
      "on",
      "null",
      "~",
      "1_000",
      "1:20",
      "0x1F",
      "0o17",
      "2019-01-01",
      "2019-01-01T00:00:00Z",
      ".inf",
      "=",
      "<<",
      "- a",
      "? x",
      "a: b",
      "a #b",
      "[x]",
      "{x}",
      "*a",
      "&a",
      "!a",
      "|",
      ">",
      "'",
      "@x",
      "`x",
      "%x",
      "1e3",
      "+1",
      ".5",
      "",
      " ",
      "a ",
      " a",
      "multi\nline",
      "\nlead",
      "trail\n",
      "tab\tin",
      "AWS",
    ),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(nastyString, tie("v"), { maxKeys: 3 }),
  ),
})).v;
const yamlValues = fc.sample(fc.dictionary(nastyString, jsonValue, { maxKeys: 4 }), {
  numRuns: 300,
  seed: SEED,
});

interface Findings {
  strings: number[];
  stringCount: number;
  numbers: number[];
  regexes: number[];
  comments: number;
  searches: boolean[][];
  yaml: Array<[number, string]> | null;
  lowerDiffers: Array<[number, string]>;
  unicode: string;
}

let findings: Findings;
const translated = regexCases.map(([pattern, nocase]) => translateRegex(pattern, nocase));
const comments = strings.map((s) => `# ${pythonComment(s)}`);

beforeAll(() => {
  const dir = tempDir("detc-panther-escape-");
  const ok = translated.flatMap((t) => (t.ok ? [t.python] : []));
  const module = [
    ...comments,
    "STRINGS = [",
    ...strings.map((s) => `    ${pythonString(s)},`),
    "]",
    `NUMBERS = [${numberTexts.map((text) => pythonNumber({ type: "number", value: Number(text), text })).join(", ")}]`,
    "REGEXES = [",
    ...ok.map((p) => `    ${pythonRegexLiteral(p)},`),
    "]",
    "",
  ].join("\n");
  const modulePath = path.join(dir, "literals.py");
  writeFileSync(modulePath, module);
  const jsLower: Record<number, string> = {};
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    const ch = String.fromCodePoint(cp);
    const lower = ch.toLowerCase();
    if (lower !== ch) jsLower[cp] = lower;
  }
  const spec = {
    module: modulePath,
    strings,
    numbers: numberTexts.map(Number),
    regexes: ok,
    searches: regexCases.map(([, , subjects], i) => ({
      pattern: translated[i]!.ok ? translated[i].python : "(?!)",
      subjects,
    })),
    yaml: yamlValues.map((value) => ({
      text:
        Object.entries(value)
          .map(([k, v]) => yamlEntry(k, v, 0))
          .join("\n") + "\n",
      expected: value,
    })),
    jsLower,
  };
  const specPath = path.join(dir, "spec.json");
  writeFileSync(specPath, JSON.stringify(spec));
  const run = spawnSync("python3", [path.join(here, "escape_check.py"), specPath], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  findings = JSON.parse(run.stdout) as Findings;
});

describe("panther escape: Python", () => {
  it("string literals compile and read back exactly (quotes, backslashes, NUL, astral, lone surrogates)", () => {
    expect(findings.stringCount).toBe(strings.length);
    expect(
      findings.strings.map((i) => ({ input: strings[i], literal: pythonString(strings[i]!) })),
    ).toEqual([]);
  });

  it("literals are ASCII-or-visible: no control, bidi, separator or surrogate character is written raw", () => {
    for (const s of strings) {
      for (const out of [pythonString(s), pythonComment(s)]) {
        expect(out).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u);
        expect(out).not.toMatch(/[^\x20-\x7e\p{L}\p{N}\p{P}\p{S}]/u);
      }
    }
  });

  it("comments stay one comment per line", () => {
    expect(findings.comments).toBe(comments.length);
  });

  it("number literals equal the double the evaluator reads (past 2^53 too)", () => {
    expect(findings.numbers.map((i) => numberTexts[i])).toEqual([]);
    expect(pythonNumber({ type: "number", value: 5, text: "5" })).toBe("5");
    expect(
      pythonNumber({ type: "number", value: 9007199254740992, text: "9007199254740993" }),
    ).toBe("9007199254740993.0");
    expect(pythonNumber({ type: "number", value: 1000, text: "1e3" })).toBe("1e3");
  });

  it("str.lower() differs from JavaScript's toLowerCase() only on code points Python's Unicode database does not know", () => {
    // Python 3.11 has Unicode 14; Node's ICU is newer. Such characters are reported, not hidden.
    const known = findings.lowerDiffers.filter(([, category]) => category !== "Cn");
    expect(known).toEqual([]);
  });
});

describe("panther escape: YAML", () => {
  it("every scalar and nested value reads back exactly with the yaml library (YAML 1.2)", () => {
    for (const value of yamlValues) {
      const text = Object.entries(value)
        .map(([k, v]) => yamlEntry(k, v, 0))
        .join("\n");
      expect(parseYaml(text + "\n", { uniqueKeys: false }) ?? {}).toEqual(value);
    }
  });

  it("and with PyYAML (YAML 1.1, what Panther's tool family uses) when it is installed", () => {
    if (findings.yaml === null) return;
    expect(
      findings.yaml.slice(0, 3).map(([i, loaded]) => ({ value: yamlValues[i], loaded })),
    ).toEqual([]);
  });

  it("chooses plain, single-quoted, literal-block or double-quoted style", () => {
    expect(yamlString("AWS.CloudTrail", 0)).toBe("AWS.CloudTrail");
    expect(yamlString("Exfiltration:Transfer Data to Cloud Account", 0)).toBe(
      "Exfiltration:Transfer Data to Cloud Account",
    );
    expect(yamlString("yes", 0)).toBe("'yes'");
    expect(yamlString("1111", 0)).toBe("'1111'");
    expect(yamlString('["bob"]', 0)).toBe(`'["bob"]'`);
    expect(yamlString("line one\nline two", 2)).toBe("|-\n    line one\n    line two");
    expect(yamlString("tab\there", 0)).toBe('"tab\\there"');
    expect(yamlString("\u2028\ud800", 0)).toBe('"\\u2028\\ud800"');
    expect(yamlNumber(1e21)).toBe("1.0e+21");
    expect(yamlNumber(-0)).toBe("0");
    expect(yamlNumber(0.1)).toBe("0.1");
  });
});

describe("panther escape: RE2 → Python regex translation", () => {
  it.each([
    ["^a.c$", false, "^a.c\\Z"],
    ["a$", false, "a\\Z"],
    ["a\\z", false, "a\\Z"],
    ["\\d+\\s\\w", false, "[0-9]+[\\t\\n\\f\\r ][0-9A-Z_a-z]"],
    ["\\bfoo\\B", false, "(?a:\\b)foo(?:(?a:\\B)|^\\Z)"],
    ["(?m)^b$", false, "(?m:^)b(?m:$)"],
    ["(?s)a.b", false, "a(?s:.)b"],
    ["(?U)a+b*?", false, "a+?b*"],
    ["\\Qa.b*\\E", false, "a\\.b\\*"],
    ["[[:alpha:]][[:^digit:]]", false, "[A-Za-z][^0-9]"],
    ["\\x{1F600}\\x41\\101\\0\\12", false, "\\U0001f600AA\\x00\\n"],
    ["(?P<n>x)(?<m>y)(?P<1a>z)", false, "(?P<n>x)(?P<m>y)(z)"],
    ["a{,3}", false, "a\\{,3\\}"],
    ["a{01}b{1,02}", false, "a\\{01\\}b\\{1,02\\}"],
    ["^*a", false, "(?:^)*a"],
    ["\\/\\.", false, "/\\."],
    ["x\"y'z", false, "x\\x22y\\x27z"],
    ["k", true, "[Kk\\u212a]"],
    ["i", true, "[Ii]"],
    ["ı", true, "\\u0131"],
    ["[^a-z]", true, "[^A-Za-z\\u017f\\u212a]"],
    ["a(?i)b|c", false, "a[Bb]|[Cc]"],
    ["(a(?i)b)c", false, "(a[Bb])c"],
    ["(?i:x)y", false, "(?:[Xx])y"],
  ])("/%s/ (nocase %s) → %s", (pattern, nocase, python) => {
    expect(translateRegex(pattern, nocase)).toEqual({ ok: true, python });
  });

  it.each(["\\pL", "\\p{Greek}", "[\\PN]", "x\\p{^Latin}"])(
    "/%s/ is unsupported, with the reason",
    (pattern) => {
      const t = translateRegex(pattern, false);
      expect(t.ok).toBe(false);
      expect(t.ok ? "" : t.reason).toMatch(/Unicode class .* no equivalent in Python's re module/);
    },
  );

  it("random RE2 patterns search exactly like re2js (the evaluator), case folding included", () => {
    expect(regexCases.length).toBeGreaterThan(500);
    const untranslated = regexCases.filter((_, i) => !translated[i]!.ok).map(([p]) => p);
    expect(untranslated).toEqual([]);
    const diffs: unknown[] = [];
    regexCases.forEach(([pattern, nocase, subjects], i) => {
      const compiled = compileRegex(pattern, nocase);
      if (!compiled.ok) return;
      const python = findings.searches[i]!;
      subjects.forEach((subject, j) => {
        const expected = regexFinds(compiled.regex, subject);
        if (python[j] !== expected)
          diffs.push({
            pattern,
            nocase,
            python: (translated[i] as { python: string }).python,
            subject,
            expected,
          });
      });
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });

  it("regex literals read back as the translated pattern", () => {
    expect(findings.regexes).toEqual([]);
    expect(RE2JS.compile("(?i)k").matches("\u212a")).toBe(true);
  });
});
