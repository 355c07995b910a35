// Line diffs: the edit script is minimal enough and the unified hunks apply back exactly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffLines, splitLines, unifiedDiff } from "../../src/diff/unified.js";

/** Apply unified hunks (without a ---/+++ header) to `before`. */
function apply(before: string, patch: string): string {
  const a = splitLines(before);
  const out: string[] = [];
  let at = 0;
  const lines = splitLines(patch);
  for (let i = 0; i < lines.length; i++) {
    const m = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[i]!);
    if (!m) continue;
    const start = Number(m[2]) === 0 ? Number(m[1]) : Number(m[1]) - 1;
    while (at < start) out.push(a[at++]!);
    for (i++; i < lines.length && !lines[i]!.startsWith("@@"); i++) {
      const l = lines[i]!;
      if (l.startsWith(" ")) {
        expect(a[at]).toBe(l.slice(1));
        out.push(a[at++]!);
      } else if (l.startsWith("-")) {
        expect(a[at]).toBe(l.slice(1));
        at++;
      } else out.push(l.slice(1));
    }
    i--;
  }
  while (at < a.length) out.push(a[at++]!);
  return out.length ? out.join("\n") + "\n" : "";
}

describe("unifiedDiff", () => {
  it("is empty for equal texts and shows a changed line with context", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n")).toBe("");
    expect(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", { from: "a/x", to: "b/x" })).toBe(
      "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
    );
    expect(unifiedDiff("", "x\n")).toBe("@@ -0,0 +1,1 @@\n+x\n");
    expect(unifiedDiff("x\n", "")).toBe("@@ -1,1 +0,0 @@\n-x\n");
  });

  it("splits distant changes into separate hunks", () => {
    const before = Array.from({ length: 30 }, (_, i) => `l${i}`).join("\n") + "\n";
    const after = before.replace("l2\n", "L2\n").replace("l25\n", "L25\n");
    expect(unifiedDiff(before, after).match(/^@@/gm)).toHaveLength(2);
  });

  it("applies back to the new text, and keeps every common line (property)", () => {
    const text = fc
      .array(fc.constantFrom("a", "b", "c", "d", ""), { maxLength: 30 })
      .map((ls) => (ls.length ? ls.join("\n") + "\n" : ""));
    fc.assert(
      fc.property(text, text, (before, after) => {
        expect(apply(before, unifiedDiff(before, after))).toBe(after);
        const edits = diffLines(splitLines(before), splitLines(after));
        expect(edits.filter((e) => e.op !== "+").map((e) => e.line)).toEqual(splitLines(before));
        expect(edits.filter((e) => e.op !== "-").map((e) => e.line)).toEqual(splitLines(after));
      }),
      { numRuns: 300 },
    );
  });
});
