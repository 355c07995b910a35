// IR → YARA-L 2.0 `events` predicates over UDM, and the template context of a rule. An exhaustive
// visitor translates each IR node; each leaf decides, from the mapping row of its field, whether
// UDM can say it exactly, only approximately (a note: broader or narrower), or not at all
// (unsupported, with the field named). Every value reaching the template is escaped by escape.ts.
import { attackVersion, tactic, technique, techniqueFullName } from "../../attack/attack.js";
import { stableUuid } from "../../compile/ids.js";
import { networkText, parseAddress } from "../../eval/cidr.js";
import { evalNode } from "../../eval/evaluate.js";
import { compileRegex, regexFinds } from "../../eval/regex.js";
import { printIr, printPath } from "../../ir/print.js";
import type { IrNode, IrPath, IrRule, IrValue, IrVisitor } from "../../ir/types.js";
import { visitIr } from "../../ir/types.js";
import type { LoadedRule } from "../../project/project.js";
import type { BackendContext, FidelityNote } from "../types.js";
import {
  metaString,
  regexLiteralText,
  regexPatternText,
  snakeCase,
  yaralString,
  yaralStringSafe,
} from "./escape.js";
import { foldedPattern, plainNocase } from "./fold.js";
import {
  constantFields,
  elementPath,
  errorPresence,
  riskScores,
  rowsByPath,
  severityNames,
  type UdmRow,
} from "./mapping.js";

const foldNote =
  "nocase on Greek sigma or U+0307: detc's toLowerCase folds them by context, which a regex cannot say";

/** The single event variable of every rule detc emits. */
export const EVENT = "$e";

interface Scope {
  /** Inside `any ARRAY (...)`: the array's CloudTrail path. */
  array?: string;
  /** The event names the whole condition requires (eventName eq / in at the top), if any. */
  eventNames: ReadonlySet<string> | undefined;
}

interface RenderState {
  notes: FidelityNote[];
  ctx: BackendContext;
}

interface Field {
  row: UdmRow;
  text: string;
}

const ident = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** CloudTrail arrays whose elements the parser flattens into labels. */
const mappedArrays: ReadonlySet<string> = new Set(
  [...rowsByPath.keys()].filter((k) => k.includes("[].")).map((k) => k.slice(0, k.indexOf("[]."))),
);

function cloudtrailPath(path: IrPath): string | undefined {
  if (path.self || !path.segments.every((s) => typeof s === "string" && ident.test(s)))
    return undefined;
  return path.segments.join(".");
}

/** One translated node: its YARA-L text, and whether it is compound (needs brackets when nested). */
interface Out {
  text: string;
  compound: boolean;
}

const leaf = (text: string): Out => ({ text, compound: false });
const bracket = (o: Out) => (o.compound ? `(${o.text})` : o.text);

class Translator {
  constructor(private readonly state: RenderState) {}

  /** Configured values of the named lists (what a reference list would be filled with). */
  get lists(): ReadonlyMap<string, readonly IrValue[]> {
    return this.state.ctx.listValues;
  }

  listValues(name: string): readonly IrValue[] {
    return this.state.ctx.listValues.get(name) ?? [];
  }

  note(fidelity: FidelityNote["fidelity"], node: IrNode, reason: string): void {
    this.state.notes.push({ fidelity, reason: `${printIr(node)}: ${reason}`, span: node.origin });
  }

  field(node: IrNode & { path: IrPath }, scope: Scope): Field | undefined {
    const own = cloudtrailPath(node.path);
    const key = own === undefined ? undefined : scope.array ? elementPath(scope.array, own) : own;
    const row = key === undefined ? undefined : rowsByPath.get(key);
    const shown = scope.array ? `${scope.array}[].${printPath(node.path)}` : printPath(node.path);
    if (!row) {
      this.note(
        "unsupported",
        node,
        `field ${shown} has no UDM mapping in Google's CloudTrail parser (see src/backends/chronicle/mapping.ts)`,
      );
      return undefined;
    }
    if (row.eventNames) {
      const names = scope.eventNames;
      if (!names || [...names].some((n) => !row.eventNames!.includes(n)))
        this.note(
          "narrower",
          node,
          `Google's parser writes ${row.udm} only for eventName ${row.eventNames.join(" or ")}; the rule does not restrict eventName to those`,
        );
    }
    return { row, text: `${EVENT}.${row.udm}` };
  }

  /** A string literal, or undefined (reported) when YARA-L has no escape for one of its characters. */
  literal(node: IrNode, value: string): string | undefined {
    if (!yaralStringSafe(value)) {
      this.note(
        "unsupported",
        node,
        "the value holds a control or format character YARA-L strings cannot carry",
      );
      return undefined;
    }
    return yaralString(value);
  }

  stringValue(node: IrNode, value: IrValue, field: Field): string | undefined {
    if (value.type !== "string") {
      this.note(
        "unsupported",
        node,
        `${field.row.udm} is a string field: UDM cannot compare it with the ${value.type} ${value.type === "number" ? value.text : value.value}`,
      );
      return undefined;
    }
    return value.value;
  }

  /** eq / ne against one string value, with the approximations of the field's kind. */
  equality(
    node: IrNode,
    field: Field,
    op: "eq" | "ne",
    value: string,
    nocase: boolean,
  ): Out | undefined {
    const lit = this.literal(node, value);
    if (lit === undefined) return undefined;
    const positive = op === "eq";
    if (value === "")
      this.note(
        positive ? "broader" : "narrower",
        node,
        `UDM reads a missing ${field.row.udm} as "", so it cannot tell "" from a missing field`,
      );
    else if (field.row.kind === "ip" && !isIpv4(value))
      this.note(
        positive ? "narrower" : "broader",
        node,
        parseAddress(value)
          ? `${field.row.udm} holds parsed IP addresses: an IPv6 address may be stored in another text form`
          : `${field.row.udm} holds only IP addresses: "${value}" never reaches it`,
      );
    if (nocase && !plainNocase(value)) {
      const body = foldedPattern(value, true);
      if (body === undefined) {
        this.note("unsupported", node, foldNote);
        return undefined;
      }
      const text = `${field.text} = /^${body}$/`;
      return leaf(positive ? text : `not ${text}`);
    }
    return leaf(`${field.text} ${positive ? "=" : "!="} ${lit}${nocase ? " nocase" : ""}`);
  }

  /** A regex test; `holdsOnEmpty` decides the approximation caused by missing fields reading as "". */
  regex(
    node: IrNode,
    field: Field,
    detcPattern: string,
    nocase: boolean,
    negated: boolean,
    what: string,
    /** Known for a pattern written from a literal (always valid RE2): skips compiling it. */
    literalHoldsOnEmpty?: boolean,
  ): Out | undefined {
    const pattern = regexPatternText(detcPattern);
    const compiled =
      literalHoldsOnEmpty === undefined ? compileRegex(pattern ?? detcPattern, nocase) : undefined;
    if (pattern === undefined || (compiled && !compiled.ok)) {
      this.note(
        "unsupported",
        node,
        "the pattern holds a character YARA-L cannot write in a regex",
      );
      return undefined;
    }
    if (literalHoldsOnEmpty ?? (compiled?.ok && regexFinds(compiled.regex, "")))
      this.note(
        negated ? "narrower" : "broader",
        node,
        `${what} holds for "", and UDM reads a missing ${field.row.udm} as ""`,
      );
    if (field.row.kind === "ip")
      this.note(
        negated ? "broader" : "narrower",
        node,
        `${field.row.udm} holds only IP addresses: other sourceIPAddress values never reach it`,
      );
    const text = `${field.text} = /${pattern}/${nocase ? " nocase" : ""}`;
    return leaf(negated ? `not ${text}` : text);
  }
}

function isIpv4(value: string): boolean {
  return parseAddress(value)?.kind() === "ipv4";
}

type Ctx = { t: Translator; scope: Scope };

const join = (items: Array<Out | undefined>, op: "and" | "or"): Out | undefined => {
  if (items.some((i) => i === undefined)) return undefined;
  const outs = items as Out[];
  if (outs.length === 1) return outs[0];
  return { text: outs.map(bracket).join(` ${op} `), compound: true };
};

const visitor: IrVisitor<Out | undefined, Ctx> = {
  const: (node, { t }) => {
    // Lowering folds constants away except for a whole condition of true or false.
    if (node.value) return { text: "", compound: false };
    t.note("unsupported", node, "a rule that never matches");
    return undefined;
  },
  and: (node, c) =>
    join(
      node.items.map((i) => translate(i, c)),
      "and",
    ),
  or: (node, c) =>
    join(
      node.items.map((i) => translate(i, c)),
      "or",
    ),
  quantified: (node, { t, scope }) => {
    const array = cloudtrailPath(node.path);
    const shown = `${scope.array ? `${scope.array}[].` : ""}${printPath(node.path)}`;
    if (scope.array || array === undefined || !mappedArrays.has(array)) {
      t.note(
        "unsupported",
        node,
        `array ${shown} has no UDM mapping in Google's CloudTrail parser`,
      );
      return undefined;
    }
    if (node.quantifier === "all") {
      t.note(
        "unsupported",
        node,
        `the parser flattens ${shown} into repeated labels, so \`all\` over its elements cannot be said`,
      );
      return undefined;
    }
    // An element without the field writes no label, and an empty array reads as "": a body that
    // holds on an element lacking its fields cannot be told apart from no element at all.
    if (evalNode(node.body, { root: {}, lists: t.lists }).result) {
      t.note(
        "unsupported",
        node,
        "the condition holds on an element without the field, which UDM cannot tell from an empty array",
      );
      return undefined;
    }
    t.note(
      "narrower",
      node,
      `Google documents the label for ${shown} (its public rule tests it for "all"), not how several elements are flattened into it: a match in a later element may be missed`,
    );
    return translate(node.body, { t, scope: { ...scope, array } });
  },
  compare: (node, { t, scope }) => {
    const field = t.field(node, scope);
    if (!field) return undefined;
    const value = t.stringValue(node, node.value, field);
    if (value === undefined) return undefined;
    return t.equality(node, field, node.op, value, node.nocase);
  },
  order: (node, { t, scope }) => {
    const field = t.field(node, scope);
    if (field)
      t.note(
        "unsupported",
        node,
        `ordered comparison of the string field ${field.row.udm} is not detc's comparison by code point`,
      );
    return undefined;
  },
  set: (node, { t, scope }) => {
    const field = t.field(node, scope);
    if (!field) return undefined;
    if (node.list.kind === "named") {
      if (node.nocase) {
        t.note("unsupported", node, "a reference list cannot be matched case-insensitively");
        return undefined;
      }
      const values = t.listValues(node.list.name);
      if (values.some((v) => v.type !== "string" || v.value === ""))
        t.note(
          node.negated ? "narrower" : "broader",
          node,
          `reference list %${node.list.name} holds text: its configured non-string or "" values match string or missing fields detc would not`,
        );
      if (
        field.row.kind === "ip" &&
        values.some((v) => v.type === "string" && v.value !== "" && !isIpv4(v.value))
      )
        t.note(
          node.negated ? "broader" : "narrower",
          node,
          `${field.row.udm} holds only IP addresses (as parsed): a list value that is not IPv4 text may never match`,
        );
      const text = `${field.text} in %${node.list.name}`;
      return leaf(node.negated ? `not ${text}` : text);
    }
    const values: string[] = [];
    for (const v of node.list.values) {
      const s = t.stringValue(node, v, field);
      if (s === undefined) return undefined;
      if (!values.includes(s)) values.push(s);
    }
    const parts = values.map((v) =>
      t.equality(node, field, node.negated ? "ne" : "eq", v, node.nocase),
    );
    return join(parts, node.negated ? "and" : "or");
  },
  string: (node, { t, scope }) => {
    const field = t.field(node, scope);
    if (!field) return undefined;
    // detc folds case with toLowerCase: YARA-L's nocase says the same only for plain ASCII text.
    const folded = node.nocase && !plainNocase(node.value);
    const body = folded
      ? foldedPattern(node.value, node.op === "ends_with")
      : regexLiteralText(node.value);
    if (body === undefined) {
      t.note(
        "unsupported",
        node,
        folded
          ? foldNote
          : "the value holds a lone surrogate, which YARA-L cannot write in a regex",
      );
      return undefined;
    }
    const pattern =
      node.op === "starts_with" ? `^${body}` : node.op === "ends_with" ? `${body}$` : body || "^";
    return t.regex(
      node,
      field,
      pattern,
      node.nocase && !folded,
      node.negated,
      `${node.op} ${JSON.stringify(node.value)}`,
      node.value === "",
    );
  },
  matches: (node, { t, scope }) => {
    const field = t.field(node, scope);
    if (!field) return undefined;
    return t.regex(node, field, node.pattern, node.nocase, node.negated, `/${node.pattern}/`);
  },
  cidr: (node, { t, scope }) => {
    const field = t.field(node, scope);
    if (!field) return undefined;
    if (field.row.kind !== "ip") {
      t.note(
        "unsupported",
        node,
        `${field.row.udm} is not an IP field: net.ip_in_range_cidr needs one`,
      );
      return undefined;
    }
    const text = `net.ip_in_range_cidr(${field.text}, ${yaralString(networkText(node.range))})`;
    return leaf(node.negated ? `not ${text}` : text);
  },
  presence: (node, { t, scope }) => {
    const field = t.field(node, scope);
    if (!field) return undefined;
    const wantsValue = node.op === "is_not_null" || node.op === "is_not_empty";
    if (
      field.row.cloudtrail === errorPresence.cloudtrail &&
      !scope.array &&
      (node.op === "is_null" || node.op === "is_not_null")
    )
      return leaf(
        `${EVENT}.${errorPresence.udm} = ${yaralString(wantsValue ? errorPresence.present : errorPresence.absent)}`,
      );
    if (node.op === "is_null" || node.op === "is_not_null")
      t.note(
        wantsValue ? "narrower" : "broader",
        node,
        `UDM reads a missing ${field.row.udm} as "", so it cannot tell a null field from ""${field.row.kind === "ip" ? " or from a value that is not an IP address" : ""}`,
      );
    else
      t.note(
        wantsValue ? "narrower" : "broader",
        node,
        field.row.kind === "ip"
          ? `${field.row.udm} holds only IP addresses: a value that is not one reads as ""`
          : `UDM string fields hold CloudTrail strings: a number, boolean, array or object value (not empty for detc) reads as ""`,
      );
    return leaf(`${field.text} ${wantsValue ? "!=" : "="} ""`);
  },
};

function translate(node: IrNode, c: Ctx): Out | undefined {
  return visitIr(visitor, node, c);
}

/** The event names a condition requires at its top level: `eventName eq "X"` or `eventName in [...]`. */
export function requiredEventNames(condition: IrNode): Set<string> | undefined {
  const items = condition.kind === "and" ? condition.items : [condition];
  let names: Set<string> | undefined;
  for (const item of items) {
    let these: string[] | undefined;
    if (
      item.kind === "compare" &&
      item.op === "eq" &&
      !item.nocase &&
      cloudtrailPath(item.path) === "eventName" &&
      item.value.type === "string"
    )
      these = [item.value.value];
    if (
      item.kind === "set" &&
      !item.negated &&
      !item.nocase &&
      item.list.kind === "values" &&
      cloudtrailPath(item.path) === "eventName"
    )
      these = item.list.values.flatMap((v) => (v.type === "string" ? [v.value] : []));
    if (these) names = new Set(names ? these.filter((n) => names!.has(n)) : these);
  }
  return names;
}

/** The `events` lines of a condition (top-level `and` items, one a line), or undefined if unsupported. */
export function eventsLines(ir: IrRule, state: RenderState): string[] | undefined {
  const t = new Translator(state);
  const scope: Scope = { eventNames: requiredEventNames(ir.condition) };
  const items = ir.condition.kind === "and" ? ir.condition.items : [ir.condition];
  const lines = items.map((item) => translate(item, { t, scope }));
  const arrays = items.flatMap((i) => quantifiedArrays(i));
  if (new Set(arrays).size < arrays.length)
    state.notes.push({
      fidelity: "narrower",
      reason:
        "YARA-L unnests a repeated label once per event: two any over the same array must then hold on the same element",
      span: ir.condition.origin,
    });
  if (lines.some((l) => l === undefined)) return undefined;
  return (lines as Out[]).filter((l) => l.text !== "").map(bracket);
}

/** The arrays of the quantifiers outside any quantifier. */
function quantifiedArrays(node: IrNode): string[] {
  switch (node.kind) {
    case "and":
    case "or":
      return node.items.flatMap(quantifiedArrays);
    case "quantified":
      return [printPath(node.path)];
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// The template context

export interface YaralContext {
  header: string[];
  name: string;
  meta: Array<{ key: string; value: string }>;
  events: string[];
  outcome: string[];
}

export interface RenderedRule {
  context: YaralContext | undefined;
  notes: FidelityNote[];
}

const comment = (s: string) =>
  [...s].map((ch) => (yaralStringSafe(ch) && ch !== "\n" && ch !== "\r" ? ch : "\ufffd")).join("");

function metaEntries(rule: LoadedRule): Array<{ key: string; value: string }> {
  const m = rule.decl.meta;
  const out: Array<{ key: string; value: string }> = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== "") out.push({ key, value: metaString(value) });
  };
  add("author", m.author.length ? m.author.join(", ") : "detc");
  add("description", m.description ?? m.title);
  add("rule_id", `mr_${stableUuid(rule.decl.id)}`);
  add("rule_name", m.title);
  add("detc_rule_id", rule.decl.id);
  add("severity", severityNames[m.severity ?? "info"]);
  add("priority", severityNames[m.severity ?? "info"]);
  add("type", "Alert");
  add("data_source", "AWS CloudTrail");
  add("platform", "AWS");
  const pairs = m.attack.filter(
    (a, i) => m.attack.findIndex((b) => b.tactic === a.tactic && b.technique === a.technique) === i,
  );
  pairs.forEach((pair, i) => {
    const suffix = i === 0 ? "" : `_${i + 1}`;
    add(`mitre_attack_tactic${suffix}`, tactic(pair.tactic)?.name ?? pair.tactic);
    add(
      `mitre_attack_technique${suffix}`,
      techniqueFullName(pair.technique) ?? technique(pair.technique)?.name ?? pair.technique,
    );
    add(`mitre_attack_technique_id${suffix}`, pair.technique);
    add(
      `mitre_attack_url${suffix}`,
      `https://attack.mitre.org/techniques/${pair.technique.replace(".", "/")}/`,
    );
  });
  if (pairs.length) add("mitre_attack_version", `v${attackVersion}`);
  m.reference.forEach((r, i) => add(i === 0 ? "reference" : `reference_${i + 1}`, r));
  add("tags", m.tags.join(", "));
  add("runbook", m.runbook);
  add("false_positives", m.falsepositives.join("; "));
  add("status", m.status);
  return out;
}

function outcomeLines(rule: LoadedRule, header: string[]): string[] {
  const lines = [`$risk_score = ${riskScores[rule.decl.meta.severity ?? "info"]}`];
  const used = new Set(["$risk_score", EVENT]);
  for (const path of rule.decl.meta.output) {
    const key = cloudtrailPath({ segments: path.segments, self: path.self });
    const row = key === undefined ? undefined : rowsByPath.get(key);
    const shown = printPath({ segments: path.segments, self: path.self });
    if (!row || row.cloudtrail.includes("[]")) {
      header.push(`output ${comment(shown)}: no UDM field (not carried as an outcome variable)`);
      continue;
    }
    const name = `$${snakeCase(key!)}`;
    if (used.has(name)) continue;
    if (lines.length >= 20) {
      header.push(`output ${comment(shown)}: YARA-L allows at most 20 outcome variables`);
      continue;
    }
    used.add(name);
    lines.push(`${name} = ${EVENT}.${row.udm}`);
  }
  return lines;
}

export function renderRule(rule: LoadedRule, ir: IrRule, ctx: BackendContext): RenderedRule {
  const state: RenderState = { notes: [], ctx };
  const events = eventsLines(ir, state);
  if (!events || state.notes.some((n) => n.fidelity === "unsupported"))
    return { context: undefined, notes: state.notes };
  const header = [
    `${comment(rule.decl.id)}: ${comment(rule.decl.meta.title ?? "")}`,
    `Generated by detc from ${comment(rule.outputStem)}.det; edit the rule there, not this file.`,
    'Events are UDM as Google SecOps\' default AWS CloudTrail parser writes them (a missing field reads as "").',
  ];
  const outcome = outcomeLines(rule, header);
  return {
    context: {
      header,
      name: snakeCase(rule.decl.id),
      meta: metaEntries(rule),
      events: [
        ...constantFields.map((c) => `${EVENT}.${c.udm} = ${yaralString(c.value)}`),
        ...events,
      ],
      outcome,
    },
    notes: state.notes,
  };
}
