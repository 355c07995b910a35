// Source text → AST with every lexical, syntax and shape problem as a located diagnostic.
import { createTokenInstance, type IToken } from "chevrotain";
import { diag, type Diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { spanAtOffset, spanOfToken, type Span } from "../diagnostics/span.js";
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
    return diag("unexpected-character", spanAtOffset(file, text, e.offset), [shown]);
  });
  const tokens = result.tokens.map((token) => {
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

/** Parse a .det file. Never throws: every problem comes back as a diagnostic. */
export function parseSource(file: string, text: string, readEventFile: EventFileReader = noEventFiles): Result<RuleFile> {
  const lexed = lex(file, text);
  const parsed = parseTokens(lexed.value, "file");
  const diagnostics = [...lexed.diagnostics, ...parsed.errors.map((e) => parseErrorToDiagnostic(file, text, e))];
  const builder = new AstBuilder(file, readEventFile);
  const ast = builder.file(parsed.cst as C.FileCstNode);
  return { value: ast, diagnostics: [...diagnostics, ...builder.diagnostics] };
}

/** Parse a JSON document with the language's own JSON reader (trailing commas, duplicate keys). */
export function parseJsonDocument(file: string, text: string): Result<JsonValue | undefined> {
  const lexed = lex(file, text);
  const parsed = parseTokens(lexed.value, "jsonDocument");
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
