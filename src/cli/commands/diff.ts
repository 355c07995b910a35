import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { findBackend } from "../../backends/registry.js";
import { knownTargets, loadConfig, parseTargetList } from "../../config/config.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { compareSides, compileSide, type SideSnapshot } from "../../diff/compare.js";
import { GitError, locateRepo, resolveCommit, snapshot, type Snapshot } from "../../diff/git.js";
import { renderJson, renderMarkdown, renderText } from "../../diff/render.js";
import { ExitCode, printDiagnostics } from "../io.js";

interface DiffArgs {
  base: string;
  head: string | undefined;
  target: string[] | undefined;
  format: "text" | "json" | "markdown";
}

class SideError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly sources: Map<string, string> = new Map(),
  ) {
    super(message);
  }
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: "diff",
  describe:
    "Compare the rules and every target's output between two git refs (or a ref and the working tree)",
  builder: (yargs: Argv) =>
    yargs
      .option("base", {
        type: "string",
        demandOption: true,
        describe: "git ref to compare against (e.g. origin/main, HEAD~1)",
      })
      .option("head", {
        type: "string",
        describe: "git ref to compare (default: the working tree, uncommitted changes included)",
      })
      .option("target", {
        alias: "t",
        type: "string",
        array: true,
        describe: `targets, comma-separated (${knownTargets.join(", ")}); default from each side's config`,
      })
      .option("format", {
        choices: ["text", "json", "markdown"] as const,
        default: "text" as const,
        describe: "report format (on stdout); markdown fits a pull-request comment",
      })
      .epilogue(
        "Both sides are compiled by this detc, each with its own detc.config.yaml. Exit 0 when the diff was made (changes or not), 2 when the head has errors or a ref is unknown.",
      ) as unknown as Argv<DiffArgs>,
  handler: (argv: ArgumentsCamelCase<DiffArgs>) => {
    const cwd = process.cwd();
    const overrides: { targets?: string[] } = {};
    if (argv.target) overrides.targets = argv.target.flatMap(parseTargetList);
    const snapshots: Snapshot[] = [];
    try {
      const location = locateRepo(cwd);
      const baseCommit = resolveCommit(cwd, argv.base);
      const headCommit = argv.head !== undefined ? resolveCommit(cwd, argv.head) : undefined;
      // Generated output is not read: skip the out folder (as the working tree's config names it).
      const out = path
        .relative(location.top, path.resolve(cwd, loadConfig(cwd, overrides).value.out))
        .split(path.sep)
        .join("/");
      const skip = (file: string) =>
        (out !== "" && !out.startsWith("..") && (file === out || file.startsWith(out + "/"))) ||
        file.split("/").includes("node_modules");
      const sideAt = (commit: string | undefined, label: string): SideSnapshot => {
        let dir = cwd;
        if (commit) {
          const snap = snapshot(location, commit, skip);
          snapshots.push(snap);
          dir = snap.projectDir;
        }
        const side = compileSide(dir, { overrides, findBackend });
        if ("configErrors" in side) {
          if (side.unknownTargets)
            throw new SideError(
              `${label}: target${side.unknownTargets.length > 1 ? "s" : ""} not available: ${side.unknownTargets.join(", ")}`,
            );
          throw new SideError(`${label}: invalid configuration`, side.configErrors);
        }
        return side;
      };
      const base = sideAt(baseCommit, `base ${argv.base}`);
      const head = sideAt(headCommit, argv.head ?? "working tree");
      if (head.diagnostics.length > 0)
        throw new SideError(
          `the head (${argv.head ?? "working tree"}) has errors: fix them first`,
          head.diagnostics,
          head.sources,
        );
      if (base.diagnostics.length > 0) {
        const files = new Set(base.diagnostics.map((d) => d.span.file));
        process.stderr.write(
          `detc: warning: the base (${argv.base}) has errors in ${[...files].join(", ")}: its rules there are compared without outputs\n`,
        );
      }
      const report = compareSides(base, head, {
        base: { ref: argv.base, commit: baseCommit },
        head: { ref: argv.head ?? "working tree", commit: headCommit },
      });
      const rendered =
        argv.format === "json"
          ? renderJson(report)
          : argv.format === "markdown"
            ? renderMarkdown(report)
            : renderText(report);
      process.stdout.write(rendered);
      process.exitCode = ExitCode.ok;
    } catch (e) {
      if (e instanceof SideError) {
        printDiagnostics(e.diagnostics, e.sources);
        process.stderr.write(`detc: ${e.message}\n`);
        process.exitCode = ExitCode.invalidInput;
      } else if (e instanceof GitError) {
        process.stderr.write(`detc: ${e.message}\n`);
        process.exitCode = ExitCode.invalidInput;
      } else throw e;
    } finally {
      for (const s of snapshots) s.dispose();
    }
  },
};
