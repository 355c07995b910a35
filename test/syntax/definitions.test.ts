// The CLI builds its lexer and parser with Chevrotain's definition checks off (they cost more at
// start-up than lexing a rule pack); this test runs them, so a grammar mistake fails here.
import { Lexer } from "chevrotain";
import { describe, expect, it } from "vitest";
import { DetcParser } from "../../src/syntax/parser.js";
import { createLexer, detcLexer, tokenVocabulary } from "../../src/syntax/tokens.js";

describe("the lexer and parser definitions", () => {
  it("pass Chevrotain's grammar validations (ambiguity, left recursion, duplicate DSL indices…)", () => {
    // performSelfAnalysis throws "Parser Definition Errors detected" with the list.
    expect(() => new DetcParser(false)).not.toThrow();
  });

  it("pass the lexer's validations, with the first-character optimisation applied", () => {
    expect(() => createLexer(false)).not.toThrow();
    expect(
      () =>
        new Lexer(tokenVocabulary, { positionTracking: "onlyOffset", ensureOptimizations: true }),
    ).not.toThrow();
  });

  it("make tokens that carry their end offset from the lexer itself", () => {
    const { tokens } = detcLexer.tokenize('rule "r" { title "t" }');
    expect(tokens.map((t) => [t.image, t.startOffset, t.endOffset])).toEqual([
      ["rule", 0, 3],
      ['"r"', 5, 7],
      ["{", 9, 9],
      ["title", 11, 15],
      ['"t"', 17, 19],
      ["}", 21, 21],
    ]);
  });
});
