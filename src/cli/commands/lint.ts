import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { findBackend } from "../../backends/registry.js";
import type { Backend } from "../../backends/types.js";
import { lintProject } from "../../check/lint.js";
import { toSarif } from "../../check/sarif.js";
import { applySuppressions } from "../../check/suppress.js";
import { loadConfig, parseTargetList } from "../../config/config.js";
import { Codes, type Severity } from "../../diagnostics/codes.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { renderPretty } from "../../diagnostics/render.js";
import { loadProject } from "../../project/project.js";
import { ExitCode, useColor } from "../io.js";

type FailLevel = Severity | "never";

interface LintArgs {
  paths: string[] | undefined;
  format: "text" | "json" | "sarif";
  failLevel: FailLevel | undefined;
  fix: boolean;
  list: boolean;
  target: string[] | undefined;
  config: string | undefined;
}

const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function listCodes(): string {
  const rows = Object.values(Codes).sort((a, b) => (a.code < b.code ? -1 : 1));
  return (
    rows
      .map((c) => `${c.code}  ${c.severity.padEnd(7)}  ${c.name.padEnd(28)}  ${c.message}`)
      .join("\n") + "\n"
  );
}

/** Apply each file's fixes from the end backwards, so earlier offsets stay valid. */
function applyFixes(cwd: string, findings: Diagnostic[]): number {
  const byFile = new Map<string, Diagnostic[]>();
  for (const f of findings)
    if (f.fix) byFile.set(f.span.file, [...(byFile.get(f.span.file) ?? []), f]);
  let applied = 0;
  for (const [file, list] of byFile) {
    const absolute = path.resolve(cwd, file);
    let text = readFileSync(absolute, "utf8");
    let lastStart = Infinity;
    for (const f of list.sort((a, b) => b.fix!.span.offset - a.fix!.span.offset)) {
      const { span, replacement } = f.fix!;
      if (span.end > lastStart) continue; // overlapping fixes: the next run applies the rest
      text = text.slice(0, span.offset) + replacement + text.slice(span.end);
      lastStart = span.offset;
      applied++;
    }
    const temp = `${absolute}.tmp-${process.pid}`;
    writeFileSync(temp, text);
    renameSync(temp, absolute);
  }
  return applied;
}

export function lintCommand(version: string): CommandModule<object, LintArgs> {
  return {
    command: "lint [paths..]",
    describe:
      "Check rules for mistakes: schema, event names, contradictions, ATT&CK, tests, fidelity per target",
    builder: (yargs: Argv) =>
      yargs
        .positional("paths", {
          type: "string",
          array: true,
          describe: "rule files or folders (default: rules/)",
        })
        .option("format", {
          choices: ["text", "json", "sarif"] as const,
          default: "text" as const,
          describe: "output format (on stdout)",
        })
        .option("fail-level", {
          choices: ["error", "warning", "info", "never"] as const,
          describe: "exit 1 when a finding is at or above this severity (default: warning)",
        })
        .option("fix", {
          type: "boolean",
          default: false,
          describe: "apply the safe fixes (quote account ids, fix the case of field names)",
        })
        .option("list", {
          type: "boolean",
          default: false,
          describe: "list every finding code and exit",
        })
        .option("target", {
          alias: "t",
          type: "string",
          array: true,
          describe: "targets whose fidelity is checked (default: the config's)",
        })
        .option("config", { type: "string", describe: "config file" }) as unknown as Argv<LintArgs>,
    handler: (argv: ArgumentsCamelCase<LintArgs>) => {
      if (argv.list) {
        process.stdout.write(listCodes());
        return;
      }
      const cwd = process.cwd();
      const overrides: { targets?: string[]; config?: string } = {};
      if (argv.target) overrides.targets = argv.target.flatMap(parseTargetList);
      if (argv.config) overrides.config = argv.config;
      const config = loadConfig(cwd, overrides);
      const targets = config.value.targets
        .map((t) => findBackend(t))
        .filter((b): b is Backend => b !== undefined);
      const project = loadProject(
        argv.paths && argv.paths.length > 0 ? argv.paths : [config.value.rules],
        { cwd },
      );
      const loadErrors = hasErrors(project.diagnostics) || hasErrors(config.diagnostics);
      const raw = [
        ...config.diagnostics,
        ...project.diagnostics,
        ...lintProject(project, {
          targets,
          listValues: config.value.lists,
          targetOptions: config.value.targetOptions,
        }),
      ];
      const policy = {
        ignore: new Set(config.value.lint.ignore),
        severity: new Map(Object.entries(config.value.lint.severity)),
      };
      let findings = sortDiagnostics(applySuppressions(raw, project.sources, policy));
      if (argv.fix) {
        const applied = applyFixes(
          cwd,
          findings.filter((f) => f.fix),
        );
        process.stderr.write(`detc: applied ${applied} fix${applied === 1 ? "" : "es"}\n`);
        if (applied > 0) findings = findings.filter((f) => !f.fix);
      }
      if (argv.format === "sarif") {
        process.stdout.write(JSON.stringify(toSarif(findings, version), null, 2) + "\n");
      } else if (argv.format === "json") {
        const out = findings.map((d) => ({
          code: d.code,
          name: d.name,
          severity: d.severity,
          message: d.message,
          file: d.span.file,
          line: d.span.line,
          column: d.span.column,
          endLine: d.span.endLine,
          endColumn: d.span.endColumn,
          ...(d.note ? { note: d.note } : {}),
          fixable: d.fix !== undefined,
        }));
        process.stdout.write(JSON.stringify(out, null, 2) + "\n");
      } else {
        const color = useColor(process.stdout);
        const text = findings
          .map((d) => renderPretty(d, project.sources.get(d.span.file), { color }))
          .join("\n\n");
        if (text) process.stdout.write(text + "\n\n");
        const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
        process.stdout.write(
          `${count("error")} errors, ${count("warning")} warnings, ${count("info")} infos in ${project.rules.length} rules\n`,
        );
      }
      const failLevel: FailLevel = argv.failLevel ?? config.value.lint.failLevel ?? "warning";
      const failing =
        failLevel !== "never" && findings.some((f) => rank[f.severity] >= rank[failLevel]);
      process.exitCode = loadErrors
        ? ExitCode.invalidInput
        : failing
          ? ExitCode.findings
          : ExitCode.ok;
    },
  };
}
