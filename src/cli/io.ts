// What every command shares: colour choice, diagnostics on stderr, exit codes.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderPretty } from "../diagnostics/render.js";

/** 70 (EX_SOFTWARE) is a bug in detc, never the user's input. */
export const ExitCode = { ok: 0, findings: 1, invalidInput: 2, usage: 3, internal: 70 } as const;

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream): boolean {
  const noColor = process.env.NO_COLOR;
  return !!stream.isTTY && (noColor === undefined || noColor === "");
}

export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
): void {
  const color = useColor(process.stderr);
  if (diagnostics.length > 0)
    process.stderr.write(
      diagnostics
        .map((d) => renderPretty(d, sources.get(d.span.file), { color }) + "\n\n")
        .join(""),
    );
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  if (diagnostics.length > 0)
    process.stderr.write(
      `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`,
    );
}
