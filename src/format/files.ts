// Which .det files `detc fmt` looks at, and writing a formatted file without ever leaving it half written.
import { realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Every .det file under the given files or folders, found as every other command finds them. */
export { findRuleFiles as findDetFiles } from "../project/project.js";

/** Write through a temporary file in the same folder and rename it over the original (a symlink's target, not the link). */
export function writeAtomically(file: string, text: string): void {
  const real = realpathSync(file);
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.detc-fmt-${process.pid}`);
  writeFileSync(temp, text, { encoding: "utf8", mode: statSync(real).mode });
  renameSync(temp, real);
}
