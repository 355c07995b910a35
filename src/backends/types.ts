// The contract every target implements. A backend folder holds only its own knowledge: field
// mapping data, a capability table, escape functions, a renderer; templates live in templates/<target>/.
import type { Span } from "../diagnostics/span.js";
import type { IrKind, IrValue } from "../ir/types.js";
import type { LoadedRule } from "../project/project.js";
import type { ListDecl } from "../syntax/ast.js";

/** How faithfully a target says what the rule says. */
export type Fidelity = "exact" | "broader" | "narrower" | "unsupported";

/** One approximation (or impossibility), at the construct that caused it. */
export interface FidelityNote {
  fidelity: Exclude<Fidelity, "exact">;
  reason: string;
  span: Span;
}

/** How a target handles a construct: exactly, approximately (say which way), or not at all. */
export type Capability = "exact" | "broader" | "narrower" | "unsupported";

/** IR kinds plus the variants that targets differ on. */
export type CapabilityKey =
  | IrKind
  | "nocase"
  | "named-list"
  | "quantified-any"
  | "quantified-all"
  | "fixed-index"
  | "self-element";

export type CapabilityTable = Record<CapabilityKey, Capability>;

/** A file a target writes, relative to out/<target>/. */
export interface OutputFile {
  path: string;
  content: string;
}

export interface BackendContext {
  /** This target's section of the configuration (already merged: flag > env > file > default). */
  options: Readonly<Record<string, unknown>>;
  /** Named lists declared in the project, and their configured values (config, else defaults). */
  lists: ReadonlyMap<string, ListDecl>;
  listValues: ReadonlyMap<string, readonly IrValue[]>;
}

export interface CompiledRule {
  /** Empty when the rule is unsupported by this target. */
  files: OutputFile[];
  notes: FidelityNote[];
}

export interface Backend {
  /** The target's name on the command line and its folder under out/. */
  name: string;
  description: string;
  capabilities: CapabilityTable;
  /** Pure: renders a rule (that has IR) into files; writes nothing. */
  compile(rule: LoadedRule, ctx: BackendContext): CompiledRule;
}

const rank: Record<Fidelity, number> = { exact: 0, broader: 1, narrower: 1, unsupported: 3 };

/** The fidelity of a whole rule: the worst note; approximations in both directions cannot be trusted either way. */
export function overallFidelity(notes: readonly FidelityNote[]): Fidelity {
  if (notes.length === 0) return "exact";
  if (notes.some((n) => n.fidelity === "unsupported")) return "unsupported";
  const directions = new Set(notes.map((n) => n.fidelity));
  if (directions.size > 1) return "unsupported";
  return [...directions][0]!;
}

export function worse(a: Fidelity, b: Fidelity): Fidelity {
  return rank[b] > rank[a] ? b : a;
}
