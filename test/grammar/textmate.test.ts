// grammar/detc.tmLanguage.json stays in step with the lexer: valid JSON, regexes that compile,
// includes that resolve, and every keyword of src/syntax/tokens.ts highlighted.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as T from "../../src/syntax/tokens.js";

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
  beginCaptures?: Record<string, Rule>;
  endCaptures?: Record<string, Rule>;
  name?: string;
}
interface Grammar extends Rule {
  scopeName: string;
  fileTypes: string[];
  repository: Record<string, Rule>;
}

const file = fileURLToPath(new URL("../../grammar/detc.tmLanguage.json", import.meta.url));
const text = readFileSync(file, "utf8");

function rulesOf(rule: Rule, out: Rule[] = []): Rule[] {
  out.push(rule);
  for (const child of rule.patterns ?? []) rulesOf(child, out);
  for (const group of [rule.captures, rule.beginCaptures, rule.endCaptures]) {
    for (const child of Object.values(group ?? {})) rulesOf(child, out);
  }
  return out;
}

/** `source` without its `(?!...)` groups (balanced parentheses; escapes and classes respected). */
function withoutNegativeLookaheads(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    if (!source.startsWith("(?!", i)) {
      out += source[i];
      continue;
    }
    let depth = 0;
    let inClass = false;
    for (; i < source.length; i++) {
      const ch = source[i];
      if (ch === "\\") i++;
      else if (inClass) inClass = ch !== "]";
      else if (ch === "[") inClass = true;
      else if (ch === "(") depth++;
      else if (ch === ")" && --depth === 0) break;
    }
  }
  return out;
}

/** A TextMate regex in JavaScript (the two engines agree on everything this grammar uses). */
const js = (source: string) => new RegExp(source);

describe("grammar/detc.tmLanguage.json", () => {
  const grammar = JSON.parse(text) as Grammar;
  const all = [grammar, ...Object.values(grammar.repository)].flatMap((r) => rulesOf(r));
  const regexes = all.flatMap((r) =>
    [r.match, r.begin, r.end, r.while].filter((s): s is string => s !== undefined),
  );

  it("is a TextMate grammar for .det files", () => {
    expect(grammar.scopeName).toBe("source.detc");
    expect(grammar.fileTypes).toContain("det");
    expect(grammar.patterns?.length).toBeGreaterThan(0);
  });

  it("every regex compiles", () => {
    expect(regexes.length).toBeGreaterThan(20);
    const broken = regexes.filter((source) => {
      try {
        js(source);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toEqual([]);
  });

  it("every include names a repository entry, and every scope ends in .detc", () => {
    const includes = all.map((r) => r.include).filter((i): i is string => i !== undefined);
    expect(
      includes.filter((i) => !(i.startsWith("#") && i.slice(1) in grammar.repository)),
    ).toEqual([]);
    const names = all
      .filter((r) => r !== grammar)
      .map((r) => r.name)
      .filter((n): n is string => n !== undefined);
    expect(names.flatMap((n) => n.split(" ")).filter((n) => !n.endsWith(".detc"))).toEqual([]);
  });

  it("highlights every keyword of the lexer", () => {
    // A keyword counts when it is spelled out as a word in some regex of the grammar, outside a
    // negative look-ahead (those name words a rule must NOT match).
    const words = new Set(
      regexes.flatMap(
        (source) =>
          withoutNegativeLookaheads(source)
            .replace(/\\[bB]/g, " ")
            .match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [],
      ),
    );
    const missing = [...T.keywordTexts.values()].filter((keyword) => !words.has(keyword));
    expect(missing).toEqual([]);
  });

  it("highlights every metadata key as one", () => {
    const metadataKeys = T.tokenVocabulary
      .filter((t) => (t.CATEGORIES ?? []).includes(T.MetadataKey))
      .map((t) => T.keywordTexts.get(t.name)!);
    const keyRule = grammar.repository.metadata!.patterns!.find((r) =>
      r.match?.includes("falsepositives"),
    );
    expect(keyRule, "a rule in #metadata lists the metadata keys").toBeDefined();
    const re = js(keyRule!.match!);
    for (const key of metadataKeys) {
      expect(re.exec(`  ${key} "x"`)?.[1], `'${key}' starts a metadata line`).toBe(key);
      // The same word used as a field name in a condition is not a metadata key.
      expect(re.test(`  ${key} eq "x"`), `'${key} eq' is a field`).toBe(false);
      expect(re.test(`  ${key}.sub is_null`), `'${key}.sub' is a field`).toBe(false);
    }
  });

  it("recognises the literals the lexer recognises", () => {
    const byScope = (scope: string) => all.find((r) => r.name === scope && r.match !== undefined);
    const match = (scope: string) => js(byScope(scope)!.match!);
    const wholeMatch = (scope: string, sample: string) => match(scope).exec(sample)?.[0];

    expect(wholeMatch("comment.line.number-sign.detc", "  # a comment")).toBe("# a comment");
    for (const n of ["0", "-1", "12.5", "1e12", "-2.5E-3", "123456789012"])
      expect(wholeMatch("constant.numeric.detc", n)).toBe(n);
    expect(wholeMatch("constant.numeric.detc", "i-0abc")).toBeUndefined();
    for (const p of ["TA0010:T1537", "TA0005:T1562.008"])
      expect(wholeMatch("constant.other.attack-pair.detc", p)).toBe(p);
    expect(wholeMatch("variable.other.list.detc", "in $org_accounts")).toBe("$org_accounts");

    // The samples agree with the lexer's own token patterns.
    const lexes = (token: { PATTERN?: unknown }, sample: string) =>
      new RegExp(`^(?:${(token.PATTERN as RegExp).source})$`).test(sample);
    expect(lexes(T.NumberLiteral, "-2.5E-3")).toBe(true);
    expect(lexes(T.AttackPair, "TA0005:T1562.008")).toBe(true);
    expect(lexes(T.RegexLiteral, "/a\\/b/")).toBe(true);

    const regex = all.find((r) => r.name === "string.regexp.detc")!;
    expect(js(regex.begin!).test("/^arn:aws:iam::\\d{12}:role\\/x/")).toBe(true);
    expect(js(regex.begin!).test("/unterminated")).toBe(false);
    const blockString = all.find((r) => r.name === "string.quoted.triple.detc")!;
    expect(blockString.begin).toBe('"""');
    const string = all.find(
      (r) => r.name === "string.quoted.double.detc" && r.begin !== undefined,
    )!;
    const escapes = string.patterns!.find((r) => r.name === "constant.character.escape.detc")!;
    for (const e of ['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9"])
      expect(js(`^${escapes.match!}$`).test(e)).toBe(true);
    expect(js(`^${escapes.match!}$`).test("\\q")).toBe(false);
  });
});
