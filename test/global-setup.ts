// Every temporary folder a test makes (directly or in a spawned detc) lands in one folder per run,
// removed when the run ends: tests make thousands of small projects.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export default function setup(): () => void {
  const runDir = mkdtempSync(path.join(tmpdir(), "detc-test-run-"));
  process.env.TMPDIR = runDir;
  return () => rmSync(runDir, { recursive: true, force: true });
}
