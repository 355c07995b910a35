// The grammar of detc, as a Chevrotain CST parser: grammar only, no embedded actions.
// Built once per process; `parseTokens` reuses the instance.
import {
  CstParser,
  tokenMatcher,
  type CstNode,
  type IOrAlt,
  type IRecognitionException,
  type IToken,
} from "chevrotain";
import { errorMessageProvider } from "./errors.js";
import * as T from "./tokens.js";

/** Tokens that may follow a field path's first word: after one, `test`/`title`… is a field name. */
const pathContinuations = [
  T.ComparisonOp,
  T.StringOp,
  T.SetOp,
  T.PresenceOp,
  T.Matches,
  T.Cidr,
  T.Dot,
  T.LBracket,
];

export class DetcParser extends CstParser {
  /** `skipValidations` for the one instance the CLI uses; a test builds one with validations on. */
  constructor(skipValidations = true) {
    super(T.tokenVocabulary, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider,
      skipValidations,
    });
    this.performSelfAnalysis();
  }

  /**
   * Each OR's alternatives, built on its first call: a fresh array of closures on every call was
   * the parser's largest allocation (Chevrotain's performance guide, "caching arrays of
   * alternatives"). The closures read only `this`, so one array serves every call.
   */
  private readonly alternatives: Record<string, IOrAlt<unknown>[]> = {};

  // ---- file level -------------------------------------------------------------------------
  public file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR(
        (this.alternatives.file ??= [
          { ALT: () => this.SUBRULE(this.ruleDecl) },
          { ALT: () => this.SUBRULE(this.listDecl) },
        ]),
      );
    });
  });

  public listDecl = this.RULE("listDecl", () => {
    this.CONSUME(T.List);
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.StringLiteral, { LABEL: "description" });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.valueList, { LABEL: "defaults" });
    });
  });

  public ruleDecl = this.RULE("ruleDecl", () => {
    this.CONSUME(T.Rule);
    this.CONSUME(T.StringLiteral, { LABEL: "id" });
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR(
        (this.alternatives.ruleDecl ??= [
          { ALT: () => this.SUBRULE(this.metadataEntry) },
          { ALT: () => this.SUBRULE(this.conditionEntry) },
          { ALT: () => this.SUBRULE(this.testDecl) },
        ]),
      );
    });
    this.CONSUME(T.RBrace);
  });

  public metadataEntry = this.RULE("metadataEntry", () => {
    this.CONSUME(T.MetadataKey, { LABEL: "key" });
    this.SUBRULE(this.metadataValue, { LABEL: "values" });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.metadataValue, { LABEL: "values" });
    });
  });

  public metadataValue = this.RULE("metadataValue", () => {
    this.OR(
      (this.alternatives.metadataValue ??= [
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.BlockString) },
        { ALT: () => this.CONSUME(T.AttackPair) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        // bare words and dotted names: severities, statuses, log sources, field paths in `output`
        { ALT: () => this.SUBRULE(this.dottedName) },
      ]),
    );
  });

  public conditionEntry = this.RULE("conditionEntry", () => {
    this.CONSUME(T.Condition);
    this.SUBRULE(this.orExpr);
  });

  public testDecl = this.RULE("testDecl", () => {
    this.CONSUME(T.Test);
    this.CONSUME(T.StringLiteral, { LABEL: "name" });
    this.OR(
      (this.alternatives.testDecl ??= [
        { ALT: () => this.CONSUME(T.Matches, { LABEL: "expectation" }) },
        { ALT: () => this.CONSUME(T.Ignores, { LABEL: "expectation" }) },
      ]),
    );
    this.OPTION(() => {
      this.CONSUME(T.With);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.binding) });
    });
    this.OR2(
      (this.alternatives.testDecl2 ??= [
        { ALT: () => this.SUBRULE(this.jsonObject, { LABEL: "event" }) },
        {
          ALT: () => {
            this.CONSUME(T.From);
            this.CONSUME2(T.StringLiteral, { LABEL: "file" });
          },
        },
      ]),
    );
  });

  public binding = this.RULE("binding", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.valueList);
  });

  // ---- conditions: precedence not > and > or ---------------------------------------------
  public orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpr, { LABEL: "operands" });
    });
  });

  public andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.unaryExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.unaryExpr, { LABEL: "operands" });
    });
  });

  public unaryExpr = this.RULE("unaryExpr", () => {
    this.OR(
      (this.alternatives.unaryExpr ??= [
        {
          ALT: () => {
            this.CONSUME(T.Not);
            this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
          },
        },
        { ALT: () => this.SUBRULE(this.group) },
        { ALT: () => this.SUBRULE(this.quantified) },
        {
          ALT: () => {
            this.OR2(
              (this.alternatives.unaryExpr2 ??= [
                { ALT: () => this.CONSUME(T.True, { LABEL: "constant" }) },
                { ALT: () => this.CONSUME(T.False, { LABEL: "constant" }) },
              ]),
            );
          },
        },
        // `test "x"` or `title "x"` after a dangling `and` starts the next entry, not a field path.
        { GATE: () => !this.startsRuleEntry(), ALT: () => this.SUBRULE(this.predicate) },
      ]),
    );
  });

  private startsRuleEntry(): boolean {
    const first = this.LA(1);
    const isEntryWord =
      tokenMatcher(first, T.Test) ||
      tokenMatcher(first, T.Condition) ||
      tokenMatcher(first, T.MetadataKey);
    if (!isEntryWord) return false;
    const next = this.LA(2);
    return !pathContinuations.some((t) => tokenMatcher(next, t));
  }

  public group = this.RULE("group", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.orExpr);
    this.CONSUME(T.RParen);
  });

  public quantified = this.RULE("quantified", () => {
    this.OR(
      (this.alternatives.quantified ??= [
        { ALT: () => this.CONSUME(T.Any, { LABEL: "quantifier" }) },
        { ALT: () => this.CONSUME(T.All, { LABEL: "quantifier" }) },
      ]),
    );
    this.SUBRULE(this.path);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.orExpr, { LABEL: "body" });
    this.CONSUME(T.RParen);
  });

  public predicate = this.RULE("predicate", () => {
    this.OR(
      (this.alternatives.predicate ??= [
        { ALT: () => this.CONSUME(T.At, { LABEL: "self" }) },
        { ALT: () => this.SUBRULE(this.path) },
      ]),
    );
    this.OR2(
      (this.alternatives.predicate2 ??= [
        {
          ALT: () => {
            this.CONSUME(T.ComparisonOp, { LABEL: "operator" });
            this.SUBRULE(this.value);
            this.OPTION(() => this.CONSUME(T.Nocase));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.StringOp, { LABEL: "operator" });
            this.SUBRULE2(this.value);
            this.OPTION2(() => this.CONSUME2(T.Nocase));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.SetOp, { LABEL: "operator" });
            this.OR3(
              (this.alternatives.predicate3 ??= [
                { ALT: () => this.SUBRULE(this.valueList) },
                { ALT: () => this.CONSUME(T.ListRef) },
              ]),
            );
            this.OPTION3(() => this.CONSUME3(T.Nocase));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Matches, { LABEL: "operator" });
            this.CONSUME(T.RegexLiteral);
            this.OPTION4(() => this.CONSUME4(T.Nocase));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Cidr, { LABEL: "operator" });
            this.CONSUME(T.StringLiteral, { LABEL: "range" });
            // accepted here only so the checks can explain that nocase does not apply
            this.OPTION5(() => this.CONSUME5(T.Nocase));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.PresenceOp, { LABEL: "operator" });
            this.OPTION6(() => this.CONSUME6(T.Nocase));
          },
        },
      ]),
    );
  });

  /** `a.b."x-y".c[0]`; condition words may not start a path (quote them), any word may follow a dot. */
  public path = this.RULE("path", () => {
    this.OR(
      (this.alternatives.path ??= [
        { ALT: () => this.CONSUME(T.Identifier, { LABEL: "head" }) },
        { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: "head" }) },
      ]),
    );
    this.pathTail();
  });

  /** A bare, possibly dotted name in metadata: `medium`, `aws.cloudtrail`, `userIdentity.arn`. */
  public dottedName = this.RULE("dottedName", () => {
    this.CONSUME(T.Identifier, { LABEL: "head" });
    this.pathTail();
  });

  /**
   * `.segment` and `[index]` after a path's head. Part of the rule that calls it, not a rule of its
   * own: a CST node per path would cost a tenth of all parsing for no information. Its OR2, OR3 and
   * CONSUME2 keep clear of the OR and CONSUME of `path` (test/syntax/definitions.test.ts checks).
   */
  private pathTail(): void {
    this.MANY(() => {
      this.OR2(
        (this.alternatives.pathTail2 ??= [
          {
            ALT: () => {
              this.CONSUME(T.Dot);
              this.OR3(
                (this.alternatives.pathTail3 ??= [
                  { ALT: () => this.CONSUME(T.AnyWord, { LABEL: "segment" }) },
                  { ALT: () => this.CONSUME2(T.StringLiteral, { LABEL: "segment" }) },
                ]),
              );
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.LBracket);
              this.CONSUME(T.NumberLiteral, { LABEL: "segment" });
              this.CONSUME(T.RBracket);
            },
          },
        ]),
      );
    });
  }

  public value = this.RULE("value", () => {
    this.OR(
      (this.alternatives.value ??= [
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Null) },
      ]),
    );
  });

  public valueList = this.RULE("valueList", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.value, { LABEL: "items" });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBracket,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.value, { LABEL: "items" });
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  // ---- JSON events (trailing commas accepted) ---------------------------------------------
  public jsonDocument = this.RULE("jsonDocument", () => {
    this.SUBRULE(this.jsonValue);
  });

  public jsonValue = this.RULE("jsonValue", () => {
    this.OR(
      (this.alternatives.jsonValue ??= [
        { ALT: () => this.SUBRULE(this.jsonObject) },
        { ALT: () => this.SUBRULE(this.jsonArray) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Null) },
      ]),
    );
  });

  public jsonObject = this.RULE("jsonObject", () => {
    this.CONSUME(T.LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.jsonMember, { LABEL: "members" });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBrace,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.jsonMember, { LABEL: "members" });
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBrace);
  });

  public jsonMember = this.RULE("jsonMember", () => {
    this.CONSUME(T.StringLiteral, { LABEL: "key" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.jsonValue);
  });

  public jsonArray = this.RULE("jsonArray", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.jsonValue, { LABEL: "items" });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBracket,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.jsonValue, { LABEL: "items" });
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });
}

/** The one parser instance of this process. */
export const detcParser = new DetcParser();

export type EntryRule = "file" | "jsonDocument";

export interface ParseOutput {
  cst: CstNode;
  errors: IRecognitionException[];
}

export function parseTokens(tokens: IToken[], entry: EntryRule = "file"): ParseOutput {
  detcParser.input = tokens;
  const cst = detcParser[entry]();
  return { cst, errors: [...detcParser.errors] };
}
