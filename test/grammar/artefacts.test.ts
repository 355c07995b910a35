// Files generated from the parser and the diagnostics table must match what the code produces now.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  codesTableBegin,
  codesTableEnd,
  cstTypings,
  readInvalidExampleOutputs,
  syntaxDiagramHtml,
  withDiagnosticCodesTable,
} from "../../src/syntax/artefacts.js";
import { Codes } from "../../src/diagnostics/codes.js";
import { metadataKeys } from "../../src/syntax/ast.js";
import { keywordTexts } from "../../src/syntax/tokens.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");
const stale = (path: string) =>
  `${path} is stale: run \`npm run build && npm run grammar\` and commit the result`;

describe("generated grammar artefacts", () => {
  it("src/syntax/cst.d.ts matches the parser", () => {
    expect(read("src/syntax/cst.d.ts") === cstTypings(), stale("src/syntax/cst.d.ts")).toBe(true);
  });

  it("grammar/syntax-diagram.html matches the parser", () => {
    expect(
      read("grammar/syntax-diagram.html") === syntaxDiagramHtml(),
      stale("grammar/syntax-diagram.html"),
    ).toBe(true);
  });

  it("the diagnostic-code table of grammar/reference.md matches src/diagnostics/codes.ts", () => {
    const reference = read("grammar/reference.md");
    expect(reference).toContain(codesTableBegin);
    expect(reference).toContain(codesTableEnd);
    const current = withDiagnosticCodesTable(reference, readInvalidExampleOutputs(root));
    expect(reference === current, stale("the diagnostic-code table in grammar/reference.md")).toBe(
      true,
    );
    for (const entry of Object.values(Codes)) expect(reference).toContain(`| ${entry.code} |`);
  });

  it("grammar/reference.md names every keyword and documents every metadata key", () => {
    const reference = read("grammar/reference.md");
    expect([...keywordTexts.values()].filter((k) => !reference.includes(`\`${k}\``))).toEqual([]);
    expect(metadataKeys.filter((k) => !reference.includes(`| \`${k}\` |`))).toEqual([]);
  });
});
