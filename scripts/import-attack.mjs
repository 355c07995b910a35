// Copies the ATT&CK tactics and techniques detc needs from ../shared/data/attack-enterprise.json
// into src/attack/attack-enterprise.json (the product must not read ../shared at run time).
import { readFileSync, writeFileSync } from "node:fs";

const source = JSON.parse(readFileSync(new URL("../../shared/data/attack-enterprise.json", import.meta.url), "utf8"));
const out = {
  source: { ...source.source, version: "18.1" },
  tactics: source.tactics.map(({ id, name, shortname }) => ({ id, name, shortname })),
  techniques: source.techniques.map(({ id, name, tactics, deprecated, revoked }) => ({ id, name, tactics, deprecated, revoked })),
};
writeFileSync(new URL("../src/attack/attack-enterprise.json", import.meta.url), JSON.stringify(out, null, 1) + "\n");
console.error(`wrote ${out.tactics.length} tactics and ${out.techniques.length} techniques`);
