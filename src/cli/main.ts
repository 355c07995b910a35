// detc's command line: each command is one module; this file only wires them.
import { readFileSync } from "node:fs";
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { compileCommand } from "./commands/compile.js";
import { diffCommand } from "./commands/diff.js";
import { fmtCommand } from "./commands/fmt.js";
import { coverageCommand } from "./commands/coverage.js";
import { lintCommand } from "./commands/lint.js";
import { testCommand } from "./commands/test.js";
import { ExitCode } from "./io.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/**
 * After every command handler returns, yargs renders and caches the command's whole help text, for
 * a handler that prints it later: ~30 ms per command, a few per cent of a 3,000-rule compile. detc's
 * handlers never print help, and yargs has no option for it, so this reaches its internal usage
 * object. Should a yargs release rename it, nothing changes but the speed.
 */
function withoutHelpCaching(cli: Argv): Argv {
  type Internals = { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
  const usage = (cli as unknown as { getInternalMethods?: () => Internals })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => {};
  return cli;
}

export async function main(argv: string[]): Promise<void> {
  await withoutHelpCaching(yargs(argv))
    .scriptName("detc")
    .usage("$0 <command> [options]\n\nWrite a detection once; compile it to every SIEM you run.")
    .command(compileCommand)
    .command(testCommand)
    .command(fmtCommand)
    .command(diffCommand)
    .command(coverageCommand)
    .command(lintCommand(pkg.version))
    .demandCommand(1, "Name a command: detc compile [paths] or detc test [paths]")
    .strict()
    .version(pkg.version)
    .alias("h", "help")
    .alias("v", "version")
    .epilogue("Exit codes: 0 ok, 1 findings or failed tests, 2 invalid input, 3 usage error.")
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error) {
        // A bug in detc, not bad input: say so plainly, without a stack trace.
        process.stderr.write(`detc: internal error: ${error.message}\n`);
        process.exit(ExitCode.internal);
      }
      process.stderr.write(`detc: ${message}\nRun 'detc --help' for usage.\n`);
      process.exit(ExitCode.usage);
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch((error: unknown) => {
  process.stderr.write(
    `detc: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = ExitCode.internal;
});
