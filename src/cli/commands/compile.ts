import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { backends, findBackend } from "../../backends/registry.js";
import type { Backend, Fidelity } from "../../backends/types.js";
import { compileProject, type CompileOutput } from "../../compile/compile.js";
import { applyPlan, planOutput } from "../../compile/write.js";
import { knownTargets, loadConfig, parseTargetList } from "../../config/config.js";
import { diag, hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { loadProject, type StageTimings } from "../../project/project.js";
import { renderCompact } from "../../diagnostics/render.js";
import { ExitCode, printDiagnostics } from "../io.js";

interface CompileArgs {
  paths: string[] | undefined;
  target: string[] | undefined;
  out: string | undefined;
  config: string | undefined;
  strict: boolean;
  check: boolean;
  format: "text" | "json";
  timings: boolean;
  verbose: boolean;
}

const fidelityCode = {
  broader: "fidelity-broader",
  narrower: "fidelity-narrower",
  unsupported: "fidelity-unsupported",
} as const;

/** The fidelity notes `show` selects, as diagnostics, and how many notes it left out. */
function fidelityDiagnostics(
  output: CompileOutput,
  show: (fidelity: Fidelity) => boolean,
): { shown: Diagnostic[]; left: number } {
  const shown: Diagnostic[] = [];
  let left = 0;
  for (const rule of output.rules)
    for (const [target, t] of rule.targets)
      for (const n of t.notes) {
        if (show(n.fidelity))
          shown.push(
            diag(fidelityCode[n.fidelity], n.span, [`${target} (${rule.ruleId})`, n.reason]),
          );
        else left++;
      }
  return { shown, left };
}

function summary(
  output: CompileOutput,
  targets: readonly Backend[],
): Record<string, Record<Fidelity, number>> {
  const counts: Record<string, Record<Fidelity, number>> = {};
  for (const b of targets) counts[b.name] = { exact: 0, broader: 0, narrower: 0, unsupported: 0 };
  for (const rule of output.rules)
    for (const [name, t] of rule.targets) counts[name]![t.fidelity]++;
  return counts;
}

export const compileCommand: CommandModule<object, CompileArgs> = {
  command: "compile [paths..]",
  describe: "Compile rules into out/<target>/ for every enabled target",
  builder: (yargs: Argv) =>
    yargs
      .positional("paths", {
        type: "string",
        array: true,
        describe: "rule files or folders (default: rules/)",
      })
      .option("target", {
        alias: "t",
        type: "string",
        array: true,
        describe: `targets, comma-separated (${knownTargets.join(", ")}); default from config`,
      })
      .option("out", { alias: "o", type: "string", describe: "output folder (default: out)" })
      .option("config", {
        type: "string",
        describe: "config file (default: detc.config.yaml here or above)",
      })
      .option("strict", {
        type: "boolean",
        default: false,
        describe: "exit 1 unless every translation is exact",
      })
      .option("check", {
        type: "boolean",
        default: false,
        describe: "write nothing; exit 1 if out/ is stale, missing files or has orphans",
      })
      .option("format", {
        choices: ["text", "json"] as const,
        default: "text" as const,
        describe: "summary format (on stdout)",
      })
      .option("timings", {
        type: "boolean",
        default: false,
        describe: "print time per stage on stderr",
      })
      .option("verbose", {
        type: "boolean",
        default: false,
        describe: "print every broader/narrower note with its source line (detc lint does too)",
      }) as unknown as Argv<CompileArgs>,
  handler: (argv: ArgumentsCamelCase<CompileArgs>) => {
    const started = performance.now();
    const cwd = process.cwd();
    const overrides: { targets?: string[]; out?: string; config?: string } = {};
    if (argv.target) overrides.targets = argv.target.flatMap(parseTargetList);
    if (argv.out) overrides.out = argv.out;
    if (argv.config) overrides.config = argv.config;
    const config = loadConfig(cwd, overrides);
    if (hasErrors(config.diagnostics)) {
      printDiagnostics(config.diagnostics, new Map());
      process.exitCode = ExitCode.invalidInput;
      return;
    }
    const targets: Backend[] = [];
    for (const name of config.value.targets) {
      const backend = findBackend(name);
      if (!backend) {
        const known = (knownTargets as readonly string[]).includes(name);
        process.stderr.write(
          known
            ? `detc: target '${name}' is not implemented yet (available: ${backends.map((b) => b.name).join(", ")})\n`
            : `detc: unknown target '${name}': expected one of ${backends.map((b) => b.name).join(", ")}\n`,
        );
        process.exitCode = ExitCode.usage;
        return;
      }
      targets.push(backend);
    }
    const timings: StageTimings = { parse: 0, check: 0, lower: 0 };
    const renderTimings = new Map<string, number>();
    // Outputs name their sources relative to the project root (the config file's folder), never to
    // the working directory: out/ must be byte-identical wherever detc runs from.
    const root = config.value.rootDir;
    const fromRoot = (p: string) => path.relative(root, path.resolve(cwd, p)) || ".";
    const paths = (argv.paths && argv.paths.length > 0 ? argv.paths : [config.value.rules]).map(
      fromRoot,
    );
    const project = loadProject(paths, { cwd: root, timings });
    if (hasErrors(project.diagnostics)) {
      printDiagnostics(project.diagnostics, project.sources);
      process.stderr.write("detc: nothing written: fix the errors above first\n");
      process.exitCode = ExitCode.invalidInput;
      return;
    }
    let mark = performance.now();
    const output = compileProject(project, {
      targets,
      listValues: config.value.lists,
      targetOptions: config.value.targetOptions,
      renderTimings,
    });
    const renderMs = performance.now() - mark;
    // Unsupported translations are always explained (no file is written for them); the many
    // broader/narrower notes are counted, and shown with --verbose or by `detc lint`.
    const { shown, left: approximate } = fidelityDiagnostics(output, (fidelity) =>
      argv.check ? false : argv.verbose || fidelity === "unsupported",
    );
    if (argv.verbose) printDiagnostics([...project.diagnostics, ...shown], project.sources);
    else {
      printDiagnostics(project.diagnostics, project.sources);
      // One write: thousands of notes one write(2) each cost more than rendering them.
      if (shown.length > 0)
        process.stderr.write(shown.map((n) => `${renderCompact(n)}\n`).join(""));
      if (approximate > 0 && !argv.check)
        process.stderr.write(
          `detc: ${approximate} broader/narrower notes (see out/manifest.json, \`detc lint\` or --verbose)\n`,
        );
    }

    const outDir = path.resolve(cwd, config.value.out);
    const scopes = paths.map((p) => path.resolve(root, p));
    const inScope = (source: string) => {
      const abs = path.resolve(root, source);
      return scopes.some((s) => abs === s || abs.startsWith(s + path.sep));
    };
    mark = performance.now();
    const plan = planOutput(outDir, output, { inScope });
    const shownOut = path.relative(cwd, outDir) || ".";
    const counts = summary(output, targets);
    const nonExact = output.rules.some((r) =>
      [...r.targets.values()].some((t) => t.fidelity !== "exact"),
    );

    if (argv.check) {
      const stale = [...plan.written, ...plan.removed];
      if (argv.format === "json") {
        process.stdout.write(
          JSON.stringify(
            { upToDate: stale.length === 0, stale: plan.written, orphaned: plan.removed },
            null,
            2,
          ) + "\n",
        );
      } else if (stale.length === 0) {
        process.stdout.write(`${shownOut}/ is up to date (${plan.files.size} files)\n`);
      } else {
        for (const p of plan.written) process.stdout.write(`stale or missing: ${shownOut}/${p}\n`);
        for (const p of plan.removed) process.stdout.write(`orphaned: ${shownOut}/${p}\n`);
        process.stderr.write(
          `detc: ${shownOut}/ is out of date: run 'detc compile' and commit the result\n`,
        );
      }
      process.exitCode = stale.length > 0 ? ExitCode.findings : ExitCode.ok;
      return;
    }
    applyPlan(outDir, plan);
    const writeMs = performance.now() - mark;

    if (argv.format === "json") {
      const rules = output.rules.map((r) => ({
        id: r.ruleId,
        source: r.source,
        targets: Object.fromEntries(
          [...r.targets].map(([n, t]) => [
            n,
            {
              fidelity: t.fidelity,
              files: [...t.files.keys()],
              notes: t.notes.map((x) => ({
                fidelity: x.fidelity,
                reason: x.reason,
                location: `${x.span.file}:${x.span.line}:${x.span.column}`,
              })),
            },
          ]),
        ),
      }));
      process.stdout.write(
        JSON.stringify(
          { out: shownOut, summary: counts, written: plan.written, removed: plan.removed, rules },
          null,
          2,
        ) + "\n",
      );
    } else {
      const lines = [
        `compiled ${output.rules.length} rule${output.rules.length === 1 ? "" : "s"} to ${targets.map((t) => t.name).join(", ")}`,
      ];
      for (const [name, c] of Object.entries(counts)) {
        lines.push(
          `  ${name.padEnd(11)} ${c.exact} exact, ${c.broader} broader, ${c.narrower} narrower, ${c.unsupported} unsupported`,
        );
      }
      lines.push(
        `${shownOut}/: ${plan.written.length} written, ${plan.unchanged.length} unchanged, ${plan.removed.length} removed`,
      );
      process.stdout.write(lines.join("\n") + "\n");
    }
    if (argv.timings) {
      const total = performance.now() - started;
      const rss = process.resourceUsage().maxRSS / 1024;
      process.stderr.write(
        `timings: start ${started.toFixed(0)} ms, parse ${timings.parse.toFixed(0)} ms, check ${timings.check.toFixed(0)} ms, lower ${timings.lower.toFixed(0)} ms, render ${renderMs.toFixed(0)} ms${targets.length > 1 ? ` (${[...renderTimings].map(([t, ms]) => `${t} ${ms.toFixed(0)} ms`).join(", ")})` : ""}, write ${writeMs.toFixed(0)} ms, command ${total.toFixed(0)} ms, peak RSS ${rss.toFixed(0)} MiB\n`,
      );
    }
    process.exitCode = argv.strict && nonExact ? ExitCode.findings : ExitCode.ok;
  },
};
