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

const messageParts = new Map<CodeName, string[]>();

export function diag(
  name: CodeName,
  span: Span,
  args: readonly (string | number)[] = [],
  note?: string,
): Diagnostic {
  const entry = Codes[name];
  // Split once per code: text at even indexes, argument numbers at odd ones.
  let parts = messageParts.get(name);
  if (!parts) messageParts.set(name, (parts = entry.message.split(/\{(\d+)\}/)));
  let message = parts[0]!;
  for (let i = 1; i < parts.length; i += 2)
    message += String(args[Number(parts[i])] ?? "") + parts[i + 1]!;
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
