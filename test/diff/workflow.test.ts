// .github/workflows/detections.yml: valid for GitHub Actions in the ways a test can check, and every
// detc command it runs exists with the options it passes.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/bin/detc.mjs");
const workflow = parse(
  readFileSync(path.join(repoRoot, ".github/workflows/detections.yml"), "utf8"),
) as Record<string, any>;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  id?: string;
}

const job = workflow.jobs?.detections as {
  "runs-on": string;
  permissions: Record<string, string>;
  steps: Step[];
};
const steps = job.steps;
const runs = steps.map((s) => s.run ?? "").join("\n");

describe("detections workflow", () => {
  it("has the keys GitHub requires: on, jobs, runs-on, steps (each uses or run)", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(typeof job["runs-on"]).toBe("string");
    expect(steps.length).toBeGreaterThan(3);
    for (const s of steps) expect(!!s.uses !== !!s.run, JSON.stringify(s)).toBe(true);
    for (const s of steps) if (s.uses) expect(s.uses).toMatch(/^[\w.-]+\/[\w./-]+@v\d+$/);
    const ids = steps.map((s) => s.id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of steps)
      for (const m of (s.if ?? "").matchAll(/steps\.(\w+)\./g)) expect(ids).toContain(m[1]);
  });

  it("checks out the whole history on Node 20 with the least permissions it needs", () => {
    expect(workflow.permissions).toEqual({});
    expect(job.permissions).toEqual({
      contents: "read",
      "security-events": "write",
      "pull-requests": "write",
    });
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    expect(checkout.with?.["fetch-depth"]).toBe(0);
    expect(
      steps.find((s) => s.uses?.startsWith("actions/setup-node@"))!.with?.["node-version"],
    ).toBe(20);
  });

  it("runs npm ci, npm test, lint as SARIF (uploaded), compile --check, and posts the markdown diff", () => {
    expect(runs).toMatch(/^npm ci\b/m);
    expect(runs).toMatch(/^npm test$/m);
    expect(runs).toContain("node dist/bin/detc.mjs lint rules --format sarif > detc.sarif");
    expect(
      steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!.with?.sarif_file,
    ).toBe("detc.sarif");
    expect(runs).toContain("node dist/bin/detc.mjs compile --check");
    expect(runs).toContain(
      'node dist/bin/detc.mjs diff --base "$BASE_SHA" --format markdown > detc-diff.md',
    );
    expect(
      steps.find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))!.with,
    ).toMatchObject({ path: "detc-diff.md" });
    // No ${{ }} expression inside a script: values reach scripts through env (no injection).
    for (const s of steps) expect(s.run ?? "").not.toContain("${{");
  });

  it("every detc command the workflow runs exists and accepts the options it passes", () => {
    const commands = [...runs.matchAll(/node dist\/bin\/detc\.mjs (\w+)([^>\n]*)/g)];
    expect(commands.map((m) => m[1])).toEqual(["lint", "compile", "diff"]);
    for (const [, command, rest] of commands) {
      const help = spawnSync(process.execPath, [bin, command!, "--help"], {
        cwd: repoRoot,
        encoding: "utf8",
      });
      expect(help.status, `detc ${command} --help`).toBe(0);
      for (const option of rest!.match(/--[\w-]+/g) ?? [])
        expect(help.stdout, `detc ${command} ${option}`).toContain(option);
    }
  });
});
