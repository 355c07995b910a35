// The typed AST of a .det file: a discriminated union per construct, a span on every node.
import type { Span } from "../diagnostics/span.js";

export type Literal =
  | { kind: "string"; value: string; span: Span }
  /** `text` keeps the literal as written: JavaScript numbers lose digits past 2^53. */
  | { kind: "number"; value: number; text: string; span: Span }
  | { kind: "boolean"; value: boolean; span: Span }
  | { kind: "null"; span: Span };

export type PathSegment = string | number;

/** A field path; `self` is `@` (the array element inside any/all), with no segments. */
export interface FieldPath {
  kind: "path";
  segments: PathSegment[];
  self: boolean;
  span: Span;
}

export type ComparisonOperator = "eq" | "ne" | "lt" | "le" | "gt" | "ge";
export type StringOperator = "contains" | "starts_with" | "ends_with";
export type PresenceOperator = "is_null" | "is_not_null" | "is_empty" | "is_not_empty";

export type ListSource =
  { kind: "values"; values: Literal[]; span: Span } | { kind: "named"; name: string; span: Span };

export type Expr =
  | { kind: "constant"; value: boolean; span: Span }
  | { kind: "and"; operands: Expr[]; span: Span }
  | { kind: "or"; operands: Expr[]; span: Span }
  | { kind: "not"; operand: Expr; span: Span }
  | { kind: "quantified"; quantifier: "any" | "all"; path: FieldPath; body: Expr; span: Span }
  | {
      kind: "compare";
      op: ComparisonOperator;
      path: FieldPath;
      value: Literal;
      nocase: boolean;
      span: Span;
    }
  | {
      kind: "set";
      negated: boolean;
      path: FieldPath;
      list: ListSource;
      nocase: boolean;
      span: Span;
    }
  | {
      kind: "string";
      op: StringOperator;
      path: FieldPath;
      value: Literal;
      nocase: boolean;
      span: Span;
    }
  | { kind: "matches"; path: FieldPath; pattern: string; nocase: boolean; span: Span }
  /** `nocase` is never valid on cidr or presence tests; it is kept so the checks can say so. */
  | { kind: "cidr"; path: FieldPath; range: string; nocase: boolean; span: Span }
  | { kind: "presence"; op: PresenceOperator; path: FieldPath; nocase: boolean; span: Span };

export type SeverityLevel = "info" | "low" | "medium" | "high" | "critical";
export const severityLevels: readonly SeverityLevel[] = [
  "info",
  "low",
  "medium",
  "high",
  "critical",
];
export type RuleStatus = "experimental" | "test" | "stable" | "deprecated";
export const ruleStatuses: readonly RuleStatus[] = ["experimental", "test", "stable", "deprecated"];

export interface AttackPair {
  tactic: string;
  technique: string;
  span: Span;
}

export interface Metadata {
  title?: string;
  description?: string;
  severity?: SeverityLevel;
  logsource?: string;
  attack: AttackPair[];
  tags: string[];
  reference: string[];
  runbook?: string;
  author: string[];
  status?: RuleStatus;
  falsepositives: string[];
  summary: FieldPath[];
  output: FieldPath[];
  enabled: boolean;
}

export type MetadataKey = Exclude<keyof Metadata, never>;
export const metadataKeys: readonly MetadataKey[] = [
  "title",
  "description",
  "severity",
  "logsource",
  "attack",
  "tags",
  "reference",
  "runbook",
  "author",
  "status",
  "falsepositives",
  "summary",
  "output",
  "enabled",
];

/** A JSON value with the span it was written at (tests' events). */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ListBinding {
  name: string;
  values: Literal[];
  span: Span;
}

export interface TestCase {
  kind: "test";
  name: string;
  expect: "matches" | "ignores";
  bindings: ListBinding[];
  /** Inline event, or the event read from `from "file.json"` (undefined when it could not be read). */
  event: { [key: string]: JsonValue } | undefined;
  fromFile?: string;
  span: Span;
}

export interface RuleDecl {
  kind: "rule";
  id: string;
  idSpan: Span;
  meta: Metadata;
  /** Where each metadata key was written (for lint and missing-key messages). */
  metaSpans: Partial<Record<MetadataKey, Span>>;
  condition: Expr | undefined;
  tests: TestCase[];
  span: Span;
}

export interface ListDecl {
  kind: "list";
  name: string;
  description: string;
  defaults: Literal[] | undefined;
  span: Span;
}

export interface RuleFile {
  kind: "file";
  path: string;
  rules: RuleDecl[];
  lists: ListDecl[];
  span: Span;
}
