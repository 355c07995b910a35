// IR → KQL over AWSCloudTrail. An exhaustive visitor turns the condition into a boolean KQL expression
// per leaf, any/all into `mv-apply` stages that keep the row count, and collects a fidelity note
// wherever Log Analytics cannot tell apart what detc does (language.md §3). Every leaf expression is
// definite (never null), so `not(...)` of it is its exact complement, as the IR's leaf negation needs.
import { evalNode } from "../../eval/evaluate.js";
import { networkText, parseCidr } from "../../eval/cidr.js";
import { foldCase } from "../../eval/values.js";
import { printPath } from "../../ir/print.js";
import type { IrNode, IrPath, IrValue, IrVisitor } from "../../ir/types.js";
import { visitIr } from "../../ir/types.js";
import type { Span } from "../../diagnostics/span.js";
import type { PathSegment } from "../../syntax/ast.js";
import type { FidelityNote } from "../types.js";
import { kqlMember, kqlReal, kqlReservedMemberNames, kqlString } from "./escape.js";
import { columns, resolvePath, type Column } from "./mapping.js";

/** Names the query gives its own columns (any/all helpers, parse_json()'d columns): lists avoid them. */
const helperName =
  /^(array|index|element|any|all)\d+$|^(requestParameters|responseElements|additionalEventData|resources|serviceEventDetails)$/;
const columnNames: ReadonlySet<string> = new Set(columns.map((c) => c.name));

type Direction = "broader" | "narrower";
const flip = (d: Direction): Direction => (d === "broader" ? "narrower" : "broader");

/** How a named list reaches the query: a watchlist, or its configured values inline. */
export type ListsAs = "watchlist" | "inline";

export interface QueryOptions {
  listsAs: ListsAs;
  listValues: ReadonlyMap<string, readonly IrValue[]>;
}

// ---------------------------------------------------------------------------------------------
// Where a path's value lives

type Operand =
  /** A typed column (string, bool, …) of the table. */
  | { kind: "column"; column: Column }
  /** A `dynamic` expression: a member of a parse_json()'d column, or an array element. */
  | { kind: "dynamic"; expr: string; jsonRoot?: Column }
  /** An object CloudTrail holds that the connector flattened into these columns. */
  | { kind: "object"; members: Column[] }
  /** A value that is always missing in the table's data (below a scalar, an index into a non-array). */
  | { kind: "missing"; why: string }
  | { kind: "none"; why: string };

/** The name a parse_json()'d JSON column gets in the query: its CloudTrail name. */
export function jsonName(column: Column): string {
  return column.path![0]!;
}

function dynamicPath(root: string, segments: readonly PathSegment[]): string {
  return root + segments.map((s) => (typeof s === "number" ? `[${s}]` : kqlMember(s))).join("");
}

// ---------------------------------------------------------------------------------------------
// KQL expression helpers over a dynamic value

const numericTypes = `("int", "long", "real", "decimal")`;
const isString = (v: string) => `gettype(${v}) == "string"`;
const isNumber = (v: string) => `gettype(${v}) in ${numericTypes}`;
const isBool = (v: string) => `gettype(${v}) == "bool"`;
const kqlStringLiteral = String.raw`"(?:[^"\\]|\\.)*"`;
const simpleOperand = String.raw`[A-Za-z_][\w.]*(?:\([^()]*\))?`;
const simpleEquality = new RegExp(`^(${simpleOperand}) == (${kqlStringLiteral}|true|false)$`);
const simpleMembership = new RegExp(
  `^(${simpleOperand}) in \\((${kqlStringLiteral}(?:, ${kqlStringLiteral})*)\\)$`,
);

/**
 * The complement of a definite expression. `X == "s"` becomes `X != "s"` and `X in ("a")` becomes
 * `X !in ("a")`: with a string (never null) or a bool column (null != v is true) they are exact
 * complements, and read better than not(...).
 */
function not(e: string): string {
  if (e === "true") return "false";
  if (e === "false") return "true";
  if (e.startsWith("not(") && wraps(e.slice(3))) return e.slice(4, -1);
  const call = /^(isempty|isnotempty|isnull|isnotnull)(\(.*\))$/.exec(e);
  if (call && wraps(call[2]!)) {
    const opposite = {
      isempty: "isnotempty",
      isnotempty: "isempty",
      isnull: "isnotnull",
      isnotnull: "isnull",
    }[call[1]!]!;
    return `${opposite}${call[2]}`;
  }
  const eq = simpleEquality.exec(e);
  if (eq && !topLevel(e, " and ") && !topLevel(e, " or ")) return `${eq[1]} != ${eq[2]}`;
  const member = simpleMembership.exec(e);
  if (member && !topLevel(e, " and ") && !topLevel(e, " or "))
    return `${member[1]} !in (${member[2]})`;
  return `not(${e})`;
}

/** Is `e` one parenthesised group, `(...)`, from its first character to its last? */
function wraps(e: string): boolean {
  if (!e.startsWith("(") || !e.endsWith(")")) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < e.length; i++) {
    const c = e[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0 && i !== e.length - 1) return false;
  }
  return depth === 0;
}

/** Does `e` have `word` (" and " / " or ") outside parentheses and strings? */
export function topLevel(e: string, word: string): boolean {
  if (!e.includes(word)) return false; // most operands: no scan
  let depth = 0;
  let inString = false;
  for (let i = 0; i < e.length; i++) {
    const c = e[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && e.startsWith(word, i)) return true;
  }
  return false;
}

/** `a and b`: constants folded; an operand with a top-level `or` is parenthesised (KQL: and binds tighter). */
function and(...items: string[]): string {
  if (items.includes("false")) return "false";
  const kept = items.filter((i) => i !== "true");
  if (kept.length === 0) return "true";
  if (kept.length === 1) return kept[0]!;
  return kept.map((i) => (topLevel(i, " or ") ? `(${i})` : i)).join(" and ");
}

/** `a or b`: constants folded; an operand with a top-level `and` is parenthesised for the reader. */
function or(...items: string[]): string {
  if (items.includes("true")) return "true";
  const kept = items.filter((i) => i !== "false");
  if (kept.length === 0) return "false";
  if (kept.length === 1) return kept[0]!;
  return kept.map((i) => (topLevel(i, " and ") ? `(${i})` : i)).join(" or ");
}

/**
 * Could `tostring()` of a number, boolean, array or object give this text? Then comparing text alone
 * would also match those values, and the query must check the type first.
 */
function textOfNonString(s: string): boolean {
  return s === "" || /^[-+.\d\[{]/.test(s) || /^(true|false|null|nan|-?inf(inity)?)$/i.test(s);
}

/** Lower-casing as detc's nocase does (JavaScript's toLowerCase), in KQL: tolower() after mapping İ. */
function lowered(e: string, literal: string): string {
  // .NET lower-cases İ (U+0130) to "i", JavaScript to "i" + U+0307: only a literal with an "i" can tell.
  return literal.includes("i")
    ? `tolower(replace_string(${e}, "\\u0130", "i\\u0307"))`
    : `tolower(${e})`;
}

function foldNotes(literal: string): Array<{ fidelity: Direction; reason: string }> {
  const notes: Array<{ fidelity: Direction; reason: string }> = [];
  if (literal.includes("σ"))
    notes.push({
      fidelity: "broader",
      reason:
        "KQL's tolower() maps a final Σ to σ where detc's case folding gives ς: a value ending in Σ may match",
    });
  if (literal.includes("ς"))
    notes.push({
      fidelity: "narrower",
      reason:
        "KQL's tolower() maps a final Σ to σ where detc's case folding gives ς: a value ending in Σ cannot match",
    });
  return notes;
}

// ---------------------------------------------------------------------------------------------
// The builder: stages of the pipeline, names, notes

interface Level {
  stages: string[];
  root: string | undefined;
}

export class QueryBuilder {
  readonly notes: FidelityNote[] = [];
  readonly json = new Map<string, Column>();
  readonly lets = new Map<string, string>();
  readonly helpers: string[] = [];
  private readonly listVariables = new Map<string, string>();
  private counter = 0;

  constructor(readonly options: QueryOptions) {}

  note(fidelity: FidelityNote["fidelity"], reason: string, span: Span): void {
    this.notes.push({ fidelity, reason, span });
  }

  useJson(column: Column): string {
    this.json.set(column.name, column);
    return jsonName(column);
  }

  operand(path: IrPath, level: Level): Operand {
    if (level.root !== undefined) {
      if (path.self) return { kind: "dynamic", expr: level.root };
      return { kind: "dynamic", expr: dynamicPath(level.root, path.segments) };
    }
    if (path.self) return { kind: "none", why: "@ outside any/all" };
    const resolved = resolvePath(path.segments);
    switch (resolved.kind) {
      case "column":
        if (resolved.column.kind === "json")
          return {
            kind: "dynamic",
            expr: dynamicPath(this.useJson(resolved.column), resolved.rest),
            ...(resolved.rest.length === 0 ? { jsonRoot: resolved.column } : {}),
          };
        return { kind: "column", column: resolved.column };
      case "object":
        return { kind: "object", members: resolved.members };
      case "missing":
        return { kind: "missing", why: resolved.reason };
      case "none":
        return {
          kind: "none",
          why: `AWSCloudTrail has no column for the CloudTrail field ${printPath(path)} (the Sentinel connector keeps only the fields it maps to columns)`,
        };
    }
  }

  /** A name for a list's values: a `let` over a watchlist, or over its configured values. */
  list(name: string, nocase: boolean): string {
    const key = `${nocase ? "i" : "c"}:${name}`;
    const known = this.listVariables.get(key);
    if (known) return known;
    const base = `${name}${nocase ? "_nocase" : ""}`;
    let variable =
      /^[A-Za-z][A-Za-z0-9_]*$/.test(base) &&
      !kqlReservedMemberNames.has(base) &&
      !helperName.test(base) &&
      !columnNames.has(base)
        ? base
        : `list_${base.replace(/[^A-Za-z0-9_]/g, "_")}`;
    // Two lists whose names differ only by characters KQL names cannot hold (or by "_nocase").
    const taken = new Set(this.listVariables.values());
    for (let n = 2; taken.has(variable); n++)
      variable = `${base.replace(/[^A-Za-z0-9_]/g, "_")}_${n}`;
    this.listVariables.set(key, variable);
    const searchKey = nocase ? "tolower(SearchKey)" : "SearchKey";
    this.lets.set(
      variable,
      `let ${variable} = toscalar(_GetWatchlist(${kqlString(name)}) | summarize make_set(${searchKey}));`,
    );
    return variable;
  }

  fresh(): number {
    return ++this.counter;
  }
}

// ---------------------------------------------------------------------------------------------
// Leaves

/** A leaf, positive form: the expression and what it gets wrong (for the negated form, flipped). */
interface Leaf {
  expr: string;
  notes: Array<{ fidelity: Direction; reason: string }>;
}

const exact = (expr: string): Leaf => ({ expr, notes: [] });

/** Evaluate a leaf with the reference evaluator on a one-field event (finite-domain columns). */
function truth(
  node: IrNode,
  value: string | boolean | undefined,
  lists: ReadonlyMap<string, readonly IrValue[]>,
): boolean {
  const probe = { ...node, path: { segments: ["x"], self: false } } as IrNode;
  return evalNode(probe, { root: value === undefined ? {} : { x: value }, lists }).result;
}

/** The positive form of a leaf node (negation is applied by the caller). */
type PositiveNode = Exclude<IrNode, { kind: "const" | "and" | "or" | "quantified" }>;

/** Strip `negated`, so the evaluator sees the positive form. */
function positive(node: PositiveNode): PositiveNode {
  return "negated" in node ? ({ ...node, negated: false } as PositiveNode) : node;
}

const dottedQuad =
  "^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$";

const cloudTrailTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const ipv6Text = `^[0-9A-Fa-f:]*:(?:[0-9A-Fa-f]*|${dottedQuad.slice(1, -1)})(?:%[0-9A-Za-z]+)?$`;

/**
 * `cidr`: the address text is first checked the way detc reads addresses (strict dotted-quad IPv4;
 * IPv6 from hex digits and colons, a strict dotted-quad tail, an optional zone index), so KQL's
 * parsers only ever see text both read alike. The zone index is dropped before the range test, as
 * detc ignores it.
 */
function ipTest(str: string, range: string): Leaf {
  const parsed = parseCidr(range)!; // the checks reject invalid ranges
  const text = kqlString(networkText(parsed));
  if (parsed.kind === "ipv4")
    return exact(
      `${str} matches regex ${kqlString(dottedQuad)} and ipv4_is_in_range(${str}, ${text})`,
    );
  return exact(
    `${str} matches regex ${kqlString(ipv6Text)} and coalesce(ipv6_is_in_range(replace_regex(${str}, "%.*", ""), ${text}), false)`,
  );
}

function stringOp(op: "contains" | "starts_with" | "ends_with"): string {
  return op === "contains" ? "contains_cs" : op === "starts_with" ? "startswith_cs" : "endswith_cs";
}

/**
 * Text tests against a string expression `str` that holds a real string (a guard precedes it).
 * `dynamic`: the value comes from JSON, where a number or a boolean could equal a list's non-string
 * value; a string column holds text only, so such values never match there under detc either.
 */
function textLeaf(node: PositiveNode, str: string, b: QueryBuilder, dynamic = false): Leaf {
  switch (node.kind) {
    case "compare": {
      if (node.value.type !== "string") return exact("false");
      const s = node.value.value;
      if (!node.nocase) return exact(`${str} == ${kqlString(s)}`);
      const l = foldCase(s);
      return { expr: `${lowered(str, l)} == ${kqlString(l)}`, notes: foldNotes(l) };
    }
    case "order": {
      if (node.value.type !== "string") return exact("false");
      const cmp = { lt: "<", le: "<=", gt: ">", ge: ">=" }[node.op];
      return {
        expr: `strcmp(${str}, ${kqlString(node.value.value)}) ${cmp} 0`,
        // strcmp() orders by UTF-16 unit, detc by code point: they disagree only between a
        // character U+E000–U+FFFF and one beyond U+FFFF, so only a bound holding either can tell.
        notes: /[\uE000-\uFFFF\uD800-\uDFFF]/.test(node.value.value)
          ? (["broader", "narrower"] as const).map((fidelity) => ({
              fidelity,
              reason:
                "KQL orders text by UTF-16 unit, detc by code point: around U+E000–U+FFFF and beyond U+FFFF the two orders differ",
            }))
          : [],
      };
    }
    case "set":
      return setStrings(node, b);
    case "string": {
      const op = stringOp(node.op);
      if (!node.nocase) return exact(`${str} ${op} ${kqlString(node.value)}`);
      const l = foldCase(node.value);
      return { expr: `${lowered(str, l)} ${op} ${kqlString(l)}`, notes: foldNotes(l) };
    }
    case "matches":
      return exact(
        `${str} matches regex ${kqlString(node.nocase ? `(?i)${node.pattern}` : node.pattern)}`,
      );
    case "cidr":
      return ipTest(str, node.range);
    case "presence":
      throw new Error("presence is not a text test");
  }

  function setStrings(n: Extract<PositiveNode, { kind: "set" }>, builder: QueryBuilder): Leaf {
    if (n.list.kind === "named" && builder.options.listsAs === "watchlist") {
      const name = builder.list(n.list.name, n.nocase);
      const values = builder.options.listValues.get(n.list.name) ?? [];
      return {
        expr: `${n.nocase ? lowered(str, "i") : str} in (${name})`,
        notes: [
          ...(dynamic && values.some((v) => v.type !== "string")
            ? [
                {
                  fidelity: "narrower" as const,
                  reason: `a watchlist holds text: the non-string values of $${n.list.name} (${values.filter((v) => v.type !== "string").length}) never match a JSON number or boolean`,
                },
              ]
            : []),
          // The configured values stand for the watchlist's: KQL lower-cases them, not detc.
          ...(n.nocase
            ? values.flatMap((v) => (v.type === "string" ? foldNotes(foldCase(v.value)) : []))
            : []),
        ],
      };
    }
    const values =
      n.list.kind === "values"
        ? n.list.values
        : (builder.options.listValues.get(n.list.name) ?? []);
    const strings = [
      ...new Set(
        values
          .filter((v) => v.type === "string")
          .map((v) => (n.nocase ? foldCase(v.value as string) : (v.value as string))),
      ),
    ];
    if (strings.length === 0) return exact("false");
    const subject = n.nocase ? lowered(str, strings.join("")) : str;
    const expr =
      strings.length === 1
        ? `${subject} == ${kqlString(strings[0]!)}`
        : `${subject} in (${strings.map(kqlString).join(", ")})`;
    return { expr, notes: n.nocase ? strings.flatMap(foldNotes) : [] };
  }
}

/** Non-string members of a value set, for a dynamic value. */
function typedSetMembers(
  node: Extract<PositiveNode, { kind: "set" }>,
  v: string,
  b: QueryBuilder,
): string[] {
  const values =
    node.list.kind === "values"
      ? node.list.values
      : b.options.listsAs === "inline"
        ? (b.options.listValues.get(node.list.name) ?? [])
        : [];
  const numbers = [
    ...new Set(values.filter((x) => x.type === "number").map((x) => kqlReal(x.value as number))),
  ];
  const bools = [
    ...new Set(values.filter((x) => x.type === "boolean").map((x) => String(x.value))),
  ];
  const out: string[] = [];
  if (numbers.length)
    out.push(
      `${isNumber(v)} and toreal(${v}) ${numbers.length === 1 ? `== ${numbers[0]}` : `in (${numbers.join(", ")})`}`,
    );
  if (bools.length)
    out.push(
      `${isBool(v)} and tobool(${v}) ${bools.length === 1 ? `== ${bools[0]}` : `in (${bools.join(", ")})`}`,
    );
  return out;
}

/** A leaf over a dynamic value: exact, with gettype() keeping detc's types apart. */
function dynamicLeaf(node: PositiveNode, v: string, b: QueryBuilder): Leaf {
  const str = `tostring(${v})`;
  switch (node.kind) {
    case "compare":
      switch (node.value.type) {
        case "string": {
          const text = textLeaf(node, str, b, true);
          const s = node.nocase ? foldCase(node.value.value) : node.value.value;
          return {
            expr: textOfNonString(s) ? and(isString(v), text.expr) : text.expr,
            notes: text.notes,
          };
        }
        case "number":
          return exact(`${isNumber(v)} and toreal(${v}) == ${kqlReal(node.value.value)}`);
        case "boolean":
          return exact(`${isBool(v)} and tobool(${v}) == ${node.value.value}`);
      }
    // falls through: unreachable (every value type returns)
    case "order": {
      if (node.value.type === "number") {
        const cmp = { lt: "<", le: "<=", gt: ">", ge: ">=" }[node.op];
        return exact(`${isNumber(v)} and toreal(${v}) ${cmp} ${kqlReal(node.value.value)}`);
      }
      if (node.value.type === "string") {
        const text = textLeaf(node, str, b, true);
        return { expr: and(isString(v), text.expr), notes: text.notes };
      }
      return exact("false");
    }
    case "set": {
      const text = textLeaf(node, str, b, true);
      const strings = text.expr === "false" ? [] : [and(isString(v), text.expr)];
      return { expr: or(...strings, ...typedSetMembers(node, v, b)), notes: text.notes };
    }
    case "string":
    case "matches":
    case "cidr": {
      const text = textLeaf(node, str, b, true);
      return { expr: and(isString(v), text.expr), notes: text.notes };
    }
    case "presence":
      switch (node.op) {
        case "is_null":
          return exact(`isnull(${v})`);
        case "is_not_null":
          return exact(`isnotnull(${v})`);
        case "is_empty":
          return exact(emptyDynamic(v));
        case "is_not_empty":
          return exact(not(emptyDynamic(v)));
      }
  }
}

function emptyDynamic(v: string): string {
  return `isnull(${v}) or (${isString(v)} and tostring(${v}) == "") or (gettype(${v}) in ("array", "dictionary") and tostring(${v}) in ("[]", "{}"))`;
}

/** A leaf over a string column: "" stands for missing, so null and "" collapse (reported). */
function stringColumnLeaf(node: PositiveNode, c: Column, b: QueryBuilder): Leaf {
  const name = c.name;
  const field = c.path!.join(".");
  const collapse = (what: string) =>
    `Log Analytics stores a missing ${field} as "" in ${name}: ${what}`;
  switch (node.kind) {
    case "presence":
      switch (node.op) {
        case "is_null":
          return {
            expr: `isempty(${name})`,
            notes: [
              {
                fidelity: "broader",
                reason: collapse(`is_null (isempty) also matches ${field} = ""`),
              },
            ],
          };
        case "is_not_null":
          return {
            expr: `isnotempty(${name})`,
            notes: [
              {
                fidelity: "narrower",
                reason: collapse(`is_not_null (isnotempty) misses ${field} = ""`),
              },
            ],
          };
        case "is_empty":
          return exact(`isempty(${name})`);
        case "is_not_empty":
          return exact(`isnotempty(${name})`);
      }
    // falls through: unreachable
    case "compare": {
      if (node.value.type !== "string") return exact("false"); // CloudTrail writes a string here
      if (node.value.value === "")
        return {
          expr: `isempty(${name})`,
          notes: [
            {
              fidelity: "broader",
              reason: collapse(`eq "" (isempty) also matches a missing ${field}`),
            },
          ],
        };
      return textLeaf(node, name, b);
    }
    case "order": {
      if (node.value.type !== "string") return exact("false");
      const text = textLeaf(node, name, b);
      // "" is the least string: a missing field (read as "") must not pass lt/le; a present "" should.
      const emptyPasses = truth(node, "", b.options.listValues);
      if (!emptyPasses) return text;
      return {
        expr: and(`isnotempty(${name})`, text.expr),
        notes: [
          ...text.notes,
          {
            fidelity: "narrower",
            reason: collapse(
              `${node.op} cannot hold for ${field} = "" without holding for a missing one, so neither matches`,
            ),
          },
        ],
      };
    }
    case "set": {
      const text = textLeaf(node, name, b);
      const hasEmpty =
        node.list.kind === "values"
          ? node.list.values.some((v) => v.type === "string" && v.value === "")
          : b.options.listsAs === "inline" &&
            (b.options.listValues.get(node.list.name) ?? []).some(
              (v) => v.type === "string" && v.value === "",
            );
      if (!hasEmpty) return text;
      return {
        expr: text.expr,
        notes: [
          ...text.notes,
          {
            fidelity: "broader",
            reason: collapse(`a list holding "" also matches a missing ${field}`),
          },
        ],
      };
    }
    case "string":
    case "matches": {
      const text = textLeaf(node, name, b);
      if (!truth(node, "", b.options.listValues)) return text;
      return {
        expr: and(`isnotempty(${name})`, text.expr),
        notes: [
          ...text.notes,
          {
            fidelity: "narrower",
            reason: collapse(
              `a test that "" passes cannot tell a present "" from a missing ${field}, so neither matches`,
            ),
          },
        ],
      };
    }
    case "cidr":
      return textLeaf(node, name, b);
  }
}

/**
 * A leaf over a bool column: ReadOnly/ManagementEvent hold CloudTrail's JSON booleans,
 * SessionMfaAuthenticated CloudTrail's strings "true"/"false". The reference evaluator decides the
 * leaf for each value CloudTrail writes there and for a missing one; the KQL selects those rows.
 */
function finiteColumnLeaf(node: PositiveNode, c: Column, b: QueryBuilder): Leaf {
  const raw = (kql: boolean): string | boolean => (c.kind === "bool" ? kql : String(kql));
  if (node.kind === "set" && node.list.kind === "named" && b.options.listsAs === "watchlist") {
    if (c.kind === "bool") {
      const booleans = (b.options.listValues.get(node.list.name) ?? []).filter(
        (v) => v.type === "boolean",
      ).length;
      return {
        expr: "false",
        notes: booleans
          ? [
              {
                fidelity: "narrower",
                reason: `a watchlist holds text, ${c.name} a boolean: the boolean values of $${node.list.name} never match`,
              },
            ]
          : [],
      };
    }
    const name = b.list(node.list.name, node.nocase);
    return exact(`isnotnull(${c.name}) and tostring(${c.name}) in (${name})`);
  }
  const holds = (value: string | boolean | undefined) => truth(node, value, b.options.listValues);
  const onTrue = holds(raw(true));
  const onFalse = holds(raw(false));
  const onMissing = holds(undefined);
  const key = `${onTrue ? "t" : ""}${onFalse ? "f" : ""}${onMissing ? "n" : ""}`;
  const forms: Record<string, string> = {
    "": "false",
    t: `${c.name} == true`,
    f: `${c.name} == false`,
    n: `isnull(${c.name})`,
    tf: `isnotnull(${c.name})`,
    // null != x is true in KQL (a null and a non-null value are unequal).
    tn: `${c.name} != false`,
    fn: `${c.name} != true`,
    tfn: "true",
  };
  return exact(forms[key]!);
}

function timeColumnLeaf(node: PositiveNode, c: Column): Leaf | { unsupported: string } {
  const field = c.path!.join(".");
  if (node.kind === "presence")
    return exact(
      node.op === "is_null" || node.op === "is_empty"
        ? `isnull(${c.name})`
        : `isnotnull(${c.name})`,
    );
  const literals: IrValue[] =
    node.kind === "compare" || node.kind === "order"
      ? [node.value]
      : node.kind === "set" && node.list.kind === "values"
        ? node.list.values
        : [];
  const supported =
    (node.kind === "compare" ||
      node.kind === "order" ||
      (node.kind === "set" && node.list.kind === "values")) &&
    !("nocase" in node && node.nocase) &&
    literals.every((v) => v.type !== "string" || cloudTrailTime.test(v.value));
  if (!supported)
    return {
      unsupported: `${c.name} holds ${field} as a datetime, not as CloudTrail's text: only presence tests and comparisons with a time written as CloudTrail writes it (2026-01-31T12:00:00Z) can be expressed`,
    };
  const time = (v: IrValue) => `datetime(${(v as { value: string }).value})`;
  switch (node.kind) {
    case "compare":
      return exact(node.value.type === "string" ? `${c.name} == ${time(node.value)}` : "false");
    case "order": {
      if (node.value.type !== "string") return exact("false");
      const cmp = { lt: "<", le: "<=", gt: ">", ge: ">=" }[node.op];
      // A null datetime compares to null, not false: keep the leaf definite for its negation.
      return exact(`isnotnull(${c.name}) and ${c.name} ${cmp} ${time(node.value)}`);
    }
    case "set": {
      const times = literals.filter((v) => v.type === "string").map(time);
      // == rather than in(): a null datetime is unequal (false), where in() could give null.
      return exact(or(...times.map((t) => `${c.name} == ${t}`)));
    }
    default:
      throw new Error("unreachable: only compare, order and value sets reach here");
  }
}

function objectLeaf(node: PositiveNode, members: Column[], path: string): Leaf {
  const empty = and(
    ...members.map((m) => (m.type === "string" ? `isempty(${m.name})` : `isnull(${m.name})`)),
  );
  const why = `the table keeps only the members of ${path} that have columns (${members.map((m) => m.name).join(", ")}); other members, and members holding "", look absent`;
  if (node.kind === "presence") {
    switch (node.op) {
      case "is_null":
      case "is_empty":
        return {
          expr: `(${empty})`,
          notes: [{ fidelity: "broader", reason: `${node.op} of ${path}: ${why}` }],
        };
      case "is_not_null":
      case "is_not_empty":
        return {
          expr: `not(${empty})`,
          notes: [{ fidelity: "narrower", reason: `${node.op} of ${path}: ${why}` }],
        };
    }
  }
  // Every other positive test is false on an object (CloudTrail documents these as objects).
  return exact("false");
}

function leaf(node: PositiveNode, negated: boolean, b: QueryBuilder, level: Level): string {
  const operand = b.operand(node.path, level);
  let result: Leaf;
  switch (operand.kind) {
    case "none":
      b.note("unsupported", operand.why, node.origin);
      return "false";
    case "missing":
      result = exact(truth(positive(node), undefined, b.options.listValues) ? "true" : "false");
      break;
    case "object":
      result = objectLeaf(positive(node), operand.members, printPath(node.path));
      break;
    case "dynamic":
      result = dynamicLeaf(positive(node), operand.expr, b);
      // A JSON column with nothing in it ("" when the field is missing) parses to no value either.
      if (operand.jsonRoot && node.kind === "presence")
        result = {
          expr:
            node.op === "is_null" || node.op === "is_empty"
              ? or(`isempty(${operand.jsonRoot.name})`, result.expr)
              : and(`isnotempty(${operand.jsonRoot.name})`, result.expr),
          notes: result.notes,
        };
      break;
    case "column": {
      const c = operand.column;
      if (c.kind === "string") result = stringColumnLeaf(positive(node), c, b);
      else if (c.kind === "bool" || c.kind === "boolText")
        result = finiteColumnLeaf(positive(node), c, b);
      else {
        const time = timeColumnLeaf(positive(node), c);
        if ("unsupported" in time) {
          b.note("unsupported", time.unsupported, node.origin);
          return "false";
        }
        result = time;
      }
      break;
    }
  }
  for (const n of result.notes)
    b.note(negated ? flip(n.fidelity) : n.fidelity, n.reason, node.origin);
  return negated ? not(result.expr) : result.expr;
}

// ---------------------------------------------------------------------------------------------
// The condition

const visitor: IrVisitor<string, { b: QueryBuilder; level: Level }> = {
  const: (node) => (node.value ? "true" : "false"),
  and: (node, ctx) => and(...node.items.map((i) => condition(i, ctx))),
  or: (node, ctx) => or(...node.items.map((i) => condition(i, ctx))),
  quantified: (node, { b, level }) => {
    const wanted = node.quantifier === "any";
    let arrayExpr: string;
    if (level.root !== undefined)
      arrayExpr = node.path.self ? level.root : dynamicPath(level.root, node.path.segments);
    else {
      const operand = b.operand(node.path, level);
      if (operand.kind === "none") {
        b.note("unsupported", operand.why, node.origin);
        return "false";
      }
      // Typed columns, flattened objects and missing values are never arrays: no elements.
      if (operand.kind !== "dynamic") return wanted ? "false" : "true";
      arrayExpr = operand.expr;
    }
    const n = b.fresh();
    const array = `array${n}`;
    const index = `index${n}`;
    const element = `element${n}`;
    const result = `${node.quantifier}${n}`;
    // Only a top-level any/all leaves columns in the result (inner ones end in their summarize).
    if (level.root === undefined) b.helpers.push(array, result);
    const inner: Level = { stages: [], root: element };
    const body = condition(node.body, { b, level: inner });
    const real = `${index} < array_length(${array})`;
    const aggregate = wanted
      ? `countif(${and(real, body)}) > 0`
      : `countif(${and(real, not(body))}) == 0`;
    level.stages.push(
      `extend ${array} = iff(gettype(${arrayExpr}) == "array", ${arrayExpr}, dynamic([]))`,
      // range(0, n) has n + 1 items, so an empty array still yields one row: the count keeps rows.
      [
        `mv-apply ${index} = range(0, array_length(${array})) to typeof(long) on (`,
        indent(
          [
            `extend ${element} = ${array}[${index}]`,
            ...inner.stages,
            `summarize ${result} = ${aggregate}`,
          ].join("\n| "),
          4,
        ),
        "    )",
      ].join("\n"),
    );
    return result;
  },
  compare: (node, { b, level }) => {
    // ne is exactly not eq: emit the complement of eq.
    const negated = node.op === "ne";
    return leaf({ ...node, op: "eq" }, negated, b, level);
  },
  order: (node, { b, level }) => leaf(node, node.negated, b, level),
  set: (node, { b, level }) => leaf(node, node.negated, b, level),
  string: (node, { b, level }) => leaf(node, node.negated, b, level),
  matches: (node, { b, level }) => leaf(node, node.negated, b, level),
  cidr: (node, { b, level }) => leaf(node, node.negated, b, level),
  presence: (node, { b, level }) => leaf(node, false, b, level),
};

function indent(text: string, n: number): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

function condition(node: IrNode, ctx: { b: QueryBuilder; level: Level }): string {
  return visitIr(visitor, node, ctx);
}

/** Does the node read only typed columns (no JSON, no any/all)? Then it can filter first. */
function typedOnly(node: IrNode): boolean {
  switch (node.kind) {
    case "const":
      return true;
    case "and":
    case "or":
      return node.items.every(typedOnly);
    case "quantified":
      return false;
    default: {
      if (node.path.self) return false;
      const resolved = resolvePath(node.path.segments);
      return resolved.kind !== "column" || resolved.column.kind !== "json";
    }
  }
}

/** Does the node contain an any/all? */
function quantifies(node: IrNode): boolean {
  return (
    node.kind === "quantified" ||
    ((node.kind === "and" || node.kind === "or") && node.items.some(quantifies))
  );
}

/**
 * The condition split into the pipeline's parts: top-level conjuncts over typed columns filter
 * first, then those over JSON columns, then any/all (mv-apply is the costly part) and the rest.
 */
export function conditionParts(
  root: IrNode,
  b: QueryBuilder,
): { prefilter: string[]; jsonFilter: string[]; stages: string[]; filter: string[] } {
  const items = root.kind === "and" ? root.items : [root];
  const prefilter: string[] = [];
  const jsonFilter: string[] = [];
  const filter: string[] = [];
  const top: Level = { stages: [], root: undefined };
  for (const item of items) {
    const expr = condition(item, { b, level: top });
    if (expr === "true") continue;
    const bucket = typedOnly(item) ? prefilter : quantifies(item) ? filter : jsonFilter;
    bucket.push(expr);
  }
  if ([prefilter, jsonFilter, filter].some((p) => p.includes("false"))) {
    // Nothing can match: no stages run, so none of their columns exist.
    b.helpers.length = 0;
    return { prefilter: ["false"], jsonFilter: [], stages: [], filter: [] };
  }
  return { prefilter, jsonFilter, stages: top.stages, filter };
}
