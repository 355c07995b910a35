// Coverage of a rule pack: which ATT&CK techniques its rules detect (per tactic), which AWS Threat
// Technique Catalog (TTC) techniques they cover, and how faithfully every target compiles them.
// Pure: the command (src/cli/commands/coverage.ts) loads, compiles and writes.
import {
  attackVersion,
  tactic as tacticById,
  techniqueFullName,
  type Tactic,
} from "../attack/attack.js";
import type { Backend, Fidelity } from "../backends/types.js";
import type { CompileOutput } from "../compile/compile.js";
import type { Project } from "../project/project.js";
import catalogData from "./aws-ttc-techniques.json" with { type: "json" };

/** The tag that says a rule covers a TTC technique: `"AWS TTC:T1485.A002"`. */
export const TTC_TAG_PREFIX = "AWS TTC:";
/** The tag of rules that only see CloudTrail data events (the trail must record them). */
export const DATA_EVENTS_TAG = "CloudTrail data events";

export interface CatalogTechnique {
  id: string;
  name: string;
  tactic: string;
  cloudTrailEventNames: string[];
  eventNamesSource: string;
  requiresDataEvents: boolean;
  url: string;
}

export const catalog: {
  source: { catalog: string };
  awsSpecific: CatalogTechnique[];
  attackWithAwsContent: CatalogTechnique[];
} = catalogData;

export interface RuleSummary {
  id: string;
  title: string;
  file: string;
  enabled: boolean;
  attack: { tactic: string; technique: string }[];
  ttc: string[];
  dataEvents: boolean;
}

export interface TechniqueCoverage {
  techniqueId: string;
  /** "Impair Defenses: Disable or Modify Cloud Logs" */
  name: string;
  /** Rule ids, sorted. */
  rules: string[];
}

export interface TacticCoverage {
  tactic: Tactic;
  techniques: TechniqueCoverage[];
}

export interface CatalogCoverage {
  technique: CatalogTechnique;
  rules: string[];
  /** Some covering rule needs CloudTrail data events (or the catalog says the technique does). */
  dataEvents: boolean;
}

export type FidelityCounts = Record<Fidelity, number>;

export interface CoverageReport {
  attackVersion: string;
  rules: RuleSummary[];
  tactics: TacticCoverage[];
  /** Pairs naming a tactic or technique detc's ATT&CK data does not know (should be none: lint them). */
  unknownPairs: { rule: string; pair: string }[];
  awsSpecific: CatalogCoverage[];
  attackWithAwsContent: CatalogCoverage[];
  /** Tags naming a TTC id that is not in the catalog. */
  unknownTtcTags: { rule: string; id: string }[];
  targets: string[];
  fidelity: Record<string, FidelityCounts>;
}

const byId =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

function techniqueOrder(id: string): string {
  return id.replace(/\d+/g, (n) => n.padStart(5, "0"));
}

export function summarizeRules(project: Project): RuleSummary[] {
  return project.rules
    .map((r) => ({
      id: r.decl.id,
      title: r.decl.meta.title ?? r.decl.id,
      file: r.file.path,
      enabled: r.decl.meta.enabled,
      attack: r.decl.meta.attack.map((p) => ({ tactic: p.tactic, technique: p.technique })),
      ttc: r.decl.meta.tags
        .filter((t) => t.startsWith(TTC_TAG_PREFIX))
        .map((t) => t.slice(TTC_TAG_PREFIX.length).trim()),
      dataEvents: r.decl.meta.tags.includes(DATA_EVENTS_TAG),
    }))
    .sort(byId((r) => r.id));
}

export function computeCoverage(
  project: Project,
  output: CompileOutput,
  targets: readonly Backend[],
): CoverageReport {
  const rules = summarizeRules(project);
  // A disabled rule detects nothing once deployed: coverage counts enabled rules only.
  const counted = rules.filter((r) => r.enabled);
  const tacticMap = new Map<string, Map<string, Set<string>>>();
  const unknownPairs: { rule: string; pair: string }[] = [];
  for (const rule of counted) {
    for (const pair of rule.attack) {
      if (!tacticById(pair.tactic) || !techniqueFullName(pair.technique)) {
        unknownPairs.push({ rule: rule.id, pair: `${pair.tactic}:${pair.technique}` });
        continue;
      }
      const techniques = tacticMap.get(pair.tactic) ?? new Map<string, Set<string>>();
      tacticMap.set(pair.tactic, techniques);
      const ids = techniques.get(pair.technique) ?? new Set<string>();
      techniques.set(pair.technique, ids);
      ids.add(rule.id);
    }
  }
  const tactics: TacticCoverage[] = [...tacticMap]
    .map(([id, techniques]) => ({
      tactic: tacticById(id)!,
      techniques: [...techniques]
        .map(([techniqueId, ids]) => ({
          techniqueId,
          name: techniqueFullName(techniqueId)!,
          rules: [...ids].sort(),
        }))
        .sort(byId((t) => techniqueOrder(t.techniqueId))),
    }))
    .sort(byId((t) => t.tactic.id));

  const ttcRules = new Map<string, RuleSummary[]>();
  for (const rule of counted)
    for (const id of rule.ttc) ttcRules.set(id, [...(ttcRules.get(id) ?? []), rule]);
  const known = new Set(catalog.awsSpecific.map((t) => t.id));
  const unknownTtcTags = rules.flatMap((r) =>
    r.ttc.filter((id) => !known.has(id)).map((id) => ({ rule: r.id, id })),
  );
  const awsSpecific = catalog.awsSpecific.map((technique) => {
    const covering = ttcRules.get(technique.id) ?? [];
    return {
      technique,
      rules: covering.map((r) => r.id),
      dataEvents: technique.requiresDataEvents || covering.some((r) => r.dataEvents),
    };
  });
  // The catalog's pages on ATT&CK techniques (T1531, T1562.008…): covered by rules with that ATT&CK technique.
  const byTechnique = new Map<string, Set<string>>();
  for (const t of tactics)
    for (const tech of t.techniques)
      for (const r of tech.rules)
        byTechnique.set(tech.techniqueId, (byTechnique.get(tech.techniqueId) ?? new Set()).add(r));
  const attackWithAwsContent = catalog.attackWithAwsContent.map((technique) => ({
    technique,
    rules: [...(byTechnique.get(technique.id) ?? [])].sort(),
    dataEvents: technique.requiresDataEvents,
  }));

  const fidelity: Record<string, FidelityCounts> = {};
  for (const b of targets) fidelity[b.name] = { exact: 0, broader: 0, narrower: 0, unsupported: 0 };
  for (const rule of output.rules)
    for (const [name, t] of rule.targets) if (fidelity[name]) fidelity[name][t.fidelity]++;

  return {
    attackVersion,
    rules,
    tactics,
    unknownPairs,
    awsSpecific,
    attackWithAwsContent,
    unknownTtcTags,
    targets: targets.map((b) => b.name),
    fidelity,
  };
}

// ---- ATT&CK Navigator layer (layer format 4.5) ------------------------------------------------

export const NAVIGATOR_VERSION = "5.2.0";
export const LAYER_FORMAT_VERSION = "4.5";

export function navigatorLayer(
  report: CoverageReport,
  name = "detc rule pack",
): Record<string, unknown> {
  const techniques = report.tactics.flatMap((t) =>
    t.techniques.map((tech) => ({
      techniqueID: tech.techniqueId,
      tactic: t.tactic.shortname,
      score: tech.rules.length,
      comment: `${tech.rules.length} rule${tech.rules.length === 1 ? "" : "s"}: ${tech.rules.join(", ")}`,
      enabled: true,
      metadata: tech.rules.map((r) => ({ name: "rule", value: r })),
      showSubtechniques: false,
    })),
  );
  const maxScore = Math.max(1, ...techniques.map((t) => t.score));
  const covered = report.awsSpecific.filter((c) => c.rules.length > 0).length;
  return {
    name,
    versions: {
      attack: report.attackVersion.split(".")[0],
      navigator: NAVIGATOR_VERSION,
      layer: LAYER_FORMAT_VERSION,
    },
    domain: "enterprise-attack",
    description: `ATT&CK techniques detected by the ${report.rules.filter((r) => r.enabled).length} enabled detc rules (score = number of rules). AWS Threat Technique Catalog: ${covered} of ${report.awsSpecific.length} AWS-specific techniques covered.`,
    filters: { platforms: ["IaaS"] },
    sorting: 3,
    layout: {
      layout: "side",
      showID: true,
      showName: true,
      showAggregateScores: false,
      countUnscored: false,
      aggregateFunction: "average",
      expandedSubtechniques: "annotated",
    },
    hideDisabled: false,
    techniques,
    gradient: { colors: ["#d9f0d3", "#1b7837"], minValue: 0, maxValue: maxScore },
    legendItems: [{ label: "covered by at least one detc rule", color: "#1b7837" }],
    showTacticRowBackground: false,
    tacticRowBackground: "#dddddd",
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
    metadata: [
      { name: "generator", value: "detc coverage" },
      { name: "ATT&CK data", value: `Enterprise v${report.attackVersion}` },
    ],
  };
}

// ---- Markdown report ----------------------------------------------------------------------------

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdownReport(report: CoverageReport): string {
  const out: string[] = [];
  const enabled = report.rules.filter((r) => r.enabled).length;
  const coveredTtc = report.awsSpecific.filter((c) => c.rules.length > 0);
  const techniqueCount = new Set(
    report.tactics.flatMap((t) => t.techniques.map((x) => x.techniqueId)),
  ).size;
  out.push("# Detection coverage", "");
  out.push(
    `Generated by \`detc coverage\` from ${report.rules.length} rules. ATT&CK Enterprise v${report.attackVersion}.`,
    "",
  );
  const disabled = report.rules.filter((r) => !r.enabled);
  if (disabled.length > 0)
    out.push(
      `Only the ${enabled} enabled rules count as coverage; disabled: ${disabled.map((r) => `\`${r.id}\``).join(", ")}.`,
      "",
    );
  out.push("| | |", "| --- | --- |");
  out.push(
    `| ATT&CK techniques covered | ${techniqueCount} (in ${report.tactics.length} tactics) |`,
  );
  out.push(
    `| AWS TTC techniques covered | ${coveredTtc.length} of ${report.awsSpecific.length} AWS-specific |`,
  );
  out.push(
    `| rules needing CloudTrail data events | ${report.rules.filter((r) => r.dataEvents).length} |`,
    "",
  );

  out.push("## Techniques covered per tactic", "");
  for (const t of report.tactics) {
    out.push(`### ${t.tactic.name} (${t.tactic.id})`, "");
    out.push("| Technique | Rules |", "| --- | --- |");
    for (const tech of t.techniques)
      out.push(
        `| ${tech.techniqueId} ${cell(tech.name)} | ${tech.rules.map((r) => `\`${r}\``).join(", ")} |`,
      );
    out.push("");
  }
  if (report.unknownPairs.length > 0) {
    out.push("Pairs not found in the ATT&CK data:", "");
    for (const u of report.unknownPairs) out.push(`- \`${u.rule}\`: ${u.pair}`);
    out.push("");
  }

  out.push("## AWS Threat Technique Catalog", "");
  out.push(
    `Covered: a rule carries the tag \`${TTC_TAG_PREFIX}<id>\`. "data events" marks techniques only CloudTrail data events show (the trail must record them).`,
    "",
  );
  out.push("| Technique | Tactic | Rules | Notes |", "| --- | --- | --- | --- |");
  for (const c of report.awsSpecific) {
    const notes = [
      c.dataEvents ? "data events" : "",
      c.technique.cloudTrailEventNames.length === 0 ? "catalog names no event" : "",
    ]
      .filter(Boolean)
      .join("; ");
    out.push(
      `| [${c.technique.id}](${c.technique.url}) ${cell(c.technique.name)} | ${cell(c.technique.tactic)} | ${c.rules.length ? c.rules.map((r) => `\`${r}\``).join(", ") : "**not covered**"} | ${notes} |`,
    );
  }
  out.push("");
  const uncovered = report.awsSpecific.filter((c) => c.rules.length === 0);
  out.push("### Catalog techniques not yet covered", "");
  if (uncovered.length === 0)
    out.push("None: every AWS-specific technique of the catalog has at least one rule.");
  else
    for (const c of uncovered)
      out.push(
        `- ${c.technique.id} ${c.technique.name}${c.technique.cloudTrailEventNames.length ? ` (events: ${c.technique.cloudTrailEventNames.join(", ")})` : ""}`,
      );
  out.push("");
  if (report.unknownTtcTags.length > 0) {
    out.push("Tags naming a technique the catalog copy does not list:", "");
    for (const u of report.unknownTtcTags) out.push(`- \`${u.rule}\`: ${u.id}`);
    out.push("");
  }
  out.push("### ATT&CK techniques with AWS content in the catalog", "");
  out.push("| Technique | Rules |", "| --- | --- |");
  for (const c of report.attackWithAwsContent)
    out.push(
      `| [${c.technique.id}](${c.technique.url}) ${cell(c.technique.name)} | ${c.rules.length ? c.rules.map((r) => `\`${r}\``).join(", ") : "**not covered**"} |`,
    );
  out.push("");

  out.push("## Fidelity per target", "");
  out.push(
    "How each implemented target (src/backends/registry.ts) compiles the rules: `exact`, approximated (`broader` may over-alert, `narrower` may miss) or `unsupported` (no file written).",
    "",
  );
  out.push(
    "| Target | exact | approximated (broader / narrower) | unsupported |",
    "| --- | --- | --- | --- |",
  );
  for (const name of report.targets) {
    const f = report.fidelity[name]!;
    out.push(
      `| ${name} | ${f.exact} | ${f.broader + f.narrower} (${f.broader} / ${f.narrower}) | ${f.unsupported} |`,
    );
  }
  out.push("");
  return out.join("\n");
}
