// The formatter: golden cases (input.det → output.det), and over every .det in the repository:
// no change of meaning (AST, IR and tests equal), every comment kept in order, idempotence.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatSource } from "../../src/format/format.js";
import { lowerExpr } from "../../src/ir/lower.js";
import { lex, parseSource } from "../../src/syntax/index.js";
import { LineIndex } from "../../src/diagnostics/span.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const casesDir = path.join(import.meta.dirname, "cases");
const update = process.env.DETC_UPDATE_GOLDEN === "1";

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

/** The AST without positions: what the file means. */
function meaning(file: string, text: string): unknown {
  const parsed = parseSource(file, text);
  expect(
    parsed.diagnostics.filter((d) => d.severity === "error"),
    `${file} has errors`,
  ).toEqual([]);
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== "span" && k !== "idSpan" && k !== "metaSpans" && k !== "origin")
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return v;
  };
  const rules = parsed.value.rules.map((r) => ({
    ast: strip(r),
    ir: r.condition ? strip(lowerExpr(r.condition)) : undefined,
  }));
  return { rules, lists: strip(parsed.value.lists) };
}

const commentsOf = (file: string, text: string) =>
  lex(new LineIndex(file, text)).comments.map((c) => c.image.trimEnd());

describe("golden cases", () => {
  const cases = readdirSync(casesDir).filter((c) =>
    existsSync(path.join(casesDir, c, "input.det")),
  );
  it("has cases", () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const name of cases) {
    it(name, async () => {
      const input = readFileSync(path.join(casesDir, name, "input.det"), "utf8");
      const expectedFile = path.join(casesDir, name, "output.det");
      const result = await formatSource(`${name}/input.det`, input);
      expect(result.formatted).toBeDefined();
      if (update) writeFileSync(expectedFile, result.formatted!);
      expect(result.formatted).toBe(readFileSync(expectedFile, "utf8"));
      // The canonical output formats to itself, means the same, and keeps every comment in order.
      expect((await formatSource(`${name}/output.det`, result.formatted!)).formatted).toBe(
        result.formatted,
      );
      expect(meaning("output.det", result.formatted!)).toEqual(meaning("input.det", input));
      expect(commentsOf("output.det", result.formatted!)).toEqual(commentsOf("input.det", input));
    });
  }
});

describe("every .det in the repository", () => {
  const files = [
    ...detFiles(path.join(repoRoot, "rules")),
    ...detFiles(path.join(repoRoot, "grammar/examples/valid")),
  ];
  it("finds the rule and example files", () => expect(files.length).toBeGreaterThan(15));
  it("formats without changing meaning, keeps comments, and formatting twice equals once", async () => {
    const failures: string[] = [];
    for (const file of files) {
      const shown = path.relative(repoRoot, file);
      const text = readFileSync(file, "utf8");
      // Another engineer may be mid-edit in rules/: a file with errors is skipped (fmt refuses it too).
      if (parseSource(shown, text).diagnostics.some((d) => d.severity === "error")) continue;
      const once = await formatSource(shown, text);
      if (once.formatted === undefined) {
        failures.push(`${shown}: not formatted`);
        continue;
      }
      const twice = await formatSource(shown, once.formatted);
      if (twice.formatted !== once.formatted) failures.push(`${shown}: not idempotent`);
      try {
        expect(meaning(shown, once.formatted)).toEqual(meaning(shown, text));
      } catch (e) {
        failures.push(`${shown}: meaning changed: ${(e as Error).message.slice(0, 500)}`);
      }
      if (
        JSON.stringify(commentsOf(shown, once.formatted)) !==
        JSON.stringify(commentsOf(shown, text))
      )
        failures.push(`${shown}: comments changed`);
    }
    expect(failures).toEqual([]);
  });
});

describe("refusals", () => {
  it("never formats a file with syntax errors", async () => {
    const result = await formatSource("bad.det", 'rule "x" {\n  title "t"\n  condition a eq\n}\n');
    expect(result.formatted).toBeUndefined();
    expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });

  it("formats a file with only comments, and an empty file", async () => {
    expect((await formatSource("c.det", "# only\n\n\n# comments   \n")).formatted).toBe(
      "# only\n\n# comments\n",
    );
    expect((await formatSource("e.det", "")).formatted).toBe("");
  });
});

describe("as a Prettier plugin", () => {
  it("Prettier infers the parser from .det and formats with the module's named exports", async () => {
    const { format } = await import("prettier");
    const plugin = await import("../../src/format/plugin.js");
    const input = readFileSync(path.join(casesDir, "metadata/input.det"), "utf8");
    const output = readFileSync(path.join(casesDir, "metadata/output.det"), "utf8");
    expect(await format(input, { filepath: "rules/x.det", plugins: [plugin] })).toBe(output);
  });

  it("gives real locations: locStart/locEnd are each node's source offsets", async () => {
    const { parseTree, detcPlugin } = await import("../../src/format/plugin.js");
    const text =
      'rule "L" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  condition a eq 1\n}\n';
    const tree = parseTree(text);
    const parser = detcPlugin.parsers!.detc!;
    const rule = tree.items[0]!;
    expect(text.slice(parser.locStart(rule), parser.locEnd(rule))).toBe(text.slice(0, -1));
    expect(
      rule.kind === "rule" &&
        text.slice(parser.locStart(rule.entries[3]!), parser.locEnd(rule.entries[3]!)),
    ).toBe("condition a eq 1");
  });

  it("a file with errors is a syntax error with a location (Prettier's CLI shows a code frame)", async () => {
    const { parseTree } = await import("../../src/format/plugin.js");
    expect(() => parseTree('rule "x" {\n  title\n}\n')).toThrowError(
      expect.objectContaining({ name: "SyntaxError", loc: { start: { line: 3, column: 1 } } }),
    );
  });
});
