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
  const built = readFileSync(path.join(binDir, "detc.cache"));
  if (cache === "copy") writeFileSync(path.join(dir, "detc.cache"), built);
  // The right bundle hash in front of bytes that are no code cache: V8 must refuse them.
  if (cache === "garbage")
    writeFileSync(
      path.join(dir, "detc.cache"),
      Buffer.concat([built.subarray(0, 32), Buffer.from("not a code cache")]),
    );
  return dir;
}

/** Change the bundle without changing its length (V8 itself compares only the length). */
function editBundle(dir: string): void {
  const file = path.join(dir, "detc.cjs");
  const text = readFileSync(file, "utf8");
  const edited = text.replace('"use strict";', '"use strixt";');
  expect(edited).not.toBe(text);
  expect(edited.length).toBe(text.length);
  writeFileSync(file, edited);
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

  it("never runs a cache made from another bundle, even one of the same length", () => {
    const dir = copyOfBin("edited", "copy");
    editBundle(dir);
    const run = runVersion(dir);
    expect([run.status, run.stdout.trim()]).toEqual([0, version]);
    expect(run.stderr).toContain("code cache made for another bundle");
  });
});
