// A project: the .det files asked for, the named lists of the whole rules/ tree, and each rule's
// AST, checks and IR. Loading never throws; every problem is a diagnostic.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { checkList, checkRule } from "../check/semantic.js";
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { fileStart } from "../diagnostics/span.js";
import { lowerExpr, listsUsed, lowerValue } from "../ir/lower.js";
import type { IrRule, IrValue } from "../ir/types.js";
import type { JsonValue, ListDecl, RuleDecl, RuleFile } from "../syntax/ast.js";
import { describeJson, parseJsonDocument, parseSource } from "../syntax/index.js";
import type { EventFileReader } from "../syntax/toAst.js";

export interface SourceFile {
  /** Path as shown in diagnostics: relative to the working directory. */
  path: string;
  absolutePath: string;
  text: string;
  ast: RuleFile;
}

export interface LoadedRule {
  decl: RuleDecl;
  file: SourceFile;
  /** The rule file's path under rules/ (decides where outputs go), without extension. */
  outputStem: string;
  /** Present when the rule has no errors. */
  ir: IrRule | undefined;
  diagnostics: Diagnostic[];
}

export interface Project {
  rootDir: string;
  rulesDir: string | undefined;
  files: SourceFile[];
  rules: LoadedRule[];
  lists: Map<string, ListDecl>;
  diagnostics: Diagnostic[];
  /** Source text by displayed path, for rendering diagnostics. */
  sources: Map<string, string>;
}

export interface LoadOptions {
  cwd?: string;
  /** List values from configuration (override declared defaults). */
  listValues?: ReadonlyMap<string, readonly IrValue[]>;
  /** Milliseconds spent per stage, accumulated (for `--timings` and the benchmark). */
  timings?: StageTimings;
}

export interface StageTimings {
  parse: number;
  check: number;
  lower: number;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(full);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // a dangling link
      }
    }
    if (isDir) walk(full, out);
    else if (isFile && entry.name.endsWith(".det")) out.push(full);
  }
}

/** Every .det file under the given files or folders (sorted), and the paths that do not exist. */
export function findRuleFiles(
  paths: string[],
  cwd: string,
): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const absolute = path.resolve(cwd, p);
    try {
      if (statSync(absolute).isDirectory()) walk(absolute, files);
      else files.push(absolute);
    } catch {
      missing.push(p);
    }
  }
  return { files: [...new Set(files)].sort(), missing };
}

/** The nearest folder named `rules` at or above a path: named lists are shared across it. */
export function findRulesDir(start: string): string | undefined {
  let dir = path.resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    if (path.basename(dir) === "rules") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function displayPath(cwd: string, absolute: string): string {
  // Most files are under cwd: cut the prefix instead of path.relative's resolving (per file).
  const rel =
    absolute.startsWith(cwd + path.sep) && !absolute.includes(`${path.sep}.`)
      ? absolute.slice(cwd.length + 1)
      : path.relative(cwd, absolute);
  return (rel.startsWith("..") ? absolute : rel).split(path.sep).join("/");
}

function eventFileReader(
  cwd: string,
  ruleFile: string,
  sources: Map<string, string>,
): EventFileReader {
  return (relative, span) => {
    const absolute = path.resolve(path.dirname(ruleFile), relative);
    const shown = displayPath(cwd, absolute);
    let text: string;
    try {
      text = readFileSync(absolute, "utf8");
    } catch (e) {
      const reason =
        (e as NodeJS.ErrnoException).code === "ENOENT"
          ? "no such file"
          : String((e as Error).message);
      return {
        value: undefined,
        diagnostics: [diag("test-file-unreadable", span, [JSON.stringify(relative), reason])],
      };
    }
    sources.set(shown, text);
    const parsed = parseJsonDocument(shown, text);
    const value = parsed.value;
    if (
      parsed.diagnostics.length === 0 &&
      (value === null || typeof value !== "object" || Array.isArray(value))
    ) {
      return {
        value: undefined,
        diagnostics: [diag("test-event-not-object", span, [describeJson(value)])],
      };
    }
    return {
      value: value as { [key: string]: JsonValue } | undefined,
      diagnostics: parsed.diagnostics,
    };
  };
}

/** Files outside the request are parsed only for their list declarations; most have none. */
const mayDeclareList = /\blist\b/;

/** A file's text, or why it could not be read. */
type ReadResult = { text: string } | { error: string };

function readSource(absolute: string): ReadResult {
  try {
    return { text: readFileSync(absolute, "utf8") };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function parseFile(
  cwd: string,
  absolute: string,
  read: ReadResult,
  sources: Map<string, string>,
  onlyIfDeclaresLists = false,
): { file?: SourceFile; diagnostics: Diagnostic[] } {
  const shown = displayPath(cwd, absolute);
  if ("error" in read) {
    const at = fileStart(shown);
    return {
      diagnostics: onlyIfDeclaresLists ? [] : [diag("file-unreadable", at, [shown, read.error])],
    };
  }
  const text = read.text;
  if (onlyIfDeclaresLists && !mayDeclareList.test(text)) return { diagnostics: [] };
  sources.set(shown, text);
  const parsed = parseSource(shown, text, eventFileReader(cwd, absolute, sources));
  return {
    file: { path: shown, absolutePath: absolute, text, ast: parsed.value },
    diagnostics: parsed.diagnostics,
  };
}

export function listValuesFor(
  lists: ReadonlyMap<string, ListDecl>,
  configured: ReadonlyMap<string, readonly IrValue[]> = new Map(),
): Map<string, readonly IrValue[]> {
  const out = new Map<string, readonly IrValue[]>();
  for (const [name, decl] of lists) {
    const values =
      configured.get(name) ??
      (decl.defaults ?? []).map(lowerValue).filter((v): v is IrValue => !!v);
    out.set(name, values);
  }
  return out;
}

/** Load the rules at `paths` (files or folders). */
export function loadProject(paths: string[], options: LoadOptions = {}): Project {
  const cwd = options.cwd ?? process.cwd();
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const requested: string[] = [];
  for (const p of paths) {
    const absolute = path.resolve(cwd, p);
    let isDir = false;
    try {
      isDir = statSync(absolute).isDirectory();
    } catch {
      const at = fileStart(displayPath(cwd, absolute));
      diagnostics.push(diag("file-unreadable", at, [p, "no such file or directory"]));
      continue;
    }
    const before = requested.length;
    if (isDir) walk(absolute, requested);
    else requested.push(absolute);
    if (requested.length === before) {
      const at = fileStart(displayPath(cwd, absolute));
      diagnostics.push(diag("no-rule-files", at, [p]));
    }
  }
  const unique = [...new Set(requested)];
  const requestedSet = new Set(unique);
  const rulesDir = findRulesDir(paths[0] ? path.resolve(cwd, paths[0]) : cwd);

  // Every .det under rules/ may declare lists; parse them all (each file once). When the request is
  // the rules folder itself, its walk already found them.
  const allFiles = new Set(unique);
  if (rulesDir && !paths.some((p) => path.resolve(cwd, p) === rulesDir)) {
    const shared: string[] = [];
    walk(rulesDir, shared);
    shared.forEach((f) => allFiles.add(f));
  }
  const files: SourceFile[] = [];
  const parsedByPath = new Map<string, SourceFile>();
  const timings = options.timings;
  let mark = performance.now();
  const lap = (stage: keyof StageTimings) => {
    const now = performance.now();
    if (timings) timings[stage] += now - mark;
    mark = now;
  };
  // Every file read before any is parsed: the parser then runs without system calls in between,
  // ~20 ms less on the 3,000-rule benchmark (bench/notes.md).
  const sorted = [...allFiles].sort();
  const texts = sorted.map(readSource);
  for (let i = 0; i < sorted.length; i++) {
    const absolute = sorted[i]!;
    const isRequested = requestedSet.has(absolute);
    const result = parseFile(cwd, absolute, texts[i]!, sources, !isRequested);
    // Problems in files that were not asked for surface only through the lists they declare.
    if (isRequested) diagnostics.push(...result.diagnostics);
    if (result.file) {
      parsedByPath.set(absolute, result.file);
      if (isRequested) files.push(result.file);
    }
  }

  lap("parse");
  const lists = new Map<string, ListDecl>();
  for (const file of parsedByPath.values()) {
    for (const list of file.ast.lists) {
      const first = lists.get(list.name);
      if (first) {
        diagnostics.push(
          diag("duplicate-list", list.span, [
            list.name,
            `${first.span.file}:${first.span.line}:${first.span.column}`,
          ]),
        );
        continue;
      }
      lists.set(list.name, list);
      if (requestedSet.has(path.resolve(cwd, list.span.file))) diagnostics.push(...checkList(list));
    }
  }

  const rules: LoadedRule[] = [];
  const seenIds = new Map<string, RuleDecl>();
  const filesWithErrors = new Set(
    diagnostics.filter((d) => d.severity === "error").map((d) => d.span.file),
  );
  for (const file of files) {
    const fileHasErrors = filesWithErrors.has(file.path);
    for (const decl of file.ast.rules) {
      lap("lower");
      const ruleDiagnostics = checkRule(decl, { lists });
      const first = seenIds.get(decl.id);
      if (first)
        ruleDiagnostics.push(
          diag("duplicate-rule-id", decl.idSpan, [
            decl.id,
            `${first.idSpan.file}:${first.idSpan.line}:${first.idSpan.column}`,
          ]),
        );
      else seenIds.set(decl.id, decl);
      diagnostics.push(...ruleDiagnostics);
      const ok = !fileHasErrors && !hasErrors(ruleDiagnostics) && decl.condition !== undefined;
      lap("check");
      const condition = ok ? lowerExpr(decl.condition!) : undefined;
      const stemBase =
        rulesDir && file.absolutePath.startsWith(rulesDir + path.sep)
          ? path.relative(rulesDir, file.absolutePath)
          : path.basename(file.absolutePath);
      rules.push({
        decl,
        file,
        outputStem: stemBase
          .replace(/\.det$/, "")
          .split(path.sep)
          .join("/"),
        ir: condition ? { id: decl.id, condition, lists: listsUsed(condition) } : undefined,
        diagnostics: ruleDiagnostics,
      });
    }
  }
  lap("lower");
  return {
    rootDir: cwd,
    rulesDir,
    files,
    rules,
    lists,
    diagnostics: sortDiagnostics(diagnostics),
    sources,
  };
}
