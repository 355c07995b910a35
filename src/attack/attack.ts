// MITRE ATT&CK Enterprise (tactics and techniques), as every target names them. The data is a copy
// made by scripts/import-attack.mjs; the version is data, not code (ATT&CK v19 renamed tactics).
import data from "./attack-enterprise.json" with { type: "json" };

export interface Tactic {
  id: string;
  name: string;
  /** e.g. `defense-evasion`: Sigma tags and Navigator layers use it. */
  shortname: string;
}

export interface Technique {
  id: string;
  name: string;
  /** Tactic short names. */
  tactics: string[];
  deprecated: boolean;
  revoked: boolean;
}

export const attackVersion: string = data.source.version;
const tactics = new Map<string, Tactic>(data.tactics.map((t) => [t.id, t]));
const techniques = new Map<string, Technique>(data.techniques.map((t) => [t.id, t]));

export function tactic(id: string): Tactic | undefined {
  return tactics.get(id);
}

export function technique(id: string): Technique | undefined {
  return techniques.get(id);
}

/** "Command and Control" → "CommandAndControl" (Sentinel's spelling: every word capitalised). */
export function tacticPascalName(t: Tactic): string {
  return t.name
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** The technique's name with its parent's for a sub-technique: "Impair Defenses: Disable Cloud Logs". */
export function techniqueFullName(id: string): string | undefined {
  const t = techniques.get(id);
  if (!t) return undefined;
  const parentId = id.split(".")[0]!;
  if (parentId === id) return t.name;
  const parent = techniques.get(parentId);
  return parent ? `${parent.name}: ${t.name}` : t.name;
}
