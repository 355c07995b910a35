// Checks a KQL query the way Sentinel would read it, offline: Microsoft's Kusto.Language (the
// @kusto/language-service-next package) parses and analyses the query against the AWSCloudTrail
// schema declared in mapping.ts, and detc adds the checks the analyser does not make but that
// translators get wrong (targets.md §0): a comparison whose left side is a constant (a dotted
// field written as a string, `'requestParameters.x' == "x"`), isnull()/isnotnull() on a string
// (never true in Log Analytics), comparisons across types (`EventName == 5`) and regexes RE2 rejects.
//
// The package is loaded on first use (it takes ~0.3 s, and the first analysis ~1 s), so compiling
// never pays for it; build one checker per process and reuse it (~5 ms a query after that).
import { createRequire } from "node:module";
import { compileRegex } from "../../eval/regex.js";
import { tableName, tableSchema } from "./mapping.js";

export interface KqlProblem {
  severity: "error" | "warning";
  /** The analyser's code (KSnnn) or detc's own (KQLnnn). */
  code: string;
  message: string;
  /** Offset and length in the query text. */
  start: number;
  length: number;
}

export interface KqlChecker {
  /** Every problem in the query: an empty list means Sentinel's parser and these checks accept it. */
  check(query: string): KqlProblem[];
  /** The value of one KQL string literal as Kusto reads it; undefined when it is not one literal. */
  stringLiteralValue(literal: string): string | undefined;
}

// Kusto.Language compiled to JavaScript by Bridge.NET: loosely typed here on purpose (the package's
// own typings describe the C# API through Bridge's generics).
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** Sentinel's watchlist function, as the workspace declares it. */
const getWatchlist = {
  name: "_GetWatchlist",
  parameters: "(watchlistAlias:string)",
  body: "{ datatable(SearchKey:string, WatchlistItem:dynamic, LastUpdatedTimeUTC:datetime, _DTItemId:string)[] }",
};

const numeric = new Set(["int", "long", "real", "decimal"]);
const category = (type: string) => (numeric.has(type) ? "number" : type);

/** Binary operators that compare their two sides (a constant on the left means a mistranslation). */
const comparison =
  /^(Equal|NotEqual|EqualTilde|BangTilde|LessThan|LessThanOrEqual|GreaterThan|GreaterThanOrEqual|Has|HasCs|NotHas|NotHasCs|Contains|ContainsCs|NotContains|NotContainsCs|StartsWith|StartsWithCs|NotStartsWith|NotStartsWithCs|EndsWith|EndsWithCs|NotEndsWith|NotEndsWithCs|MatchesRegex|Like|LikeCs|NotLike|NotLikeCs|HasPrefix|HasSuffix|In|InCs|NotIn|NotInCs|HasAny|HasAll|Between|NotBetween)Expression$/;
const typedEquality =
  /^(Equal|NotEqual|LessThan|LessThanOrEqual|GreaterThan|GreaterThanOrEqual)Expression$/;

/** A checker with its own Kusto global state (the AWSCloudTrail table and _GetWatchlist). */
export function createKqlChecker(): KqlChecker {
  const require = createRequire(import.meta.url);
  require("@kusto/language-service-next/bridge.js");
  require("@kusto/language-service-next/Kusto.Language.Bridge.js");
  const K: Any = (globalThis as Any).Kusto.Language;
  const S = K.Symbols;
  const table = new S.TableSymbol.$ctor7(tableName, tableSchema(), null);
  const watchlist = new S.FunctionSymbol.$ctor16(
    getWatchlist.name,
    getWatchlist.parameters,
    getWatchlist.body,
    null,
  );
  const globals = K.GlobalState.Default.WithDatabase(
    new S.DatabaseSymbol.ctor("sentinel", [table, watchlist]),
  );
  const kindNames = new Map<number, string>(
    Object.entries(K.Syntax.SyntaxKind as Record<string, unknown>)
      .filter(([, v]) => typeof v === "number")
      .map(([k, v]) => [v as number, k]),
  );

  const typeName = (expr: Any): string =>
    (expr?.ResultType?.Name as string | undefined) ?? "unknown";
  const problem = (code: string, message: string, node: Any): KqlProblem => ({
    severity: "error",
    code,
    message,
    start: node.TextStart as number,
    length: node.Width as number,
  });

  function check(query: string): KqlProblem[] {
    const code = K.KustoCode.ParseAndAnalyze(query, globals);
    const problems: KqlProblem[] = [];
    const diagnostics = code.GetDiagnostics();
    for (let i = 0; i < diagnostics.Count; i++) {
      const d = diagnostics.getItem(i);
      if (d.Severity !== "Error" && d.Severity !== "Warning") continue;
      problems.push({
        severity: d.Severity === "Error" ? "error" : "warning",
        code: d.Code,
        message: d.Message,
        start: d.Start,
        length: d.Length,
      });
    }
    code.Syntax.WalkElements((node: Any) => {
      const className = String(node.constructor?.$$name ?? "").replace(
        "Kusto.Language.Syntax.",
        "",
      );
      const kind = kindNames.get(node.Kind) ?? "";
      if (node.Left !== undefined && comparison.test(kind)) {
        const leftClass = String(node.Left.constructor?.$$name ?? "");
        if (leftClass.endsWith(".LiteralExpression"))
          problems.push(
            problem(
              "KQL001",
              `the left side of this comparison is the constant ${node.Left.ToString().trim()}, not a column: a field inside a JSON column is read with parse_json(Column).path`,
              node,
            ),
          );
      }
      if (typedEquality.test(kind) && node.Left !== undefined && node.Right !== undefined) {
        const left = typeName(node.Left);
        const right = typeName(node.Right);
        const known = (t: string) => t !== "dynamic" && t !== "unknown" && t !== "error";
        if (known(left) && known(right) && category(left) !== category(right))
          problems.push(
            problem(
              "KQL002",
              `compares a ${left} with a ${right}: the two can never be equal or ordered`,
              node,
            ),
          );
      }
      if (className === "FunctionCallExpression") {
        const name = node.Name?.SimpleName as string | undefined;
        const args = node.ArgumentList?.Expressions;
        if ((name === "isnull" || name === "isnotnull") && args?.Count === 1) {
          const arg = args.getItem(0).Element;
          if (typeName(arg) === "string")
            problems.push(
              problem(
                "KQL003",
                `${name}() of a string is ${name === "isnull" ? "never true" : "always true"} (Log Analytics has no null string): use ${name === "isnull" ? "isempty" : "isnotempty"}()`,
                node,
              ),
            );
        }
      }
      if (kind === "MatchesRegexExpression") {
        const pattern = node.Right?.LiteralValue;
        if (typeof pattern === "string") {
          const compiled = compileRegex(pattern, false);
          if (!compiled.ok)
            problems.push(
              problem("KQL004", `the regex is not valid RE2: ${compiled.error}`, node.Right),
            );
        }
      }
    });
    return problems.sort((a, b) => a.start - b.start || (a.code < b.code ? -1 : 1));
  }

  function stringLiteralValue(literal: string): string | undefined {
    const code = K.KustoCode.ParseAndAnalyze(`print x = ${literal}`, globals);
    if (code.GetDiagnostics().Count > 0) return undefined;
    const found: string[] = [];
    let count = 0;
    code.Syntax.WalkElements((node: Any) => {
      if (String(node.constructor?.$$name ?? "").endsWith(".LiteralExpression")) {
        count++;
        if (typeof node.LiteralValue === "string") found.push(node.LiteralValue);
      }
    });
    return count === 1 && found.length === 1 ? found[0] : undefined;
  }

  return { check, stringLiteralValue };
}
