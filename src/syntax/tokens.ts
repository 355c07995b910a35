// All tokens of the detc language, in lexing order.
// Keywords carry `longer_alt: Identifier` so `title_x` stays one identifier; a keyword that is a
// prefix of another (`not`/`not_in`, `is_null`/`is_not_null`) is listed after the longer one.
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: "comments" });

// Categories: any word (valid after a dot in a path) and soft words usable as the first path segment.
export const AnyWord = createToken({ name: "AnyWord", pattern: Lexer.NA });
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [AnyWord],
  label: "name",
});

export const ComparisonOp = createToken({ name: "ComparisonOp", pattern: Lexer.NA });
export const StringOp = createToken({ name: "StringOp", pattern: Lexer.NA });
export const PresenceOp = createToken({ name: "PresenceOp", pattern: Lexer.NA });
export const SetOp = createToken({ name: "SetOp", pattern: Lexer.NA });
export const MetadataKey = createToken({ name: "MetadataKey", pattern: Lexer.NA });

const allTokens: TokenType[] = [WhiteSpace, Comment];
const keywords: TokenType[] = [];

function word(name: string, text: string, categories: TokenType[] = []): TokenType {
  const token = createToken({
    name,
    pattern: new RegExp(text),
    longer_alt: Identifier,
    categories: [AnyWord, ...categories],
  });
  keywords.push(token);
  return token;
}

/** A soft keyword: reserved nowhere, so it is also an identifier (metadata words are field names too). */
function softWord(name: string, text: string, categories: TokenType[] = []): TokenType {
  return word(name, text, [Identifier, ...categories]);
}

// Condition words: reserved as the first segment of a path.
export const And = word("And", "and");
export const Or = word("Or", "or");
export const NotIn = word("NotIn", "not_in", [SetOp]);
export const Not = word("Not", "not");
export const Any = word("Any", "any");
export const All = word("All", "all");
export const In = word("In", "in", [SetOp]);
export const Eq = word("Eq", "eq", [ComparisonOp]);
export const Ne = word("Ne", "ne", [ComparisonOp]);
export const Lt = word("Lt", "lt", [ComparisonOp]);
export const Le = word("Le", "le", [ComparisonOp]);
export const Gt = word("Gt", "gt", [ComparisonOp]);
export const Ge = word("Ge", "ge", [ComparisonOp]);
export const Contains = word("Contains", "contains", [StringOp]);
export const StartsWith = word("StartsWith", "starts_with", [StringOp]);
export const EndsWith = word("EndsWith", "ends_with", [StringOp]);
export const Matches = word("Matches", "matches");
export const Cidr = word("Cidr", "cidr");
export const IsNotNull = word("IsNotNull", "is_not_null", [PresenceOp]);
export const IsNull = word("IsNull", "is_null", [PresenceOp]);
export const IsNotEmpty = word("IsNotEmpty", "is_not_empty", [PresenceOp]);
export const IsEmpty = word("IsEmpty", "is_empty", [PresenceOp]);
export const Nocase = word("Nocase", "nocase");
export const True = word("True", "true");
export const FalsePositives = softWord("FalsePositives", "falsepositives", [MetadataKey]);
export const False = word("False", "false");
export const Null = word("Null", "null");

// Structure words: soft, so real CloudTrail keys such as `status` stay usable as field names.
export const Rule = softWord("Rule", "rule");
export const List = softWord("List", "list");
export const Test = softWord("Test", "test");
export const Ignores = softWord("Ignores", "ignores");
export const With = softWord("With", "with");
export const From = softWord("From", "from");
export const Condition = softWord("Condition", "condition");
export const Title = softWord("Title", "title", [MetadataKey]);
export const Description = softWord("Description", "description", [MetadataKey]);
export const Severity = softWord("Severity", "severity", [MetadataKey]);
export const Logsource = softWord("Logsource", "logsource", [MetadataKey]);
export const Attack = softWord("Attack", "attack", [MetadataKey]);
export const Tags = softWord("Tags", "tags", [MetadataKey]);
export const Reference = softWord("Reference", "reference", [MetadataKey]);
export const Runbook = softWord("Runbook", "runbook", [MetadataKey]);
export const Author = softWord("Author", "author", [MetadataKey]);
export const Status = softWord("Status", "status", [MetadataKey]);
export const Summary = softWord("Summary", "summary", [MetadataKey]);
export const Output = softWord("Output", "output", [MetadataKey]);
export const Enabled = softWord("Enabled", "enabled", [MetadataKey]);

// Literals.
export const BlockString = createToken({
  name: "BlockString",
  pattern: /"""[ \t]*\r?\n(?:[^"]|"(?!""))*"""/,
  line_breaks: true,
  label: '"""block string"""',
});
// Escapes are checked when the AST is built, so a bad escape gets its own message.
/** An opening `"""` with text after it on its line, or one never closed: reported, then parsed as empty. */
export const MalformedBlockString = createToken({
  name: "MalformedBlockString",
  pattern: /"""(?:[^"]|"(?!""))*(?:""")?/,
  line_breaks: true,
});
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  label: "string",
});
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
});
// Permissive (`TA0010:T153` is one token), so a malformed pair gets its own message from the AST.
export const AttackPair = createToken({
  name: "AttackPair",
  pattern: /TA?\d+:T?[0-9.]*(?![A-Za-z_])/,
  label: "an ATT&CK pair",
});
/** Leading zeros, a dangling `.` or exponent: reported, then read as the number it starts with. */
export const InvalidNumber = createToken({
  name: "InvalidNumber",
  pattern: /-?(?:0\d+(?:\.\d+)?|\d+\.(?!\d)|\d+(?:\.\d+)?[eE](?![+-]?\d))/,
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: "number",
});
/** `/x/i`: flags are not part of the language (`nocase` is). */
export const RegexWithFlags = createToken({
  name: "RegexWithFlags",
  pattern: /\/(?:[^/\\\r\n]|\\[^\r\n])+\/[A-Za-z]+/,
});
export const EmptyRegex = createToken({ name: "EmptyRegex", pattern: /\/\// });
export const RegexLiteral = createToken({
  name: "RegexLiteral",
  pattern: /\/(?:[^/\\\r\n]|\\[^\r\n])+\//,
  label: "/regex/",
});
export const UnterminatedRegex = createToken({
  name: "UnterminatedRegex",
  pattern: /\/(?:[^/\\\r\n]|\\[^\r\n])*\\?(?![^\r\n])/,
});
export const ListRef = createToken({
  name: "ListRef",
  pattern: /\$[A-Za-z_][A-Za-z0-9_]*/,
  label: "$list",
});

// Punctuation.
export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/, label: "'}'" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "'.'" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='" });
export const At = createToken({ name: "At", pattern: /@/, label: "'@'" });

export const tokenVocabulary: TokenType[] = [
  ...allTokens,
  BlockString,
  MalformedBlockString,
  StringLiteral,
  UnterminatedString,
  AttackPair,
  ...keywords,
  Identifier,
  InvalidNumber,
  NumberLiteral,
  RegexWithFlags,
  EmptyRegex,
  RegexLiteral,
  UnterminatedRegex,
  ListRef,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Dot,
  Equals,
  At,
  // Categories last: they match nothing themselves.
  AnyWord,
  ComparisonOp,
  StringOp,
  PresenceOp,
  SetOp,
  MetadataKey,
];

/**
 * Offset-only tokens with their end offset from the start. Chevrotain's offset-only tokens have no
 * endOffset, which spans and CST locations need; adding it to every token afterwards costs V8 a new
 * hidden class and property storage per token, a fifth of lexing time. This replaces Chevrotain 11's
 * token factory for `positionTracking: "onlyOffset"`; `lex` still fills in a missing endOffset, so
 * a Chevrotain that stopped calling it would only be slower.
 */
class OffsetLexer extends Lexer {
  createOffsetOnlyToken(
    image: string,
    startOffset: number,
    tokenTypeIdx: number,
    tokenType: TokenType,
  ): IToken {
    return {
      image,
      startOffset,
      endOffset: startOffset + image.length - 1,
      tokenTypeIdx,
      tokenType,
    } as IToken;
  }
}

/**
 * One lexer per process. Its definition is validated by a test (test/syntax/definitions.test.ts),
 * so the CLI skips Chevrotain's start-up validations: they cost more than lexing a whole rule pack.
 */
export function createLexer(skipValidations: boolean): Lexer {
  return new OffsetLexer(tokenVocabulary, {
    positionTracking: "onlyOffset",
    ensureOptimizations: false,
    skipValidations,
  });
}
export const detcLexer = createLexer(true);

/** The words a user reads in messages, by token name. */
export const keywordTexts: ReadonlyMap<string, string> = new Map(
  keywords.map((token) => [token.name, (token.PATTERN as RegExp).source]),
);
