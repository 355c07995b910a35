// Handlebars templates, compiled once per process. `noEscape`: HTML escaping is wrong for code, so
// values reach a template already escaped by the target's own escape functions. `knownHelpersOnly`:
// templates use only the built-in block helpers, so a `{{{name}}}` compiles to a plain lookup
// instead of a run-time check for a helper of that name (rendering is ~10% faster).
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";

const templatesDir = new URL("../../templates/", import.meta.url);
const cache = new Map<string, Handlebars.TemplateDelegate>();
const env = Handlebars.create();

/** The compiled template `templates/<target>/<name>.hbs`. */
export function template(target: string, name: string): Handlebars.TemplateDelegate {
  const key = `${target}/${name}`;
  let compiled = cache.get(key);
  if (!compiled) {
    const source = readFileSync(new URL(`${key}.hbs`, templatesDir), "utf8");
    compiled = env.compile(source, { noEscape: true, strict: true, knownHelpersOnly: true });
    cache.set(key, compiled);
  }
  return compiled;
}

/** Render and normalise: exactly one trailing newline, so outputs are byte-stable. */
export function render(target: string, name: string, context: object): string {
  return withOneTrailingNewline(template(target, name)(context));
}

/** `text.trimEnd() + "\n"`, without copying the text when it already ends so (most outputs do). */
export function withOneTrailingNewline(text: string): string {
  const n = text.length;
  if (n > 1 && text.charCodeAt(n - 1) === 10 && !/\s/.test(text[n - 2]!)) return text;
  return text.trimEnd() + "\n";
}
