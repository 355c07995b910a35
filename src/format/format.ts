// Formatting a .det text: refuse a file with errors (its diagnostics come back instead), else run
// Prettier (the standalone build: no other plugin is loaded) with the detc plugin. The result is
// checked before it is returned: it must parse to the same rules and lists (positions aside) and
// hold the same comments in the same order; otherwise formatting fails loudly rather than
// changing a rule.
import { format } from "prettier/standalone";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { LineIndex } from "../diagnostics/span.js";
import { lex, parseSource } from "../syntax/index.js";
import { detcPlugin } from "./plugin.js";
import { PRINT_WIDTH } from "./print.js";

export interface FormatResult {
  /** The formatted text; undefined when the file has errors (see diagnostics). */
  formatted: string | undefined;
  diagnostics: Diagnostic[];
}

/** A formatter bug caught by the output check: the file is left as it is. */
export class FormatterError extends Error {}

const positionKeys = new Set(["span", "idSpan", "metaSpans"]);

/** What a file means: its rules and lists without source positions. */
function meaning(file: string, text: string): string {
  const parsed = parseSource(file, text);
  return JSON.stringify(
    { rules: parsed.value.rules, lists: parsed.value.lists, errors: hasErrors(parsed.diagnostics) },
    (key, value: unknown) => (positionKeys.has(key) ? undefined : value),
  );
}

const comments = (file: string, text: string) =>
  lex(new LineIndex(file, text)).comments.map((c) => c.image.trimEnd());

export async function formatSource(file: string, text: string): Promise<FormatResult> {
  const parsed = parseSource(file, text);
  if (hasErrors(parsed.diagnostics))
    return { formatted: undefined, diagnostics: parsed.diagnostics };
  const formatted = await format(text, {
    parser: "detc",
    plugins: [detcPlugin],
    filepath: file,
    printWidth: PRINT_WIDTH,
    tabWidth: 2,
    useTabs: false,
    endOfLine: "lf",
  });
  if (meaning(file, formatted) !== meaning(file, text))
    throw new FormatterError(
      `formatting ${file} would change its meaning; the file is left as it is`,
    );
  if (JSON.stringify(comments(file, formatted)) !== JSON.stringify(comments(file, text))) {
    throw new FormatterError(
      `formatting ${file} would move a comment out of order or lose one; the file is left as it is`,
    );
  }
  return { formatted, diagnostics: parsed.diagnostics };
}
