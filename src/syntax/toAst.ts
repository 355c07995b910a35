// CST → AST: one pass, small functions per construct. Syntax-level checks (escapes, block-string
// margins, metadata shapes, duplicate keys) are reported here; meaning is checked in src/check.
import type { CstNode, IToken } from "chevrotain";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { fileStart, joinSpans, type LineIndex, type Span } from "../diagnostics/span.js";
import type {
  AttackPair,
  ComparisonOperator,
  Expr,
  FieldPath,
  JsonValue,
  ListBinding,
  ListDecl,
  ListSource,
  Literal,
  Metadata,
  MetadataKey,
  PathSegment,
  PresenceOperator,
  RuleDecl,
  RuleFile,
  StringOperator,
  TestCase,
} from "./ast.js";
import { ruleStatuses, severityLevels, type RuleStatus, type SeverityLevel } from "./ast.js";
import type * as C from "./cst.js";

/** Reads a test event from `from "file.json"`; supplied by the caller (no I/O here). */
export type EventFileReader = (
  relativePath: string,
  span: Span,
) => { value: { [key: string]: JsonValue } | undefined; diagnostics: Diagnostic[] };

/** The keys every rule needs, with what to write when one is missing. */
const requiredKeys: ReadonlyArray<["title" | "severity" | "logsource" | "condition", string]> = [
  ["title", 'a title such as title "AMI deleted"'],
  ["severity", "severity info, low, medium, high or critical"],
  ["logsource", "a log source such as logsource aws.cloudtrail"],
  ["condition", "condition followed by an expression"],
];

const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  private readonly fileName: string;

  constructor(
    private readonly lines: LineIndex,
    private readonly readEventFile: EventFileReader,
  ) {
    this.fileName = lines.file;
  }

  private tokenSpan(token: IToken): Span {
    return this.lines.tokenSpan(token);
  }

  private nodeSpan(node: CstNode): Span {
    return this.lines.locationSpan(node.location!);
  }

  private real(tokens: IToken[] | undefined): IToken | undefined {
    const token = tokens?.[0];
    return token && !token.isInsertedInRecovery && !Number.isNaN(token.startOffset)
      ? token
      : undefined;
  }

  // ---- file ---------------------------------------------------------------------------------
  file(cst: C.FileCstNode): RuleFile {
    const rules = (cst.children.ruleDecl ?? [])
      .map((r) => this.ruleDecl(r))
      .filter((r): r is RuleDecl => !!r);
    const lists = (cst.children.listDecl ?? [])
      .map((l) => this.listDecl(l))
      .filter((l): l is ListDecl => !!l);
    const span: Span =
      cst.location && !Number.isNaN(cst.location.startOffset)
        ? this.nodeSpan(cst)
        : fileStart(this.fileName);
    return { kind: "file", path: this.fileName, rules, lists, span };
  }

  listDecl(cst: C.ListDeclCstNode): ListDecl | undefined {
    const name = this.real(cst.children.name);
    const description = this.real(cst.children.description);
    if (!name) return undefined;
    const defaults = cst.children.defaults?.[0]
      ? this.valueList(cst.children.defaults[0])
      : undefined;
    return {
      kind: "list",
      name: name.image,
      description: description ? this.stringToken(description) : "",
      defaults,
      span: this.nodeSpan(cst),
    };
  }

  // ---- rule ---------------------------------------------------------------------------------
  ruleDecl(cst: C.RuleDeclCstNode): RuleDecl | undefined {
    const idToken = this.real(cst.children.id);
    if (!idToken) return undefined;
    const idSpan = this.tokenSpan(idToken);
    const id = this.stringToken(idToken);
    if (id.trim() === "") this.diagnostics.push(diag("empty-rule-id", idSpan));
    const meta: Metadata = {
      attack: [],
      tags: [],
      reference: [],
      author: [],
      falsepositives: [],
      summary: [],
      output: [],
      enabled: true,
    };
    const metaSpans: Partial<Record<MetadataKey, Span>> = {};
    // One label's nodes are in the order they were parsed: source order.
    for (const entry of cst.children.metadataEntry ?? [])
      this.metadataEntry(entry, meta, metaSpans);

    let condition: Expr | undefined;
    let conditionSpan: Span | undefined;
    for (const entry of cst.children.conditionEntry ?? []) {
      const keyword = this.real(entry.children.Condition);
      const expr = entry.children.orExpr?.[0] ? this.orExpr(entry.children.orExpr[0]) : undefined;
      if (conditionSpan && keyword) {
        this.diagnostics.push(
          diag("duplicate-metadata-key", this.tokenSpan(keyword), ["condition"]),
        );
        continue;
      }
      if (keyword) conditionSpan = this.tokenSpan(keyword);
      condition = expr;
    }

    const tests = (cst.children.testDecl ?? [])
      .map((t) => this.testDecl(t))
      .filter((t): t is TestCase => !!t);
    const span = this.nodeSpan(cst);
    for (const [key, expected] of requiredKeys) {
      const present = key === "condition" ? conditionSpan !== undefined : meta[key] !== undefined;
      // A key that is present but malformed already has its own diagnostic.
      const written = key === "condition" ? conditionSpan : metaSpans[key];
      if (!present && !written)
        this.diagnostics.push(diag("missing-required-key", idSpan, [id, key, expected]));
    }
    return { kind: "rule", id, idSpan, meta, metaSpans, condition, tests, span };
  }

  private metadataEntry(
    cst: C.MetadataEntryCstNode,
    meta: Metadata,
    spans: Partial<Record<MetadataKey, Span>>,
  ) {
    const keyToken = this.real(cst.children.key);
    if (!keyToken) return;
    const key = keyToken.image as MetadataKey;
    const keySpan = this.tokenSpan(keyToken);
    if (spans[key]) {
      this.diagnostics.push(diag("duplicate-metadata-key", keySpan, [key]));
      return;
    }
    // A value that error recovery made up has no location; the syntax error is already reported.
    const values = cst.children.values ?? [];
    if (values.some((v) => v.recoveredNode || !v.location || Number.isNaN(v.location.startOffset)))
      return;
    spans[key] = keySpan;
    const bad = (expected: string, at: Span = keySpan) =>
      this.diagnostics.push(diag("invalid-metadata-value", at, [key, expected]));
    // The one value of a single-valued key (else reported: `expected` names what one value is).
    const single = (expected: () => string): C.MetadataValueCstNode | undefined => {
      if (values.length === 1) return values[0];
      bad(`one value: ${expected()}`, values[1] ? this.nodeSpan(values[1]) : keySpan);
      return undefined;
    };
    switch (key) {
      case "title":
      case "description":
      case "runbook": {
        const v = single(() => "a string");
        const s = v && this.metadataText(v);
        if (v && s === undefined) bad("a string", this.nodeSpan(v));
        if (s !== undefined) meta[key] = s;
        return;
      }
      case "severity":
      case "status":
      case "logsource": {
        const allowed: readonly string[] | undefined =
          key === "severity" ? severityLevels : key === "status" ? ruleStatuses : undefined;
        const expected = () =>
          allowed
            ? `one of ${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}`
            : "a log source name such as aws.cloudtrail";
        const v = single(expected);
        if (!v) return;
        const path = this.metadataWord(v);
        const name = path ? path.segments.join(".") : this.metadataText(v);
        if (name === undefined || (allowed && !allowed.includes(name))) {
          bad(expected(), this.nodeSpan(v));
          return;
        }
        if (key === "severity") meta.severity = name as SeverityLevel;
        else if (key === "status") meta.status = name as RuleStatus;
        else meta.logsource = name;
        return;
      }
      case "attack":
        for (const v of values) {
          const pair = this.real(v.children.AttackPair);
          if (!pair || !/^TA\d{4}:T\d{4}(?:\.\d{3})?$/.test(pair.image)) {
            const quoted = this.metadataText(v);
            const shown =
              pair?.image ??
              (quoted !== undefined
                ? JSON.stringify(quoted)
                : (this.metadataWord(v)?.segments.join(".") ?? ""));
            this.diagnostics.push(diag("invalid-attack", this.nodeSpan(v), [shown]));
            continue;
          }
          const [tactic, technique] = pair.image.split(":") as [string, string];
          const item: AttackPair = { tactic, technique, span: this.tokenSpan(pair) };
          meta.attack.push(item);
        }
        return;
      case "tags":
      case "reference":
      case "author":
      case "falsepositives": {
        const out: string[] = [];
        for (const v of values) {
          const s = this.metadataText(v);
          if (s === undefined) bad("a comma list of strings", this.nodeSpan(v));
          else out.push(s);
        }
        meta[key] = out;
        return;
      }
      case "summary":
      case "output":
        for (const v of values) {
          const path = this.metadataWord(v);
          if (!path) bad("a comma list of field paths such as userIdentity.arn", this.nodeSpan(v));
          else meta[key].push(path);
        }
        return;
      case "enabled": {
        const v = single(() => "true or false");
        if (!v) return;
        if (this.real(v.children.True)) meta.enabled = true;
        else if (this.real(v.children.False)) meta.enabled = false;
        else bad("true or false", this.nodeSpan(v));
        return;
      }
    }
  }

  /** A metadata value's text: a string or a block string (undefined for anything else). */
  private metadataText(v: C.MetadataValueCstNode): string | undefined {
    const s = this.real(v.children.StringLiteral);
    if (s) return this.stringToken(s);
    const b = this.real(v.children.BlockString);
    if (b) return this.blockString(b);
    return undefined;
  }

  /** A metadata value written as a bare, possibly dotted name. */
  private metadataWord(v: C.MetadataValueCstNode): FieldPath | undefined {
    const n = v.children.dottedName?.[0];
    return n ? this.pathOf(n.children.head, n.children) : undefined;
  }

  // ---- tests --------------------------------------------------------------------------------
  testDecl(cst: C.TestDeclCstNode): TestCase | undefined {
    const nameToken = this.real(cst.children.name);
    const expectation = this.real(cst.children.expectation);
    if (!nameToken || !expectation) return undefined;
    const bindings: ListBinding[] = [];
    for (const b of cst.children.binding ?? []) {
      const name = this.real(b.children.name);
      if (!name || !b.children.valueList?.[0]) continue;
      bindings.push({
        name: name.image,
        values: this.valueList(b.children.valueList[0]),
        span: this.nodeSpan(b),
      });
    }
    let event: TestCase["event"];
    let fromFile: string | undefined;
    const inline = cst.children.event?.[0];
    const fileToken = this.real(cst.children.file);
    if (inline) {
      event = this.jsonObject(inline);
    } else if (fileToken) {
      fromFile = this.stringToken(fileToken);
      const read = this.readEventFile(fromFile, this.tokenSpan(fileToken));
      this.diagnostics.push(...read.diagnostics);
      event = read.value;
    }
    const test: TestCase = {
      kind: "test",
      name: this.stringToken(nameToken),
      expect: expectation.image === "matches" ? "matches" : "ignores",
      bindings,
      event,
      span: this.nodeSpan(cst),
    };
    if (fromFile !== undefined) test.fromFile = fromFile;
    return test;
  }

  // ---- conditions ---------------------------------------------------------------------------
  orExpr(cst: C.OrExprCstNode): Expr | undefined {
    const operands = (cst.children.operands ?? [])
      .map((o) => this.andExpr(o))
      .filter((e): e is Expr => !!e);
    if (operands.length === 0) return undefined;
    if (operands.length === 1) return operands[0];
    return { kind: "or", operands, span: this.nodeSpan(cst) };
  }

  andExpr(cst: C.AndExprCstNode): Expr | undefined {
    const operands = (cst.children.operands ?? [])
      .map((o) => this.unaryExpr(o))
      .filter((e): e is Expr => !!e);
    if (operands.length === 0) return undefined;
    if (operands.length === 1) return operands[0];
    return { kind: "and", operands, span: this.nodeSpan(cst) };
  }

  unaryExpr(cst: C.UnaryExprCstNode): Expr | undefined {
    const c = cst.children;
    if (c.Not && c.operand?.[0]) {
      const operand = this.unaryExpr(c.operand[0]);
      return operand && { kind: "not", operand, span: this.nodeSpan(cst) };
    }
    if (c.group?.[0]) {
      const inner = c.group[0].children.orExpr?.[0];
      return inner && this.orExpr(inner);
    }
    if (c.quantified?.[0]) return this.quantified(c.quantified[0]);
    const constant = this.real(c.constant);
    if (constant)
      return { kind: "constant", value: constant.image === "true", span: this.tokenSpan(constant) };
    if (c.predicate?.[0]) return this.predicate(c.predicate[0]);
    return undefined;
  }

  quantified(cst: C.QuantifiedCstNode): Expr | undefined {
    const q = this.real(cst.children.quantifier);
    const pathNode = cst.children.path?.[0];
    const bodyNode = cst.children.body?.[0];
    if (!q || !pathNode || !bodyNode) return undefined;
    const path = this.path(pathNode);
    const body = this.orExpr(bodyNode);
    if (!path || !body) return undefined;
    return {
      kind: "quantified",
      quantifier: q.image === "any" ? "any" : "all",
      path,
      body,
      span: this.nodeSpan(cst),
    };
  }

  predicate(cst: C.PredicateCstNode): Expr | undefined {
    const c = cst.children;
    const selfToken = this.real(c.self);
    const path: FieldPath | undefined = selfToken
      ? { kind: "path", segments: [], self: true, span: this.tokenSpan(selfToken) }
      : c.path?.[0] && this.path(c.path[0]);
    const operator = this.real(c.operator);
    if (!path || !operator) return undefined;
    const span = this.nodeSpan(cst);
    const nocase = c.Nocase !== undefined && c.Nocase.some((t) => !t.isInsertedInRecovery);
    const op = operator.image;
    if (["eq", "ne", "lt", "le", "gt", "ge"].includes(op)) {
      const value = c.value?.[0] && this.value(c.value[0]);
      return value && { kind: "compare", op: op as ComparisonOperator, path, value, nocase, span };
    }
    if (op === "contains" || op === "starts_with" || op === "ends_with") {
      const value = c.value?.[0] && this.value(c.value[0]);
      return value && { kind: "string", op: op as StringOperator, path, value, nocase, span };
    }
    if (op === "in" || op === "not_in") {
      let list: ListSource | undefined;
      const ref = this.real(c.ListRef);
      if (ref) list = { kind: "named", name: ref.image.slice(1), span: this.tokenSpan(ref) };
      else if (c.valueList?.[0]) {
        list = {
          kind: "values",
          values: this.valueList(c.valueList[0]),
          span: this.nodeSpan(c.valueList[0]),
        };
      }
      return list && { kind: "set", negated: op === "not_in", path, list, nocase, span };
    }
    if (op === "matches") {
      const re = this.real(c.RegexLiteral);
      return re && { kind: "matches", path, pattern: re.image.slice(1, -1), nocase, span };
    }
    if (op === "cidr") {
      const range = this.real(c.range);
      return range && { kind: "cidr", path, range: this.stringToken(range), nocase, span };
    }
    return { kind: "presence", op: op as PresenceOperator, path, nocase, span };
  }

  path(cst: C.PathCstNode): FieldPath | undefined {
    return this.pathOf(cst.children.head, cst.children);
  }

  private pathOf(
    headTokens: IToken[] | undefined,
    tail: C.PathCstChildren | C.DottedNameCstChildren,
  ): FieldPath | undefined {
    const head = this.real(headTokens);
    if (!head) return undefined;
    const segments: PathSegment[] = [this.segmentText(head)];
    let last = this.tokenSpan(head);
    // One label's tokens are in the order they were consumed: source order.
    for (const token of tail.segment ?? []) {
      if (token.isInsertedInRecovery || Number.isNaN(token.startOffset)) continue;
      last = this.tokenSpan(token);
      if (token.tokenType.name === "NumberLiteral") {
        const index = Number(token.image);
        if (!Number.isInteger(index) || index < 0 || /[.eE]/.test(token.image)) {
          this.diagnostics.push(diag("invalid-index", last, [token.image]));
          continue;
        }
        segments.push(index);
      } else {
        segments.push(this.segmentText(token));
      }
    }
    // A bracket after the last segment belongs to the span too.
    const closing = tail.RBracket?.filter((t) => !t.isInsertedInRecovery).pop();
    if (closing && closing.startOffset > last.offset) last = this.tokenSpan(closing);
    return { kind: "path", segments, self: false, span: joinSpans(this.tokenSpan(head), last) };
  }

  private segmentText(token: IToken): string {
    return token.tokenType.name === "StringLiteral" ? this.stringToken(token) : token.image;
  }

  // ---- values -------------------------------------------------------------------------------
  value(cst: C.ValueCstNode): Literal | undefined {
    const c = cst.children;
    const s = this.real(c.StringLiteral);
    if (s) return { kind: "string", value: this.stringToken(s), span: this.tokenSpan(s) };
    const n = this.real(c.NumberLiteral);
    if (n) return { kind: "number", value: this.number(n), text: n.image, span: this.tokenSpan(n) };
    const t = this.real(c.True);
    if (t) return { kind: "boolean", value: true, span: this.tokenSpan(t) };
    const f = this.real(c.False);
    if (f) return { kind: "boolean", value: false, span: this.tokenSpan(f) };
    const nul = this.real(c.Null);
    if (nul) return { kind: "null", span: this.tokenSpan(nul) };
    return undefined;
  }

  valueList(cst: C.ValueListCstNode): Literal[] {
    return (cst.children.items ?? []).map((v) => this.value(v)).filter((v): v is Literal => !!v);
  }

  // ---- JSON ---------------------------------------------------------------------------------
  jsonValue(cst: C.JsonValueCstNode): JsonValue | undefined {
    const c = cst.children;
    if (c.jsonObject?.[0]) return this.jsonObject(c.jsonObject[0]);
    if (c.jsonArray?.[0]) {
      return (c.jsonArray[0].children.items ?? [])
        .map((i) => this.jsonValue(i))
        .filter((v) => v !== undefined) as JsonValue[];
    }
    const s = this.real(c.StringLiteral);
    if (s) return this.stringToken(s);
    const n = this.real(c.NumberLiteral);
    if (n) return this.number(n);
    if (this.real(c.True)) return true;
    if (this.real(c.False)) return false;
    if (this.real(c.Null)) return null;
    return undefined;
  }

  jsonObject(cst: C.JsonObjectCstNode): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    const seen = new Set<string>();
    for (const member of cst.children.members ?? []) {
      const keyToken = this.real(member.children.key);
      const valueNode = member.children.jsonValue?.[0];
      if (!keyToken || !valueNode) continue;
      const key = this.stringToken(keyToken);
      if (seen.has(key)) {
        this.diagnostics.push(
          diag("duplicate-json-key", this.tokenSpan(keyToken), [keyToken.image]),
        );
        continue;
      }
      seen.add(key);
      const value = this.jsonValue(valueNode);
      if (value === undefined) continue;
      // defineProperty only for "__proto__", which plain assignment would treat as the prototype.
      if (key !== "__proto__") out[key] = value;
      else
        Object.defineProperty(out, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }

  /** A JSON number; one a double cannot hold is reported (the text is kept where it matters). */
  private number(token: IToken): number {
    const value = Number(token.image);
    if (!Number.isFinite(value)) {
      this.diagnostics.push(diag("invalid-number", this.tokenSpan(token), [token.image]));
      return 0;
    }
    if (
      !/[.eE]/.test(token.image) &&
      !Number.isSafeInteger(value) &&
      BigInt(token.image) !== BigInt(value)
    ) {
      this.diagnostics.push(diag("imprecise-number", this.tokenSpan(token), [token.image]));
    }
    return value;
  }

  // ---- strings ------------------------------------------------------------------------------
  /** Decode a `"..."` token with JSON escapes; a bad escape is reported at its own column. */
  stringToken(token: IToken): string {
    const image = token.image;
    const body = image.endsWith('"') && image.length >= 2 ? image.slice(1, -1) : image.slice(1);
    // Most strings have no escape: the slice is the value (and no rope of one-character parts).
    if (!body.includes("\\")) return body;
    let out = "";
    for (let i = 0; i < body.length; i++) {
      const ch = body[i]!;
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const next = body[i + 1];
      const simple = next === undefined ? undefined : simpleEscapes[next];
      if (simple !== undefined) {
        out += simple;
        i++;
      } else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
        i += 5;
      } else {
        const escape =
          next === undefined ? "\\" : `\\${next === "u" ? body.slice(i + 1, i + 6) : next}`;
        const at = token.startOffset + 1 + i;
        this.diagnostics.push(diag("invalid-escape", this.lines.span(at, at + 2), [`'${escape}'`]));
        i++;
      }
    }
    return out;
  }

  /** `"""` block: the closing line's indentation is the margin removed from every line. */
  blockString(token: IToken): string {
    const image = token.image;
    const start = this.lines.tokenSpan(token);
    const firstBreak = image.indexOf("\n");
    const inner = image.slice(firstBreak + 1, image.length - 3);
    const rawLines = inner.split("\n");
    const lines = rawLines.map((l) => l.replace(/\r$/, ""));
    const closing = lines.pop() ?? "";
    if (!/^[ \t]*$/.test(closing)) {
      this.diagnostics.push(
        diag("block-string-layout", this.lines.span(start.end - 3, start.end), [
          'the closing """ must stand alone on its own line',
        ]),
      );
      return lines.concat(closing).join("\n");
    }
    const margin = closing;
    const out: string[] = [];
    let lineOffset = start.offset + firstBreak + 1;
    lines.forEach((line, index) => {
      const offset = lineOffset;
      lineOffset += rawLines[index]!.length + 1;
      if (line.trim() === "") {
        out.push("");
        return;
      }
      if (!line.startsWith(margin)) {
        this.diagnostics.push(
          diag("block-string-margin", this.lines.span(offset, offset + 1), [margin.length]),
        );
        out.push(line.trimStart());
        return;
      }
      out.push(line.slice(margin.length));
    });
    return out.join("\n");
  }
}
