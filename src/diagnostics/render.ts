import type { Diagnostic } from "./diagnostic.js";

/** `file:line:col: error DETC1002: message` — one line, for CI logs and tests. */
export function renderCompact(d: Diagnostic): string {
  return `${d.span.file}:${d.span.line}:${d.span.column}: ${d.severity} ${d.code}: ${d.message}`;
}

export interface PrettyOptions {
  color: boolean;
}

const paint = (on: boolean, code: string, text: string) =>
  on ? `\u001b[${code}m${text}\u001b[0m` : text;

/** esbuild/TypeScript style: header, the source line with a gutter, `^~~~` under the span, a note. */
export function renderPretty(
  d: Diagnostic,
  source: string | undefined,
  options: PrettyOptions,
): string {
  const colour = d.severity === "error" ? "31" : d.severity === "warning" ? "33" : "36";
  const header = `${paint(options.color, "1", `${d.span.file}:${d.span.line}:${d.span.column}:`)} ${paint(options.color, `1;${colour}`, `${d.severity} ${d.code}`)}: ${d.message}`;
  const lines = [header];
  if (source !== undefined) {
    const sourceLines = source.split(/\r\n|\r|\n/);
    const text = (sourceLines[d.span.line - 1] ?? "").replace(/\t/g, " ");
    const gutter = String(d.span.line);
    const width =
      d.span.endLine === d.span.line
        ? Math.max(1, d.span.endColumn - d.span.column)
        : Math.max(1, text.length - d.span.column + 1);
    const marker =
      "^" +
      "~".repeat(Math.max(0, Math.min(width, Math.max(1, text.length - d.span.column + 1)) - 1));
    lines.push(`  ${gutter} | ${text}`);
    lines.push(
      `  ${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, d.span.column - 1))}${paint(options.color, colour, marker)}`,
    );
  }
  if (d.note) lines.push(`  ${" ".repeat(String(d.span.line).length)} = note: ${d.note}`);
  return lines.join("\n");
}
