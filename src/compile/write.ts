// Writing out/: only after everything compiled; each file atomically (temp file + rename), files
// whose content is unchanged are left alone, and files no rule produces any more are removed.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { MANIFEST, sortedKeys, type CompileOutput, type Manifest } from "./compile.js";

export interface OutputPlan {
  /** out-relative path → content, manifest included. */
  files: Map<string, string>;
  written: string[];
  unchanged: string[];
  removed: string[];
}

export interface PlanScope {
  /** Rule sources (as shown in diagnostics) that this run compiled; others keep their manifest entries. */
  inScope: (source: string) => boolean;
}

function readExisting(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Every file under `dir`, as `/`-separated paths relative to it. */
export function listFiles(dir: string, prefix = ""): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

export function readManifest(outDir: string): Manifest | undefined {
  const text = readExisting(path.join(outDir, MANIFEST));
  if (!text) return undefined;
  try {
    const m = JSON.parse(text) as Manifest;
    return m && typeof m.rules === "object" ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What out/ must hold after this run: this run's files, plus the files of rules outside its scope
 * (a `detc compile rules/aws/ec2` keeps the rest of out/). Compares with disk; writes nothing.
 */
export function planOutput(outDir: string, output: CompileOutput, scope: PlanScope): OutputPlan {
  const previous = readManifest(outDir);
  const current = output.manifest.rules;
  const entries = new Map(Object.entries(current));
  const files = new Map(output.files);
  for (const [id, entry] of Object.entries(previous?.rules ?? {})) {
    if (scope.inScope(entry.source) || entries.has(id)) continue;
    // Kept from the previous manifest, which may have been edited by hand: sorted here.
    entries.set(id, sortedKeys(entry) as Manifest["rules"][string]);
    for (const [p] of Object.entries(entry.targets).flatMap(([, t]) => Object.entries(t.files))) {
      const existing = readExisting(path.join(outDir, p));
      if (existing !== undefined) files.set(p, existing);
    }
  }
  // This run's entries are built in key order (assembleOutput), so with the rules sorted by id the
  // manifest is written as it is: stableJson's walk over its ~60,000 objects is not needed.
  const manifest: Manifest = { generator: output.manifest.generator, rules: Object.create(null) };
  for (const id of [...entries.keys()].sort()) manifest.rules[id] = entries.get(id)!;
  files.set(MANIFEST, JSON.stringify(manifest, null, 2) + "\n");
  const written: string[] = [];
  const unchanged: string[] = [];
  // A top-level folder that does not exist yet holds nothing to compare with: skip the reads.
  const existingTop = new Map<string, boolean>();
  const topExists = (p: string) => {
    const slash = p.indexOf("/");
    const top = slash < 0 ? p : p.slice(0, slash);
    let exists = existingTop.get(top);
    if (exists === undefined) existingTop.set(top, (exists = existsSync(path.join(outDir, top))));
    return exists;
  };
  for (const p of [...files.keys()].sort()) {
    const same = topExists(p) && readExisting(path.join(outDir, p)) === files.get(p);
    (same ? unchanged : written).push(p);
  }
  const removed = listFiles(outDir).filter((p) => !files.has(p));
  return { files, written, unchanged, removed };
}

/**
 * Every write is atomic: a target folder that does not exist yet is written whole into a staging
 * folder and renamed into place (one rename); other files are written to a temporary name and
 * renamed over the old one, so no reader ever sees half a file.
 */
export function applyPlan(outDir: string, plan: OutputPlan): void {
  mkdirSync(outDir, { recursive: true });
  const madeDirs = new Set<string>();
  const ensureDir = (dir: string) => {
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
  };
  const byTop = new Map<string, string[]>();
  for (const p of plan.written) {
    const top = p.includes("/") ? p.split("/")[0]! : "";
    const group = byTop.get(top);
    if (group) group.push(p);
    else byTop.set(top, [p]);
  }
  for (const [top, paths] of byTop) {
    if (top !== "" && !existsSync(path.join(outDir, top))) {
      const staging = path.join(outDir, `.${top}.staging-${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      for (const p of paths) {
        const target = path.join(staging, p.slice(top.length + 1));
        ensureDir(path.dirname(target));
        writeFileSync(target, plan.files.get(p)!);
      }
      renameSync(staging, path.join(outDir, top));
      continue;
    }
    for (const p of paths) {
      const target = path.join(outDir, p);
      ensureDir(path.dirname(target));
      const temp = `${target}.tmp-${process.pid}`;
      writeFileSync(temp, plan.files.get(p)!);
      renameSync(temp, target);
    }
  }
  for (const p of plan.removed) {
    rmSync(path.join(outDir, p), { force: true });
    removeEmptyParents(outDir, path.dirname(path.join(outDir, p)));
  }
}

function removeEmptyParents(root: string, dir: string): void {
  const stop = path.resolve(root);
  let current = path.resolve(dir);
  while (current.startsWith(stop + path.sep)) {
    try {
      if (readdirSync(current).length > 0) return;
      rmdirSync(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}
