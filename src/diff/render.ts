// The three renderings of a diff report: text for a terminal or log, JSON for tools, Markdown for
// a sticky pull-request comment (summary table, fidelity changes, one collapsible section per rule).
import type { DiffReport, RuleChange, TargetChange } from "./compare.js";

/** GitHub rejects comments over 65,536 characters; leave room for the truncation note. */
export const MARKDOWN_LIMIT = 60_000;
/** The marker that identifies detc's sticky comment. */
export const MARKDOWN_MARKER = "<!-- detc diff -->";

const shortCommit = (c: string | undefined) => (c ? c.slice(0, 12) : "");
const side = (s: { ref: string; commit: string | undefined }) =>
  s.commit ? `${s.ref} (${shortCommit(s.commit)})` : s.ref;

function ruleAspects(rule: RuleChange): string[] {
  const aspects: string[] = [];
  if (rule.status === "changed" && rule.source.base !== rule.source.head) aspects.push("moved");
  if (rule.metadata.length > 0)
    aspects.push(`metadata (${rule.metadata.map((m) => m.key).join(", ")})`);
  if (rule.condition) aspects.push("condition");
  const t = rule.tests;
  if (t.added.length + t.removed.length + t.changed.length > 0) aspects.push("tests");
  const targets = rule.targets.filter((x) => x.status !== "unchanged").map((x) => x.target);
  if (targets.length > 0) aspects.push(`output: ${targets.join(", ")}`);
  return aspects;
}

function fidelityChanges(
  report: DiffReport,
): { rule: string; target: string; base: string; head: string; notes: string[] }[] {
  const out = [];
  for (const rule of report.rules) {
    for (const t of rule.targets) {
      if (t.fidelity.base === t.fidelity.head && t.notes.added.length === 0) continue;
      if (t.fidelity.base === undefined && t.fidelity.head === "exact") continue;
      if (t.fidelity.head === undefined) continue;
      out.push({
        rule: rule.id,
        target: t.target,
        base: t.fidelity.base ?? "new",
        head: t.fidelity.head,
        notes: t.notes.added,
      });
    }
  }
  return out;
}

export function renderJson(report: DiffReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

// ---- text -----------------------------------------------------------------------------------------
export function renderText(report: DiffReport): string {
  const lines: string[] = [`detc diff ${side(report.base)} → ${side(report.head)}`];
  const s = report.summary.rules;
  lines.push(
    `rules: ${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.unchanged} unchanged`,
  );
  for (const [target, c] of Object.entries(report.summary.targets))
    lines.push(
      `  ${target.padEnd(11)} ${c.added} added, ${c.changed} changed, ${c.removed} removed`,
    );
  for (const f of fidelityChanges(report))
    lines.push(
      `fidelity: ${f.rule} on ${f.target}: ${f.base} → ${f.head}${f.notes.length ? ` (${f.notes.join("; ")})` : ""}`,
    );
  for (const rule of report.rules) {
    if (rule.status === "unchanged") continue;
    lines.push(
      "",
      `${rule.status} ${rule.id} (${rule.source.head ?? rule.source.base})${rule.status === "changed" ? ": " + ruleAspects(rule).join("; ") : ""}`,
    );
    if (rule.status === "changed" && rule.source.base !== rule.source.head)
      lines.push(`  moved: ${rule.source.base} → ${rule.source.head}`);
    if (rule.status === "changed")
      for (const m of rule.metadata)
        lines.push(`  ${m.key}: ${m.base ?? "(none)"} → ${m.head ?? "(none)"}`);
    if (rule.condition && rule.status === "changed")
      lines.push("  condition:", ...indentBlock(rule.condition.diff, "    "));
    const t = rule.tests;
    if (rule.status === "changed" && t.added.length)
      lines.push(`  tests added: ${t.added.map((n) => JSON.stringify(n)).join(", ")}`);
    if (t.removed.length)
      lines.push(`  tests removed: ${t.removed.map((n) => JSON.stringify(n)).join(", ")}`);
    if (t.changed.length)
      lines.push(`  tests changed: ${t.changed.map((n) => JSON.stringify(n)).join(", ")}`);
    for (const target of rule.targets) {
      if (target.status === "unchanged") continue;
      lines.push(`  ${target.target}: ${target.status}${fidelityNote(target)}`);
      if (rule.status === "changed")
        for (const f of target.files) lines.push(...indentBlock(f.diff, "    "));
      else for (const f of target.files) lines.push(`    ${f.status} ${f.path}`);
    }
  }
  return lines.join("\n") + "\n";
}

const indentBlock = (text: string, prefix: string) =>
  text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => prefix + l);

function fidelityNote(t: TargetChange): string {
  if (
    t.fidelity.base === undefined ||
    t.fidelity.head === undefined ||
    t.fidelity.base === t.fidelity.head
  )
    return t.fidelity.head && t.fidelity.head !== "exact" ? ` (${t.fidelity.head})` : "";
  return ` (fidelity ${t.fidelity.base ?? "none"} → ${t.fidelity.head ?? "none"})`;
}

// ---- markdown -------------------------------------------------------------------------------------
const code = (s: string) => "`" + s.replace(/`/g, "'") + "`";
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
/** A fenced block that no line of the content can close. */
function fence(content: string, lang: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${lang}\n${content.replace(/\n$/, "")}\n${ticks}`;
}

function ruleDetails(rule: RuleChange): string {
  const parts: string[] = [];
  const where = rule.source.head ?? rule.source.base ?? "";
  const summary = rule.status === "changed" ? ruleAspects(rule).join("; ") : rule.status;
  parts.push(
    `<details><summary><b>${escapeHtml(rule.id)}</b> — ${escapeHtml(summary)} <code>${escapeHtml(where)}</code></summary>`,
    "",
  );
  if (rule.status === "changed" && rule.source.base !== rule.source.head)
    parts.push(`Moved: ${code(rule.source.base ?? "")} → ${code(rule.source.head ?? "")}`, "");
  if (rule.status === "changed" && rule.metadata.length > 0) {
    parts.push("| metadata | before | after |", "|---|---|---|");
    for (const m of rule.metadata)
      parts.push(
        `| ${m.key} | ${m.base === undefined ? "" : code(cell(m.base))} | ${m.head === undefined ? "" : code(cell(m.head))} |`,
      );
    parts.push("");
  }
  if (rule.condition) {
    parts.push("**Condition**", "");
    if (rule.status === "changed") parts.push(fence(rule.condition.diff, "diff"), "");
    else parts.push(fence(rule.condition.head ?? rule.condition.base ?? "", "text"), "");
  }
  const t = rule.tests;
  const testLines = [
    ...t.added.map((n) => `- added: ${code(n)}`),
    ...t.removed.map((n) => `- removed: ${code(n)}`),
    ...t.changed.map((n) => `- changed: ${code(n)}`),
  ];
  if (testLines.length > 0 && rule.status === "changed")
    parts.push("**Tests**", "", ...testLines, "");
  for (const target of rule.targets) {
    if (target.status === "unchanged") continue;
    parts.push(`**${target.target}**: ${target.status}${fidelityNote(target)}`, "");
    for (const n of target.notes.added) parts.push(`- ⚠️ ${escapeHtml(n)}`);
    if (target.notes.added.length) parts.push("");
    if (rule.status === "changed")
      for (const f of target.files)
        parts.push(`${code(f.path)} (${f.status})`, "", fence(f.diff, "diff"), "");
    else for (const f of target.files) parts.push(`- ${f.status} ${code(f.path)}`);
    if (rule.status !== "changed" && target.files.length) parts.push("");
  }
  parts.push("</details>");
  return parts.join("\n");
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function renderMarkdown(report: DiffReport, limit = MARKDOWN_LIMIT): string {
  const head: string[] = [
    MARKDOWN_MARKER,
    `### detc: rule changes`,
    "",
    `Base ${code(side(report.base))} → head ${code(side(report.head))}.`,
    "",
  ];
  const s = report.summary.rules;
  const changedRules = report.rules.filter((r) => r.status !== "unchanged");
  if (changedRules.length === 0) {
    head.push(`No rule changes (${s.unchanged} rule${s.unchanged === 1 ? "" : "s"} compared).`);
    return head.join("\n") + "\n";
  }
  head.push(
    `Rules: **${s.added}** added, **${s.changed}** changed, **${s.removed}** removed, ${s.unchanged} unchanged.`,
    "",
  );
  head.push("| target | added | changed | removed |", "|---|---:|---:|---:|");
  for (const [target, c] of Object.entries(report.summary.targets))
    head.push(`| ${target} | ${c.added} | ${c.changed} | ${c.removed} |`);
  head.push("");
  const fidelity = fidelityChanges(report);
  if (fidelity.length > 0) {
    head.push("**Fidelity changes**", "");
    for (const f of fidelity)
      head.push(
        `- ⚠️ ${code(f.rule)} on **${f.target}**: ${f.base} → **${f.head}**${f.notes.length ? ` — ${escapeHtml(f.notes.join("; "))}` : ""}`,
      );
    head.push("");
  }
  let out = head.join("\n");
  const sections = changedRules.map(ruleDetails);
  for (let i = 0; i < sections.length; i++) {
    const next = "\n" + sections[i] + "\n";
    if (out.length + next.length > limit) {
      const rest = changedRules
        .slice(i)
        .map((r) => code(r.id))
        .join(", ");
      out += `\n_…${sections.length - i} more rule${sections.length - i === 1 ? "" : "s"} not shown (comment size limit): ${rest.length > 2000 ? rest.slice(0, 2000) + "…" : rest}. Run \`detc diff\` locally for the full diff._\n`;
      break;
    }
    out += next;
  }
  return out;
}
