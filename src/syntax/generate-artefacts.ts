// `npm run grammar`: regenerate everything in the tree that is derived from the parser or the
// diagnostics table. Run it after `npm run build` (it runs from dist/).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  cstTypings,
  readInvalidExampleOutputs,
  syntaxDiagramHtml,
  withDiagnosticCodesTable,
} from "./artefacts.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
writeFileSync(`${root}src/syntax/cst.d.ts`, cstTypings());
writeFileSync(`${root}grammar/syntax-diagram.html`, syntaxDiagramHtml());
const written = ["src/syntax/cst.d.ts", "grammar/syntax-diagram.html"];

const reference = `${root}grammar/reference.md`;
if (existsSync(reference)) {
  const text = readFileSync(reference, "utf8");
  const updated = withDiagnosticCodesTable(text, readInvalidExampleOutputs(root));
  if (updated !== text) writeFileSync(reference, updated);
  written.push("the diagnostic-code table of grammar/reference.md");
}
console.error(`wrote ${written.join(", ")}`);
