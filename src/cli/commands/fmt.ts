import { readFileSync } from "node:fs";
import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { loadConfig } from "../../config/config.js";
import { diag, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { fileStart } from "../../diagnostics/span.js";
import { findDetFiles, writeAtomically } from "../../format/files.js";
import { FormatterError, formatSource } from "../../format/format.js";
import { ExitCode, printDiagnostics } from "../io.js";

interface FmtArgs {
  paths: string[] | undefined;
  check: boolean;
}

export const fmtCommand: CommandModule<object, FmtArgs> = {
  command: "fmt [paths..]",
  describe: "Format .det files in place (canonical layout, comments kept)",
  builder: (yargs: Argv) =>
    yargs
      .positional("paths", {
        type: "string",
        array: true,
        describe: "files or folders (default: the rules folder of detc.config.yaml)",
      })
      .option("check", {
        type: "boolean",
        default: false,
        describe: "write nothing; list unformatted files and exit 1 if there are any",
      }) as unknown as Argv<FmtArgs>,
  handler: async (argv: ArgumentsCamelCase<FmtArgs>) => {
    const cwd = process.cwd();
    const paths = argv.paths && argv.paths.length > 0 ? argv.paths : [loadConfig(cwd).value.rules];
    const { files, missing } = findDetFiles(paths, cwd);
    const diagnostics: Diagnostic[] = missing.map((p) =>
      diag("file-unreadable", fileStart(p), [p, "no such file or directory"]),
    );
    const sources = new Map<string, string>();
    const changed: string[] = [];
    let internalErrors = 0;
    for (const absolute of files) {
      const shown = path.relative(cwd, absolute).split(path.sep).join("/") || absolute;
      let text: string;
      try {
        text = readFileSync(absolute, "utf8");
      } catch (e) {
        diagnostics.push(diag("file-unreadable", fileStart(shown), [shown, (e as Error).message]));
        continue;
      }
      sources.set(shown, text);
      let result;
      try {
        result = await formatSource(shown, text);
      } catch (e) {
        if (!(e instanceof FormatterError)) throw e;
        // A bug in detc, caught before anything was written: say so, keep going with the other files.
        process.stderr.write(`detc: internal error: ${e.message}\n`);
        internalErrors++;
        continue;
      }
      if (result.formatted === undefined) {
        // A file with errors is never formatted: its diagnostics say why.
        diagnostics.push(...result.diagnostics.filter((d) => d.severity === "error"));
        continue;
      }
      if (result.formatted === text) continue;
      changed.push(shown);
      if (!argv.check) writeAtomically(absolute, result.formatted);
    }
    printDiagnostics(diagnostics, sources);
    for (const file of changed) process.stdout.write(`${file}\n`);
    const verb = argv.check ? "not formatted" : "formatted";
    if (argv.check && changed.length > 0)
      process.stderr.write(
        `detc: ${changed.length} of ${files.length} file${files.length === 1 ? "" : "s"} ${verb}: run 'detc fmt'\n`,
      );
    if (!argv.check)
      process.stderr.write(
        `detc: ${changed.length} of ${files.length} file${files.length === 1 ? "" : "s"} ${verb}\n`,
      );
    if (internalErrors > 0) process.exitCode = ExitCode.internal;
    else if (diagnostics.length > 0) process.exitCode = ExitCode.invalidInput;
    else if (files.length === 0) {
      process.stderr.write(`detc: no .det files found under ${paths.join(", ")}\n`);
      process.exitCode = ExitCode.invalidInput;
    } else process.exitCode = argv.check && changed.length > 0 ? ExitCode.findings : ExitCode.ok;
  },
};
