// A reader and checker for the subset of YARA-L 2.0 detc emits (single-event rules): a tokenizer
// and a recursive-descent parser into a small AST, then the checks Google's rule editor makes that
// matter here: sections known and in order (meta, events, match, outcome, condition, options),
// the required ones present, meta values well-formed strings, predicate syntax, event variables
// defined in `events` before `outcome` and `condition` use them, outcome variables unique and at
// most 20, `$risk_score` an integer. Never throws: every problem is a YaralError with a position.

export interface YaralError {
  line: number;
  column: number;
  message: string;
}

export interface YField {
  variable: string;
  /** The UDM path after `$e.`, map keys written `["key"]`: the UDM view's key. */
  path: string;
}

export type YValue = { kind: "string"; value: string } | { kind: "regex"; pattern: string };

export type YExpr =
  | { kind: "and"; items: YExpr[] }
  | { kind: "or"; items: YExpr[] }
  | { kind: "not"; operand: YExpr }
  | { kind: "compare"; field: YField; op: "=" | "!="; value: YValue; nocase: boolean }
  | { kind: "in"; field: YField; list: string }
  | { kind: "cidr"; field: YField; range: string }
  | { kind: "regexCall"; field: YField; pattern: string; nocase: boolean };

export type YOutcomeValue =
  | { kind: "int"; value: number }
  | { kind: "string"; value: string }
  | { kind: "field"; field: YField };

export interface YaralRule {
  name: string;
  meta: Array<{ key: string; value: string | number | boolean }>;
  /** Lines of `events`, ANDed. */
  events: YExpr[];
  outcome: Array<{ name: string; value: YOutcomeValue }>;
  /** Event variables in `condition`, joined by `and`. */
  condition: string[];
}

export interface YaralResult {
  rule: YaralRule | undefined;
  errors: YaralError[];
}

type TokenKind = "ident" | "var" | "list" | "string" | "raw" | "regex" | "number" | "punct" | "eof";

interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value of strings, raw strings and regexes. */
  value: string;
  line: number;
  column: number;
}

class YaralSyntaxError extends Error {
  constructor(
    readonly at: { line: number; column: number },
    message: string,
  ) {
    super(message);
  }
}

/** The escapes Google documents for YARA-L strings. */
const stringEscapes: Record<string, string> = { "\\": "\\", '"': '"' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (offset: number) => ({ line, column: offset - lineStart + 1 });
  const push = (
    kind: TokenKind,
    start: number,
    end: number,
    value: string,
    pos: { line: number; column: number },
  ) => tokens.push({ kind, text: text.slice(start, end), value, ...pos });
  const regexAllowed = () => {
    const last = tokens[tokens.length - 1];
    return last !== undefined && last.kind === "punct" && (last.text === "=" || last.text === "!=");
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\n") {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
      continue;
    }
    const pos = at(i);
    if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new YaralSyntaxError(pos, "unterminated /* comment");
      for (let j = i; j < end; j++) if (text[j] === "\n") (line++, (lineStart = j + 1));
      i = end + 2;
      continue;
    }
    if (ch === "/" && regexAllowed()) {
      let j = i + 1;
      let pattern = "";
      while (j < text.length && text[j] !== "/") {
        if (text[j] === "\n")
          throw new YaralSyntaxError(pos, "a regular expression must end on its line");
        if (/[\u0000-\u001f\u007f]/.test(text[j]!))
          throw new YaralSyntaxError(at(j), "a raw control character in a regular expression");
        if (text[j] === "\\" && j + 1 < text.length && text[j + 1] !== "\n") {
          pattern += text[j + 1] === "/" ? "\\/" : text.slice(j, j + 2);
          j += 2;
        } else pattern += text[j++];
      }
      if (j >= text.length) throw new YaralSyntaxError(pos, "unterminated regular expression");
      if (pattern === "") throw new YaralSyntaxError(pos, "empty regular expression");
      push("regex", i, j + 1, pattern, pos);
      i = j + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= text.length || text[j] === "\n")
          throw new YaralSyntaxError(pos, "unterminated string");
        const c = text[j]!;
        if (c === '"') break;
        if (/[\u0000-\u001f\u007f]/.test(c))
          throw new YaralSyntaxError(at(j), "a raw control character in a string");
        if (c === "\\") {
          const e = text[j + 1];
          if (e === undefined || !(e in stringEscapes))
            throw new YaralSyntaxError(at(j), `unknown escape \\${e ?? ""} in a string`);
          value += stringEscapes[e];
          j += 2;
        } else {
          value += c;
          j++;
        }
      }
      push("string", i, j + 1, value, pos);
      i = j + 1;
      continue;
    }
    if (ch === "`") {
      const end = text.indexOf("`", i + 1);
      if (end < 0 || text.slice(i + 1, end).includes("\n"))
        throw new YaralSyntaxError(pos, "unterminated raw string");
      push("raw", i, end + 1, text.slice(i + 1, end), pos);
      i = end + 1;
      continue;
    }
    const word =
      /^(?:\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?|!=|<=|>=|[{}()[\]=<>:,.])/.exec(
        text.slice(i, i + 200),
      );
    if (!word) throw new YaralSyntaxError(pos, `unexpected character ${JSON.stringify(ch)}`);
    const w = word[0];
    const kind: TokenKind = w.startsWith("$")
      ? "var"
      : w.startsWith("%")
        ? "list"
        : /^[A-Za-z_]/.test(w)
          ? "ident"
          : /\d/.test(w)
            ? "number"
            : "punct";
    push(kind, i, i + w.length, w, pos);
    i += w.length;
  }
  tokens.push({ kind: "eof", text: "", value: "", ...at(i) });
  return tokens;
}

const sectionOrder = ["meta", "events", "match", "outcome", "condition", "options"] as const;
type Section = (typeof sectionOrder)[number];
const requiredSections: readonly Section[] = ["meta", "events", "condition"];

class Parser {
  private pos = 0;
  readonly errors: YaralError[] = [];
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.pos++;
    return t;
  }
  private fail(t: Token, message: string): never {
    throw new YaralSyntaxError(
      t,
      `${message}, found ${t.kind === "eof" ? "the end of the text" : JSON.stringify(t.text)}`,
    );
  }
  private expect(kind: TokenKind, text?: string, what?: string): Token {
    const t = this.peek();
    if (t.kind !== kind || (text !== undefined && t.text !== text))
      this.fail(t, `expected ${what ?? (text ? `'${text}'` : kind)}`);
    return this.next();
  }
  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "punct" && t.text === text;
  }
  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "ident" && t.text === text;
  }
  private atSectionStart(): boolean {
    const t = this.peek();
    return t.kind === "ident" && this.isPunct(":", 1);
  }

  parseRule(): YaralRule {
    this.expect("ident", "rule", "'rule'");
    const name = this.expect("ident", undefined, "a rule name").text;
    this.expect("punct", "{");
    const rule: YaralRule = { name, meta: [], events: [], outcome: [], condition: [] };
    const seen: Section[] = [];
    while (!this.isPunct("}")) {
      const head = this.peek();
      if (!this.atSectionStart())
        this.fail(
          head,
          "expected a section (meta:, events:, match:, outcome:, condition:, options:) or '}'",
        );
      const section = head.text as Section;
      if (!sectionOrder.includes(section))
        this.fail(
          head,
          `unknown section '${head.text}:' (sections are ${sectionOrder.join(", ")})`,
        );
      if (seen.includes(section)) this.fail(head, `section '${section}:' appears twice`);
      const last = seen[seen.length - 1];
      if (last && sectionOrder.indexOf(section) < sectionOrder.indexOf(last))
        this.fail(
          head,
          `section '${section}:' must come before '${last}:' (order: ${sectionOrder.join(", ")})`,
        );
      seen.push(section);
      this.next();
      this.next();
      this.parseSection(section, rule);
    }
    const close = this.next();
    if (this.peek().kind !== "eof")
      this.fail(this.peek(), "expected the end of the text after the rule's '}'");
    for (const s of requiredSections)
      if (!seen.includes(s))
        this.errors.push({
          line: close.line,
          column: close.column,
          message: `the rule has no '${s}:' section`,
        });
    return rule;
  }

  private parseSection(section: Section, rule: YaralRule): void {
    switch (section) {
      case "meta":
        while (!this.atSectionStart() && !this.isPunct("}")) {
          const key = this.expect("ident", undefined, "a meta key").text;
          this.expect("punct", "=");
          const t = this.next();
          if (t.kind === "string") rule.meta.push({ key, value: t.value });
          else if (t.kind === "number") rule.meta.push({ key, value: Number(t.text) });
          else if (t.kind === "ident" && (t.text === "true" || t.text === "false"))
            rule.meta.push({ key, value: t.text === "true" });
          else this.fail(t, `expected a string, number or boolean for meta '${key}'`);
        }
        return;
      case "events":
        if (this.atSectionStart() || this.isPunct("}"))
          this.fail(this.peek(), "expected a predicate in 'events:'");
        while (!this.atSectionStart() && !this.isPunct("}")) rule.events.push(this.parseOr());
        return;
      case "outcome":
        while (!this.atSectionStart() && !this.isPunct("}")) {
          const name = this.expect("var", undefined, "an outcome variable").text;
          this.expect("punct", "=");
          const t = this.peek();
          let value: YOutcomeValue;
          if (t.kind === "number" && /^-?\d+$/.test(t.text))
            (this.next(), (value = { kind: "int", value: Number(t.text) }));
          else if (t.kind === "string") (this.next(), (value = { kind: "string", value: t.value }));
          else if (t.kind === "var") value = { kind: "field", field: this.parseField() };
          else this.fail(t, `expected an integer, a string or an event field for ${name}`);
          rule.outcome.push({ name, value });
        }
        return;
      case "condition": {
        rule.condition.push(this.expect("var", undefined, "an event variable").text);
        while (this.isWord("and")) {
          this.next();
          rule.condition.push(this.expect("var", undefined, "an event variable").text);
        }
        return;
      }
      case "match":
      case "options":
        this.fail(
          this.peek(-2),
          `'${section}:' is outside the subset detc emits (single-event rules)`,
        );
    }
  }

  private parseOr(): YExpr {
    const items = [this.parseAnd()];
    while (this.isWord("or")) {
      this.next();
      items.push(this.parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  }

  private parseAnd(): YExpr {
    const items = [this.parseUnary()];
    while (this.isWord("and")) {
      this.next();
      items.push(this.parseUnary());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  }

  private parseUnary(): YExpr {
    if (this.isWord("not")) {
      this.next();
      return { kind: "not", operand: this.parseUnary() };
    }
    if (this.isPunct("(")) {
      this.next();
      const inner = this.parseOr();
      this.expect("punct", ")", "')'");
      return inner;
    }
    const t = this.peek();
    if (t.kind === "ident" && (t.text === "net" || t.text === "re")) return this.parseCall();
    if (t.kind !== "var")
      this.fail(t, "expected a predicate: an event field, not, '(' or a function");
    const field = this.parseField();
    if (this.isWord("in")) {
      this.next();
      return {
        kind: "in",
        field,
        list: this.expect("list", undefined, "a reference list (%name)").text.slice(1),
      };
    }
    const op = this.peek();
    if (!(op.kind === "punct" && (op.text === "=" || op.text === "!=")))
      this.fail(op, "expected '=', '!=' or 'in' after a field");
    this.next();
    const v = this.next();
    let value: YValue;
    if (v.kind === "string") value = { kind: "string", value: v.value };
    else if (v.kind === "regex") value = { kind: "regex", pattern: v.value };
    else this.fail(v, "expected a string or a /regular expression/");
    const nocase = this.isWord("nocase") ? (this.next(), true) : false;
    return { kind: "compare", field, op: op.text as "=" | "!=", value, nocase };
  }

  private parseCall(): YExpr {
    const ns = this.next();
    this.expect("punct", ".");
    const fn = `${ns.text}.${this.expect("ident", undefined, "a function name").text}`;
    if (fn !== "net.ip_in_range_cidr" && fn !== "re.regex") this.fail(ns, `unknown function ${fn}`);
    this.expect("punct", "(");
    const field = this.parseField();
    this.expect("punct", ",");
    const arg = this.next();
    if (arg.kind !== "string" && arg.kind !== "raw")
      this.fail(arg, `expected a string argument to ${fn}`);
    this.expect("punct", ")", "')'");
    if (fn === "net.ip_in_range_cidr") return { kind: "cidr", field, range: arg.value };
    const nocase = this.isWord("nocase") ? (this.next(), true) : false;
    return { kind: "regexCall", field, pattern: arg.value, nocase };
  }

  private parseField(): YField {
    const variable = this.expect("var", undefined, "an event variable").text;
    const parts: string[] = [];
    if (!this.isPunct("."))
      this.fail(this.peek(), `expected '.' and a UDM field after ${variable}`);
    while (this.isPunct(".")) {
      this.next();
      parts.push(this.expect("ident", undefined, "a UDM field name").text);
    }
    let path = parts.join(".");
    if (this.isPunct("[")) {
      this.next();
      const key = this.expect("string", undefined, "a map key string");
      this.expect("punct", "]", "']'");
      path += `[${JSON.stringify(key.value)}]`;
    }
    return { variable, path };
  }
}

function fieldsOf(expr: YExpr, out: YField[] = []): YField[] {
  switch (expr.kind) {
    case "and":
    case "or":
      expr.items.forEach((i) => fieldsOf(i, out));
      break;
    case "not":
      fieldsOf(expr.operand, out);
      break;
    default:
      out.push(expr.field);
  }
  return out;
}

/** Parse a YARA-L rule and check it; `rule` is undefined when it does not parse. */
export function checkYaral(text: string): YaralResult {
  let parser: Parser | undefined;
  let rule: YaralRule | undefined;
  try {
    parser = new Parser(tokenize(text));
    rule = parser.parseRule();
  } catch (e) {
    if (!(e instanceof YaralSyntaxError)) throw e;
    return {
      rule: undefined,
      errors: [{ line: e.at.line, column: e.at.column, message: e.message }],
    };
  }
  const errors = [...parser.errors];
  const error = (message: string) => errors.push({ line: 0, column: 0, message });
  const eventVars = new Set(rule.events.flatMap((e) => fieldsOf(e)).map((f) => f.variable));
  for (const o of rule.outcome)
    if (o.value.kind === "field" && !eventVars.has(o.value.field.variable))
      error(`outcome ${o.name} reads ${o.value.field.variable}, which 'events:' does not define`);
  for (const v of rule.condition)
    if (!eventVars.has(v)) error(`condition names ${v}, which 'events:' does not define`);
  const names = new Set<string>();
  for (const o of rule.outcome) {
    if (names.has(o.name)) error(`outcome variable ${o.name} is assigned twice`);
    if (eventVars.has(o.name)) error(`outcome variable ${o.name} is also an event variable`);
    names.add(o.name);
  }
  if (rule.outcome.length > 20)
    error(`the outcome section has ${rule.outcome.length} variables (at most 20)`);
  const risk = rule.outcome.find((o) => o.name === "$risk_score");
  if (risk && risk.value.kind !== "int") error("$risk_score must be an integer");
  const metaKeys = new Set<string>();
  for (const m of rule.meta) {
    if (metaKeys.has(m.key)) error(`meta key ${m.key} appears twice`);
    metaKeys.add(m.key);
  }
  return { rule, errors };
}
