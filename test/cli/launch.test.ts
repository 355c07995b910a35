// The executable (dist/bin/detc.mjs) runs the bundled CLI through V8's code cache written by the
// build; a missing or foreign cache must cost only speed, never the command.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const binDir = path.join(repoRoot, "dist/bin");
const version = (
  JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }
).version;

function runVersion(dir: string) {
  return spawnSync(process.execPath, [path.join(dir, "detc.mjs"), "--version"], {
    encoding: "utf8",
    env: { ...process.env, DETC_CODE_CACHE: "report" },
  });
}

/** A copy of dist/bin/ in a scratch folder whose package.json sits where the CLI looks for it. */
const scratch = mkdtempSync(path.join(tmpdir(), "detc-launch-"));
function copyOfBin(name: string, cache: "copy" | "none" | "garbage"): string {
  const dir = path.join(scratch, name, "dist/bin");
  mkdirSync(dir, { recursive: true });
  for (const f of ["detc.mjs", "detc.cjs"]) copyFileSync(path.join(binDir, f), path.join(dir, f));
  copyFileSync(path.join(repoRoot, "package.json"), path.join(scratch, name, "package.json"));
  if (cache === "copy") copyFileSync(path.join(binDir, "detc.cache"), path.join(dir, "detc.cache"));
  if (cache === "garbage") writeFileSync(path.join(dir, "detc.cache"), "not a code cache");
  return dir;
}
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the detc executable", () => {
  it("uses the code cache the build wrote", () => {
    const run = runVersion(binDir);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    expect(run.stderr).toContain("code cache used");
  });

  it("still runs without a cache, and with a cache V8 rejects", () => {
    const absent = runVersion(copyOfBin("absent", "none"));
    expect([absent.status, absent.stdout.trim()]).toEqual([0, version]);
    expect(absent.stderr).toContain("code cache absent");
    const rejected = runVersion(copyOfBin("garbage", "garbage"));
    expect([rejected.status, rejected.stdout.trim()]).toEqual([0, version]);
    expect(rejected.stderr).toContain("code cache rejected");
  });
});
