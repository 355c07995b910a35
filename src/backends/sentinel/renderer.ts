// The analytics rule's template context: the KQL query (condition from query.ts, then the output
// columns), entity mappings, custom details and the metadata, every value escaped for its place.
import { tactic, tacticPascalName } from "../../attack/attack.js";
import { stableUuid } from "../../compile/ids.js";
import { printPath } from "../../ir/print.js";
import type { IrRule } from "../../ir/types.js";
import type { LoadedRule } from "../../project/project.js";
import type { FieldPath, PathSegment } from "../../syntax/ast.js";
import type { BackendContext, FidelityNote } from "../types.js";
import { kqlMember, kqlReservedMemberNames, kqlString, yamlString } from "./escape.js";
import { columns, resolvePath, severities, statusFor, tableName, type Column } from "./mapping.js";
import { conditionParts, jsonName, QueryBuilder, topLevel, type ListsAs } from "./query.js";

// ---------------------------------------------------------------------------------------------
// Options (the `sentinel:` section of detc.config.yaml)

export interface SentinelOptions {
  queryFrequency: string;
  queryPeriod: string;
  listsAs: ListsAs;
}

export const defaultOptions: SentinelOptions = {
  queryFrequency: "1h",
  queryPeriod: "1h",
  listsAs: "watchlist",
};

/** Minutes in a Sentinel duration such as 5m, 1h, 14d; undefined when it is not one. */
export function durationMinutes(text: string): number | undefined {
  const m = /^([1-9]\d*)([mhd])$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as "m" | "h" | "d"];
}

/** The options, or the reasons they are invalid. */
export function readOptions(options: Readonly<Record<string, unknown>>): {
  value: SentinelOptions;
  errors: string[];
} {
  const errors: string[] = [];
  const value = { ...defaultOptions };
  for (const key of ["queryFrequency", "queryPeriod"] as const) {
    const given = options[key];
    if (given === undefined) continue;
    const minutes = typeof given === "string" ? durationMinutes(given) : undefined;
    if (minutes === undefined || minutes < 5 || minutes > 14 * 1440)
      errors.push(
        `sentinel option ${key} must be a duration from 5m to 14d such as 5m, 1h or 1d (got ${JSON.stringify(given)})`,
      );
    else value[key] = given as string;
  }
  if (durationMinutes(value.queryPeriod)! < durationMinutes(value.queryFrequency)!)
    errors.push(
      `sentinel option queryPeriod (${value.queryPeriod}) must be at least queryFrequency (${value.queryFrequency})`,
    );
  const listsAs = options["listsAs"];
  if (listsAs !== undefined) {
    if (listsAs === "watchlist" || listsAs === "inline") value.listsAs = listsAs;
    else
      errors.push(
        `sentinel option listsAs must be watchlist or inline (got ${JSON.stringify(listsAs)})`,
      );
  }
  for (const key of Object.keys(options))
    if (!["queryFrequency", "queryPeriod", "listsAs"].includes(key))
      errors.push(`unknown sentinel option ${key}`);
  return { value, errors };
}

// ---------------------------------------------------------------------------------------------
// Output columns

interface OutputColumn {
  /** The result column (and the customDetails key). */
  name: string;
  /** An `extend` computing it, when it is not a table column. */
  extend: string | undefined;
}

function pascal(segments: readonly PathSegment[]): string {
  return segments
    .map((s) =>
      String(s)
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join(""),
    )
    .join("");
}

/** CloudTrail's own order of the userIdentity members (the documentation's). */
const memberOrder = [
  "type",
  "principalId",
  "arn",
  "accountId",
  "accessKeyId",
  "userName",
  "invokedBy",
  "sessionContext",
  "attributes",
  "creationDate",
  "mfaAuthenticated",
  "sessionIssuer",
  "tlsVersion",
  "cipherSuite",
];

/** A nested bag_pack() rebuilding an object from the columns the connector flattened it into. */
function bagOf(prefixLength: number, members: readonly Column[]): string {
  const groups = new Map<string, Column[]>();
  for (const m of members) {
    const key = m.path![prefixLength]!;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const order = (key: string) =>
    memberOrder.includes(key) ? memberOrder.indexOf(key) : memberOrder.length;
  const sorted = [...groups].sort(
    ([a], [b]) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const parts = sorted.map(([key, cols]) => {
    const value =
      cols.length === 1 && cols[0]!.path!.length === prefixLength + 1
        ? cols[0]!.name
        : bagOf(prefixLength + 1, cols);
    return `${kqlString(key)}, ${value}`;
  });
  return `bag_pack(${parts.join(", ")})`;
}

function outputColumns(
  paths: readonly FieldPath[],
  builder: QueryBuilder,
): { outputs: OutputColumn[]; skipped: string[] } {
  const outputs: OutputColumn[] = [];
  const skipped: string[] = [];
  const taken = new Set(columns.map((c) => c.name));
  const seen = new Set<string>();
  const add = (name: string, extend: string | undefined) => {
    if (outputs.some((o) => o.name === name)) return;
    outputs.push({ name, extend });
  };
  const fresh = (segments: readonly PathSegment[]) => {
    let name = pascal(segments) || "Output";
    if (!/^[A-Za-z]/.test(name)) name = `Field${name}`;
    let candidate = name;
    for (let i = 2; taken.has(candidate) || kqlReservedMemberNames.has(candidate); i++)
      candidate = `${name}${i}`;
    taken.add(candidate);
    return candidate;
  };
  for (const path of paths) {
    const key = printPath(path);
    if (seen.has(key)) continue;
    seen.add(key);
    const resolved = resolvePath(path.segments);
    if (resolved.kind === "column" && resolved.column.kind !== "json")
      add(resolved.column.name, undefined);
    else if (resolved.kind === "column") {
      const json = builder.useJson(resolved.column);
      const expr =
        json + resolved.rest.map((s) => (typeof s === "number" ? `[${s}]` : kqlMember(s))).join("");
      const name =
        resolved.rest.length === 0 ? fresh([jsonName(resolved.column)]) : fresh(path.segments);
      add(name, `extend ${name} = tostring(${expr})`);
    } else if (resolved.kind === "object") {
      const name = fresh(path.segments);
      add(name, `extend ${name} = tostring(${bagOf(path.segments.length, resolved.members)})`);
      // The identity's ARN is what the Account entity maps.
      if (resolved.members.some((m) => m.name === "UserIdentityArn"))
        add("UserIdentityArn", undefined);
    } else skipped.push(key);
  }
  return { outputs, skipped };
}

/** At most `max` UTF-16 units, never cutting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (/[\ud800-\udbff]/.test(text[cut - 1] ?? "")) cut--;
  return `${text.slice(0, cut)}\u2026`;
}

/**
 * customDetails keys: at most 20 characters matching ^[a-zA-Z]+\w*$ (Sentinel's template validation).
 * The column's own name when it fits, else the trailing words of its name that fit, made unique.
 */
function customDetails(outputs: readonly OutputColumn[]): Array<{ key: string; column: string }> {
  const used = new Set<string>();
  return outputs.map((o) => {
    const words = o.name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[0-9]+/g) ?? [o.name];
    let base = o.name;
    if (base.length > 20) {
      base = "";
      for (let i = words.length - 1; i >= 0 && (words[i] + base).length <= 20; i--)
        base = words[i] + base;
      if (!/^[A-Za-z]/.test(base)) base = `F${base}`.slice(0, 20);
      if (base === "" || base === "F") base = o.name.slice(0, 20);
    }
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base.slice(0, 20 - String(n).length)}${n}`;
    used.add(key);
    return { key, column: o.name };
  });
}

// ---------------------------------------------------------------------------------------------
// The template context

export interface SentinelContext {
  header: string[];
  id: string;
  name: string;
  description: string;
  severity: string;
  status: string;
  queryFrequency: string;
  queryPeriod: string;
  tactics: string[];
  techniques: string[];
  query: string[];
  entities: Array<{ entityType: string; identifier: string; columnName: string }>;
  customDetails: Array<{ key: string; column: string }>;
}

export interface RenderedRule {
  context: SentinelContext;
  /** The KQL query alone (what the analyser checks). */
  query: string;
  notes: FidelityNote[];
}

/** The query text for a rule's condition and output fields. */
export function buildQuery(
  rule: LoadedRule,
  ir: IrRule,
  ctx: BackendContext,
  options: SentinelOptions,
): { query: string; notes: FidelityNote[]; outputs: OutputColumn[]; skipped: string[] } {
  const builder = new QueryBuilder({ listsAs: options.listsAs, listValues: ctx.listValues });
  const parts = conditionParts(ir.condition, builder);
  const { outputs, skipped } = outputColumns([...rule.decl.meta.output], builder);
  const lines: string[] = [...[...builder.lets.values()].sort(), tableName];
  // One conjunct a line; a conjunct with a top-level `or` is parenthesised when others follow.
  const where = (conjuncts: string[]) =>
    `| where ${conjuncts.map((c) => (conjuncts.length > 1 && topLevel(c, " or ") ? `(${c})` : c)).join("\n    and ")}`;
  if (parts.prefilter.length) lines.push(where(parts.prefilter));
  const jsonColumns = [...builder.json.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const c of jsonColumns) lines.push(`| extend ${jsonName(c)} = parse_json(${c.name})`);
  if (parts.jsonFilter.length) lines.push(where(parts.jsonFilter));
  lines.push(...parts.stages.map((s) => `| ${s}`));
  if (parts.filter.length) lines.push(where(parts.filter));
  lines.push(...outputs.filter((o) => o.extend).map((o) => `| ${o.extend}`));
  if (outputs.length)
    lines.push(
      `| project ${[...new Set(["TimeGenerated", ...outputs.map((o) => o.name)])].join(", ")}`,
    );
  else {
    const helpers = [...jsonColumns.map(jsonName), ...builder.helpers];
    if (helpers.length) lines.push(`| project-away ${helpers.join(", ")}`);
  }
  return { query: lines.join("\n"), notes: builder.notes, outputs, skipped };
}

/** The rule's template context and its fidelity notes (the caller adds option and log-source problems). */
export function renderRule(
  rule: LoadedRule,
  ir: IrRule,
  ctx: BackendContext,
  options: SentinelOptions,
): RenderedRule {
  const meta = rule.decl.meta;
  const { query, notes, outputs, skipped } = buildQuery(rule, ir, ctx, options);
  const names = new Set(outputs.map((o) => o.name));
  const entities = [
    ...(names.has("UserIdentityArn")
      ? [{ entityType: "Account", identifier: "FullName", columnName: "UserIdentityArn" }]
      : []),
    ...(names.has("SourceIpAddress")
      ? [{ entityType: "IP", identifier: "Address", columnName: "SourceIpAddress" }]
      : []),
  ];
  const details = customDetails(outputs.slice(0, 20));
  const title = meta.title ?? rule.decl.id;
  const description = meta.description ?? title;
  const header = [
    `# ${rule.decl.id}: generated by detc from ${rule.outputStem}.det. Edit the rule there, not this file.`,
    ...skipped.map(
      (p) => `# detc: output field ${p} has no AWSCloudTrail column and is not projected.`,
    ),
    ...(outputs.length > 20
      ? [
          `# detc: customDetails holds the first 20 of ${outputs.length} output fields (Sentinel's limit).`,
        ]
      : []),
    ...(title.length > 256 ? ["# detc: the title is cut to Sentinel's 256 characters."] : []),
    ...(description.length > 5000
      ? ["# detc: the description is cut to Sentinel's 5000 characters."]
      : []),
    ...(meta.severity === "critical"
      ? ["# detc: severity critical is Sentinel's High (its highest)."]
      : []),
    ...(meta.enabled
      ? []
      : ["# detc: the rule is disabled in detc (enabled false): deploy it disabled."]),
  ].map((line) => line.replace(/[^\x20-\x7e]/g, "?"));
  const tactics = [
    ...new Set(
      meta.attack
        .map((a) => tactic(a.tactic))
        .filter((t) => t !== undefined)
        .map(tacticPascalName),
    ),
  ];
  const techniques = [...new Set(meta.attack.map((a) => a.technique))];
  return {
    query,
    notes,
    context: {
      header,
      id: stableUuid(rule.decl.id),
      name: yamlString(
        clip(meta.status === "deprecated" ? `[Deprecated] ${title}` : title, 256),
        0,
      ),
      description: yamlString(clip(description, 5000), 0),
      severity: severities[meta.severity ?? "info"],
      status: statusFor(meta.status),
      queryFrequency: options.queryFrequency,
      queryPeriod: options.queryPeriod,
      tactics: tactics.map((t) => yamlString(t, 2)),
      techniques: techniques.map((t) => yamlString(t, 2)),
      query: query.split("\n"),
      entities,
      customDetails: details,
    },
  };
}
