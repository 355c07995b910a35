// detc's Prettier plugin: a thin shell (languages, parsers, printers) over the same parser the
// compiler uses. The parser returns the formatter's tree (src/format/tree.ts) with comments already
// attached to their nodes, so Prettier's generic comment placement is not used: the tree has no
// `comments` array, and the printer prints each node's comments itself.
import type { AstPath, Doc, Plugin } from "prettier";
import { parseSourceConcrete } from "../syntax/index.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { PRINT_WIDTH, printFile } from "./print.js";
import { TreeBuilder, type AnyNode, type FileNode } from "./tree.js";

export const AST_FORMAT = "detc-tree";

/**
 * Thrown by the parser when the file has errors (the CLI checks first and never formats such a
 * file). `loc` makes Prettier's own CLI show it as a syntax error with a code frame, not a crash.
 */
export class DetcSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly loc: { start: { line: number; column: number } },
  ) {
    super(message);
  }
}

export function parseTree(text: string, file = "<input>"): FileNode {
  const parsed = parseSourceConcrete(file, text);
  if (hasErrors(parsed.diagnostics)) {
    const first = parsed.diagnostics.find((d) => d.severity === "error")!;
    throw new DetcSyntaxError(`${first.code}: ${first.message}`, {
      start: { line: first.span.line, column: first.span.column },
    });
  }
  const builder = new TreeBuilder(text, parsed.lines);
  const tree = builder.file(parsed.cst);
  builder.attachComments(tree, parsed.comments);
  return tree;
}

const locStart = (node: AnyNode) => node.start;
const locEnd = (node: AnyNode) => node.end;

export const detcPlugin: Plugin<AnyNode> = {
  languages: [
    { name: "detc", parsers: ["detc"], extensions: [".det"], vscodeLanguageIds: ["detc"] },
  ],
  parsers: {
    detc: {
      parse: (text: string, options?: { filepath?: string }) => parseTree(text, options?.filepath),
      astFormat: AST_FORMAT,
      locStart,
      locEnd,
    },
  },
  printers: {
    [AST_FORMAT]: {
      print(path: AstPath<AnyNode>, options): Doc {
        const node = path.node;
        if (node.kind !== "file") throw new Error(`detc printer: unexpected root ${node.kind}`);
        return printFile(node, options.originalText);
      },
    },
  },
  options: {},
  defaultOptions: { printWidth: PRINT_WIDTH, tabWidth: 2, useTabs: false, endOfLine: "lf" },
};

// Prettier loads a plugin module by its named exports: `prettier --plugin dist/format/plugin.js`.
export const { languages, parsers, printers, defaultOptions } = detcPlugin;
export default detcPlugin;
