// `detc coverage` end to end: the built CLI writes the Navigator layer and the report into a temp
// folder; the layer is checked against the layer format 4.5 and ATT&CK, the report against the pack.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../src/backends/registry.js";
import { catalog } from "../../src/coverage/coverage.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/bin/detc.mjs");
const attack = JSON.parse(
  readFileSync(path.resolve(repoRoot, "../shared/data/attack-enterprise.json"), "utf8"),
) as {
  tactics: { id: string; shortname: string }[];
  techniques: { id: string; tactics: string[]; deprecated: boolean; revoked: boolean }[];
};
const schema = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "navigator-layer-4.5.schema.json"), "utf8"),
) as object;

interface Technique {
  techniqueID: string;
  tactic: string;
  score: number;
  comment: string;
  metadata: { name: string; value: string }[];
}

let dir: string;
let run: { status: number | null; stdout: string; stderr: string };
let layer: Record<string, unknown> & {
  techniques: Technique[];
  versions: Record<string, string>;
  gradient: { minValue: number; maxValue: number };
};
let report: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "detc-coverage-"));
  const out = path.join(dir, "report");
  const result = spawnSync(process.execPath, [bin, "coverage", "rules", "--out", out], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  layer = JSON.parse(readFileSync(path.join(out, "attack-navigator-layer.json"), "utf8"));
  report = readFileSync(path.join(out, "coverage.md"), "utf8");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("detc coverage", () => {
  it("exits 0 and says what it wrote", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^\d+ rules: \d+ ATT&CK techniques in \d+ tactics, \d+ of \d+ AWS TTC techniques\n/,
    );
    expect(run.stdout).toContain("attack-navigator-layer.json");
  });

  it("rejects an unknown target as a usage error and writes nothing", () => {
    const out = path.join(dir, "bad");
    const r = spawnSync(
      process.execPath,
      [bin, "coverage", "rules", "--target", "nope", "--out", out],
      { cwd: repoRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("unknown target 'nope'");
    expect(existsSync(out)).toBe(false);
  });

  it("writes a layer that validates against the Navigator layer format 4.5", () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const ok = validate(layer);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(layer.versions.layer).toBe("4.5");
    expect(layer.domain).toBe("enterprise-attack");
    expect(layer.versions.attack).toBe("18");
    expect(layer.gradient.maxValue).toBeGreaterThan(layer.gradient.minValue);
  });

  it("lists only live ATT&CK techniques, each under one of its own tactics, scored by its rules", () => {
    const tactics = new Set(attack.tactics.map((t) => t.shortname));
    const techniques = new Map(attack.techniques.map((t) => [t.id, t]));
    expect(layer.techniques.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (const t of layer.techniques) {
      const known = techniques.get(t.techniqueID);
      expect(known, t.techniqueID).toBeDefined();
      expect(known!.deprecated || known!.revoked, t.techniqueID).toBe(false);
      expect(tactics.has(t.tactic), t.tactic).toBe(true);
      expect(known!.tactics, `${t.techniqueID} under ${t.tactic}`).toContain(t.tactic);
      expect(t.score).toBe(t.metadata.length);
      expect(t.score).toBeGreaterThan(0);
      const key = `${t.techniqueID}/${t.tactic}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it("writes a report with techniques per tactic, the catalog and the fidelity per target", () => {
    expect(report).toMatch(/^# Detection coverage\n/);
    expect(report).toContain("## Techniques covered per tactic");
    expect(report).toContain("### Impact (TA0040)");
    expect(report).toContain("## AWS Threat Technique Catalog");
    expect(report).toContain("### Catalog techniques not yet covered");
    for (const t of catalog.awsSpecific) expect(report, t.id).toContain(`[${t.id}](${t.url})`);
    // The seed technique is covered by the seed rule.
    expect(report).toMatch(
      /\[T1485\.A002\]\([^)]*\) [^|]*\| Impact \| `AWS\.EC2\.AMIDeregistered`/,
    );
    // Every technique of the layer is in the report, and the other way round.
    for (const t of layer.techniques) expect(report).toContain(`| ${t.techniqueID} `);
    const uncovered = report.split("### Catalog techniques not yet covered")[1]!.split("###")[0]!;
    const notCovered = catalog.awsSpecific.filter((t) =>
      new RegExp(`\\[${t.id.replace(".", "\\.")}\\]\\([^)]*\\)[^\\n]*\\*\\*not covered\\*\\*`).test(
        report,
      ),
    );
    for (const t of notCovered) expect(uncovered).toContain(t.id);
    // One fidelity row per implemented target, read from the registry.
    const table = report.split("## Fidelity per target")[1]!;
    for (const b of backends)
      expect(table).toMatch(
        new RegExp(`\\| ${b.name} \\| \\d+ \\| \\d+ \\(\\d+ / \\d+\\) \\| \\d+ \\|`),
      );
  });
});
