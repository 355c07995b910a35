// A UDM view of a CloudTrail event, built from the mapping rows (mapping.ts), and an evaluator for
// the `events` section of a parsed YARA-L rule over it. Together they let the tests run each
// generated rule on every test event and compare with the reference evaluator. The view follows
// what the parser is documented to do: string fields copy CloudTrail strings, a missing value
// reads as "" (YARA-L's zero value), principal.ip keeps only IP addresses, request-parameter
// labels exist only for their event names, security_result.action is BLOCK iff errorCode is set.
import { inCidr, parseAddress, parseCidr } from "../../eval/cidr.js";
import { compileRegex, regexFinds } from "../../eval/regex.js";
import { resolvePath } from "../../eval/values.js";
import type { IrValue } from "../../ir/types.js";
import type { JsonValue } from "../../syntax/ast.js";
import { regexLiteralText } from "./escape.js";
import { cloudtrailUdm, constantFields, errorPresence } from "./mapping.js";
import type { YExpr, YField } from "./yaral.js";

export interface UdmView {
  /** UDM path (as YARA-L writes it after `$e.`) → its values; a non-repeated field has at most one. */
  fields: Map<string, string[]>;
  repeated: Set<string>;
}

function pathOf(dotted: string) {
  return { segments: dotted.split("."), self: false };
}

export function udmView(event: JsonValue): UdmView {
  const fields = new Map<string, string[]>();
  const repeated = new Set<string>();
  const add = (udm: string, value: string) => {
    const list = fields.get(udm) ?? [];
    list.push(value);
    fields.set(udm, list);
  };
  for (const c of constantFields) add(c.udm, c.value);
  const eventName = resolvePath(event, pathOf("eventName"));
  for (const row of cloudtrailUdm) {
    if (row.repeated) repeated.add(row.udm);
    if (row.eventNames && !(typeof eventName === "string" && row.eventNames.includes(eventName)))
      continue;
    const cut = row.cloudtrail.indexOf("[].");
    if (cut >= 0) {
      const array = resolvePath(event, pathOf(row.cloudtrail.slice(0, cut)));
      if (!Array.isArray(array)) continue;
      for (const element of array) {
        const v = resolvePath(element, pathOf(row.cloudtrail.slice(cut + 3)));
        if (typeof v === "string") add(row.udm, v);
      }
      continue;
    }
    const v = resolvePath(event, pathOf(row.cloudtrail));
    if (typeof v !== "string") continue;
    if (row.kind === "ip" && !parseAddress(v)) continue;
    add(row.udm, v);
  }
  const error = resolvePath(event, pathOf(errorPresence.cloudtrail));
  add(errorPresence.udm, error === undefined ? errorPresence.absent : errorPresence.present);
  return { fields, repeated };
}

export interface EventsContext {
  view: UdmView;
  /** Reference lists: their values as text (Chronicle reference lists hold strings). */
  lists: ReadonlyMap<string, readonly IrValue[]>;
}

type Choice = ReadonlyMap<string, string>;

/**
 * YARA-L's `"..." nocase`, modelled as Unicode simple case folding (Go's strings.EqualFold, RE2's
 * case-insensitive matching): NOT detc's toLowerCase, which is why the renderer uses it only for
 * plain ASCII literals (fold.ts).
 */
function equalFold(actual: string, expected: string): boolean {
  const literal = regexLiteralText(expected);
  if (literal === undefined) return false;
  const compiled = compileRegex(`^${literal}$`, true);
  return compiled.ok && regexFinds(compiled.regex, actual);
}

function read(field: YField, ctx: EventsContext, choice: Choice): string {
  if (ctx.view.repeated.has(field.path)) return choice.get(field.path) ?? "";
  return ctx.view.fields.get(field.path)?.[0] ?? "";
}

function holds(expr: YExpr, ctx: EventsContext, choice: Choice): boolean {
  switch (expr.kind) {
    case "and":
      return expr.items.every((i) => holds(i, ctx, choice));
    case "or":
      return expr.items.some((i) => holds(i, ctx, choice));
    case "not":
      return !holds(expr.operand, ctx, choice);
    case "compare": {
      const actual = read(expr.field, ctx, choice);
      let equal: boolean;
      if (expr.value.kind === "string")
        equal = expr.nocase ? equalFold(actual, expr.value.value) : actual === expr.value.value;
      else {
        const compiled = compileRegex(expr.value.pattern, expr.nocase);
        if (!compiled.ok)
          throw new Error(`invalid regex /${expr.value.pattern}/: ${compiled.error}`);
        equal = regexFinds(compiled.regex, actual);
      }
      return expr.op === "=" ? equal : !equal;
    }
    case "in": {
      const actual = read(expr.field, ctx, choice);
      return (ctx.lists.get(expr.list) ?? []).some(
        (v) => String(v.type === "number" ? v.text : v.value) === actual,
      );
    }
    case "cidr": {
      const range = parseCidr(expr.range);
      if (!range) throw new Error(`invalid CIDR range ${expr.range}`);
      return inCidr(read(expr.field, ctx, choice), range);
    }
    case "regexCall": {
      const compiled = compileRegex(expr.pattern, expr.nocase);
      if (!compiled.ok) throw new Error(`invalid regex ${expr.pattern}: ${compiled.error}`);
      return regexFinds(compiled.regex, read(expr.field, ctx, choice));
    }
  }
}

function repeatedFieldsOf(expr: YExpr, view: UdmView, out: Set<string>): Set<string> {
  switch (expr.kind) {
    case "and":
    case "or":
      expr.items.forEach((i) => repeatedFieldsOf(i, view, out));
      break;
    case "not":
      repeatedFieldsOf(expr.operand, view, out);
      break;
    default:
      if (view.repeated.has(expr.field.path)) out.add(expr.field.path);
  }
  return out;
}

/**
 * Does the `events` section (its lines ANDed) match? YARA-L unnests every repeated field the rule
 * reads: the event matches when some choice of one element per repeated field (the zero value ""
 * for an empty one) makes every line true.
 */
export function eventsMatch(events: readonly YExpr[], ctx: EventsContext): boolean {
  const repeated = new Set<string>();
  events.forEach((e) => repeatedFieldsOf(e, ctx.view, repeated));
  const fields = [...repeated];
  const choose = (i: number, choice: Map<string, string>): boolean => {
    if (i === fields.length) return events.every((e) => holds(e, ctx, choice));
    const values = ctx.view.fields.get(fields[i]!) ?? [];
    for (const v of values.length ? values : [""]) {
      choice.set(fields[i]!, v);
      if (choose(i + 1, choice)) return true;
    }
    return false;
  };
  return choose(0, new Map());
}
