// `detc coverage`: an ATT&CK Navigator layer and a markdown report for the rule pack.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { backends, findBackend } from "../../backends/registry.js";
import type { Backend } from "../../backends/types.js";
import { compileProject } from "../../compile/compile.js";
import { loadConfig, parseTargetList } from "../../config/config.js";
import { computeCoverage, markdownReport, navigatorLayer } from "../../coverage/coverage.js";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { loadProject } from "../../project/project.js";
import { ExitCode, printDiagnostics } from "../io.js";

export const LAYER_FILE = "attack-navigator-layer.json";
export const REPORT_FILE = "coverage.md";

interface CoverageArgs {
  paths: string[] | undefined;
  out: string;
  target: string[] | undefined;
  config: string | undefined;
  name: string;
}

function writeAtomically(file: string, content: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

export const coverageCommand: CommandModule<object, CoverageArgs> = {
  command: "coverage [paths..]",
  describe:
    "Write an ATT&CK Navigator layer and a coverage report (techniques, AWS TTC, fidelity per target)",
  builder: (yargs: Argv) =>
    yargs
      .positional("paths", {
        type: "string",
        array: true,
        describe: "rule files or folders (default: rules/)",
      })
      .option("out", {
        alias: "o",
        type: "string",
        default: "reports",
        describe: `folder for ${LAYER_FILE} and ${REPORT_FILE} (not out/, which compile manages)`,
      })
      .option("target", {
        alias: "t",
        type: "string",
        array: true,
        describe:
          "targets to report fidelity for, comma-separated (default: every implemented target)",
      })
      .option("config", {
        type: "string",
        describe: "config file (default: detc.config.yaml here or above)",
      })
      .option("name", {
        type: "string",
        default: "detc rule pack",
        describe: "name of the Navigator layer",
      }) as unknown as Argv<CoverageArgs>,
  handler: (argv: ArgumentsCamelCase<CoverageArgs>) => {
    const cwd = process.cwd();
    const config = loadConfig(cwd, argv.config ? { config: argv.config } : {});
    if (hasErrors(config.diagnostics)) {
      printDiagnostics(config.diagnostics, new Map());
      process.exitCode = ExitCode.invalidInput;
      return;
    }
    // Every implemented target unless narrowed: the report is about what the pack can become.
    let targets: Backend[] = [...backends];
    if (argv.target) {
      targets = [];
      for (const name of argv.target.flatMap(parseTargetList)) {
        const backend = findBackend(name);
        if (!backend) {
          process.stderr.write(
            `detc: unknown target '${name}': expected one of ${backends.map((b) => b.name).join(", ")}\n`,
          );
          process.exitCode = ExitCode.usage;
          return;
        }
        targets.push(backend);
      }
    }
    const paths = argv.paths && argv.paths.length > 0 ? argv.paths : [config.value.rules];
    const project = loadProject(paths, { cwd });
    if (hasErrors(project.diagnostics)) {
      printDiagnostics(project.diagnostics, project.sources);
      process.stderr.write("detc: nothing written: fix the errors above first\n");
      process.exitCode = ExitCode.invalidInput;
      return;
    }
    const output = compileProject(project, {
      targets,
      listValues: config.value.lists,
      targetOptions: config.value.targetOptions,
    });
    const report = computeCoverage(project, output, targets);
    const outDir = path.resolve(cwd, argv.out);
    mkdirSync(outDir, { recursive: true });
    writeAtomically(
      path.join(outDir, LAYER_FILE),
      JSON.stringify(navigatorLayer(report, argv.name), null, 2) + "\n",
    );
    writeAtomically(path.join(outDir, REPORT_FILE), markdownReport(report));
    const shown = path.relative(cwd, outDir) || ".";
    const covered = report.awsSpecific.filter((c) => c.rules.length > 0).length;
    const techniques = new Set(
      report.tactics.flatMap((t) => t.techniques.map((x) => x.techniqueId)),
    ).size;
    process.stdout.write(
      `${report.rules.length} rules: ${techniques} ATT&CK techniques in ${report.tactics.length} tactics, ${covered} of ${report.awsSpecific.length} AWS TTC techniques\n` +
        `wrote ${shown}/${LAYER_FILE} and ${shown}/${REPORT_FILE}\n`,
    );
    process.exitCode = ExitCode.ok;
  },
};
