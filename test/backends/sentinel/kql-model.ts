// A small model of KQL, for the subset the Sentinel backend emits, evaluated over Kusto.Language's own
// syntax tree: it runs a generated query on AWSCloudTrail rows built from CloudTrail events, so the
// tests can compare its verdicts with the reference evaluator's. It encodes KQL's documented
// semantics (null == x is false, null != x is true, three-valued and/or, where drops non-true rows,
// mv-apply applies the subquery to each row's expansion, summarize without `by` yields one row) — a
// model, not Sentinel: it checks how the backend composes queries, not Microsoft's engine.
import { createRequire } from "node:module";
import ipaddr from "ipaddr.js";
import { RE2JS } from "re2js";
import { columns, tableName, tableSchema } from "../../../src/backends/sentinel/mapping.js";
import type { JsonValue } from "../../../src/syntax/ast.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** A dynamic value: JSON, with `null` for a null dynamic. */
interface Dyn {
  dyn: JsonValue;
}
type Value = string | number | boolean | null | Dyn | { date: number };
type Row = Map<string, Value>;

const isDyn = (v: Value): v is Dyn => v !== null && typeof v === "object" && "dyn" in v;
const isDate = (v: Value): v is { date: number } =>
  v !== null && typeof v === "object" && "date" in v;

let K: Any;
let globals: Any;
let kindNames: Map<number, string>;

function init(): void {
  if (K) return;
  const require = createRequire(import.meta.url);
  require("@kusto/language-service-next/bridge.js");
  require("@kusto/language-service-next/Kusto.Language.Bridge.js");
  K = (globalThis as Any).Kusto.Language;
  const S = K.Symbols;
  const table = new S.TableSymbol.$ctor7(tableName, tableSchema(), null);
  const watchlist = new S.FunctionSymbol.$ctor16(
    "_GetWatchlist",
    "(watchlistAlias:string)",
    "{ datatable(SearchKey:string, WatchlistItem:dynamic)[] }",
    null,
  );
  globals = K.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor("m", [table, watchlist]));
  kindNames = new Map(
    Object.entries(K.Syntax.SyntaxKind as Record<string, unknown>)
      .filter(([, v]) => typeof v === "number")
      .map(([k, v]) => [v as number, k]),
  );
}

const kind = (n: Any): string => kindNames.get(n.Kind) ?? "?";

/** Significant children: tokens dropped, lists and separated elements flattened. */
function kids(n: Any): Any[] {
  const out: Any[] = [];
  for (let i = 0; i < n.ChildCount; i++) {
    const c = n.GetChild(i);
    if (!c || c.IsToken) continue;
    const k = kind(c);
    if (k === "List" || k === "SeparatedElement") out.push(...kids(c));
    else out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CloudTrail event → AWSCloudTrail row (the connector, as mapping.ts documents it)

/** The row for an event, or undefined when a typed field holds a type CloudTrail never writes there. */
export function rowFor(event: { [key: string]: JsonValue }): Row | undefined {
  const row: Row = new Map();
  for (const c of columns) {
    let raw: JsonValue | undefined = event;
    const path = c.path ?? ["\u0000none"];
    for (const [i, s] of path.entries()) {
      // The objects CloudTrail nests these fields in (userIdentity, sessionContext, tlsDetails…).
      const nonObject =
        raw !== undefined && raw !== null && (typeof raw !== "object" || Array.isArray(raw));
      if (i > 0 && nonObject) return undefined;
      raw =
        raw !== null && typeof raw === "object" && !Array.isArray(raw) && Object.hasOwn(raw, s)
          ? raw[s]
          : undefined;
    }
    if (raw === null) raw = undefined;
    switch (c.kind) {
      case "string":
        if (raw !== undefined && typeof raw !== "string") return undefined;
        row.set(c.name, raw ?? "");
        break;
      case "bool":
        if (raw !== undefined && typeof raw !== "boolean") return undefined;
        row.set(c.name, raw ?? null);
        break;
      case "boolText":
        if (raw !== undefined && raw !== "true" && raw !== "false") return undefined;
        row.set(c.name, raw === undefined ? null : raw === "true");
        break;
      case "timeText":
        if (
          raw !== undefined &&
          (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(raw))
        )
          return undefined;
        row.set(c.name, raw === undefined ? null : { date: Date.parse(raw) });
        break;
      case "json":
        if (raw !== undefined && (typeof raw !== "object" || raw === null)) return undefined;
        row.set(c.name, raw === undefined ? "" : JSON.stringify(raw));
        break;
    }
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Expressions

interface Env {
  row: Row;
  lets: Map<string, Value>;
}

function gettype(v: Value): string {
  if (!isDyn(v)) throw new Error("gettype of a non-dynamic value");
  const d = v.dyn;
  if (d === null) return "null";
  if (typeof d === "string") return "string";
  if (typeof d === "boolean") return "bool";
  if (typeof d === "number") return Number.isInteger(d) ? "long" : "real";
  return Array.isArray(d) ? "array" : "dictionary";
}

function tostring(v: Value): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (isDate(v)) return new Date(v.date).toISOString();
  const d = v.dyn;
  if (d === null) return "";
  if (typeof d === "string") return d;
  if (typeof d === "number" || typeof d === "boolean") return String(d);
  return JSON.stringify(d);
}

function equal(a: Value, b: Value): boolean | null {
  if (isDyn(a)) a = a.dyn === null ? null : (a.dyn as Value);
  if (isDyn(b)) b = b.dyn === null ? null : (b.dyn as Value);
  if (a === null && b === null) return null;
  if (a === null || b === null) return false;
  if (isDate(a) && isDate(b)) return a.date === b.date;
  return a === b;
}

function order(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (isDate(a) && isDate(b)) return Math.sign(a.date - b.date);
  if (typeof a === "number" && typeof b === "number") return Math.sign(a - b);
  throw new Error(`cannot order ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
}

function and3(a: Value, b: () => Value): Value {
  if (a === false) return false;
  const right = b();
  if (right === false) return false;
  return a === true && right === true ? true : null;
}

function or3(a: Value, b: () => Value): Value {
  if (a === true) return true;
  const right = b();
  if (right === true) return true;
  return a === false && right === false ? false : null;
}

function literal(n: Any): Value {
  const k = kind(n);
  const v = n.LiteralValue;
  if (k === "StringLiteralExpression") return v as string;
  if (k === "LongLiteralExpression") return Number(v);
  if (k === "RealLiteralExpression") return Number(v?.v ?? v);
  if (k === "BooleanLiteralExpression") return v === true || v?.v === true;
  if (k === "DateTimeLiteralExpression") return { date: Date.parse(String(v?.v ?? v)) };
  throw new Error(`literal ${k}`);
}

function inIPv4(s: string, range: string): boolean {
  const [net, bits] = ipaddr.parseCIDR(range);
  return ipaddr.IPv4.parse(s).match(net as ipaddr.IPv4, bits);
}

function inIPv6(s: string, range: string): boolean | null {
  try {
    const [net, bits] = ipaddr.parseCIDR(range);
    const address = ipaddr.parse(s);
    if (address.kind() !== "ipv6") return null;
    return (address as ipaddr.IPv6).match(net as ipaddr.IPv6, bits);
  } catch {
    return null;
  }
}

function call(name: string, args: Any[], env: Env): Value {
  const v = (i: number) => evalExpr(args[i], env);
  switch (name) {
    case "not": {
      const x = v(0);
      return x === null ? null : !x;
    }
    case "isempty":
      return (
        tostring(v(0)) === "" &&
        (v(0) === null || typeof v(0) === "string" || (isDyn(v(0)) && (v(0) as Dyn).dyn === null))
      );
    case "isnotempty":
      return !call("isempty", args, env);
    case "isnull": {
      const x = v(0);
      return x === null || (isDyn(x) && x.dyn === null);
    }
    case "isnotnull":
      return !call("isnull", args, env);
    case "gettype":
      return gettype(v(0));
    case "tostring":
      return tostring(v(0));
    case "toreal": {
      const x = v(0);
      const d = isDyn(x) ? x.dyn : x;
      return typeof d === "number" ? d : null;
    }
    case "tobool": {
      const x = v(0);
      const d = isDyn(x) ? x.dyn : x;
      return typeof d === "boolean" ? d : null;
    }
    case "tolower":
      // .NET's invariant lower-casing: one code point for one (İ becomes i, no final-sigma rule).
      return [...tostring(v(0))]
        .map((c) => (c === "\u0130" ? "i" : c === "\u03a3" ? "\u03c3" : c.toLowerCase()))
        .join("");
    case "replace_string":
      return tostring(v(0))
        .split(tostring(v(1)))
        .join(tostring(v(2)));
    case "replace_regex":
      return tostring(v(0)).replace(new RegExp(tostring(v(1)), "g"), tostring(v(2)));
    case "strcmp": {
      const a = tostring(v(0));
      const b = tostring(v(1));
      return a === b ? 0 : a < b ? -1 : 1; // UTF-16 unit order, as .NET's ordinal comparison
    }
    case "ipv4_is_in_range":
      return inIPv4(tostring(v(0)), tostring(v(1)));
    case "ipv6_is_in_range":
      return inIPv6(tostring(v(0)), tostring(v(1)));
    case "coalesce": {
      for (let i = 0; i < args.length; i++) {
        const x = v(i);
        if (x !== null) return x;
      }
      return null;
    }
    case "iff":
      return v(0) === true ? v(1) : v(2);
    case "array_length": {
      const x = v(0);
      return isDyn(x) && Array.isArray(x.dyn) ? x.dyn.length : null;
    }
    case "range": {
      const a = v(0) as number | null;
      const b = v(1) as number | null;
      if (a === null || b === null) return { dyn: null };
      return { dyn: Array.from({ length: b - a + 1 }, (_, i) => a + i) };
    }
    case "parse_json": {
      const s = tostring(v(0));
      if (s === "") return { dyn: null };
      try {
        return { dyn: JSON.parse(s) as JsonValue };
      } catch {
        return { dyn: s };
      }
    }
    case "bag_pack": {
      const out: { [key: string]: JsonValue } = {};
      for (let i = 0; i + 1 < args.length; i += 2) {
        const x = v(i + 1);
        out[tostring(v(i))] = isDyn(x)
          ? x.dyn
          : isDate(x)
            ? new Date(x.date).toISOString()
            : (x as JsonValue);
      }
      return { dyn: out };
    }
    default:
      throw new Error(`the model has no function ${name}`);
  }
}

function listItems(list: Any, env: Env): Value[] {
  const out: Value[] = [];
  for (const item of kids(list)) {
    const x = evalExpr(item, env);
    if (isDyn(x) && Array.isArray(x.dyn)) out.push(...(x.dyn as Value[]));
    else out.push(x);
  }
  return out;
}

function member(base: Value, key: string | number): Value {
  if (!isDyn(base)) throw new Error("member of a non-dynamic value");
  const d = base.dyn;
  if (typeof key === "number")
    return { dyn: Array.isArray(d) && key >= 0 && key < d.length ? d[key]! : null };
  if (d !== null && typeof d === "object" && !Array.isArray(d) && Object.hasOwn(d, key))
    return { dyn: d[key]! };
  return { dyn: null };
}

const stringOps: Record<string, (a: string, b: string) => boolean> = {
  ContainsCsExpression: (a, b) => a.includes(b),
  StartsWithCsExpression: (a, b) => a.startsWith(b),
  EndsWithCsExpression: (a, b) => a.endsWith(b),
};

export function evalExpr(n: Any, env: Env): Value {
  const k = kind(n);
  const c = kids(n);
  switch (k) {
    case "ParenthesizedExpression":
      return evalExpr(c[0], env);
    case "NameReference": {
      const name = n.SimpleName as string;
      if (env.row.has(name)) return env.row.get(name)!;
      if (env.lets.has(name)) return env.lets.get(name)!;
      if (name === "true" || name === "false") return name === "true";
      throw new Error(`unknown name ${name}`);
    }
    case "PathExpression":
      return member(evalExpr(c[0], env), c[1].SimpleName as string);
    case "ElementExpression": {
      const key = evalExpr(kids(c[1])[0], env);
      return member(evalExpr(c[0], env), typeof key === "number" ? key : tostring(key));
    }
    case "FunctionCallExpression":
      return call(c[0].SimpleName as string, kids(c[1]), env);
    case "DynamicExpression":
      return {
        dyn: JSON.parse(
          String(n.ToString())
            .trim()
            .replace(/^dynamic\(/, "")
            .replace(/\)$/, ""),
        ) as JsonValue,
      };
    case "AndExpression":
      return and3(evalExpr(c[0], env), () => evalExpr(c[1], env));
    case "OrExpression":
      return or3(evalExpr(c[0], env), () => evalExpr(c[1], env));
    case "EqualExpression":
      return equal(evalExpr(c[0], env), evalExpr(c[1], env));
    case "NotEqualExpression": {
      const e = equal(evalExpr(c[0], env), evalExpr(c[1], env));
      return e === null ? null : !e;
    }
    case "LessThanExpression":
    case "LessThanOrEqualExpression":
    case "GreaterThanExpression":
    case "GreaterThanOrEqualExpression": {
      const o = order(evalExpr(c[0], env), evalExpr(c[1], env));
      if (o === null) return null;
      return k === "LessThanExpression"
        ? o < 0
        : k === "LessThanOrEqualExpression"
          ? o <= 0
          : k === "GreaterThanExpression"
            ? o > 0
            : o >= 0;
    }
    case "ContainsCsExpression":
    case "StartsWithCsExpression":
    case "EndsWithCsExpression":
      return stringOps[k]!(tostring(evalExpr(c[0], env)), tostring(evalExpr(c[1], env)));
    case "MatchesRegexExpression":
      return RE2JS.compile(tostring(evalExpr(c[1], env)))
        .matcher(tostring(evalExpr(c[0], env)))
        .find();
    case "InExpression":
    case "NotInExpression": {
      const left = evalExpr(c[0], env);
      const found = listItems(c[1], env).some((item) => equal(left, item) === true);
      return k === "InExpression" ? found : !found;
    }
    default:
      if (k.endsWith("LiteralExpression")) return literal(n);
      throw new Error(`the model has no expression ${k}: ${n.ToString()}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Tabular operators

function aggregate(n: Any, rows: Row[], env: Env): Value {
  const k = kind(n);
  const c = kids(n);
  if (k === "FunctionCallExpression" && c[0].SimpleName === "countif") {
    const predicate = kids(c[1])[0];
    return rows.filter((row) => evalExpr(predicate, { ...env, row }) === true).length;
  }
  if (k === "GreaterThanExpression" || k === "EqualExpression") {
    const a = aggregate(c[0], rows, env) as number;
    const b = aggregate(c[1], rows, env) as number;
    return k === "GreaterThanExpression" ? a > b : a === b;
  }
  if (k.endsWith("LiteralExpression")) return literal(n);
  throw new Error(`the model has no aggregate ${k}`);
}

function runPipe(n: Any, input: Row[], env: Env): Row[] {
  const k = kind(n);
  const c = kids(n);
  if (k === "PipeExpression") return runOperator(c[1], runPipe(c[0], input, env), env);
  if (k === "NameReference") return input;
  // A subquery's first operator reads the implicit source.
  return runOperator(n, input, env);
}

function runOperator(op: Any, rows: Row[], env: Env): Row[] {
  const k = kind(op);
  const c = kids(op);
  switch (k) {
    case "FilterOperator":
      return rows.filter((row) => evalExpr(c[c.length - 1], { ...env, row }) === true);
    case "ExtendOperator":
      return rows.map((row) => {
        const out = new Map(row);
        for (const named of c) {
          const [decl, expr] = kids(named);
          out.set(
            kids(decl)[0]?.SimpleName ?? decl.ToString().trim(),
            evalExpr(expr, { ...env, row: out }),
          );
        }
        return out;
      });
    case "ProjectOperator":
      return rows.map(
        (row) => new Map(c.map((name) => [name.SimpleName as string, row.get(name.SimpleName)!])),
      );
    case "ProjectAwayOperator":
      return rows.map((row) => {
        const out = new Map(row);
        c.forEach((name) => out.delete(name.SimpleName));
        return out;
      });
    case "SummarizeOperator": {
      const out: Row = new Map();
      for (const named of c) {
        const [decl, expr] = kids(named);
        out.set(decl.ToString().trim(), aggregate(expr, rows, env));
      }
      return [out];
    }
    case "MvApplyOperator": {
      const expansion = c.find((x) => kind(x) === "MvApplyExpression");
      const subquery = c.find((x) => kind(x) === "MvApplySubqueryExpression");
      const [named] = kids(expansion);
      const [decl, expr] = kids(named);
      const name = decl.ToString().trim();
      return rows.flatMap((row) => {
        const array = evalExpr(expr, { ...env, row });
        const items = isDyn(array) && Array.isArray(array.dyn) ? array.dyn : [null];
        const sub = items.map((item) => new Map(row).set(name, item as Value));
        return runPipe(kids(subquery)[0], sub, env).map((result) => {
          const merged = new Map(row);
          merged.delete(name);
          result.forEach((value, key) => merged.set(key, value));
          return merged;
        });
      });
    }
    default:
      throw new Error(`the model has no operator ${k}`);
  }
}

const parsed = new Map<string, Any>();

/** Run a generated query on rows; named lists are the watchlists' SearchKey values. */
export function runQuery(
  query: string,
  rows: Row[],
  lists: ReadonlyMap<string, readonly string[]>,
): Row[] {
  init();
  let code = parsed.get(query);
  if (!code) parsed.set(query, (code = K.KustoCode.ParseAndAnalyze(query, globals)));
  const lets = new Map<string, Value>();
  let result: Row[] | undefined;
  for (const statement of kids(code.Syntax)) {
    const k = kind(statement);
    if (k === "LetStatement") {
      const text = query.slice(statement.TextStart as number, statement.End as number);
      const m =
        /^\s*let (\w+) = toscalar\(_GetWatchlist\("((?:[^"\\]|\\.)*)"\) \| summarize make_set\((tolower\()?SearchKey\)?\)\);?\s*$/.exec(
          text,
        );
      if (!m) throw new Error(`the model reads only watchlist lets: ${text}`);
      const values = lists.get(JSON.parse(`"${m[2]}"`) as string) ?? [];
      lets.set(m[1]!, { dyn: [...new Set(values.map((v) => (m[3] ? v.toLowerCase() : v)))] });
    } else if (k === "ExpressionStatement") {
      result = runPipe(kids(statement)[0], rows, { row: new Map(), lets });
    } else if (k === "QueryBlock" || k === "List") continue;
    else throw new Error(`the model has no statement ${k}`);
  }
  if (!result) throw new Error("no query statement");
  return result;
}
