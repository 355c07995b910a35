// Handlebars templates (templates/<target>/<name>.hbs, layout only), precompiled by the build into
// templates.generated.ts (scripts/precompile-templates.mjs: the options and why) and instantiated
// once per process by Handlebars' runtime: no template is parsed or compiled at run time.
import type FullHandlebars from "handlebars";
import runtime from "handlebars/runtime.js";
import { precompiledTemplates } from "./templates.generated.js";

// The runtime is the full package minus the compiler; its own typings declare nothing.
const Handlebars = runtime as unknown as typeof FullHandlebars;
type TemplateSpec = Parameters<typeof Handlebars.template>[0];

const specs = precompiledTemplates as unknown as Record<string, TemplateSpec>;
const cache = new Map<string, FullHandlebars.TemplateDelegate>();
const env = Handlebars.create();
// Every render wraps each registered helper anew (Handlebars' per-call set-up): keep only the block
// helpers the templates use (knownHelpersOnly makes any other one a compile error).
for (const name of Object.keys(env.helpers))
  if (!["each", "if", "unless"].includes(name)) env.unregisterHelper(name);

/** The template `templates/<target>/<name>.hbs`. */
export function template(target: string, name: string): FullHandlebars.TemplateDelegate {
  const key = `${target}/${name}`;
  let compiled = cache.get(key);
  if (!compiled) {
    const spec = specs[key];
    if (!spec) throw new Error(`no template ${key}.hbs (after adding one, run npm run build)`);
    compiled = env.template(spec);
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
