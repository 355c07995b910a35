// Which .det files `detc fmt` looks at, and writing a formatted file without ever leaving it half written.
import { readdirSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Every .det file under the given files or folders (hidden folders and node_modules skipped), sorted. */
export function findDetFiles(paths: string[], cwd: string): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // Followed, as `detc compile` follows them; a dangling link is skipped.
        try {
          const target = statSync(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) walk(full);
      else if (isFile && entry.name.endsWith(".det")) files.add(full);
    }
  };
  for (const p of paths) {
    const absolute = path.resolve(cwd, p);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      missing.push(p);
      continue;
    }
    if (stat.isDirectory()) walk(absolute);
    else files.add(absolute);
  }
  return { files: [...files].sort(), missing };
}

/** Write through a temporary file in the same folder and rename it over the original (a symlink's target, not the link). */
export function writeAtomically(file: string, text: string): void {
  const real = realpathSync(file);
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.detc-fmt-${process.pid}`);
  writeFileSync(temp, text, { encoding: "utf8", mode: statSync(real).mode });
  renameSync(temp, real);
}
