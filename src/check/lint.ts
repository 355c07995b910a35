// `detc lint`: checks of what is valid but probably not what the author meant. Each check is a
// small function over one rule; findings are diagnostics with stable codes (src/diagnostics/codes.ts).
import { tactic, technique } from "../attack/attack.js";
import type { Backend } from "../backends/types.js";
import { compileRules } from "../compile/compile.js";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { joinSpans, type Span } from "../diagnostics/span.js";
import { resolvePath } from "../eval/values.js";
import { presenceComplement } from "../ir/lower.js";
import { printIr, printPath } from "../ir/print.js";
import type { IrNode, IrPath, IrValue } from "../ir/types.js";
import type { LoadedRule, Project } from "../project/project.js";
import type { Expr, FieldPath, JsonValue, Literal } from "../syntax/ast.js";
import awsOperations from "./aws-operations.json" with { type: "json" };
import { cloudTrailRecord, knownLogSources, type FieldType } from "./cloudtrail-schema.js";
import { closest, resolveField } from "./schema-lookup.js";

export interface LintOptions {
  /** Targets whose non-exact translations are findings. */
  targets: readonly Backend[];
  listValues: ReadonlyMap<string, readonly IrValue[]>;
  targetOptions: Record<string, Record<string, unknown>>;
}

type Report = (d: Diagnostic) => void;

const typeName = (t: FieldType) =>
  t.kind === "object" ? "an object" : t.kind === "array" ? "an array" : `a ${t.kind}`;
const literalName = (l: Literal) =>
  l.kind === "string"
    ? `the string ${JSON.stringify(l.value)}`
    : l.kind === "number"
      ? `the number ${l.text}`
      : l.kind === "boolean"
        ? `${l.value}`
        : "null";

/** A path written in the rule, with the span of each segment (for precise findings). */
function segmentSpan(path: FieldPath, index: number): Span {
  // Spans of single segments are not kept in the AST; the whole path is precise enough.
  void index;
  return path.span;
}

// ---- fields against the CloudTrail schema ----------------------------------------------------

function checkFields(rule: LoadedRule, report: Report): void {
  const visit = (expr: Expr, element: FieldType | undefined, where: string): void => {
    switch (expr.kind) {
      case "constant":
        return;
      case "and":
      case "or":
        expr.operands.forEach((e) => visit(e, element, where));
        return;
      case "not":
        visit(expr.operand, element, where);
        return;
      case "quantified": {
        const resolved = checkPath(expr.path, element, where, report, undefined);
        const inner =
          resolved?.kind === "array"
            ? resolved.of
            : resolved?.kind === "open"
              ? resolved
              : undefined;
        visit(expr.body, inner ?? { kind: "open" }, `the elements of ${printPath(expr.path)}`);
        return;
      }
      default: {
        const type = expr.path.self ? element : checkPath(expr.path, element, where, report, expr);
        if (type) checkType(expr, type, where, report);
      }
    }
  };
  if (rule.decl.condition) visit(rule.decl.condition, undefined, "a CloudTrail record");
}

/** Check a path; return its type when known. `element` is the array element's type inside any/all. */
function checkPath(
  path: FieldPath,
  element: FieldType | undefined,
  where: string,
  report: Report,
  leaf: Expr | undefined,
): FieldType | undefined {
  if (path.self) return element;
  const root = element ?? cloudTrailRecord;
  const resolution = resolveField(root, path.segments);
  const printed = printPath({ segments: path.segments, self: false });
  if (resolution.status === "unknown") {
    const name = String(path.segments[resolution.index]);
    const suggestion = closest(name, resolution.known);
    const prefix = path.segments.slice(0, resolution.index);
    const finding = diag("unknown-field", segmentSpan(path, resolution.index), [
      printed,
      where,
      suggestion
        ? `: did you mean '${printPath({ segments: [...prefix, suggestion], self: false })}'?`
        : "",
    ]);
    // Field names are case-sensitive: a field that differs only in case never matches, so fixing it is safe.
    if (suggestion && suggestion.toLowerCase() === name.toLowerCase()) {
      finding.fix = {
        span: path.span,
        replacement: printPath({
          segments: [...prefix, suggestion, ...path.segments.slice(resolution.index + 1)],
          self: false,
        }),
      };
    }
    report(finding);
    return undefined;
  }
  if (resolution.status === "through-array") {
    const arrayPath = printPath({
      segments: path.segments.slice(0, resolution.index),
      self: false,
    });
    report(diag("array-without-quantifier", path.span, [printed, arrayPath]));
    return undefined;
  }
  if (leaf && resolution.type.kind === "array" && leaf.kind !== "presence") {
    report(diag("array-without-quantifier", path.span, [printed, printed]));
    return undefined;
  }
  return resolution.type;
}

function checkType(expr: Expr, type: FieldType, where: string, report: Report): void {
  if (type.kind === "open" || type.kind === "object" || type.kind === "array") return;
  const path =
    "path" in expr
      ? printPath({
          segments: (expr as { path: FieldPath }).path.segments,
          self: (expr as { path: FieldPath }).path.self,
        })
      : "";
  const mismatch = (literal: Literal) => {
    const finding = diag("type-mismatch", literal.span, [
      path,
      type.kind,
      where,
      literalName(literal),
    ]);
    // An account id written as a number: quoting it is what the author meant.
    if (type.kind === "string" && literal.kind === "number" && /^\d+$/.test(literal.text)) {
      finding.fix = { span: literal.span, replacement: JSON.stringify(literal.text) };
    }
    report(finding);
  };
  const fits = (literal: Literal) =>
    literal.kind === "null" ||
    (type.kind === "string" && literal.kind === "string") ||
    (type.kind === "boolean" && literal.kind === "boolean") ||
    (type.kind === "number" && literal.kind === "number");
  switch (expr.kind) {
    case "compare":
      if (!fits(expr.value)) mismatch(expr.value);
      return;
    case "set":
      if (expr.list.kind === "values") expr.list.values.filter((v) => !fits(v)).forEach(mismatch);
      return;
    case "string":
      if (type.kind !== "string")
        report(
          diag("type-mismatch", expr.span, [
            path,
            type.kind,
            where,
            `the string operator ${expr.op}`,
          ]),
        );
      return;
    case "matches":
    case "cidr":
      if (type.kind !== "string")
        report(
          diag("type-mismatch", expr.span, [
            path,
            type.kind,
            where,
            expr.kind === "cidr" ? "a CIDR range" : "a regex",
          ]),
        );
      return;
    default:
      return;
  }
}

// ---- arrays met by the test events -----------------------------------------------------------

/** A path that meets an array in a test event (outside any/all) can never match there. */
function checkArraysInEvents(rule: LoadedRule, report: Report): void {
  if (!rule.ir) return;
  const reported = new Set<string>();
  // An array the rule already iterates somewhere is handled on purpose (e.g. `x.a eq 1 or any x (a eq 1)`).
  const iterated = new Set<string>();
  const collect = (node: IrNode) => {
    if (node.kind === "and" || node.kind === "or") node.items.forEach(collect);
    else if (node.kind === "quantified") iterated.add(printPath(node.path));
  };
  collect(rule.ir.condition);
  const visit = (node: IrNode) => {
    if (node.kind === "and" || node.kind === "or") return node.items.forEach(visit);
    if (node.kind === "quantified" || node.kind === "const" || !("path" in node) || node.path.self)
      return;
    const key = printPath(node.path);
    if (reported.has(key)) return;
    for (const test of rule.decl.tests) {
      const at = arrayOnPath(test.event, node.path);
      if (
        at !== undefined &&
        !iterated.has(printPath({ segments: node.path.segments.slice(0, at), self: false }))
      ) {
        reported.add(key);
        report(
          diag("array-in-test-event", node.origin, [
            key,
            printPath({ segments: node.path.segments.slice(0, at), self: false }),
            JSON.stringify(test.name),
          ]),
        );
        return;
      }
    }
  };
  visit(rule.ir.condition);
}

function arrayOnPath(event: JsonValue | undefined, path: IrPath): number | undefined {
  let current: JsonValue | undefined = event;
  for (let i = 0; i < path.segments.length; i++) {
    const segment = path.segments[i]!;
    if (Array.isArray(current) && typeof segment === "string") return i;
    current = resolvePath(current, { segments: [segment], self: false });
    if (current === undefined) return undefined;
  }
  return undefined;
}

// ---- eventName / eventSource against AWS's API models ----------------------------------------

/** Built on first use: only `detc lint` needs it, and every command loads this module. */
let operationsCache: Map<string, Set<string>> | undefined;
function operations(): Map<string, Set<string>> {
  operationsCache ??= new Map(
    Object.entries(awsOperations.eventSources).map(([s, ops]) => [s, new Set(ops)]),
  );
  return operationsCache;
}

/** Events CloudTrail records that are not API operations (sign-in, service events…). */
const nonApiEvents: Record<string, readonly string[]> = {
  "signin.amazonaws.com": [
    "ConsoleLogin",
    "CheckMfa",
    "ExitRole",
    "SwitchRole",
    "RenewRole",
    "GetSigninToken",
    "PasswordUpdated",
    "UserAuthentication",
    "CredentialChallenge",
    "CredentialVerification",
    "PasswordRecoveryRequested",
    "PasswordRecoveryCompleted",
  ],
  "sso.amazonaws.com": [
    "Authenticate",
    "Federate",
    "GetRoleCredentials",
    "ListAccounts",
    "ListAccountRoles",
    "Logout",
  ],
  "health.amazonaws.com": ["AWSHealthEvent"],
};
const nonApiEverywhere = new Set([
  "AwsServiceEvent",
  "AwsConsoleAction",
  "AwsConsoleSignIn",
  "AwsApiCall",
]);

/**
 * Names CloudTrail records that the API models lack: S3 bucket operations CloudTrail names
 * differently ("Amazon S3 CloudTrail events"), and operations newer than the aws-sdk v2 models.
 */
const cloudTrailNames: Record<string, readonly string[]> = {
  "s3.amazonaws.com": [
    "PutBucketPublicAccessBlock",
    "GetBucketPublicAccessBlock",
    "DeleteBucketPublicAccessBlock",
  ],
  "sts.amazonaws.com": ["AssumeRoot"],
};

/** Lambda records versioned names: UpdateFunctionConfiguration20150331v2. */
const normaliseEventName = (source: string | undefined, name: string) =>
  source === "lambda.amazonaws.com" || source === undefined
    ? name.replace(/\d{8}(v\d+)?$/, "")
    : name;

function knownOperation(source: string, name: string): boolean {
  if (
    nonApiEverywhere.has(name) ||
    nonApiEvents[source]?.includes(name) ||
    cloudTrailNames[source]?.includes(name)
  )
    return true;
  return operations().get(source)?.has(normaliseEventName(source, name)) ?? false;
}

/** Values a top-level conjunct pins a field to: `f eq "x"` or `f in [...]` (case-sensitive). */
function pinnedValues(node: IrNode, field: string): Array<{ value: string; span: Span }> {
  const items = node.kind === "and" ? node.items : [node];
  const out: Array<{ value: string; span: Span }> = [];
  for (const item of items) {
    const candidates = item.kind === "or" ? item.items : [item];
    for (const c of candidates) {
      if (
        (c.kind === "compare" && c.op === "eq") ||
        (c.kind === "set" && !c.negated && c.list.kind === "values")
      ) {
        if (c.path.self || c.path.segments.length !== 1 || c.path.segments[0] !== field) continue;
        const values =
          c.kind === "compare" ? [c.value] : c.list.kind === "values" ? c.list.values : [];
        for (const v of values)
          if (v.type === "string") out.push({ value: v.value, span: c.origin });
      }
    }
  }
  return out;
}

function checkEventNames(rule: LoadedRule, report: Report): void {
  if (!rule.ir || rule.decl.meta.logsource !== "aws.cloudtrail") return;
  const sources = pinnedValues(rule.ir.condition, "eventSource");
  for (const s of sources) {
    if (operations().has(s.value) || nonApiEvents[s.value]) continue;
    const suggestion = closest(s.value, operations().keys());
    report(
      diag("unknown-event-source", s.span, [
        s.value,
        suggestion ? `: did you mean '${suggestion}'?` : "",
      ]),
    );
  }
  const knownSources = sources
    .map((s) => s.value)
    .filter((v) => operations().has(v) || nonApiEvents[v]);
  for (const e of pinnedValues(rule.ir.condition, "eventName")) {
    if (knownSources.length > 0) {
      if (knownSources.some((s) => knownOperation(s, e.value))) continue;
      const candidates = knownSources.flatMap((s) => [
        ...(operations().get(s) ?? []),
        ...(nonApiEvents[s] ?? []),
      ]);
      const suggestion = closest(e.value, candidates);
      report(
        diag("unknown-event-name", e.span, [
          e.value,
          knownSources.join(" or "),
          suggestion ? `: did you mean '${suggestion}'?` : "",
        ]),
      );
    } else if (sources.length === 0) {
      // No event source pinned: the name must at least be an operation of some service.
      if (
        [...operations().keys()].some((s) => knownOperation(s, e.value)) ||
        Object.values(nonApiEvents).some((l) => l.includes(e.value))
      )
        continue;
      report(diag("unknown-event-name", e.span, [e.value, "any AWS service", ""]));
    }
  }
}

// ---- contradictions and tautologies ----------------------------------------------------------

const sameValue = (a: IrValue, b: IrValue, nocase: boolean) =>
  a.type === b.type &&
  (a.type === "string" && nocase
    ? a.value.toLowerCase() === (b as typeof a).value.toLowerCase()
    : a.value === b.value);

/** Leaves that are only true when the field is present. */
const needsValue = (n: IrNode) =>
  (n.kind === "compare" && n.op === "eq") ||
  (n.kind === "set" && !n.negated) ||
  (n.kind === "order" && !n.negated) ||
  ((n.kind === "string" || n.kind === "matches" || n.kind === "cidr") && !n.negated) ||
  (n.kind === "presence" && (n.op === "is_not_null" || n.op === "is_not_empty"));

function leafKey(n: IrNode): string | undefined {
  return "path" in n && n.kind !== "quantified" ? printPath(n.path) : undefined;
}

function checkJunctions(rule: LoadedRule, report: Report): void {
  if (!rule.ir) return;
  const top = rule.ir.condition;
  if (top.kind === "const") {
    report(
      diag(top.value ? "tautology" : "contradiction", top.origin, [
        `the condition reduces to ${top.value}`,
      ]),
    );
    return;
  }
  const visit = (node: IrNode) => {
    if (node.kind === "quantified") return visit(node.body);
    if (node.kind !== "and" && node.kind !== "or") return;
    node.items.forEach(visit);
    const leaves = node.items.filter((i) => leafKey(i) !== undefined);
    for (let i = 0; i < leaves.length; i++) {
      for (let j = i + 1; j < leaves.length; j++) {
        const a = leaves[i]!;
        const b = leaves[j]!;
        if (leafKey(a) !== leafKey(b)) continue;
        const why = node.kind === "and" ? contradicts(a, b) : complements(a, b);
        if (why)
          report(
            diag(
              node.kind === "and" ? "contradiction" : "tautology",
              joinSpans(a.origin, b.origin),
              [why],
            ),
          );
      }
    }
  };
  visit(top);
}

function contradicts(a: IrNode, b: IrNode): string | undefined {
  const both = `${printIr(a)} and ${printIr(b)}`;
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    if (x.kind === "presence" && x.op === "is_null" && needsValue(y))
      return `${both}: a missing field has no value`;
    if (x.kind === "presence" && y.kind === "presence" && presenceComplement[x.op] === y.op)
      return both;
    if (x.kind === "compare" && x.op === "eq" && !x.nocase) {
      if (y.kind === "compare" && y.op === "eq" && !y.nocase && !sameValue(x.value, y.value, false))
        return `${both}: one field cannot hold two values`;
      if (y.kind === "compare" && y.op === "ne" && sameValue(x.value, y.value, y.nocase))
        return both;
      if (y.kind === "set" && y.list.kind === "values" && !y.nocase) {
        const member = y.list.values.some((v) => sameValue(x.value, v, false));
        if (member === y.negated) return both;
      }
    }
  }
  return undefined;
}

function complements(a: IrNode, b: IrNode): string | undefined {
  const both = `${printIr(a)} or ${printIr(b)}`;
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    if (x.kind === "presence" && y.kind === "presence" && presenceComplement[x.op] === y.op)
      return both;
    if (
      x.kind === "compare" &&
      y.kind === "compare" &&
      x.op === "eq" &&
      y.op === "ne" &&
      x.nocase === y.nocase &&
      sameValue(x.value, y.value, x.nocase)
    )
      return both;
    if (
      x.kind === "set" &&
      y.kind === "set" &&
      x.negated !== y.negated &&
      x.nocase === y.nocase &&
      JSON.stringify(x.list) === JSON.stringify(y.list)
    )
      return both;
  }
  return undefined;
}

// ---- `all` over a possibly empty array -------------------------------------------------------

function checkAllOnEmpty(rule: LoadedRule, report: Report): void {
  const visit = (expr: Expr, siblings: Expr[]) => {
    switch (expr.kind) {
      case "and":
        expr.operands.forEach((e) => visit(e, expr.operands));
        return;
      case "or":
        expr.operands.forEach((e) => visit(e, []));
        return;
      case "not":
        visit(expr.operand, []);
        return;
      case "quantified": {
        if (expr.quantifier === "all") {
          const printed = printPath({ segments: expr.path.segments, self: false });
          const guarded = siblings.some(
            (s) =>
              s.kind === "presence" &&
              (s.op === "is_not_empty" || s.op === "is_not_null") &&
              printPath({ segments: s.path.segments, self: s.path.self }) === printed,
          );
          if (!guarded) report(diag("all-on-empty", expr.span, [printed]));
        }
        visit(expr.body, []);
        return;
      }
      default:
        return;
    }
  };
  if (rule.decl.condition) visit(rule.decl.condition, []);
}

// ---- metadata, ATT&CK, tests ------------------------------------------------------------------

function checkMetadata(rule: LoadedRule, report: Report): void {
  const { meta, id, idSpan, metaSpans } = { ...rule.decl };
  if (meta.logsource !== undefined && !knownLogSources.includes(meta.logsource)) {
    report(
      diag("unknown-logsource", metaSpans.logsource ?? idSpan, [
        meta.logsource,
        knownLogSources.join(", "),
      ]),
    );
  }
  if (meta.attack.length === 0) report(diag("missing-attack", idSpan, [id]));
  for (const pair of meta.attack) {
    const shown = `${pair.tactic}:${pair.technique}`;
    const t = tactic(pair.tactic);
    const tech = technique(pair.technique);
    if (!t)
      report(
        diag("unknown-attack", pair.span, [
          shown,
          `${pair.tactic} is not an ATT&CK Enterprise tactic`,
        ]),
      );
    else if (!tech)
      report(
        diag("unknown-attack", pair.span, [
          shown,
          `${pair.technique} is not an ATT&CK Enterprise technique`,
        ]),
      );
    else if (tech.revoked || tech.deprecated)
      report(
        diag("unknown-attack", pair.span, [
          shown,
          `${pair.technique} (${tech.name}) is ${tech.revoked ? "revoked" : "deprecated"}`,
        ]),
      );
    else if (!tech.tactics.includes(t.shortname)) {
      report(
        diag("unknown-attack", pair.span, [
          shown,
          `${pair.technique} (${tech.name}) does not belong to ${t.name}; it is under ${tech.tactics.join(", ")}`,
        ]),
      );
    }
  }
  const missing: Array<[string, boolean]> = [
    ["description", meta.description === undefined],
    ["runbook", meta.runbook === undefined],
    ["reference", meta.reference.length === 0],
    ["output fields", meta.output.length === 0],
  ];
  for (const [what, absent] of missing)
    if (absent) report(diag("missing-metadata", idSpan, [id, what]));
  if (!rule.decl.tests.some((t) => t.expect === "matches"))
    report(diag("missing-test", idSpan, [id, "matches"]));
  if (!rule.decl.tests.some((t) => t.expect === "ignores"))
    report(diag("missing-test", idSpan, [id, "ignores"]));
}

const fidelityCode = {
  broader: "fidelity-broader",
  narrower: "fidelity-narrower",
  unsupported: "fidelity-unsupported",
} as const;

/** Every check, over every rule of the project that has no errors. */
export function lintProject(project: Project, options: LintOptions): Diagnostic[] {
  const findings: Diagnostic[] = [];
  const report: Report = (d) => findings.push(d);
  for (const rule of project.rules) {
    if (!rule.ir) continue;
    checkMetadata(rule, report);
    checkFields(rule, report);
    checkArraysInEvents(rule, report);
    checkEventNames(rule, report);
    checkJunctions(rule, report);
    checkAllOnEmpty(rule, report);
  }
  const compiled = compileRules(project, {
    targets: options.targets,
    listValues: options.listValues,
    targetOptions: options.targetOptions,
  });
  for (const rule of compiled) {
    for (const [target, result] of rule.targets) {
      for (const note of result.notes)
        report(
          diag(fidelityCode[note.fidelity], note.span, [`${target} (${rule.ruleId})`, note.reason]),
        );
    }
  }
  // One finding per code and place: several checks may see the same problem.
  const seen = new Set<string>();
  return findings.filter((d) => {
    const key = `${d.code}|${d.span.file}|${d.span.offset}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
