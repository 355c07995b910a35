// Artefacts generated from the parser itself: CST typings and the syntax diagram.
// `npm run grammar` writes them; a test fails when the committed copies are stale.
import { createSyntaxDiagramsCode, generateCstDts } from "chevrotain";
import { detcParser } from "./parser.js";

export function cstTypings(): string {
  const body = generateCstDts(detcParser.getGAstProductions());
  return `// Generated from the parser by \`npm run grammar\`. Do not edit.\n${body}`;
}

export function syntaxDiagramHtml(): string {
  return createSyntaxDiagramsCode(detcParser.getSerializedGastProductions());
}
