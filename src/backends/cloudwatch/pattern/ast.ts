// The JSON filter-pattern language of Amazon CloudWatch Logs metric filters (documentation: "Filter
// pattern syntax for metric filters, subscription filters, filter log events, and Live Tail", the
// JSON section), as a typed tree. Only JSON patterns (`{ ... }`) are modelled: they are the only
// kind detc emits, and the only kind whose meaning over CloudTrail events is defined per field.

/** `$.a.b[0]`: key segments and fixed array indexes (the syntax has no array wildcard). */
export interface Selector {
  segments: Array<string | number>;
}

/** The right-hand side of `=` / `!=`. */
export type PatternValue =
  /** A quoted (`"a b"`) or bare (`abc`, `123.123.*`) string; `*` is a wildcard in both, with no escape. */
  | { kind: "string"; value: string; quoted: boolean }
  /** A number written bare (`5`, `-1.5`, `1e3`): a numeric comparison. */
  | { kind: "number"; value: number; text: string }
  /** `%regex%`: the documented restricted regex subset (no parentheses). */
  | { kind: "regex"; source: string };

export type EqualityOperator = "=" | "!=";
export type NumericOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type PatternNode =
  | { kind: "and"; items: PatternNode[] }
  | { kind: "or"; items: PatternNode[] }
  | { kind: "compare"; selector: Selector; op: NumericOperator; value: PatternValue }
  /** `IS NULL` (present with the JSON value null), `IS TRUE`, `IS FALSE` (JSON booleans only). */
  | { kind: "is"; selector: Selector; test: "NULL" | "TRUE" | "FALSE" }
  /** `NOT EXISTS`: the selector reaches no value (a present null exists). */
  | { kind: "notExists"; selector: Selector };

/** A whole JSON pattern: `{ <expression> }`. */
export interface JsonPattern {
  body: PatternNode;
}

/** Documented limits the parser and the renderer enforce. */
export const patternLimits = {
  /** Characters in a filter pattern. */
  maxLength: 1024,
  /** `%regex%` terms in one JSON or space-delimited pattern. */
  maxRegexes: 2,
} as const;
