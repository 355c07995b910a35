// compareSides and the renderings on hand-made snapshots: fidelity changes are called out, a moved
// rule is one change, Markdown stays under GitHub's comment limit.
import { describe, expect, it } from "vitest";
import { compareSides, type RuleSnapshot, type SideSnapshot } from "../../src/diff/compare.js";
import { MARKDOWN_MARKER, renderMarkdown, renderText } from "../../src/diff/render.js";

function rule(id: string, over: Partial<RuleSnapshot> = {}): RuleSnapshot {
  return {
    id,
    source: `rules/${id}.det`,
    metadata: { title: JSON.stringify(id), severity: "low" },
    condition: 'eventName eq "A"',
    tests: new Map([["t", '{"expect":"matches"}']]),
    targets: new Map([
      [
        "sigma",
        { fidelity: "exact", notes: [], files: new Map([[`sigma/${id}.yml`, `title: ${id}\n`]]) },
      ],
    ]),
    ...over,
  };
}

const side = (rules: RuleSnapshot[]): SideSnapshot => ({
  rules: new Map(rules.map((r) => [r.id, r])),
  targets: ["sigma"],
  diagnostics: [],
  sources: new Map(),
});
const refs = {
  base: { ref: "main", commit: "a".repeat(40) },
  head: { ref: "working tree", commit: undefined },
};

describe("compareSides", () => {
  it("calls out a fidelity change with its reason", () => {
    const broader = rule("R", {
      targets: new Map([
        [
          "sigma",
          {
            fidelity: "broader",
            notes: ["broader: nocase on eq is case-insensitive anyway"],
            files: new Map([["sigma/R.yml", "title: R\nx: 1\n"]]),
          },
        ],
      ]),
    });
    const report = compareSides(side([rule("R")]), side([broader]), refs);
    const target = report.rules[0]!.targets[0]!;
    expect(target).toMatchObject({
      status: "changed",
      fidelity: { base: "exact", head: "broader" },
      notes: { added: ["broader: nocase on eq is case-insensitive anyway"], removed: [] },
    });
    const md = renderMarkdown(report);
    expect(md).toContain("**Fidelity changes**");
    expect(md).toContain(
      "- ⚠️ `R` on **sigma**: exact → **broader** — broader: nocase on eq is case-insensitive anyway",
    );
    expect(renderText(report)).toContain("fidelity: R on sigma: exact → broader");
  });

  it("metadata and tests by name; a moved rule is changed, not removed and added", () => {
    const head = rule("R", {
      source: "rules/moved/R.det",
      metadata: { title: '"New title"', severity: "low" },
      tests: new Map([
        ["t", '{"expect":"ignores"}'],
        ["u", "{}"],
      ]),
    });
    const report = compareSides(side([rule("R")]), side([head]), refs);
    expect(report.summary.rules).toEqual({ added: 0, changed: 1, removed: 0, unchanged: 0 });
    const r = report.rules[0]!;
    expect(r.source).toEqual({ base: "rules/R.det", head: "rules/moved/R.det" });
    expect(r.metadata).toEqual([{ key: "title", base: '"R"', head: '"New title"' }]);
    expect(r.tests).toEqual({ added: ["u"], removed: [], changed: ["t"] });
    expect(r.targets[0]!.status).toBe("unchanged");
    expect(renderMarkdown(report)).toContain("Moved: `rules/R.det` → `rules/moved/R.det`");
  });

  it("keeps the Markdown under the size limit, naming the rules left out", () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      rule(`R${i}`, { condition: `eventName eq "${"x".repeat(200)}${i}"` }),
    );
    const report = compareSides(side([]), side(many), refs);
    const md = renderMarkdown(report, 5_000);
    expect(md.startsWith(MARKDOWN_MARKER)).toBe(true);
    expect(md.length).toBeLessThan(5_000 + 2_500);
    expect(md).toMatch(/more rules not shown \(comment size limit\): `R\d+`/);
    // Every <details> opened is closed.
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
  });

  it("a fence in the content cannot close the block it is in", () => {
    const head = rule("R", { condition: 'eventName eq "```"' });
    const md = renderMarkdown(compareSides(side([rule("R")]), side([head]), refs));
    expect(md).toContain('````diff\n@@ -1,1 +1,1 @@\n-eventName eq "A"\n+eventName eq "```"\n````');
  });
});
