// `detc fmt` end to end: the built CLI (dist/bin/detc.mjs) on files in a temporary folder.
import { spawnSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/bin/detc.mjs");
const stackTrace = /^\s+at .+[:(].*\d+:\d+\)?$/m;

function detc(args: string[], cwd: string) {
  const env = { ...process.env, NO_COLOR: "1" };
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const canonical = readFileSync(path.join(import.meta.dirname, "cases/metadata/output.det"), "utf8");
const messy = readFileSync(path.join(import.meta.dirname, "cases/metadata/input.det"), "utf8");
const broken = 'rule "Broken" {\n  title "t"\n  condition eventName eq\n}\n';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "detc-fmt-"));
  mkdirSync(path.join(dir, "rules/a"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("detc fmt", () => {
  it("--check lists unformatted files, writes nothing, exits 1", () => {
    writeFileSync(path.join(dir, "rules/a/messy.det"), messy);
    writeFileSync(path.join(dir, "rules/a/canonical.det"), canonical);
    const r = detc(["fmt", "--check"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("rules/a/messy.det\n");
    expect(r.stderr).toContain("1 of 2 files not formatted");
    expect(readFileSync(path.join(dir, "rules/a/messy.det"), "utf8")).toBe(messy);
  });

  it("rewrites files in place, then --check passes", () => {
    const r = detc(["fmt", "rules"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("rules/a/messy.det\n");
    expect(readFileSync(path.join(dir, "rules/a/messy.det"), "utf8")).toBe(canonical);
    expect(detc(["fmt", "--check", "rules"], dir)).toMatchObject({ code: 0, stdout: "" });
  });

  it("never formats a file with syntax errors: diagnostics on stderr, exit 2, others still formatted", () => {
    writeFileSync(path.join(dir, "rules/a/broken.det"), broken);
    writeFileSync(path.join(dir, "rules/a/messy.det"), messy);
    const r = detc(["fmt", "rules"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rules\/a\/broken\.det:\d+:\d+: error DETC1\d{3}: /);
    expect(r.stderr).not.toMatch(stackTrace);
    expect(readFileSync(path.join(dir, "rules/a/broken.det"), "utf8")).toBe(broken);
    expect(readFileSync(path.join(dir, "rules/a/messy.det"), "utf8")).toBe(canonical);
    rmSync(path.join(dir, "rules/a/broken.det"));
  });

  it("formats a symlinked file through the link, keeping the link", () => {
    mkdirSync(path.join(dir, "elsewhere"), { recursive: true });
    writeFileSync(path.join(dir, "elsewhere/target.det"), messy);
    symlinkSync(path.join(dir, "elsewhere/target.det"), path.join(dir, "rules/a/link.det"));
    expect(detc(["fmt", "rules"], dir)).toMatchObject({ code: 0, stdout: "rules/a/link.det\n" });
    expect(lstatSync(path.join(dir, "rules/a/link.det")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, "elsewhere/target.det"), "utf8")).toBe(canonical);
    rmSync(path.join(dir, "rules/a/link.det"));
  });

  it("a missing path is invalid input (exit 2); an unknown option is a usage error (exit 3)", () => {
    expect(detc(["fmt", "nope.det"], dir).code).toBe(2);
    expect(detc(["fmt", "--nope"], dir).code).toBe(3);
  });

  it("fmt --check passes on the repository itself: the rule pack and the conformance examples are canonical", () => {
    const check = detc(["fmt", "--check", "rules", "grammar/examples/valid"], repoRoot);
    expect(check.stdout).toBe("");
    expect(check.code).toBe(0);
  });

  it("the seed rule rules/aws/ec2/ami_modified_for_public_access.det is canonical", () => {
    expect(
      detc(["fmt", "--check", "rules/aws/ec2/ami_modified_for_public_access.det"], repoRoot),
    ).toMatchObject({ code: 0, stdout: "" });
  });
});
