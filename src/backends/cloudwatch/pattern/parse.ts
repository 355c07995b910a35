// A parser for CloudWatch JSON filter patterns, written from the documented grammar:
//
//   pattern    := "{" or "}"
//   or         := and ("||" and)*
//   and        := primary ("&&" primary)*
//   primary    := "(" or ")" | selector test
//   selector   := "$" ("." name | "[" digits "]")+
//   test       := ("=" | "!=") value | ("<" | "<=" | ">" | ">=") number
//               | "IS" ("NULL" | "TRUE" | "FALSE") | "NOT" "EXISTS"
//   value      := "\"" chars "\"" | "%" regex "%" | number | bare
//
// Choices where the documentation says nothing (the renderer never depends on them):
// - `&&` binds tighter than `||` (the usual reading); detc itself always parenthesises a mix.
// - Names are `[A-Za-z_][A-Za-z0-9_]*`: no quoting of other keys is documented.
// - A quoted value has no documented escapes, so `\` and `"` cannot appear inside one (nor control
//   characters); `*` is a wildcard in quoted and bare values alike.
// - A bare value is `[A-Za-z0-9_.*+:/@-]+`; one that reads as a JSON number is a number.
// Used by the tests on every generated pattern and by lint for hand-written overrides: returns the
// first problem with its offset instead of throwing.
import {
  patternLimits,
  type JsonPattern,
  type NumericOperator,
  type PatternNode,
  type PatternValue,
  type Selector,
} from "./ast.js";
import { regexSourceProblem } from "./regex.js";

export interface PatternError {
  offset: number;
  message: string;
}

export type ParseResult = { ok: true; pattern: JsonPattern } | { ok: false; error: PatternError };

type Token =
  | { t: "punct"; v: "{" | "}" | "(" | ")" | "&&" | "||"; at: number }
  | { t: "op"; v: NumericOperator; at: number }
  | { t: "selector"; v: Selector; at: number }
  | { t: "word"; v: string; at: number }
  | { t: "quoted"; v: string; at: number }
  | { t: "regex"; v: string; at: number }
  | { t: "end"; at: number };

class PatternSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const jsonNumber = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const bareChar = /[A-Za-z0-9_.*+:/@-]/;
// Sticky (`y`) forms match at lastIndex: no copy of the rest of the text per token.
const bareWord = /[A-Za-z0-9_.*+:/@-]+/y;
const dotName = /\.([A-Za-z_][A-Za-z0-9_]*)/y;
const arrayIndex = /\[(0|[1-9]\d*)\]/y;

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new PatternSyntaxError(at, message);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    const two =
      c === "&" || c === "|" || c === "!" || c === "<" || c === ">" ? text.slice(i, i + 2) : c;
    if (two === "&&" || two === "||") {
      tokens.push({ t: "punct", v: two, at: i });
      i += 2;
    } else if (c === "{" || c === "}" || c === "(" || c === ")") {
      tokens.push({ t: "punct", v: c, at: i });
      i++;
    } else if (two === "!=" || two === "<=" || two === ">=") {
      tokens.push({ t: "op", v: two, at: i });
      i += 2;
    } else if (c === "=" || c === "<" || c === ">") {
      tokens.push({ t: "op", v: c, at: i });
      i++;
    } else if (c === "$") {
      const start = i;
      i++;
      const segments: Array<string | number> = [];
      for (;;) {
        if (text[i] === ".") {
          dotName.lastIndex = i;
          const m = dotName.exec(text);
          if (!m) break;
          segments.push(m[1]!);
          i += m[0].length;
        } else if (text[i] === "[") {
          arrayIndex.lastIndex = i;
          const m = arrayIndex.exec(text);
          if (!m) fail("expected an array index such as [0] (the syntax has no array wildcard)");
          segments.push(Number(m![1]));
          i += m![0].length;
        } else break;
      }
      if (segments.length === 0) fail("expected a property selector such as $.eventName", start);
      tokens.push({ t: "selector", v: { segments }, at: start });
    } else if (c === '"') {
      const start = i;
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        const d = text[j]!;
        if (d === "\\")
          fail("a quoted value has no documented escapes: a backslash cannot appear in it", j);
        if (d < " " || d === "\u007f")
          fail("a control character cannot appear in a quoted value", j);
        j++;
      }
      if (j >= text.length) fail("unterminated quoted value", start);
      tokens.push({ t: "quoted", v: text.slice(i + 1, j), at: start });
      i = j + 1;
    } else if (c === "%") {
      const start = i;
      const end = text.indexOf("%", i + 1);
      if (end < 0) fail("unterminated regex: expected a closing %", start);
      const source = text.slice(i + 1, end);
      const problem = regexSourceProblem(source);
      if (problem) fail(`invalid regex %${source}%: ${problem}`, start);
      tokens.push({ t: "regex", v: source, at: start });
      i = end + 1;
    } else if (bareChar.test(c)) {
      const start = i;
      bareWord.lastIndex = i;
      i += bareWord.exec(text)![0].length;
      tokens.push({ t: "word", v: text.slice(start, i), at: start });
    } else {
      fail(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ t: "end", at: text.length });
  return tokens;
}

class Parser {
  private pos = 0;
  regexes = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private fail(message: string, token = this.peek()): never {
    throw new PatternSyntaxError(token.at, message);
  }
  private isPunct(v: string): boolean {
    const t = this.peek();
    return t.t === "punct" && t.v === v;
  }
  private expectPunct(v: string, what: string): void {
    if (!this.isPunct(v)) this.fail(`expected ${what}`);
    this.pos++;
  }

  pattern(): JsonPattern {
    this.expectPunct("{", "'{': detc reads JSON filter patterns only");
    const body = this.or();
    this.expectPunct("}", "'&&', '||' or the closing '}'");
    if (this.peek().t !== "end") this.fail("unexpected text after the closing '}'");
    return { body };
  }

  private or(): PatternNode {
    const items = [this.and()];
    while (this.isPunct("||")) {
      this.pos++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  }

  private and(): PatternNode {
    const items = [this.primary()];
    while (this.isPunct("&&")) {
      this.pos++;
      items.push(this.primary());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  }

  private primary(): PatternNode {
    if (this.isPunct("(")) {
      this.pos++;
      const inner = this.or();
      this.expectPunct(")", "'&&', '||' or ')'");
      return inner;
    }
    const sel = this.next();
    if (sel.t !== "selector")
      this.fail("expected a property selector such as $.eventName, or '('", sel);
    const selector = sel.v;
    const op = this.next();
    if (op.t === "word" && op.v === "IS") {
      const what = this.next();
      if (what.t === "word" && (what.v === "NULL" || what.v === "TRUE" || what.v === "FALSE"))
        return { kind: "is", selector, test: what.v };
      this.fail("expected NULL, TRUE or FALSE after IS", what);
    }
    if (op.t === "word" && op.v === "NOT") {
      const what = this.next();
      if (what.t === "word" && what.v === "EXISTS") return { kind: "notExists", selector };
      this.fail("expected EXISTS after NOT", what);
    }
    if (op.t !== "op")
      this.fail("expected an operator: = != < <= > >= IS NULL IS TRUE IS FALSE NOT EXISTS", op);
    const value = this.value(op.v);
    return { kind: "compare", selector, op: op.v, value };
  }

  private value(op: NumericOperator): PatternValue {
    const t = this.next();
    const equality = op === "=" || op === "!=";
    if (t.t === "word" && jsonNumber.test(t.v))
      return { kind: "number", value: Number(t.v), text: t.v };
    if (!equality) this.fail(`'${op}' compares numbers: expected a number`, t);
    if (t.t === "quoted") return { kind: "string", value: t.v, quoted: true };
    if (t.t === "word") return { kind: "string", value: t.v, quoted: false };
    if (t.t === "regex") {
      this.regexes++;
      if (this.regexes > patternLimits.maxRegexes)
        this.fail(`a filter pattern may hold at most ${patternLimits.maxRegexes} regexes`, t);
      return { kind: "regex", source: t.v };
    }
    return this.fail("expected a value: a quoted string, a number, a bare word or a %regex%", t);
  }
}

/** Parse and validate a JSON filter pattern (length limit included). */
export function parsePattern(text: string): ParseResult {
  const length = [...text].length;
  if (length > patternLimits.maxLength)
    return {
      ok: false,
      error: {
        offset: 0,
        message: `the pattern has ${length} characters; CloudWatch allows at most ${patternLimits.maxLength}`,
      },
    };
  try {
    const parser = new Parser(lex(text));
    return { ok: true, pattern: parser.pattern() };
  } catch (e) {
    if (e instanceof PatternSyntaxError)
      return { ok: false, error: { offset: e.offset, message: e.message } };
    throw e;
  }
}
