// Robustness: random text and mutated valid rule files never make the parser or the project
// loader throw, and every diagnostic is well formed and speaks the language's words.
import { LineIndex } from "../../src/diagnostics/span.js";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { loadProject } from "../../src/project/project.js";
import { lex, parseJsonDocument, parseSource } from "../../src/syntax/index.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");

function detFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...detFiles(full));
    else if (entry.name.endsWith(".det")) out.push(full);
  }
  return out.sort();
}

const seeds = [
  ...detFiles(path.join(repoRoot, "rules")),
  ...detFiles(path.join(repoRoot, "grammar/examples/valid")),
].map((f) => readFileSync(f, "utf8"));
// A compact seed exercising every construct, so short mutations hit all of the grammar.
seeds.push(`list admins "roles" = ["a", "b",]
rule "All.Forms" {
  title "t"
  severity high
  logsource aws.cloudtrail
  attack TA0005:T1562.008
  status stable
  enabled true
  runbook """
    one
    """
  output a.b, c
  condition not (a eq 1 or b ne "x" nocase) and c in ["x", 2,] and d not_in $admins nocase
    and e contains "y" and f matches /a\\/b/ nocase and g cidr "10.0.0.0/8" and h is_empty
    and any i (@ lt 3 or j.k[0] ge "z") and all "any" (status is_not_null) and title starts_with "t"
  test "t1" matches with admins = ["q"], other = [1] { "a": 1, "b": [true, false, null, {},], }
  test "t2" ignores from "ev.json"
}
`);

const tokenNames =
  /Identifier|StringLiteral|LBrace|RBrace|LParen|RParen|LBracket|RBracket|NumberLiteral|RegexLiteral|BlockString|AttackPair|ListRef|AnyWord|ComparisonOp|StringOp|PresenceOp|SetOp|MetadataKey|-->|<--|Kw_|EOF|undefined|NaN|\[object/;

function checkDiagnostics(diagnostics: Diagnostic[], file: string | RegExp): void {
  for (const d of diagnostics) {
    const shown = JSON.stringify(d);
    expect(d.code, shown).toMatch(/^DETC\d{4}$/);
    if (typeof file === "string") expect(d.span.file, shown).toBe(file);
    else expect(d.span.file, shown).toMatch(file);
    expect(Number.isInteger(d.span.line) && d.span.line >= 1, shown).toBe(true);
    expect(Number.isInteger(d.span.column) && d.span.column >= 1, shown).toBe(true);
    expect(["error", "warning", "info"], shown).toContain(d.severity);
    expect(typeof d.message, shown).toBe("string");
    expect(d.message.trim().length, shown).toBeGreaterThan(0);
    // Text quoted from the user's input may contain anything (a field named `dBSnapshotIdentifier`).
    const ownWords = d.message.replace(/"(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`/g, "…");
    expect(ownWords, shown).not.toMatch(tokenNames);
  }
}

/** The text cut into lexer-ish pieces: words, strings, numbers, punctuation, whitespace. */
function pieces(text: string): string[] {
  return (
    text.match(
      /"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|[A-Za-z_][\w]*|-?\d+(?:\.\d+)?|\s+|\/(?:[^/\\\n]|\\.)+\/|./g,
    ) ?? []
  );
}

const inserts = [
  "rule",
  "list",
  "test",
  "condition",
  "title",
  "severity",
  "matches",
  "ignores",
  "with",
  "from",
  "not",
  "and",
  "or",
  "any",
  "all",
  "in",
  "not_in",
  "eq",
  "ne",
  "lt",
  "contains",
  "cidr",
  "is_null",
  "is_empty",
  "nocase",
  "true",
  "false",
  "null",
  "@",
  "$org",
  "$",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ",",
  ":",
  ".",
  "=",
  '"',
  '"""',
  "\n",
  "#",
  "/",
  "/x/",
  "\\",
  "TA0001:T1000",
  "1e",
  "-",
  "0x1",
  '"\\q"',
  '"\\u12"',
  "\t",
  "\r\n",
  "\u0000",
  "é",
  "😀",
  "\u2028",
  "123456789012345678901234567890",
];

type Mutation = (parts: string[], rnd: number[]) => string[];
const mutations: Mutation[] = [
  // delete a token
  (p, [i]) => p.filter((_, j) => j !== i! % p.length),
  // duplicate a token
  (p, [i]) => p.flatMap((t, j) => (j === i! % p.length ? [t, t] : [t])),
  // swap two tokens
  (p, [i, k]) => {
    const q = [...p];
    const a = i! % q.length;
    const b = k! % q.length;
    [q[a], q[b]] = [q[b]!, q[a]!];
    return q;
  },
  // insert a keyword or punctuation
  (p, [i, k]) => {
    const q = [...p];
    q.splice(i! % (q.length + 1), 0, " ", inserts[k! % inserts.length]!, " ");
    return q;
  },
  // truncate
  (p, [i]) => p.slice(0, i! % (p.length + 1)),
  // replace a token
  (p, [i, k]) => p.map((t, j) => (j === i! % p.length ? inserts[k! % inserts.length]! : t)),
];

const mutatedArb = fc
  .tuple(
    fc.constantFrom(...seeds.keys()),
    fc.array(fc.tuple(fc.nat(mutations.length - 1), fc.nat(), fc.nat()), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.boolean(),
    fc.nat(),
  )
  .map(([seed, steps, byChar, cut]) => {
    const text = seeds[seed]!;
    if (byChar) {
      // character-level: delete / duplicate / insert at random offsets
      let out = text;
      for (const [m, i, k] of steps) {
        const at = i % (out.length + 1);
        if (m % 3 === 0) out = out.slice(0, at) + out.slice(at + 1);
        else if (m % 3 === 1) out = out.slice(0, at) + out.charAt(at) + out.slice(at);
        else out = out.slice(0, at) + inserts[k % inserts.length]! + out.slice(at);
      }
      return cut % 5 === 0 ? out.slice(0, cut % (out.length + 1)) : out;
    }
    let parts = pieces(text);
    for (const [m, i, k] of steps) parts = mutations[m]!(parts.length ? parts : [""], [i, k]);
    return parts.join("");
  });

const randomTextArb = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc
    .array(fc.constantFrom(...inserts, " ", "a", "b.c", '"s"', "1", "\n"), { maxLength: 60 })
    .map((a) => a.join(" ")),
  fc.array(fc.constantFrom(...inserts, "a", "x"), { maxLength: 60 }).map((a) => a.join("")),
);

describe("parseSource never throws and reports well-formed diagnostics", () => {
  it("on the seeds themselves (no diagnostics)", () => {
    expect(seeds.length).toBeGreaterThanOrEqual(3);
    for (const s of seeds.slice(0, -1)) expect(parseSource("seed.det", s).diagnostics).toEqual([]);
  });

  it("random strings", () => {
    fc.assert(
      fc.property(randomTextArb, (text) => {
        const result = parseSource("fuzz.det", text);
        checkDiagnostics(result.diagnostics, "fuzz.det");
        expect(result.value.kind).toBe("file");
      }),
      { numRuns: 2000 },
    );
  });

  it("mutated valid rule files", () => {
    fc.assert(
      fc.property(mutatedArb, (text) => {
        const result = parseSource("rules/m.det", text);
        checkDiagnostics(result.diagnostics, "rules/m.det");
      }),
      { numRuns: 2500 },
    );
  });

  it("lex and the JSON reader on random text", () => {
    fc.assert(
      fc.property(randomTextArb, (text) => {
        checkDiagnostics(lex(new LineIndex("l.det", text)).diagnostics, "l.det");
        checkDiagnostics(parseJsonDocument("e.json", text).diagnostics, "e.json");
      }),
      { numRuns: 500 },
    );
  });
});

describe("loadProject never throws on a broken file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "detc-fuzz-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rules = path.join(dir, "rules");
  mkdirSync(rules, { recursive: true });
  writeFileSync(
    path.join(rules, "lists.det"),
    'list org_accounts "ours"\nlist admins "roles" = ["a"]\n',
  );
  writeFileSync(path.join(rules, "ev.json"), '{ "a": 1 }\n');

  it("mutated rule files and random text", () => {
    const file = path.join(rules, "fuzz.det");
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: mutatedArb }, { weight: 1, arbitrary: randomTextArb }),
        (text) => {
          writeFileSync(file, text);
          const project = loadProject(["rules/fuzz.det"], { cwd: dir });
          checkDiagnostics(project.diagnostics, /^rules\/(fuzz\.det|ev\.json|lists\.det)$/);
          // a rule with no errors has an IR, and a rule with errors has none
          for (const rule of project.rules) {
            if (rule.ir) expect(rule.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("pathological input", () => {
  const wrap = (condition: string, tests = "") =>
    `rule "r" {\n title "t"\n severity low\n logsource x\n condition ${condition}\n${tests}}\n`;
  const deep = 3000;
  it.each([
    ["parentheses", wrap("(".repeat(deep) + "a eq 1" + ")".repeat(deep))],
    ["not chains", wrap("not ".repeat(deep * 3) + "a eq 1")],
    ["nested any", wrap("any x (".repeat(deep) + "a eq 1" + ")".repeat(deep))],
    [
      "a nested JSON event",
      wrap("a eq 1", ` test "t" matches { "a": ${"[".repeat(deep)}${"]".repeat(deep)} }\n`),
    ],
    ["unclosed parentheses", wrap("(".repeat(deep))],
  ])("deeply nested %s: a diagnostic or a parse, never a thrown error", (_name, text) => {
    let result: ReturnType<typeof parseSource> | undefined;
    expect(() => (result = parseSource("deep.det", text))).not.toThrow();
    checkDiagnostics(result!.diagnostics, "deep.det");
  });

  it("a deeply nested JSON document", () => {
    let result: ReturnType<typeof parseJsonDocument> | undefined;
    expect(
      () => (result = parseJsonDocument("deep.json", "[".repeat(deep) + "]".repeat(deep))),
    ).not.toThrow();
    checkDiagnostics(result!.diagnostics, "deep.json");
  });

  // Speed is the benchmark's business (no timed unit tests): this asserts every one is located.
  it("many stray characters each get their own located diagnostic", () => {
    const text = "% a ".repeat(32000); // 128 KB, 32,000 lexer errors
    const { diagnostics } = parseSource("junk.det", text);
    expect(diagnostics.filter((d) => d.code === "DETC1001")).toHaveLength(32000);
    expect(diagnostics[31999]!.span).toMatchObject({ line: 1, column: 127997 });
  });
});
