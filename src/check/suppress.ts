// Suppressing lint findings: in the rule file with a comment that says why, or in detc.config.yaml.
//   # detc-ignore unknown-event-name -- a service launched after the API models were taken
// on its own line covers the next line; at the end of a line it covers that line.
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { LineIndex } from "../diagnostics/span.js";
import type { Severity } from "../diagnostics/codes.js";
import { detcLexer } from "../syntax/tokens.js";

export interface Suppression {
  /** Codes or names, as written. */
  ids: string[];
  reason: string | undefined;
  /** The line whose findings it covers. */
  line: number;
  file: string;
  comment: Diagnostic["span"];
  used: boolean;
}

const directive = /^#\s*detc-ignore\s+([A-Za-z0-9_,\s-]+?)\s*(?:--\s*(.*))?$/;

export function findSuppressions(file: string, text: string): Suppression[] {
  const lines = new LineIndex(file, text);
  const comments = detcLexer.tokenize(text).groups.comments ?? [];
  const out: Suppression[] = [];
  for (const token of comments) {
    const match = directive.exec(token.image.trim());
    if (!match) continue;
    const span = lines.span(token.startOffset, token.startOffset + token.image.length);
    const lineStart = text.lastIndexOf("\n", token.startOffset - 1) + 1;
    const ownLine = text.slice(lineStart, token.startOffset).trim() === "";
    let line = span.line;
    if (ownLine) {
      // the next line that is not blank and not a comment
      const rest = text
        .slice(token.startOffset + token.image.length)
        .split(/\r\n|\r|\n/)
        .slice(1);
      const offset = rest.findIndex((l) => l.trim() !== "" && !l.trim().startsWith("#"));
      line = offset === -1 ? span.line : span.line + 1 + offset;
    }
    const reason = match[2]?.trim();
    out.push({
      ids: match[1]!.split(/[\s,]+/).filter(Boolean),
      reason: reason || undefined,
      line,
      file,
      comment: span,
      used: false,
    });
  }
  return out;
}

export interface LintPolicy {
  /** Codes or names never reported. */
  ignore: ReadonlySet<string>;
  /** Severity per code or name; "off" drops the finding. */
  severity: ReadonlyMap<string, Severity | "off">;
}

const matches = (d: Diagnostic, id: string) => d.code === id || d.name === id;

/** Apply config policy and inline suppressions; report suppressions without reason or use. */
export function applySuppressions(
  findings: Diagnostic[],
  sources: ReadonlyMap<string, string>,
  policy: LintPolicy,
): Diagnostic[] {
  const byFile = new Map<string, Suppression[]>();
  const suppressionsOf = (file: string) => {
    let list = byFile.get(file);
    if (!list) {
      const text = sources.get(file);
      list = text === undefined ? [] : findSuppressions(file, text);
      byFile.set(file, list);
    }
    return list;
  };
  const kept: Diagnostic[] = [];
  for (const finding of findings) {
    if ([...policy.ignore].some((id) => matches(finding, id))) continue;
    const override = [...policy.severity].find(([id]) => matches(finding, id))?.[1];
    if (override === "off") continue;
    // Errors that stop compilation cannot be suppressed: the rule would not compile anyway.
    const suppressible = finding.severity !== "error" || /^DETC[56]/.test(finding.code);
    const suppression = suppressible
      ? suppressionsOf(finding.span.file).find(
          (s) => s.line === finding.span.line && s.ids.some((id) => matches(finding, id)),
        )
      : undefined;
    if (suppression) {
      suppression.used = true;
      continue;
    }
    kept.push(override ? { ...finding, severity: override } : finding);
  }
  for (const file of sources.keys()) if (file.endsWith(".det")) suppressionsOf(file);
  for (const list of byFile.values()) {
    for (const s of list) {
      if (!s.reason) kept.push(diag("suppression-without-reason", s.comment, [s.ids.join(", ")]));
      if (!s.used) kept.push(diag("unused-suppression", s.comment, [s.ids.join(", ")]));
    }
  }
  return kept;
}
