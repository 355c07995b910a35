// A rule → the Sigma document (specification 2.1): metadata from the rule, the detection from
// translate.ts and selections.ts. The YAML is written by escape.ts in a fixed key order (SigmaHQ's).
import { tactic } from "../../attack/attack.js";
import { stableUuid } from "../../compile/ids.js";
import type { LoadedRule } from "../../project/project.js";
import type { FieldPath } from "../../syntax/ast.js";
import type { BackendContext, FidelityNote } from "../types.js";
import { yamlEntry, type YamlValue } from "./escape.js";
import { configuredDate, recordShapes, levels, logsourceFor, statuses } from "./mapping.js";
import { buildDetection } from "./selections.js";
import { translateCondition } from "./translate.js";

/** Sigma's JSON schema limits (counted in code points, as ajv counts). */
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 65535;

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** Whether `s` has more than `max` code points (a string never has more than its UTF-16 length). */
const longerThan = (s: string, max: number) => s.length > max && [...s].length > max;

/** A path as a Sigma field name, when it has one (no index, no dots or pipes in a segment). */
export function fieldName(path: FieldPath): string | undefined {
  if (path.self || path.segments.some((s) => typeof s === "number" || s === "" || /[.|]/.test(s)))
    return undefined;
  return path.segments.join(".");
}

/** `attack.<tactic-short-name>` and `attack.tNNNN[.NNN]` per pair, in the rule's order. */
export function attackTags(pairs: ReadonlyArray<{ tactic: string; technique: string }>): string[] {
  return unique(
    pairs.flatMap((p) => {
      const t = tactic(p.tactic);
      return [...(t ? [`attack.${t.shortname}`] : []), `attack.${p.technique.toLowerCase()}`];
    }),
  );
}

function stringOption(options: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = options[key];
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

export interface RenderedSigma {
  content: string | undefined;
  notes: FidelityNote[];
}

export function renderSigma(rule: LoadedRule, ctx: BackendContext): RenderedSigma {
  const notes: FidelityNote[] = [];
  const { meta, metaSpans } = rule.decl;
  const logsourceName = meta.logsource ?? "";
  const logsource = logsourceFor(logsourceName, ctx.options);
  if (!logsource)
    notes.push({
      fidelity: "unsupported",
      reason: `Sigma has no logsource for '${logsourceName}': map it with the sigma option logsources (e.g. {"${logsourceName}": {"product": "okta", "service": "okta"}})`,
      span: metaSpans.logsource ?? rule.decl.idSpan,
    });
  const title = meta.title ?? rule.decl.id;
  if (longerThan(title, TITLE_MAX))
    notes.push({
      fidelity: "unsupported",
      reason: `Sigma titles have at most ${TITLE_MAX} characters`,
      span: metaSpans.title ?? rule.decl.idSpan,
    });
  if (meta.description !== undefined && longerThan(meta.description, DESCRIPTION_MAX))
    notes.push({
      fidelity: "unsupported",
      reason: `Sigma descriptions have at most ${DESCRIPTION_MAX} characters`,
      span: metaSpans.description ?? rule.decl.idSpan,
    });
  const date = configuredDate(ctx.options["date"]);
  if (typeof date === "object")
    notes.push({ fidelity: "unsupported", reason: date.error, span: rule.decl.idSpan });

  const ir = rule.ir!;
  const translation = translateCondition(ir.condition, ctx, recordShapes[logsourceName]);
  notes.push(...translation.notes);
  if (notes.some((n) => n.fidelity === "unsupported") || translation.cond.kind === "const")
    return { content: undefined, notes };

  const detection = buildDetection(translation.cond);
  const doc: Array<[string, YamlValue | undefined]> = [];
  doc.push(["title", title]);
  doc.push(["id", stableUuid(rule.decl.id)]);
  doc.push(["status", meta.status ? statuses[meta.status] : stringOption(ctx.options, "status")]);
  doc.push(["description", meta.description]);
  doc.push(["references", meta.reference.length ? unique(meta.reference) : undefined]);
  const author = meta.author.length ? meta.author.join(", ") : stringOption(ctx.options, "author");
  doc.push(["author", author]);
  doc.push(["date", typeof date === "string" ? date : undefined]);
  const tags = attackTags(meta.attack);
  doc.push(["tags", tags.length ? tags : undefined]);
  doc.push(["logsource", logsource ? { ...logsource } : undefined]);
  const detectionYaml: { [k: string]: YamlValue } = {};
  for (const [name, content] of detection.selections) detectionYaml[name] = content;
  detectionYaml["condition"] = detection.condition;
  doc.push(["detection", detectionYaml]);
  const fields = unique(meta.output.flatMap((p) => fieldName(p) ?? []));
  doc.push(["fields", fields.length ? fields : undefined]);
  const falsepositives = unique(meta.falsepositives.filter((f) => longerThan(f, 1)));
  doc.push(["falsepositives", falsepositives.length ? falsepositives : undefined]);
  doc.push(["level", levels[meta.severity ?? "info"]]);

  // One comment line: the source of the rule (printable characters only, so it stays one line).
  const source = `${rule.outputStem}.det`.replace(/[^\x20-\x7e]/gu, "?");
  const content =
    `# Generated by detc from ${source}: edit the rule there, not this file.\n` +
    doc
      .filter((entry): entry is [string, YamlValue] => entry[1] !== undefined)
      .map(([k, v]) => yamlEntry(k, v, 0))
      .join("\n") +
    "\n";
  return { content, notes };
}
