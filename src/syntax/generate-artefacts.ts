import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cstTypings, syntaxDiagramHtml } from "./artefacts.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
writeFileSync(`${root}src/syntax/cst.d.ts`, cstTypings());
writeFileSync(`${root}grammar/syntax-diagram.html`, syntaxDiagramHtml());
console.error("wrote src/syntax/cst.d.ts and grammar/syntax-diagram.html");
