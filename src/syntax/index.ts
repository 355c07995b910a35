// Source text → AST with every lexical, syntax and shape problem as a located diagnostic.
import { createTokenInstance, type IToken, type TokenType } from "chevrotain";
import { diag, type Diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { spanOfToken, type Span } from "../diagnostics/span.js";
import type { JsonValue, RuleFile } from "./ast.js";
import type * as C from "./cst.js";
import { parseErrorToDiagnostic } from "./errors.js";
import { parseTokens } from "./parser.js";
import { AstBuilder, type EventFileReader } from "./toAst.js";
import * as T from "./tokens.js";

/** Lex a text; unterminated strings and regexes are reported and closed so parsing continues. */
export function lex(file: string, text: string): Result<IToken[]> {
  const result = T.detcLexer.tokenize(text);
  const diagnostics: Diagnostic[] = result.errors.map((e) => {
    const ch = text.slice(e.offset, e.offset + 1);
    const shown = ch === "/" ? "'/' (a regex needs at least one character: /x/)" : JSON.stringify(ch);
    const line = e.line ?? 1;
    const column = e.column ?? 1;
    return diag("unexpected-character", { file, offset: e.offset, end: e.offset + 1, line, column, endLine: line, endColumn: column + 1 }, [shown]);
  });
  const substitute = (token: IToken, type: TokenType, image: string) =>
    createTokenInstance(type, image, token.startOffset, token.endOffset ?? token.startOffset, token.startLine ?? 1, token.endLine ?? 1, token.startColumn ?? 1, token.endColumn ?? 1);
  const tokens = result.tokens.map((token) => {
    const span = () => spanOfToken(file, token);
    switch (token.tokenType) {
      case T.MalformedBlockString: {
        const closed = token.image.length >= 6 && token.image.endsWith('"""');
        const problem = closed ? 'the opening """ must end its line: start the text on the next line' : 'unterminated block string: expected a closing """ on its own line';
        diagnostics.push(diag("block-string-layout", { ...span(), endLine: token.startLine ?? 1, endColumn: (token.startColumn ?? 1) + 3, end: token.startOffset + 3 }, [problem]));
        return substitute(token, T.BlockString, '"""\n"""');
      }
      case T.InvalidNumber:
        diagnostics.push(diag("invalid-number", span(), [token.image]));
        return substitute(token, T.NumberLiteral, "0");
      case T.RegexWithFlags: {
        const close = token.image.lastIndexOf("/");
        diagnostics.push(diag("regex-flags", span(), [token.image.slice(close + 1)]));
        return substitute(token, T.RegexLiteral, token.image.slice(0, close + 1));
      }
      case T.EmptyRegex:
        diagnostics.push(diag("empty-regex", span()));
        return substitute(token, T.RegexLiteral, "/(?:)/");
    }
    if (token.tokenType === T.UnterminatedString || token.tokenType === T.UnterminatedRegex) {
      const isString = token.tokenType === T.UnterminatedString;
      diagnostics.push(diag(isString ? "unterminated-string" : "unterminated-regex", spanOfToken(file, token)));
      return createTokenInstance(
        isString ? T.StringLiteral : T.RegexLiteral,
        token.image + (isString ? '"' : "/") + (token.image.length === 1 && !isString ? "/" : ""),
        token.startOffset,
        token.endOffset ?? token.startOffset,
        token.startLine ?? 1,
        token.endLine ?? 1,
        token.startColumn ?? 1,
        token.endColumn ?? 1,
      );
    }
    return token;
  });
  return { value: tokens, diagnostics };
}

const noEventFiles: EventFileReader = () => ({ value: undefined, diagnostics: [] });

/** Deeper nesting than any real rule needs; past it, recursion would exhaust the stack. */
export const MAX_NESTING = 100;

/** The first token that nests brackets or `not`/`any`/`all` deeper than MAX_NESTING. */
function tooDeep(tokens: IToken[]): IToken | undefined {
  let depth = 0;
  let prefixRun = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === T.LParen || type === T.LBracket || type === T.LBrace) depth++;
    else if (type === T.RParen || type === T.RBracket || type === T.RBrace) depth = Math.max(0, depth - 1);
    prefixRun = type === T.Not || type === T.Any || type === T.All ? prefixRun + 1 : type === T.LParen ? prefixRun : 0;
    if (depth + prefixRun > MAX_NESTING) return token;
  }
  return undefined;
}

function parseWithin(file: string, text: string, entry: "file" | "jsonDocument") {
  const lexed = lex(file, text);
  const deep = tooDeep(lexed.value);
  if (deep) {
    const empty = entry === "file" ? { name: "file", children: {} } : { name: "jsonDocument", children: {} };
    return { lexed, parsed: { cst: empty as import("chevrotain").CstNode, errors: [] }, extra: [diag("nested-too-deeply", spanOfToken(file, deep), [MAX_NESTING])] };
  }
  return { lexed, parsed: parseTokens(lexed.value, entry), extra: [] as Diagnostic[] };
}

/** Parse a .det file. Never throws: every problem comes back as a diagnostic. */
export function parseSource(file: string, text: string, readEventFile: EventFileReader = noEventFiles): Result<RuleFile> {
  const { lexed, parsed, extra } = parseWithin(file, text, "file");
  lexed.diagnostics.push(...extra);
  const diagnostics = [...lexed.diagnostics, ...parsed.errors.map((e) => parseErrorToDiagnostic(file, text, e))];
  const builder = new AstBuilder(file, readEventFile);
  const ast = builder.file(parsed.cst as C.FileCstNode);
  return { value: ast, diagnostics: [...diagnostics, ...builder.diagnostics] };
}

/** Parse a JSON document with the language's own JSON reader (trailing commas, duplicate keys). */
export function parseJsonDocument(file: string, text: string): Result<JsonValue | undefined> {
  const { lexed, parsed, extra } = parseWithin(file, text, "jsonDocument");
  lexed.diagnostics.push(...extra);
  const diagnostics = [...lexed.diagnostics, ...parsed.errors.map((e) => parseErrorToDiagnostic(file, text, e))];
  const builder = new AstBuilder(file, noEventFiles);
  const root = (parsed.cst as C.JsonDocumentCstNode).children.jsonValue?.[0];
  const value = root ? builder.jsonValue(root) : undefined;
  return { value, diagnostics: [...diagnostics, ...builder.diagnostics] };
}

export function describeJson(value: JsonValue | undefined): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export type { Span };
