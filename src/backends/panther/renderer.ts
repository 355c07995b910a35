// IR → Python for Panther: an exhaustive visitor turns the condition into a Python expression over
// the plain event dict, and this module builds the two template contexts (rule.py, rule.yml). Every
// value reaching a template is already escaped by escape.ts.
import { networkText } from "../../eval/cidr.js";
import { foldCase } from "../../eval/values.js";
import { lowerValue } from "../../ir/lower.js";
import { printPath, printValue } from "../../ir/print.js";
import type { IrNode, IrPath, IrRule, IrValue, IrVisitor } from "../../ir/types.js";
import { visitIr } from "../../ir/types.js";
import type { LoadedRule } from "../../project/project.js";
import type { FieldPath, JsonValue } from "../../syntax/ast.js";
import type { BackendContext, FidelityNote } from "../types.js";
import {
  pythonComment,
  pythonKeywords,
  pythonNumber,
  pythonRegexLiteral,
  pythonString,
  yamlEntry,
  yamlString,
} from "./escape.js";
import { helperClosure, helpers, type HelperName, type PythonImport } from "./helpers.js";
import { forbiddenNameCharacters, severities } from "./mapping.js";
import { translateRegex } from "./regex.js";

/** Generated Python lines stay within this width where the expression can be broken. */
const WIDTH = 100;

// ---------------------------------------------------------------------------------------------
// Names

/** Names the generated module defines or calls: a named list's function must not shadow them. */
const reservedNames: ReadonlySet<string> = new Set([
  ...pythonKeywords,
  ..."ipaddress json re rule title alert_context event".split(" "),
  // builtins the helpers call
  ..."any all bool callable dict float getattr int isinstance len list str tuple OverflowError ValueError".split(
    " ",
  ),
]);

function reserved(name: string): boolean {
  // Helpers and constants start with `_`; loop variables are item, item2, ...
  return reservedNames.has(name) || name.startsWith("_") || /^item\d*$/.test(name);
}

export interface ListNames {
  /** The module-level function holding the list (what a Panther test mocks). */
  fn: string;
  /** The local variable rule() reads it into. */
  local: string;
}

/** Python names for the named lists a rule uses: the list's own name unless that would clash. */
export function listNames(lists: readonly string[]): Map<string, ListNames> {
  const sorted = [...new Set(lists)].sort();
  const taken = new Set<string>();
  const fns = new Map<string, string>();
  for (const name of sorted) {
    if (!reserved(name)) {
      fns.set(name, name);
      taken.add(name);
    }
  }
  for (const name of sorted) {
    if (fns.has(name)) continue;
    let candidate = name.replace(/^_+/, "") || "list";
    while (reserved(candidate) || taken.has(candidate)) candidate += "_list";
    fns.set(name, candidate);
    taken.add(candidate);
  }
  const out = new Map<string, ListNames>();
  for (const name of sorted) {
    const fn = fns.get(name)!;
    let local = `${fn}_values`;
    while (reserved(local) || taken.has(local)) local += "_";
    taken.add(local);
    out.set(name, { fn, local });
  }
  return out;
}

/** A named list's values as the JSON array text its function returns (and a test mock replaces). */
export function listJson(values: readonly IrValue[]): string {
  return `[${values.map(printValue).join(", ")}]`;
}

// ---------------------------------------------------------------------------------------------
// The condition as a Python expression

type Doc =
  | { kind: "leaf"; text: string }
  | { kind: "junction"; op: "and" | "or"; items: Doc[] }
  | { kind: "loop"; fn: "any" | "all"; body: Doc; variable: string; iterable: string };

interface Scope {
  /** The Python expression paths are resolved against: `event`, or the loop variable. */
  root: string;
  depth: number;
}

const leaf = (text: string): Doc => ({ kind: "leaf", text });
const not = (negated: boolean, text: string) => (negated ? `not ${text}` : text);

class ModuleBuilder {
  readonly helpers = new Set<HelperName>();
  readonly imports = new Set<PythonImport>();
  readonly constants: string[] = [];
  readonly notes: FidelityNote[] = [];
  private readonly patterns = new Map<string, string>();
  private readonly networks = new Map<string, string>();

  constructor(private readonly lists: ReadonlyMap<string, ListNames>) {}

  use(name: HelperName): string {
    this.helpers.add(name);
    return name;
  }

  path(path: IrPath, scope: Scope): string {
    if (path.self) return scope.root;
    const steps = path.segments.map((s) => (typeof s === "number" ? String(s) : pythonString(s)));
    return `${this.use("_get")}(${[scope.root, ...steps].join(", ")})`;
  }

  listLocal(name: string): string {
    return this.lists.get(name)!.local;
  }

  pattern(node: Extract<IrNode, { kind: "matches" }>): string | undefined {
    const key = `${node.nocase ? "i" : "c"}:${node.pattern}`;
    const known = this.patterns.get(key);
    if (known) return known;
    const translated = translateRegex(node.pattern, node.nocase);
    if (!translated.ok) {
      this.notes.push({
        fidelity: "unsupported",
        reason: `regex /${node.pattern}/: ${translated.reason}`,
        span: node.origin,
      });
      return undefined;
    }
    const name = `_PATTERN_${this.patterns.size + 1}`;
    this.patterns.set(key, name);
    this.imports.add("re");
    this.constants.push(
      `# detc: /${pythonComment(node.pattern)}/${node.nocase ? " nocase" : ""}`,
      `${name} = re.compile(${pythonRegexLiteral(translated.python)})`,
    );
    return name;
  }

  network(range: string): string {
    const known = this.networks.get(range);
    if (known) return known;
    // Written the way the evaluator reads it: host bits cleared, canonical text, no zone.
    const text = networkText(range);
    const name = `_NETWORK_${this.networks.size + 1}`;
    this.networks.set(range, name);
    this.imports.add("ipaddress");
    if (text !== range) this.constants.push(`# detc: cidr ${pythonComment(JSON.stringify(range))}`);
    this.constants.push(`${name} = ipaddress.ip_network(${pythonString(text)})`);
    return name;
  }
}

function valueLiteral(value: IrValue, nocase: boolean): string {
  switch (value.type) {
    case "string":
      return pythonString(nocase ? foldCase(value.value) : value.value);
    case "number":
      return pythonNumber(value);
    case "boolean":
      return value.value ? "True" : "False";
  }
}

const conditionVisitor: IrVisitor<Doc, { scope: Scope; module: ModuleBuilder }> = {
  const: (node) => leaf(node.value ? "True" : "False"),
  and: (node, ctx) => ({
    kind: "junction",
    op: "and",
    items: node.items.map((item) => conditionDoc(item, ctx)),
  }),
  or: (node, ctx) => ({
    kind: "junction",
    op: "or",
    items: node.items.map((item) => conditionDoc(item, ctx)),
  }),
  quantified: (node, { scope, module }) => {
    const variable = scope.depth === 0 ? "item" : `item${scope.depth + 1}`;
    const iterable = `${module.use("_array")}(${node.path.self ? scope.root : module.path(node.path, scope)})`;
    const body = conditionDoc(node.body, {
      scope: { root: variable, depth: scope.depth + 1 },
      module,
    });
    return { kind: "loop", fn: node.quantifier, body, variable, iterable };
  },
  compare: (node, { scope, module }) => {
    const value = module.path(node.path, scope);
    const eq = node.op === "eq";
    switch (node.value.type) {
      case "string":
        return leaf(
          `${node.nocase ? `${module.use("_lower")}(${value})` : value} ${eq ? "==" : "!="} ${valueLiteral(node.value, node.nocase)}`,
        );
      case "number":
        return leaf(
          `${module.use("_number")}(${value}) ${eq ? "==" : "!="} ${valueLiteral(node.value, false)}`,
        );
      case "boolean":
        // `is`: True == 1 in Python, and a boolean is an int; JSON booleans are the True/False singletons.
        return leaf(`${value} ${eq ? "is" : "is not"} ${valueLiteral(node.value, false)}`);
    }
  },
  order: (node, { scope, module }) => {
    const fn = module.use(`_${node.op}`);
    return leaf(
      not(
        node.negated,
        `${fn}(${module.path(node.path, scope)}, ${valueLiteral(node.value, false)})`,
      ),
    );
  },
  set: (node, { scope, module }) => {
    const value = module.path(node.path, scope);
    const nocaseArg = node.nocase ? ", nocase=True" : "";
    if (node.list.kind === "named") {
      return leaf(
        not(
          node.negated,
          `${module.use("_one_of")}(${value}, ${module.listLocal(node.list.name)}${nocaseArg})`,
        ),
      );
    }
    const values = node.list.values;
    const tuple = (items: string[]) => {
      const unique = [...new Set(items)];
      return `(${unique.join(", ")}${unique.length === 1 ? "," : ""})`;
    };
    const membership = node.negated ? "not in" : "in";
    if (values.every((v) => v.type === "string")) {
      // `in` compares with ==, and a string only equals a string.
      const subject = node.nocase ? `${module.use("_lower")}(${value})` : value;
      return leaf(
        `${subject} ${membership} ${tuple(values.map((v) => valueLiteral(v, node.nocase)))}`,
      );
    }
    if (values.every((v) => v.type === "number")) {
      return leaf(
        `${module.use("_number")}(${value}) ${membership} ${tuple(values.map((v) => valueLiteral(v, false)))}`,
      );
    }
    // Booleans (True == 1) or mixed types: typed membership.
    return leaf(
      not(
        node.negated,
        `${module.use("_one_of")}(${value}, ${tuple(values.map((v) => valueLiteral(v, false)))}${nocaseArg})`,
      ),
    );
  },
  string: (node, { scope, module }) => {
    const fn = module.use(
      node.op === "contains"
        ? "_contains"
        : node.op === "starts_with"
          ? "_starts_with"
          : "_ends_with",
    );
    const value = module.path(node.path, scope);
    const subject = node.nocase ? `${module.use("_lower")}(${value})` : value;
    return leaf(
      not(
        node.negated,
        `${fn}(${subject}, ${pythonString(node.nocase ? foldCase(node.value) : node.value)})`,
      ),
    );
  },
  matches: (node, { scope, module }) => {
    const pattern = module.pattern(node);
    if (!pattern) return leaf("False"); // unsupported: reported, and the rule is not emitted
    return leaf(
      not(node.negated, `${module.use("_search")}(${pattern}, ${module.path(node.path, scope)})`),
    );
  },
  cidr: (node, { scope, module }) => {
    const network = module.network(node.range);
    return leaf(
      not(
        node.negated,
        `${module.use("_in_network")}(${module.path(node.path, scope)}, ${network})`,
      ),
    );
  },
  presence: (node, { scope, module }) => {
    const value = module.path(node.path, scope);
    switch (node.op) {
      case "is_null":
        return leaf(`${value} is None`);
      case "is_not_null":
        return leaf(`${value} is not None`);
      case "is_empty":
        return leaf(`${module.use("_is_empty")}(${value})`);
      case "is_not_empty":
        return leaf(`not ${module.use("_is_empty")}(${value})`);
    }
  },
};

function conditionDoc(node: IrNode, ctx: { scope: Scope; module: ModuleBuilder }): Doc {
  return visitIr(conditionVisitor, node, ctx);
}

/** Junctions inside junctions are parenthesised (also `and` inside `or`, for the reader). */
function flat(doc: Doc): string {
  switch (doc.kind) {
    case "leaf":
      return doc.text;
    case "junction":
      return doc.items
        .map((item) => (item.kind === "junction" ? `(${flat(item)})` : flat(item)))
        .join(` ${doc.op} `);
    case "loop":
      return `${doc.fn}(${flat(doc.body)} for ${doc.variable} in ${doc.iterable})`;
  }
}

const pad = (n: number) => " ".repeat(n);

/**
 * The expression laid out from column `column` on a line indented by `indent` (Black's style:
 * operators lead continuation lines, brackets close at the line's indentation).
 */
function layout(doc: Doc, indent: number, column: number): string {
  const oneLine = flat(doc);
  if (column + oneLine.length <= WIDTH || doc.kind === "leaf") return oneLine;
  if (doc.kind === "loop") {
    const inner = indent + 4;
    return `${doc.fn}(\n${pad(inner)}${layout(doc.body, inner, inner)}\n${pad(inner)}for ${doc.variable} in ${doc.iterable}\n${pad(indent)})`;
  }
  return doc.items
    .map((item, i) => {
      const prefix = i === 0 ? "" : `${doc.op} `;
      const at = i === 0 ? column : indent + prefix.length;
      let text: string;
      if (item.kind !== "junction") text = layout(item, indent, at);
      else {
        const short = `(${flat(item)})`;
        text =
          at + short.length <= WIDTH
            ? short
            : `(\n${pad(indent + 4)}${layout(item, indent + 4, indent + 4)}\n${pad(indent)})`;
      }
      return i === 0 ? text : `\n${pad(indent)}${prefix}${text}`;
    })
    .join("");
}

function returnStatement(doc: Doc): string {
  const oneLine = flat(doc);
  if (4 + "return ".length + oneLine.length <= WIDTH) return `    return ${oneLine}`;
  return `    return (\n${pad(8)}${layout(doc, 8, 8)}\n    )`;
}

// ---------------------------------------------------------------------------------------------
// Template contexts

export interface PythonContext {
  header: string[];
  imports: string[];
  constants: string[];
  lists: string[];
  ruleBody: string;
  title: string;
  alertContext: string | null;
  /** The helper functions the rule calls, each with whether it comes first (no blank lines above). */
  helpers: Array<{ code: string; first: boolean }>;
}

export interface YamlTest {
  name: string;
  expected: string;
  logEntry: string;
  mocks: Array<{ objectName: string; returnValue: string }>;
}

export interface YamlContext {
  filename: string;
  ruleId: string;
  displayName: string | null;
  enabled: string;
  logTypes: string[];
  tags: string[];
  attack: string[];
  severity: string;
  description: string | null;
  runbook: string | null;
  reference: string | null;
  summary: string[];
  tests: YamlTest[];
}

export interface RenderedRule {
  python: PythonContext;
  yaml: YamlContext;
  notes: FidelityNote[];
}

/** The condition as written in the .det file, its continuation lines dedented. */
function conditionSource(rule: LoadedRule): string[] {
  const condition = rule.decl.condition;
  if (!condition) return [];
  const { offset, end, column } = condition.span;
  const lines = rule.file.text.slice(offset, end).split(/\r\n|\r|\n/);
  lines[0] = pad(column - 1) + lines[0];
  const margin = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(margin).trimEnd());
}

/** A path as Panther's SummaryAttributes write it: Snowflake notation, `userIdentity:arn`. */
export function summaryAttribute(path: FieldPath): string {
  const name = (s: string) =>
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`;
  return path.segments
    .map((s, i) =>
      typeof s === "number"
        ? `[${s}]`
        : i === 0
          ? name(s)
          : i === 1
            ? `:${name(s)}`
            : `.${name(s)}`,
    )
    .join("");
}

function pythonModule(
  rule: LoadedRule,
  ir: IrRule,
  ctx: BackendContext,
  names: ReadonlyMap<string, ListNames>,
  module: ModuleBuilder,
): PythonContext {
  const doc = conditionDoc(ir.condition, { scope: { root: "event", depth: 0 }, module });
  const body: string[] = [];
  if (ir.condition.kind !== "const") body.push(`    event = ${module.use("_plain")}(event)`);
  const lists: string[] = [];
  for (const name of ir.lists) {
    const { fn, local } = names.get(name)!;
    const decl = ctx.lists.get(name);
    module.imports.add("json");
    body.push(`    ${local} = json.loads(${fn}())`);
    lists.push(
      [
        `# $${name}${decl ? `: ${pythonComment(decl.description)}` : ""}`,
        "# Its configured values, as a JSON array; a Panther test mocks this function.",
        `def ${fn}():`,
        `    return ${pythonString(listJson(ctx.listValues.get(name) ?? []))}`,
      ].join("\n"),
    );
  }
  body.push(returnStatement(doc));

  const outputs = dedupePaths(rule.decl.meta.output);
  let alertContext: string | null = null;
  if (outputs.length > 0) {
    const entries = outputs.map(
      (p) =>
        `        ${pythonString(printPath(p))}: ${module.path(p, { root: "event", depth: 0 })},`,
    );
    alertContext = [
      `    event = ${module.use("_plain")}(event)`,
      "    return {",
      ...entries,
      "    }",
    ].join("\n");
  }

  const used = helperClosure(module.helpers);
  const imports = new Set(module.imports);
  used.forEach((h) => helpers[h].imports.forEach((i) => imports.add(i)));

  const meta = rule.decl.meta;
  const header = [
    `# ${pythonComment(rule.decl.id)}`,
    `# ${pythonComment(meta.title ?? "")}`,
    "#",
    `# Generated by detc from ${pythonComment(rule.outputStem)}.det.`,
    "# Edit the rule there, not this file. Its condition:",
    "#",
    ...conditionSource(rule).map((line) => (line === "" ? "#" : `#   ${pythonComment(line)}`)),
    "#",
    "# Fields are looked up exactly (case-sensitive) in the plain event from event.to_dict(); a missing",
    '# field is null; values are typed ("5" is not 5, true is not 1); a path never looks inside a list',
    "# unless any()/all() iterates it (detc semantics, language.md §3).",
  ];

  return {
    header,
    imports: [...imports].sort().map((i) => `import ${i}`),
    constants: module.constants,
    lists,
    ruleBody: body.join("\n"),
    title: pythonString(meta.title ?? rule.decl.id),
    alertContext,
    helpers: used.map((h, i) => ({ code: helpers[h].code, first: i === 0 })),
  };
}

function dedupePaths(paths: readonly FieldPath[]): FieldPath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = printPath(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function yamlSpec(
  rule: LoadedRule,
  ir: IrRule,
  names: ReadonlyMap<string, ListNames>,
  logTypes: readonly string[],
): YamlContext {
  const meta = rule.decl.meta;
  const base = rule.outputStem.split("/").pop()!;
  const [reference, ...moreReferences] = meta.reference;
  const description = [
    meta.description,
    moreReferences.length
      ? `Also see:\n${moreReferences.map((r) => `- ${r}`).join("\n")}`
      : undefined,
  ]
    .filter((p): p is string => !!p)
    .join("\n\n");
  const falsePositives = meta.falsepositives.length
    ? `Known false positives:\n${meta.falsepositives.map((f) => `- ${f}`).join("\n")}`
    : undefined;
  const runbook = [meta.runbook, falsePositives].filter((p): p is string => !!p).join("\n\n");
  const title = meta.title ?? rule.decl.id;
  const used = new Set(ir.lists);

  const tests: YamlTest[] = [];
  for (const test of rule.decl.tests) {
    if (!test.event) continue;
    tests.push({
      name: yamlString(test.name, 4),
      expected: test.expect === "matches" ? "true" : "false",
      logEntry: yamlEntry("Log", test.event as JsonValue, 4),
      // Only lists the rule uses exist in the module (a mock of a missing name fails the test).
      mocks: test.bindings
        .filter((b) => used.has(b.name))
        .map((b) => ({
          objectName: names.get(b.name)!.fn,
          returnValue: yamlString(
            listJson(b.values.map(lowerValue).filter((v): v is IrValue => !!v)),
            8,
          ),
        }))
        .sort((a, b) => (a.objectName < b.objectName ? -1 : a.objectName > b.objectName ? 1 : 0)),
    });
  }

  return {
    filename: yamlString(`${base}.py`, 0),
    ruleId: yamlString(rule.decl.id, 0),
    // Panther rejects these characters in DisplayName; the alert title (title()) keeps them.
    displayName: forbiddenNameCharacters.test(title) ? null : yamlString(title, 0),
    enabled: meta.enabled ? "true" : "false",
    logTypes: logTypes.map((t) => yamlString(t, 2)),
    tags: [...new Set(meta.tags)].map((t) => yamlString(t, 2)),
    attack: [...new Set(meta.attack.map((a) => `${a.tactic}:${a.technique}`))].map((a) =>
      yamlString(a, 4),
    ),
    severity: severities[meta.severity ?? "info"],
    description: description ? yamlString(description, 0) : null,
    runbook: runbook ? yamlString(runbook, 0) : null,
    reference: reference ? yamlString(reference, 0) : null,
    summary: [...new Set(meta.summary.map(summaryAttribute))].map((s) => yamlString(s, 2)),
    tests,
  };
}

/** Both template contexts for a rule with IR, and what Panther cannot say exactly. */
export function renderRule(
  rule: LoadedRule,
  ir: IrRule,
  ctx: BackendContext,
  logTypes: readonly string[],
): RenderedRule {
  const names = listNames(ir.lists);
  const module = new ModuleBuilder(names);
  const python = pythonModule(rule, ir, ctx, names, module);
  return { python, yaml: yamlSpec(rule, ir, names, logTypes), notes: module.notes };
}
