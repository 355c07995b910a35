import { readFileSync } from "node:fs";
import fc from "fast-check";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { template, withOneTrailingNewline } from "../../src/backends/templates.js";

describe("withOneTrailingNewline", () => {
  it("is text.trimEnd() plus one newline, whatever the text ends with", () => {
    for (const text of [
      "",
      "\n",
      "a",
      "a\n",
      "a\n\n",
      "a \n",
      "a\u00a0\n",
      "a\r\n",
      "a\t",
      "\n\na\n",
    ])
      expect(withOneTrailingNewline(text)).toBe(text.trimEnd() + "\n");
    const ending = fc.constantFrom("", "\n", " ", "\t", "\r", "\u00a0", "\u2028", "\ufeff", "x");
    fc.assert(
      fc.property(fc.string(), fc.array(ending, { maxLength: 4 }), (body, tail) => {
        const text = body + tail.join("");
        expect(withOneTrailingNewline(text)).toBe(text.trimEnd() + "\n");
      }),
    );
  });
});

describe("precompiled templates", () => {
  it("templates.generated.ts is templates/*.hbs as the build precompiles them (else: npm run build)", async () => {
    // @ts-expect-error: a plain .mjs build script, without typings
    const script = (await import("../../scripts/precompile-templates.mjs")) as {
      precompiledModule: () => string;
      generatedFile: string;
    };
    expect(readFileSync(script.generatedFile, "utf8")).toBe(script.precompiledModule());
  });

  it("renders like the same template compiled at run time", () => {
    const source = readFileSync(
      new URL("../../templates/panther/rule.yml.hbs", import.meta.url),
      "utf8",
    );
    const compiled = Handlebars.create().compile(source, {
      noEscape: true,
      strict: true,
      knownHelpersOnly: true,
    });
    const context = {
      filename: "a.py",
      ruleId: "A.B",
      displayName: "A b",
      enabled: "true",
      logTypes: ["AWS.CloudTrail"],
      tags: ["x", "y"],
      attack: ["TA0001:T1078"],
      severity: "High",
      description: null,
      runbook: "'Look'",
      reference: null,
      summary: [],
      tests: [
        {
          name: "t",
          expected: "true",
          logEntry: "    Log:\n      a: 1",
          mocks: [{ objectName: "f", returnValue: "'[]'" }],
        },
      ],
    };
    expect(template("panther", "rule.yml")(context)).toBe(compiled(context));
    expect(() => template("panther", "rule.yml")({ ...context, ruleId: undefined })).not.toThrow();
    const { ruleId: _omitted, ...missing } = context;
    expect(() => template("panther", "rule.yml")(missing)).toThrow(/ruleId/);
  });
});
