// Reading a project as it was at a git ref, without touching the working tree, the index or any
// ref: `git ls-tree` names the files under the project folder, one `git cat-file --batch` process
// streams their contents, and they are written into a temporary folder that is compiled like a
// checkout. (Why not `git worktree`: it registers the worktree in .git and leaves it behind if the
// process dies; `git archive` needs tar to unpack. `git show` per file would start hundreds of processes.)
import type * as ChildProcess from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import path from "node:path";

export class GitError extends Error {}

// Loaded when `detc diff` first runs git: every other command would pay ~3 ms at start-up for
// child_process (and the net and stream modules it pulls in).
let childProcessModule: typeof ChildProcess | undefined;
const childProcess = () =>
  (childProcessModule ??= createRequire(import.meta.url)(
    "node:child_process",
  ) as typeof ChildProcess);

function git(cwd: string, args: string[], input?: Buffer | string): Buffer {
  const result = childProcess().spawnSync("git", args, { cwd, input, maxBuffer: 1 << 30 });
  if (result.error) throw new GitError(`cannot run git: ${result.error.message}`);
  if (result.status !== 0)
    throw new GitError(
      `git ${args.join(" ")}: ${result.stderr.toString().trim() || `exit ${result.status}`}`,
    );
  return result.stdout;
}

export interface RepoLocation {
  /** The repository's top folder. */
  top: string;
  /** The project folder relative to the top ("" or ending in "/"), as git prints it. */
  prefix: string;
}

export function locateRepo(cwd: string): RepoLocation {
  const top = git(cwd, ["rev-parse", "--show-toplevel"]).toString().trim();
  const prefix = git(cwd, ["rev-parse", "--show-prefix"]).toString().trim();
  return { top, prefix };
}

/** The commit a ref names (full hash), or a GitError saying the ref is unknown. */
export function resolveCommit(cwd: string, ref: string): string {
  try {
    return git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])
      .toString()
      .trim();
  } catch {
    throw new GitError(
      `unknown git ref '${ref}': expected a branch, tag or commit (fetch it first in a shallow clone)`,
    );
  }
}

export interface Snapshot {
  commit: string;
  /** The temporary folder holding the repository's files at that commit. */
  root: string;
  /** The project folder inside it (the working directory's counterpart). */
  projectDir: string;
  dispose(): void;
}

/**
 * Write the repository's files, as they are at `commit`, into a new temporary folder (all of them,
 * so that a config file above the project folder, or an event file outside rules/, is found as in
 * a checkout); `skip` leaves files out by their path in the repository (generated output).
 */
export function snapshot(
  location: RepoLocation,
  commit: string,
  skip: (pathInRepo: string) => boolean = () => false,
): Snapshot {
  const root = mkdtempSync(path.join(tmpdir(), "detc-diff-"));
  const dispose = () => rmSync(root, { recursive: true, force: true });
  try {
    const listing = git(location.top, ["ls-tree", "-r", "-z", "--full-tree", commit]).toString();
    const entries: { mode: string; sha: string; file: string }[] = [];
    for (const record of listing.split("\0")) {
      if (!record) continue;
      const tab = record.indexOf("\t");
      const [mode, type, sha] = record.slice(0, tab).split(" ") as [string, string, string];
      const file = record.slice(tab + 1);
      if (type !== "blob") continue; // submodules
      if (skip(file)) continue;
      entries.push({ mode, sha, file });
    }
    const batch = git(
      location.top,
      ["cat-file", "--batch"],
      entries.map((e) => e.sha).join("\n") + "\n",
    );
    let at = 0;
    for (const entry of entries) {
      const headerEnd = batch.indexOf(0x0a, at);
      const header = batch.subarray(at, headerEnd).toString();
      // In a shallow or partial clone the object may be absent: say what to do about it.
      if (header.endsWith(" missing"))
        throw new GitError(
          `${entry.file} at ${commit.slice(0, 12)} is not in this clone: fetch the full history (actions/checkout with fetch-depth: 0)`,
        );
      const size = Number(header.split(" ")[2]);
      const content = batch.subarray(headerEnd + 1, headerEnd + 1 + size);
      at = headerEnd + 1 + size + 1;
      const target = path.join(root, entry.file);
      mkdirSync(path.dirname(target), { recursive: true });
      if (entry.mode === "120000") symlinkSync(content.toString(), target);
      else writeFileSync(target, content);
    }
    const projectDir = path.join(root, location.prefix);
    mkdirSync(projectDir, { recursive: true });
    return { commit, root, projectDir, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}
