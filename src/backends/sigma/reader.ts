// A reader and matcher for the Sigma subset detc emits: field selections (maps, lists of maps),
// value modifiers (contains, startswith, endswith, cased, re with i/m/s, cidr, lt/lte/gt/gte,
// expand, all, exists) and the full condition syntax. The project reads its own generated Sigma
// back with it and evaluates it on events, so the Sigma meaning detc compiles for is written down
// here, once.
//
// Sigma's matching rules (rules specification 2.x and its modifiers appendix):
// - values are case-insensitive unless `|cased` (the fold is the evaluator's, foldCase); `*` and `?`
//   are wildcards, `\` escapes `*`, `?` and itself, any other `\` is itself;
// - `|re` is a PCRE search of the subset Sigma allows, case-sensitive unless `|i`; PCRE's `$`
//   (without `|m`) also matches before a final newline; `.` excludes only `\n` (unless `|s`);
// - `field: null` holds when the field is missing or null; `''` is the empty string;
// - `|expand` replaces a whole-value `%name%` by the placeholder's values, as Sigma value patterns
//   (pySigma's value_placeholders);
// Where the specification is silent, this reader fixes one reading (the one SigmaHQ's AWS rules and
// document-store backends rely on), and the Sigma backend reports every place where it matters:
// - a dotted field name walks objects; where it meets an array before its last step, it reads that
//   key in every element (elements that are not objects hold nothing); the value reached at the
//   end is compared as a scalar: an array or object there matches no value (but is not null);
// - Sigma has no typed values: a number or boolean field value also matches its text as a plain
//   string value; a number value also matches a string with the same text, a boolean value the
//   string "true"/"false" in any case; lt/lte/gt/gte also compare a string holding a number.
import { parse as parseYaml } from "yaml";
import { inCidr, parseCidr } from "../../eval/cidr.js";
import { foldCase } from "../../eval/values.js";
import type { JsonValue } from "../../syntax/ast.js";
import { checkCondition, expandPattern, type ConditionAst } from "./condition.js";
import { sigmaPattern } from "./escape.js";

export type SigmaScalar = string | number | boolean | null;

export interface FieldTest {
  field: string[];
  modifiers: string[];
  values: SigmaScalar[];
}

/** A selection: OR over its maps, AND over each map's field tests. */
export type Selection = FieldTest[][];

export interface SigmaRule {
  document: Record<string, unknown>;
  selections: Map<string, Selection>;
  condition: ConditionAst;
}

const knownModifiers = new Set([
  "contains",
  "startswith",
  "endswith",
  "cased",
  "re",
  "i",
  "m",
  "s",
  "cidr",
  "lt",
  "lte",
  "gt",
  "gte",
  "expand",
  "all",
  "exists",
]);

function isScalar(v: unknown): v is SigmaScalar {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function fieldTest(
  key: string,
  value: unknown,
  at: string,
  errors: string[],
): FieldTest | undefined {
  const [name, ...modifiers] = key.split("|");
  if (!name) {
    errors.push(`${at}: a keyword selection (no field name) is outside the subset detc reads`);
    return undefined;
  }
  for (const m of modifiers)
    if (!knownModifiers.has(m)) errors.push(`${at}: unknown modifier '${m}' in '${key}'`);
  if (modifiers.some((m) => "ims".includes(m)) && !modifiers.includes("re"))
    errors.push(`${at}: '${key}': i, m and s are sub-modifiers of re`);
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0 || !values.every(isScalar)) {
    errors.push(`${at}: '${key}' needs a scalar value or a list of them`);
    return undefined;
  }
  if (values.includes(null) && values.length > 1)
    errors.push(`${at}: '${key}': null must stand alone`);
  const needsString = ["contains", "startswith", "endswith", "re", "cidr", "expand"];
  if (modifiers.some((m) => needsString.includes(m)) && !values.every((v) => typeof v === "string"))
    errors.push(`${at}: '${key}' needs string values`);
  if (
    modifiers.some((m) => ["lt", "lte", "gt", "gte"].includes(m)) &&
    !values.every((v) => typeof v === "number")
  )
    errors.push(`${at}: '${key}' needs numbers`);
  if (modifiers.includes("re"))
    for (const v of values) {
      const compiled = compileSigmaRegex(String(v), modifiers);
      if (!compiled.ok) errors.push(`${at}: '${key}': ${compiled.error}`);
    }
  return { field: name.split("."), modifiers, values: values as SigmaScalar[] };
}

function selectionOf(name: string, value: unknown, errors: string[]): Selection | undefined {
  const asMap = (m: unknown, at: string): FieldTest[] | undefined => {
    if (m === null || typeof m !== "object" || Array.isArray(m)) {
      errors.push(`${at}: a list of plain values (keywords) is outside the subset detc reads`);
      return undefined;
    }
    const tests = Object.entries(m).map(([k, v]) => fieldTest(k, v, at, errors));
    if (tests.length === 0) errors.push(`${at}: an empty map`);
    return tests.every((t) => t) ? (tests as FieldTest[]) : undefined;
  };
  if (Array.isArray(value)) {
    const maps = value.map((m, i) => asMap(m, `${name}[${i}]`));
    return maps.every((m) => m) && maps.length ? (maps as FieldTest[][]) : undefined;
  }
  const map = asMap(value, name);
  return map ? [map] : undefined;
}

/** Read a Sigma rule (YAML 1.2 core schema: dates stay strings). Never throws. */
export function readSigma(text: string): { rule: SigmaRule | undefined; errors: string[] } {
  let document: unknown;
  try {
    document = parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    return { rule: undefined, errors: [`not YAML: ${(e as Error).message}`] };
  }
  if (document === null || typeof document !== "object" || Array.isArray(document))
    return { rule: undefined, errors: ["a Sigma rule is a YAML mapping"] };
  const doc = document as Record<string, unknown>;
  const errors: string[] = [];
  const detection = doc["detection"];
  if (detection === null || typeof detection !== "object" || Array.isArray(detection))
    return { rule: undefined, errors: ["detection must be a mapping"] };
  const selections = new Map<string, Selection>();
  let conditionText: string | undefined;
  for (const [name, value] of Object.entries(detection)) {
    if (name === "condition") {
      if (typeof value === "string") conditionText = value;
      else errors.push("condition must be one string (detc never emits a list of conditions)");
      continue;
    }
    if (name === "timeframe") continue;
    const selection = selectionOf(name, value, errors);
    if (selection) selections.set(name, selection);
  }
  if (conditionText === undefined)
    return { rule: undefined, errors: [...errors, "detection has no condition"] };
  const checked = checkCondition(
    conditionText,
    [...Object.keys(detection)].filter((k) => k !== "condition" && k !== "timeframe"),
  );
  errors.push(...checked.errors);
  if (errors.length || !checked.ast) return { rule: undefined, errors };
  return { rule: { document: doc, selections, condition: checked.ast }, errors: [] };
}

// ---------------------------------------------------------------------------------------------
// Regexes: Sigma's PCRE subset, run as a JavaScript regex with PCRE's meaning for `.`, `^`, `$`.

const jsSyntax = new Set([..."^$\\.*+?()[]{}|/"]);
const classSyntax = new Set([..."\\]^-["]);
const regexCache = new Map<string, { ok: true; regex: RegExp } | { ok: false; error: string }>();

export function compileSigmaRegex(
  pattern: string,
  modifiers: readonly string[],
): { ok: true; regex: RegExp } | { ok: false; error: string } {
  const dotAll = modifiers.includes("s");
  const multiLine = modifiers.includes("m");
  const key = `${dotAll ? "s" : ""}${multiLine ? "m" : ""}${modifiers.includes("i") ? "i" : ""}:${pattern}`;
  const known = regexCache.get(key);
  if (known) return known;
  let out = "";
  let error: string | undefined;
  const chars = [...pattern];
  for (let i = 0; i < chars.length && !error; i++) {
    const c = chars[i]!;
    if (c === "\\") {
      const e = chars[++i];
      if (e === undefined || /[A-Za-z0-9]/.test(e))
        error = `\\${e ?? ""} is not in Sigma's regex subset`;
      else out += jsSyntax.has(e) ? `\\${e}` : e;
    } else if (c === ".") out += dotAll ? "[\\s\\S]" : "[^\\n]";
    else if (c === "$") out += multiLine ? "(?=\\n|(?![\\s\\S]))" : "(?=\\n?(?![\\s\\S]))";
    else if (c === "^")
      out += multiLine ? "(?:(?<![\\s\\S])|(?<=\\n)(?=[\\s\\S]))" : "(?<![\\s\\S])";
    else if (c === "(" && chars[i + 1] === "?")
      error = "(? groups and inline flags are not in Sigma's regex subset";
    else if (c === "[") {
      out += "[";
      let j = i + 1;
      if (chars[j] === "^") ((out += "^"), j++);
      let first = true;
      for (; j < chars.length; j++) {
        const d = chars[j]!;
        if (d === "]" && !first) break;
        first = false;
        if (d === "\\") {
          const e = chars[++j];
          if (e === undefined || /[A-Za-z0-9]/.test(e)) {
            error = `\\${e ?? ""} is not in Sigma's regex subset`;
            break;
          }
          out += classSyntax.has(e) ? `\\${e}` : e;
        } else if (d === "[" || d === "]") out += `\\${d}`;
        else out += d;
      }
      if (j >= chars.length && !error) error = "an unterminated class";
      out += "]";
      i = j;
    } else out += c;
  }
  let result: { ok: true; regex: RegExp } | { ok: false; error: string };
  if (error) result = { ok: false, error };
  else {
    try {
      result = { ok: true, regex: new RegExp(out, modifiers.includes("i") ? "iu" : "u") };
    } catch (e) {
      result = { ok: false, error: `not a valid regex: ${(e as Error).message}` };
    }
  }
  regexCache.set(key, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Matching

type Event = JsonValue | undefined;

/** The values a dotted field name reaches (arrays met before the last step are read element-wise). */
export function reach(root: Event, field: readonly string[]): JsonValue[] {
  let values: JsonValue[] = root === undefined ? [] : [root];
  for (const key of field) {
    const next: JsonValue[] = [];
    for (const v of values) {
      const holders = Array.isArray(v) ? v : [v];
      for (const h of holders)
        if (h !== null && typeof h === "object" && !Array.isArray(h) && Object.hasOwn(h, key))
          next.push(h[key]!);
    }
    values = next;
  }
  return values;
}

const wildcardCache = new Map<string, RegExp>();

function wildcardRegex(
  value: string,
  cased: boolean,
  wrap: "none" | "contains" | "startswith" | "endswith",
): RegExp {
  const key = `${cased ? "c" : "i"}${wrap}:${value}`;
  let re = wildcardCache.get(key);
  if (!re) {
    const parts = sigmaPattern(value);
    if (wrap === "contains" || wrap === "endswith") parts.unshift({ kind: "any" });
    if (wrap === "contains" || wrap === "startswith") parts.push({ kind: "any" });
    const body = parts
      .map((p) =>
        p.kind === "any"
          ? "[\\s\\S]*"
          : p.kind === "one"
            ? "[\\s\\S]"
            : (cased ? p.text : foldCase(p.text)).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"),
      )
      .join("");
    re = new RegExp(`^${body}$`, "u");
    wildcardCache.set(key, re);
  }
  return re;
}

function valueMatches(
  actual: JsonValue,
  expected: Exclude<SigmaScalar, null>,
  modifiers: readonly string[],
): boolean {
  if (actual === null || typeof actual === "object") return false; // arrays and objects match no value
  if (modifiers.includes("re")) {
    const compiled = compileSigmaRegex(String(expected), modifiers);
    return compiled.ok && typeof actual === "string" && compiled.regex.test(actual);
  }
  if (modifiers.includes("cidr")) {
    const range = parseCidr(String(expected));
    return range !== undefined && typeof actual === "string" && inCidr(actual, range);
  }
  const order = modifiers.find((m) => ["lt", "lte", "gt", "gte"].includes(m));
  if (order) {
    const n =
      typeof actual === "number"
        ? actual
        : typeof actual === "string" && actual.trim() !== ""
          ? Number(actual)
          : NaN;
    if (typeof expected !== "number" || !Number.isFinite(n)) return false;
    return order === "lt"
      ? n < expected
      : order === "lte"
        ? n <= expected
        : order === "gt"
          ? n > expected
          : n >= expected;
  }
  if (typeof expected === "number")
    return actual === expected || (typeof actual === "string" && actual === String(expected));
  if (typeof expected === "boolean")
    return (
      actual === expected ||
      (typeof actual === "string" && actual.toLowerCase() === String(expected))
    );
  const wrap = modifiers.includes("contains")
    ? "contains"
    : modifiers.includes("startswith")
      ? "startswith"
      : modifiers.includes("endswith")
        ? "endswith"
        : "none";
  // A number or boolean is compared through its text, by plain values only.
  const text = typeof actual === "string" ? actual : wrap === "none" ? String(actual) : undefined;
  if (text === undefined) return false;
  const cased = modifiers.includes("cased");
  return wildcardRegex(expected, cased, wrap).test(cased ? text : foldCase(text));
}

function fieldTestHolds(
  test: FieldTest,
  event: Event,
  placeholders: ReadonlyMap<string, readonly string[]>,
): boolean {
  const reached = reach(event, test.field);
  if (test.values.length === 1 && test.values[0] === null) return reached.every((v) => v === null);
  if (test.modifiers.includes("exists")) {
    const present = reached.some((v) => v !== null);
    return test.values.every((v) => v === present);
  }
  let values = test.values as Array<Exclude<SigmaScalar, null>>;
  if (test.modifiers.includes("expand"))
    values = values.flatMap((v) => {
      const m = /^%([^%]+)%$/.exec(String(v));
      return m ? [...(placeholders.get(m[1]!) ?? [])] : [v];
    });
  const one = (v: Exclude<SigmaScalar, null>) =>
    reached.some((actual) => valueMatches(actual, v, test.modifiers));
  return test.modifiers.includes("all") ? values.every(one) : values.some(one);
}

function selectionHolds(
  selection: Selection,
  event: Event,
  placeholders: ReadonlyMap<string, readonly string[]>,
): boolean {
  return selection.some((map) => map.every((t) => fieldTestHolds(t, event, placeholders)));
}

/** Does the rule match this event? `placeholders` gives each `%name%` its values. */
export function sigmaMatches(
  rule: SigmaRule,
  event: Event,
  placeholders: ReadonlyMap<string, readonly string[]> = new Map(),
): boolean {
  const names = [...rule.selections.keys()];
  const holds = (name: string) => selectionHolds(rule.selections.get(name)!, event, placeholders);
  const evalAst = (n: ConditionAst): boolean => {
    switch (n.kind) {
      case "ref":
        return holds(n.name);
      case "of": {
        const matched = expandPattern(n.pattern, names);
        return n.quantifier === "1" ? matched.some(holds) : matched.every(holds);
      }
      case "not":
        return !evalAst(n.operand);
      case "and":
        return evalAst(n.left) && evalAst(n.right);
      case "or":
        return evalAst(n.left) || evalAst(n.right);
    }
  };
  return evalAst(rule.condition);
}
