// Artefacts generated from the parser and the diagnostics table: CST typings, the syntax diagram
// and the diagnostic-code table of grammar/reference.md. `npm run grammar` writes them; tests fail
// when the committed copies are stale.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createSyntaxDiagramsCode, generateCstDts } from "chevrotain";
import { Codes, type DiagnosticCode } from "../diagnostics/codes.js";
import { detcParser } from "./parser.js";

export function cstTypings(): string {
  const body = generateCstDts(detcParser.getGAstProductions());
  return `// Generated from the parser by \`npm run grammar\`. Do not edit.\n${body}`;
}

export function syntaxDiagramHtml(): string {
  return createSyntaxDiagramsCode(detcParser.getSerializedGastProductions());
}

// ---- the diagnostic-code table of grammar/reference.md ----------------------------------------

export const codesTableBegin =
  "<!-- BEGIN GENERATED: diagnostic codes (`npm run grammar` writes this table from src/diagnostics/codes.ts) -->";
export const codesTableEnd = "<!-- END GENERATED: diagnostic codes -->";

/** `grammar/examples/invalid/<name>.det` → the text of its `.expected` file. */
export type InvalidExampleOutputs = ReadonlyMap<string, string>;

/** The invalid examples' expected outputs, read from `<root>/grammar/examples/invalid`. */
export function readInvalidExampleOutputs(root: string): InvalidExampleOutputs {
  const dir = path.join(root, "grammar", "examples", "invalid");
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".expected"))
      .sort();
  } catch {
    return out;
  }
  for (const name of names)
    out.set(
      `${name.slice(0, -".expected".length)}.det`,
      readFileSync(path.join(dir, name), "utf8"),
    );
  return out;
}

/** The example that shows a code best: the file named after it, else the one with the fewest other codes. */
function exampleFor(entry: DiagnosticCode, outputs: InvalidExampleOutputs): string | undefined {
  const namesake = `${entry.name.replace(/-/g, "_")}.det`;
  const candidates: Array<[number, string]> = [];
  for (const [name, text] of outputs) {
    const codes = new Set([...text.matchAll(/ (DETC\d{4}): /g)].map((m) => m[1]));
    if (codes.has(entry.code)) candidates.push([name === namesake ? 0 : codes.size, name]);
  }
  candidates.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return candidates[0]?.[1];
}

function codeSpan(text: string): string {
  const escaped = text.replace(/\|/g, "\\|");
  return escaped.includes("`") ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

/** The Markdown table of every diagnostic code, sorted by code. */
export function diagnosticCodesTable(outputs: InvalidExampleOutputs): string {
  const entries: DiagnosticCode[] = Object.values(Codes).sort((a, b) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
  );
  const rows = entries.map((e) => {
    const example = exampleFor(e, outputs);
    const link = example ? `[${example}](examples/invalid/${example})` : "—";
    return `| ${e.code} | ${e.severity} | \`${e.name}\` | ${codeSpan(e.message)} | ${link} |`;
  });
  return [
    "`{0}`, `{1}`… in a message stand for the details filled in for each diagnostic.",
    "",
    "| Code | Severity | Name | Message | Example |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** `referenceText` with the text between the table markers replaced by the current table. */
export function withDiagnosticCodesTable(
  referenceText: string,
  outputs: InvalidExampleOutputs,
): string {
  const begin = referenceText.indexOf(codesTableBegin);
  const end = referenceText.indexOf(codesTableEnd);
  if (begin < 0 || end < begin) return referenceText;
  return `${referenceText.slice(0, begin + codesTableBegin.length)}\n${diagnosticCodesTable(outputs)}\n${referenceText.slice(end)}`;
}
