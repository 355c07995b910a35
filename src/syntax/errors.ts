// Turn lexer and parser failures into located diagnostics that speak the language's words.
import {
  EOF,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
  tokenMatcher,
} from "chevrotain";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { LineIndex } from "../diagnostics/span.js";
import * as T from "./tokens.js";

const describedTokens: ReadonlyArray<[TokenType, string]> = [
  [T.StringLiteral, "a string"],
  [T.BlockString, 'a """block string"""'],
  [T.NumberLiteral, "a number"],
  [T.RegexLiteral, "a regex /…/"],
  [T.ListRef, "a list reference such as $org_accounts"],
  [T.AttackPair, "an ATT&CK pair such as TA0010:T1537"],
  [T.ComparisonOp, "a comparison (eq, ne, lt, le, gt, ge)"],
  [T.StringOp, "a string operator (contains, starts_with, ends_with)"],
  [T.SetOp, "in or not_in"],
  [T.PresenceOp, "a presence test (is_null, is_not_null, is_empty, is_not_empty)"],
  [T.MetadataKey, "a metadata key (title, description, severity, …)"],
  [T.AnyWord, "a name"],
  [T.Identifier, "a name"],
];

/** What a rule context expects, where the grammar alone would list too many tokens. */
const expectedByRule: Record<string, string> = {
  unaryExpr: "a condition: a field path, 'not', 'any', 'all' or '('",
  value: "a value: a string, number, true or false",
  jsonValue: "a JSON value: an object, array, string, number, true, false or null",
  metadataValue: 'a value: a string, a """block string""", a name, true, false or an ATT&CK pair',
  path: 'a field path (quote a condition word used as a field name, e.g. "any")',
  file: "'rule' or 'list'",
};

const ruleEntry = "a metadata key (title, severity, …), 'condition', 'test' or '}'";

export function describeTokenType(type: TokenType): string {
  for (const [candidate, text] of describedTokens) if (candidate === type) return text;
  const keyword = T.keywordTexts.get(type.name);
  if (keyword !== undefined) return `'${keyword}'`;
  if (type === EOF) return "end of file";
  if (type === T.AttackPair) return "an ATT&CK pair such as TA0010:T1537";
  if (typeof type.LABEL === "string") return type.LABEL;
  return type.name;
}

export function describeToken(token: IToken): string {
  if (tokenMatcher(token, EOF)) return "end of file";
  const image = token.image.length > 40 ? `${token.image.slice(0, 37)}...` : token.image;
  if (tokenMatcher(token, T.StringLiteral)) return `the string ${image}`;
  if (tokenMatcher(token, T.NumberLiteral)) return `the number ${image}`;
  return `'${image}'`;
}

function joinAlternatives(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

/** Which tokens could have come next, as words (from the exception's context and message). */
function expectedText(e: IRecognitionException, expectedTypes: TokenType[]): string {
  const stack = e.context.ruleStack;
  const rule = stack[stack.length - 1] ?? "file";
  if (e.name === "NotAllInputParsedException" || (rule === "file" && expectedTypes.includes(EOF)))
    return expectedByRule.file!;
  if (e.name === "MismatchedTokenException") {
    if (rule === "ruleDecl" && expectedTypes.includes(T.RBrace)) return ruleEntry;
    if (rule === "jsonMember" && expectedTypes.includes(T.StringLiteral))
      return 'a quoted key such as "eventName" (JSON keys are strings)';
    if (rule === "jsonObject" && expectedTypes.includes(T.RBrace)) {
      const previous = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
      return previous && tokenMatcher(previous, T.LBrace)
        ? "a quoted key such as \"eventName\" or '}'"
        : "',' or '}'";
    }
    if (rule === "jsonArray" && expectedTypes.includes(T.RBracket)) return "',' or ']'";
    if (rule === "valueList" && expectedTypes.includes(T.RBracket)) return "',' or ']'";
    return joinAlternatives(expectedTypes.map(describeTokenType));
  }
  const byRule = expectedByRule[rule];
  if (byRule) return byRule;
  if (
    rule === "predicate" &&
    expectedTypes.some((t) => t === T.ComparisonOp || t === T.PresenceOp)
  ) {
    return "an operator: eq, ne, lt, le, gt, ge, in, not_in, contains, starts_with, ends_with, matches, cidr, is_null, is_not_null, is_empty or is_not_empty";
  }
  if (expectedTypes.length > 0) return joinAlternatives(expectedTypes.map(describeTokenType));
  return byRule ?? "something else";
}

const tokenTypesByName = new Map([...T.tokenVocabulary, EOF].map((t) => [t.name, t]));

/**
 * The parser's messages are JSON lists of the token types it expected (see `errorMessageProvider`);
 * here they become one sentence in the language's words.
 */
export function parseErrorToDiagnostic(lines: LineIndex, e: IRecognitionException): Diagnostic {
  let names: string[] = [];
  try {
    names = JSON.parse(e.message) as string[];
  } catch {
    names = [];
  }
  const expectedTypes = names
    .map((n) => tokenTypesByName.get(n))
    .filter((t): t is TokenType => t !== undefined);
  const expected = expectedText(e, expectedTypes);
  const token = e.token;
  if (tokenMatcher(token, EOF) || Number.isNaN(token.startOffset)) {
    return diag("unexpected-end-of-file", lines.endOfText(), [expected]);
  }
  // A condition word where a field path was expected: say how to use it as a field name.
  const stack = e.context.ruleStack;
  const rule = stack[stack.length - 1];
  const previous = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  // `any eq 1`: the word before is what the author meant as a field name.
  const culprit =
    (rule === "path" || rule === "quantified") &&
    previous &&
    (tokenMatcher(previous, T.Any) || tokenMatcher(previous, T.All))
      ? previous
      : token;
  const word = T.keywordTexts.get(culprit.tokenType.name);
  const isHardWord = word !== undefined && !tokenMatcher(culprit, T.Identifier);
  const note =
    isHardWord &&
    (rule === "unaryExpr" || rule === "path" || rule === "predicate" || rule === "quantified")
      ? `'${word}' is a condition word; to use it as a field name, quote it: "${word}"`
      : undefined;
  return diag("unexpected-token", lines.tokenSpan(token), [expected, describeToken(token)], note);
}

const firstTokens = (paths: TokenType[][]) =>
  paths.map((p) => p[0]).filter((t): t is TokenType => t !== undefined);

/** Records what was expected, as JSON, for `parseErrorToDiagnostic` to phrase. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify([expected.name]),
  buildNotAllInputParsedMessage: () => JSON.stringify([]),
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) =>
    JSON.stringify(expectedPathsPerAlt.flatMap((alt) => firstTokens(alt)).map((t) => t.name)),
  buildEarlyExitMessage: ({ expectedIterationPaths }) =>
    JSON.stringify(firstTokens(expectedIterationPaths).map((t) => t.name)),
};
