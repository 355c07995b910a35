// detc.config.yaml: enabled targets, output folder, list values, per-target options.
// Precedence for every setting: command-line flag > environment (DETC_*) > config file > default.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Node as YamlNode } from "yaml";
import { diag, type Diagnostic } from "../diagnostics/diagnostic.js";
import { fileStart, type Span } from "../diagnostics/span.js";
import type { IrValue } from "../ir/types.js";

export const CONFIG_FILE = "detc.config.yaml";
export const knownTargets = ["panther", "sigma", "cloudwatch", "chronicle", "sentinel"] as const;

export interface DetcConfig {
  /** The config file read, if any (relative to the working directory). */
  file: string | undefined;
  /** The folder config paths are relative to: the config file's folder, else the working directory. */
  rootDir: string;
  targets: string[];
  out: string;
  rules: string;
  lists: Map<string, IrValue[]>;
  /** Per-target option objects, e.g. `panther: { logTypes: {...} }`. */
  targetOptions: Record<string, Record<string, unknown>>;
  /** `lint:` — findings ignored everywhere, severity overrides, the default --fail-level. */
  lint: {
    ignore: string[];
    severity: Record<string, "error" | "warning" | "info" | "off">;
    failLevel?: "error" | "warning" | "info" | "never";
  };
}

export interface ConfigOverrides {
  targets?: string[];
  out?: string;
  config?: string;
}

const scalar = { type: ["string", "number", "boolean"] };
const schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    targets: { type: "array", items: { enum: [...knownTargets] }, uniqueItems: true },
    out: { type: "string", minLength: 1 },
    rules: { type: "string", minLength: 1 },
    lists: { type: "object", additionalProperties: { type: "array", items: scalar } },
    lint: {
      type: "object",
      additionalProperties: false,
      properties: {
        ignore: { type: "array", items: { type: "string" } },
        severity: {
          type: "object",
          additionalProperties: { enum: ["error", "warning", "info", "off"] },
        },
        failLevel: { enum: ["error", "warning", "info", "never"] },
      },
    },
    ...Object.fromEntries(knownTargets.map((t) => [t, { type: "object" }])),
  },
} as const;

let validator: ReturnType<Ajv["compile"]> | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/** Find detc.config.yaml in `cwd` or the nearest folder above it. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const toIrValue = (v: string | number | boolean): IrValue =>
  typeof v === "string"
    ? { type: "string", value: v }
    : typeof v === "number"
      ? { type: "number", value: v, text: String(v) }
      : { type: "boolean", value: v };

export function parseTargetList(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

export function loadConfig(
  cwd: string,
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): { value: DetcConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const explicit = overrides.config ?? env.DETC_CONFIG;
  const absolute = explicit ? path.resolve(cwd, explicit) : findConfigFile(cwd);
  const shown = absolute
    ? path.relative(cwd, absolute).split(path.sep).join("/") || CONFIG_FILE
    : undefined;
  let data: Record<string, unknown> = {};
  if (absolute && shown) {
    const at = fileStart(shown);
    let text: string | undefined;
    try {
      text = readFileSync(absolute, "utf8");
    } catch (e) {
      diagnostics.push(diag("file-unreadable", at, [shown, (e as Error).message]));
    }
    if (text !== undefined) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter, prettyErrors: false });
      const spanOf = (range: [number, number, number?] | undefined): Span => {
        if (!range) return at;
        const start = lineCounter.linePos(range[0]);
        const end = lineCounter.linePos(range[1]);
        return {
          file: shown,
          offset: range[0],
          end: range[1],
          line: start.line,
          column: start.col,
          endLine: end.line,
          endColumn: end.col,
        };
      };
      for (const e of doc.errors)
        diagnostics.push(
          diag("invalid-config", spanOf([e.pos[0], e.pos[1]]), [
            e.message.split("\n")[0] ?? "invalid YAML",
          ]),
        );
      if (doc.errors.length === 0) {
        const value = doc.toJS() as unknown;
        data =
          value && typeof value === "object" && !Array.isArray(value)
            ? (value as Record<string, unknown>)
            : {};
        if (value !== null && value !== undefined && data !== value)
          diagnostics.push(diag("invalid-config", at, ["expected a mapping of settings"]));
        for (const error of validate(data)) {
          const segments = error.instancePath
            .split("/")
            .slice(1)
            .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
          if (error.keyword === "additionalProperties")
            segments.push((error.params as { additionalProperty: string }).additionalProperty);
          // Point at the offending key itself where there is one, else at the value.
          const parent =
            segments.length > 1 ? doc.getIn(segments.slice(0, -1), true) : doc.contents;
          const pair = isMap(parent)
            ? parent.items.find(
                (p) => isScalar(p.key) && String(p.key.value) === segments[segments.length - 1],
              )
            : undefined;
          const node =
            error.keyword === "additionalProperties" && pair
              ? pair.key
              : segments.length
                ? doc.getIn(segments, true)
                : doc.contents;
          const where = isNode(node) ? spanOf((node as YamlNode).range ?? undefined) : at;
          const detail =
            error.keyword === "additionalProperties"
              ? `unknown setting '${(error.params as { additionalProperty: string }).additionalProperty}' (known: targets, out, rules, lists, lint, ${knownTargets.join(", ")})`
              : error.keyword === "enum"
                ? `unknown target (known: ${knownTargets.join(", ")})`
                : `${error.instancePath || "config"} ${error.message ?? "is invalid"}`;
          diagnostics.push(diag("invalid-config", where, [detail]));
        }
      }
    }
  }
  const rootDir = absolute ? path.dirname(absolute) : cwd;
  const fileTargets = Array.isArray(data.targets) ? (data.targets as string[]) : undefined;
  const envTargets = env.DETC_TARGETS ? parseTargetList(env.DETC_TARGETS) : undefined;
  const targets = overrides.targets ?? envTargets ?? fileTargets ?? ["panther"];
  // Folders named in the file (or defaulted) are relative to the file's folder; flags and
  // environment are relative to the working directory.
  const fromRoot = (p: string) => path.join(path.relative(cwd, rootDir), p);
  const outSetting =
    overrides.out ?? env.DETC_OUT ?? fromRoot(typeof data.out === "string" ? data.out : "out");
  const rules = fromRoot(typeof data.rules === "string" ? data.rules : "rules");
  const lists = new Map<string, IrValue[]>();
  for (const [name, values] of Object.entries(
    (data.lists as Record<string, (string | number | boolean)[]>) ?? {},
  )) {
    if (Array.isArray(values)) lists.set(name, values.map(toIrValue));
  }
  const targetOptions: Record<string, Record<string, unknown>> = {};
  for (const t of knownTargets) targetOptions[t] = (data[t] as Record<string, unknown>) ?? {};
  const lint = (data.lint as DetcConfig["lint"] | undefined) ?? { ignore: [], severity: {} };
  return {
    value: {
      file: shown,
      rootDir,
      targets,
      out: outSetting || "out",
      rules: rules || "rules",
      lists,
      targetOptions,
      lint: {
        ignore: lint.ignore ?? [],
        severity: lint.severity ?? {},
        ...(lint.failLevel ? { failLevel: lint.failLevel } : {}),
      },
    },
    diagnostics,
  };
}
