import { Codes, type CodeName, type Severity } from "./codes.js";
import type { Span } from "./span.js";

export interface Diagnostic {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Extra help printed under the caret, e.g. a suggestion. */
  note?: string;
  /** A safe, mechanical fix (`detc lint --fix` applies it): replace the text at `span`. */
  fix?: { span: Span; replacement: string };
}

/** A value and every problem met while computing it: no stage throws on bad input. */
export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export function diag(
  name: CodeName,
  span: Span,
  args: readonly (string | number)[] = [],
  note?: string,
): Diagnostic {
  const entry = Codes[name];
  const message = entry.message.replace(/\{(\d+)\}/g, (_, i: string) =>
    String(args[Number(i)] ?? ""),
  );
  const d: Diagnostic = {
    code: entry.code,
    name: entry.name,
    severity: entry.severity,
    message,
    span,
  };
  if (note !== undefined) d.note = note;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      a.span.file.localeCompare(b.span.file) ||
      a.span.offset - b.span.offset ||
      a.code.localeCompare(b.code),
  );
}
