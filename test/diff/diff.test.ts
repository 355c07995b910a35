// `detc diff` end to end, in a temporary git repository: the repository's rules and config
// committed, then one condition changed, one rule deleted (and later one file moved), committed.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiffReport } from "../../src/diff/compare.js";
import { loadProject } from "../../src/project/project.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/bin/detc.mjs");
const stackTrace = /^\s+at .+[:(].*\d+:\d+\)?$/m;

const CHANGED = "AWS.EC2.AMIDeregistered";
const CHANGED_FILE = "rules/aws/ec2/ami_deregistered.det";
const DELETED = "AWS.CloudTrail.AMIModifiedForPublicAccess";
const DELETED_FILE = "rules/aws/ec2/ami_modified_for_public_access.det";

let repo: string;

function git(...args: string[]) {
  const r = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function detc(args: string[], cwd = repo): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// Runs that only read the committed state and the unchanged working tree start together (each
// spawn costs a Node start and two compiles); the ones that edit the working tree run after them.
let first: Run;
let report: DiffReport;
let markdown: Run;
let text: Run;
let noChanges: Run;
let unknownRef: Run;
let noBase: Run;
let betweenCommits: Run;
let moved: Run;
let brokenHead: Run;
let headCommit: string;
const MOVED_FILE = "rules/aws/ec2/ami_deregistration.det";

beforeAll(async () => {
  repo = mkdtempSync(path.join(tmpdir(), "detc-diff-test-"));
  cpSync(path.join(repoRoot, "rules"), path.join(repo, "rules"), { recursive: true });
  cpSync(path.join(repoRoot, "detc.config.yaml"), path.join(repo, "detc.config.yaml"));
  // rules/ is being edited by others while this runs: leave out any file that does not load cleanly now.
  const loaded = loadProject(["rules"], { cwd: repo });
  for (const file of new Set(
    loaded.diagnostics.filter((d) => d.severity === "error").map((d) => d.span.file),
  )) {
    if (file !== CHANGED_FILE && file !== DELETED_FILE && file.endsWith(".det"))
      rmSync(path.join(repo, file), { force: true });
  }
  git("init", "-q", "-b", "main");
  git("config", "user.email", "detc@example.com");
  git("config", "user.name", "detc test");
  git("config", "commit.gpgsign", "false");
  git("add", "-A");
  git("commit", "-q", "-m", "rules");
  const file = path.join(repo, CHANGED_FILE);
  const source = readFileSync(file, "utf8");
  expect(source).toContain('eventName eq "DeregisterImage"');
  writeFileSync(
    file,
    source.replace(
      'eventName eq "DeregisterImage"',
      'eventName in ["DeregisterImage", "DisableImage"]',
    ),
  );
  rmSync(path.join(repo, DELETED_FILE));
  git("add", "-A");
  git("commit", "-q", "-m", "change one condition, delete one rule");
  [first, markdown, text, noChanges, unknownRef, noBase] = await Promise.all([
    detc(["diff", "--base", "HEAD~1", "--format", "json"]),
    detc(["diff", "--base", "HEAD~1", "--format", "markdown"]),
    detc(["diff", "--base", "HEAD~1"]),
    detc(["diff", "--base", "HEAD", "--format", "markdown"]),
    detc(["diff", "--base", "no-such-ref"]),
    detc(["diff"]),
  ]);
  report = JSON.parse(first.stdout) as DiffReport;

  // Third commit: the changed rule's file moved. The working tree then gets a broken rule, which
  // runs with --head must never see.
  const commits = { c1: git("rev-parse", "HEAD~1").trim(), c2: git("rev-parse", "HEAD").trim() };
  renameSync(path.join(repo, CHANGED_FILE), path.join(repo, MOVED_FILE));
  git("add", "-A");
  git("commit", "-q", "-m", "move a rule file");
  writeFileSync(path.join(repo, "rules/broken.det"), 'rule "B" {\n  title "t"\n}\n');
  [betweenCommits, moved, brokenHead] = await Promise.all([
    detc(["diff", "--base", commits.c1, "--head", commits.c2, "--format", "json"]),
    detc(["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json"]),
    detc(["diff", "--base", "HEAD"]),
  ]);
  headCommit = commits.c2;
}, 60_000);

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("detc diff --base HEAD~1", () => {
  it("exits 0 with the report on stdout and nothing on stderr", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(report.head.ref).toBe("working tree");
    expect(report.base.commit).toBe(git("rev-parse", "HEAD~2").trim());
  });

  it("reports exactly one changed and one removed rule", () => {
    const changed = report.rules.filter((r) => r.status !== "unchanged");
    expect(changed.map((r) => [r.id, r.status])).toEqual([
      [CHANGED, "changed"],
      [DELETED, "removed"],
    ]);
    expect(report.summary.rules.added).toBe(0);
    expect(report.summary.rules.changed).toBe(1);
    expect(report.summary.rules.removed).toBe(1);
    expect(report.summary.rules.unchanged).toBe(report.rules.length - 2);
  });

  it("the changed rule: only its condition, and each target's output", () => {
    const rule = report.rules.find((r) => r.id === CHANGED)!;
    expect(rule.source).toEqual({ base: CHANGED_FILE, head: CHANGED_FILE });
    expect(rule.metadata).toEqual([]);
    expect(rule.tests).toEqual({ added: [], removed: [], changed: [] });
    expect(rule.condition!.diff).toContain('-and eventName eq "DeregisterImage"');
    expect(rule.condition!.diff).toContain('+and eventName in ["DeregisterImage", "DisableImage"]');
    expect(report.targets.length).toBeGreaterThan(0);
    for (const t of rule.targets) {
      if (t.fidelity.base === "unsupported" && t.fidelity.head === "unsupported") continue;
      expect(t.status, t.target).toBe("changed");
      expect(t.files.length, t.target).toBeGreaterThan(0);
      for (const f of t.files) {
        expect(f.status).toBe("changed");
        expect(f.path.startsWith(`${t.target}/aws/ec2/ami_deregistered.`)).toBe(true);
        expect(f.diff).toMatch(/^--- a\/.*\n\+\+\+ b\/.*\n@@ /);
      }
    }
  });

  it("the deleted rule: every target's files removed; per-target summary counts", () => {
    const rule = report.rules.find((r) => r.id === DELETED)!;
    expect(rule.source).toEqual({ base: DELETED_FILE });
    for (const t of rule.targets) {
      expect(t.status).toBe("removed");
      for (const f of t.files) expect(f.status).toBe("removed");
    }
    for (const target of report.targets) {
      const changed =
        report.rules.find((r) => r.id === CHANGED)!.targets.find((t) => t.target === target)!
          .status === "changed"
          ? 1
          : 0;
      expect(report.summary.targets[target]).toEqual({ added: 0, changed, removed: 1 });
    }
  });

  it("markdown: sticky marker, per-target table, collapsible per-rule diffs", () => {
    const r = markdown;
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("<!-- detc diff -->\n")).toBe(true);
    expect(r.stdout).toContain("Rules: **0** added, **1** changed, **1** removed");
    for (const target of report.targets)
      expect(r.stdout).toMatch(new RegExp(`^\\| ${target} \\| 0 \\| [01] \\| 1 \\|$`, "m"));
    expect(r.stdout.match(/<details>/g)).toHaveLength(2);
    expect(r.stdout.match(/<\/details>/g)).toHaveLength(2);
    expect(r.stdout).toContain("```diff\n");
    expect(r.stdout).toContain(`<b>${CHANGED}</b> — condition; output: `);
  });

  it("text: a summary and the condition diff", () => {
    const r = text;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("rules: 0 added, 1 changed, 1 removed");
    expect(r.stdout).toContain(`changed ${CHANGED} (${CHANGED_FILE}): condition; output: `);
    expect(r.stdout).toContain(`removed ${DELETED} (${DELETED_FILE})`);
  });

  it("--head compares two commits; the working tree (with a broken rule) is not read", () => {
    expect(betweenCommits.code).toBe(0);
    const other = JSON.parse(betweenCommits.stdout) as DiffReport;
    expect(other.rules).toEqual(report.rules);
    expect(other.head.commit).toBe(headCommit);
  });

  it("a moved file is a change of source path, not a delete and an add", () => {
    expect(moved.code).toBe(0);
    const movedReport = JSON.parse(moved.stdout) as DiffReport;
    expect(
      movedReport.rules.filter((x) => x.status !== "unchanged").map((x) => [x.id, x.status]),
    ).toEqual([[CHANGED, "changed"]]);
    const rule = movedReport.rules.find((x) => x.id === CHANGED)!;
    expect(rule.source).toEqual({ base: CHANGED_FILE, head: MOVED_FILE });
    expect(rule.condition).toBeUndefined();
    expect(rule.metadata).toEqual([]);
  });

  it("no changes: a short report; an unknown ref: exit 2; no --base: usage error, exit 3", () => {
    expect(noChanges.code).toBe(0);
    expect(noChanges.stdout).toContain("No rule changes");
    expect(unknownRef.code).toBe(2);
    expect(unknownRef.stderr).toContain("unknown git ref 'no-such-ref'");
    expect(unknownRef.stderr).not.toMatch(stackTrace);
    expect(noBase.code).toBe(3);
  });

  it("a head with errors: its diagnostics, exit 2, no stack trace", () => {
    expect(brokenHead.code).toBe(2);
    expect(brokenHead.stdout).toBe("");
    expect(brokenHead.stderr).toContain("rules/broken.det:");
    expect(brokenHead.stderr).not.toMatch(stackTrace);
  });
});
