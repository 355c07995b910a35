// Source text → AST with every lexical, syntax and shape problem as a located diagnostic.
import { createTokenInstance, type IToken, type TokenType } from "chevrotain";
import { diag, type Diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { LineIndex, type Span } from "../diagnostics/span.js";
import type { JsonValue, RuleFile } from "./ast.js";
import type * as C from "./cst.js";
import { parseErrorToDiagnostic } from "./errors.js";
import { parseTokens } from "./parser.js";
import { AstBuilder, type EventFileReader } from "./toAst.js";
import * as T from "./tokens.js";

/** Lex a text; unterminated strings and regexes are reported and closed so parsing continues. */
export function lex(lines: LineIndex): Result<IToken[]> & { comments: IToken[] } {
  const text = lines.text;
  const result = T.detcLexer.tokenize(text);
  const diagnostics: Diagnostic[] = result.errors.map((e) => {
    const ch = text.slice(e.offset, e.offset + 1);
    const shown =
      ch === "/" ? "'/' (a regex needs at least one character: /x/)" : JSON.stringify(ch);
    return diag("unexpected-character", lines.span(e.offset, e.offset + 1), [shown]);
  });
  // Positions come from the LineIndex, so substituted tokens carry offsets only.
  const substitute = (token: IToken, type: TokenType, image: string) => {
    // endOffset keeps the written text's extent for spans, whatever the replacement's image
    return createTokenInstance(
      type,
      image,
      token.startOffset,
      token.startOffset + token.image.length - 1,
      NaN,
      NaN,
      NaN,
      NaN,
    );
  };
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // CST node locations are computed from endOffset (the lexer sets it: tokens.ts OffsetLexer).
    if (token.endOffset === undefined) token.endOffset = token.startOffset + token.image.length - 1;
    // Most tokens are well formed: one type check before the cases that replace a token.
    if (!replacedTokens.has(token.tokenType)) continue;
    tokens[i] = wellFormed(token);
  }
  function wellFormed(token: IToken): IToken {
    const span = () => lines.tokenSpan(token);
    switch (token.tokenType) {
      case T.MalformedBlockString: {
        const closed = token.image.length >= 6 && token.image.endsWith('"""');
        const problem = closed
          ? 'the opening """ must end its line: start the text on the next line'
          : 'unterminated block string: expected a closing """ on its own line';
        diagnostics.push(
          diag("block-string-layout", lines.span(token.startOffset, token.startOffset + 3), [
            problem,
          ]),
        );
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
      diagnostics.push(diag(isString ? "unterminated-string" : "unterminated-regex", span()));
      const image =
        token.image + (isString ? '"' : "/") + (token.image.length === 1 && !isString ? "/" : "");
      return substitute(token, isString ? T.StringLiteral : T.RegexLiteral, image);
    }
    return token;
  }
  // The comment tokens (the lexer's "comments" group), for tools that reprint source: the formatter.
  const comments = result.groups.comments ?? [];
  return { value: tokens, diagnostics, comments };
}

/** The token types `lex` reports and replaces by a well-formed token, so parsing can go on. */
const replacedTokens: ReadonlySet<TokenType> = new Set([
  T.MalformedBlockString,
  T.InvalidNumber,
  T.RegexWithFlags,
  T.EmptyRegex,
  T.UnterminatedString,
  T.UnterminatedRegex,
]);

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
    else if (type === T.RParen || type === T.RBracket || type === T.RBrace)
      depth = Math.max(0, depth - 1);
    prefixRun =
      type === T.Not || type === T.Any || type === T.All
        ? prefixRun + 1
        : type === T.LParen
          ? prefixRun
          : 0;
    if (depth + prefixRun > MAX_NESTING) return token;
  }
  return undefined;
}

function parseWithin(lines: LineIndex, entry: "file" | "jsonDocument") {
  const lexed = lex(lines);
  const deep = tooDeep(lexed.value);
  if (deep) {
    const empty =
      entry === "file" ? { name: "file", children: {} } : { name: "jsonDocument", children: {} };
    return {
      lexed,
      parsed: { cst: empty as import("chevrotain").CstNode, errors: [] },
      extra: [diag("nested-too-deeply", lines.tokenSpan(deep), [MAX_NESTING])],
    };
  }
  return { lexed, parsed: parseTokens(lexed.value, entry), extra: [] as Diagnostic[] };
}

/** Parse a .det file. Never throws: every problem comes back as a diagnostic. */
export function parseSource(
  file: string,
  text: string,
  readEventFile: EventFileReader = noEventFiles,
): Result<RuleFile> {
  const lines = new LineIndex(file, text);
  const { lexed, parsed, extra } = parseWithin(lines, "file");
  lexed.diagnostics.push(...extra);
  const diagnostics = [
    ...lexed.diagnostics,
    ...parsed.errors.map((e) => parseErrorToDiagnostic(lines, e)),
  ];
  const builder = new AstBuilder(lines, readEventFile);
  const ast = builder.file(parsed.cst as C.FileCstNode);
  return { value: ast, diagnostics: [...diagnostics, ...builder.diagnostics] };
}

/**
 * Parse a .det file as `parseSource` does, and also return what a source printer needs: the CST
 * (every token, with offsets) and the comment tokens. Used by the formatter (src/format).
 */
export function parseSourceConcrete(
  file: string,
  text: string,
): Result<RuleFile> & { cst: C.FileCstNode; comments: IToken[]; lines: LineIndex } {
  const lines = new LineIndex(file, text);
  const { lexed, parsed, extra } = parseWithin(lines, "file");
  lexed.diagnostics.push(...extra);
  const diagnostics = [
    ...lexed.diagnostics,
    ...parsed.errors.map((e) => parseErrorToDiagnostic(lines, e)),
  ];
  const builder = new AstBuilder(lines, noEventFiles);
  const cst = parsed.cst as C.FileCstNode;
  const ast = builder.file(cst);
  return {
    value: ast,
    diagnostics: [...diagnostics, ...builder.diagnostics],
    cst,
    comments: lexed.comments,
    lines,
  };
}

/** Parse a JSON document with the language's own JSON reader (trailing commas, duplicate keys). */
export function parseJsonDocument(file: string, text: string): Result<JsonValue | undefined> {
  const lines = new LineIndex(file, text);
  const { lexed, parsed, extra } = parseWithin(lines, "jsonDocument");
  lexed.diagnostics.push(...extra);
  const diagnostics = [
    ...lexed.diagnostics,
    ...parsed.errors.map((e) => parseErrorToDiagnostic(lines, e)),
  ];
  const builder = new AstBuilder(lines, noEventFiles);
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
