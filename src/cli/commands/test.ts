import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { loadConfig } from "../../config/config.js";
import { loadProject } from "../../project/project.js";
import { formatJson, formatJunit, formatText, type TestFormat } from "../../testing/report.js";
import { runTests } from "../../testing/run.js";
import { ExitCode, printDiagnostics, useColor } from "../io.js";

interface TestArgs {
  paths: string[] | undefined;
  format: TestFormat;
}

export const testCommand: CommandModule<object, TestArgs> = {
  command: "test [paths..]",
  describe: "Run every rule's tests through the reference evaluator",
  builder: (yargs: Argv) =>
    yargs
      .positional("paths", {
        type: "string",
        array: true,
        describe: "rule files or folders (default: the config's rules folder)",
      })
      .option("format", {
        choices: ["text", "json", "junit"] as const,
        default: "text" as const,
        describe: "report format (on stdout)",
      }) as unknown as Argv<TestArgs>,
  handler: (argv: ArgumentsCamelCase<TestArgs>) => {
    const config = loadConfig(process.cwd());
    const project = loadProject(
      argv.paths && argv.paths.length > 0 ? argv.paths : [config.value.rules],
    );
    const diagnostics = [...config.diagnostics, ...project.diagnostics];
    printDiagnostics(diagnostics, project.sources);
    if (hasErrors(diagnostics)) {
      process.exitCode = ExitCode.invalidInput;
      return;
    }
    // Tests see what the deployed rule sees: their own bindings, else configured values, else defaults.
    const report = runTests(project, config.value.lists);
    const out =
      argv.format === "json"
        ? formatJson(report)
        : argv.format === "junit"
          ? formatJunit(report)
          : formatText(report, useColor(process.stdout));
    process.stdout.write(out);
    process.exitCode = report.failed > 0 ? ExitCode.findings : ExitCode.ok;
  },
};
