// The rule pack under rules/: every test passes, every rule is complete, ATT&CK pairs are real,
// TTC tags name catalog techniques, and each Panther port keeps all of Panther's tests.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { catalog, TTC_TAG_PREFIX } from "../../src/coverage/coverage.js";
import { loadProject } from "../../src/project/project.js";
import { runTests } from "../../src/testing/run.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const shared = path.resolve(repoRoot, "../shared/data");
const project = loadProject(["rules"], { cwd: repoRoot });
const config = loadConfig(repoRoot);
const attack = JSON.parse(readFileSync(path.join(shared, "attack-enterprise.json"), "utf8")) as {
  tactics: { id: string; shortname: string }[];
  techniques: { id: string; tactics: string[]; deprecated: boolean; revoked: boolean }[];
};
const PANTHER_TAG = "Panther:";
const pantherDir = path.join(shared, "panther-cloudtrail");
interface PantherRecord {
  rule_id: string;
  display_name: string;
  tests: { name: string; expected: boolean }[];
}
const panther = new Map<string, PantherRecord>(
  readdirSync(pantherDir).map((f) => {
    const r = JSON.parse(readFileSync(path.join(pantherDir, f), "utf8")) as PantherRecord;
    return [r.rule_id, r];
  }),
);
// A port keeps the Panther rule id; the ones written for this pack also carry the tag Panther:<id>.
const ports = project.rules.filter((r) => panther.has(r.decl.id));

describe("rule pack", () => {
  it("loads without errors", () => {
    expect(project.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(project.rules.length).toBeGreaterThan(100);
  });

  it("passes every test, at least 150 of them", () => {
    const report = runTests(project, config.value.lists);
    expect(report.outcomes.filter((o) => !o.passed).map((o) => `${o.ruleId} › ${o.name}`)).toEqual(
      [],
    );
    expect(report.outcomes.length).toBeGreaterThanOrEqual(150);
  });

  it("gives every rule its metadata and a matching and a non-matching test", () => {
    for (const rule of project.rules) {
      const m = rule.decl.meta;
      const where = `${rule.decl.id} (${rule.file.path})`;
      expect(m.title, where).toBeTruthy();
      expect(m.description, where).toBeTruthy();
      expect(m.severity, where).toBeTruthy();
      expect(m.attack.length, where).toBeGreaterThan(0);
      expect(m.runbook, where).toBeTruthy();
      expect(m.reference.length, where).toBeGreaterThan(0);
      for (const url of m.reference) expect(url, where).toMatch(/^https:\/\//);
      expect(m.output.length, where).toBeGreaterThan(0);
      expect(
        rule.decl.tests.some((t) => t.expect === "matches"),
        where,
      ).toBe(true);
      expect(
        rule.decl.tests.some((t) => t.expect === "ignores"),
        where,
      ).toBe(true);
      expect(rule.file.path, where).toMatch(/^rules\/aws\/[a-z0-9_]+\/[a-z0-9_]+\.det$/);
    }
  });

  it("uses live ATT&CK pairs whose technique belongs to the tactic", () => {
    const tactics = new Map(attack.tactics.map((t) => [t.id, t.shortname]));
    const techniques = new Map(attack.techniques.map((t) => [t.id, t]));
    const problems: string[] = [];
    for (const rule of project.rules) {
      for (const p of rule.decl.meta.attack) {
        const pair = `${rule.decl.id}: ${p.tactic}:${p.technique}`;
        const shortname = tactics.get(p.tactic);
        const technique = techniques.get(p.technique);
        if (!shortname) problems.push(`${pair}: no such tactic`);
        else if (!technique) problems.push(`${pair}: no such technique`);
        else if (technique.deprecated || technique.revoked)
          problems.push(`${pair}: deprecated or revoked`);
        else if (!technique.tactics.includes(shortname))
          problems.push(
            `${pair}: technique is not in ${shortname} (${technique.tactics.join(", ")})`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it("tags TTC coverage with catalog ids and covers every AWS-specific catalog technique", () => {
    const known = new Map(catalog.awsSpecific.map((t) => [t.id, t]));
    const covered = new Set<string>();
    for (const rule of project.rules) {
      for (const tag of rule.decl.meta.tags.filter((t) => t.startsWith(TTC_TAG_PREFIX))) {
        const id = tag.slice(TTC_TAG_PREFIX.length);
        expect(known.has(id), `${rule.decl.id}: ${tag}`).toBe(true);
        covered.add(id);
      }
    }
    expect(catalog.awsSpecific.filter((t) => !covered.has(t.id)).map((t) => t.id)).toEqual([]);
    // Where the catalog names no CloudTrail event, the rule says it was written from the description.
    for (const rule of project.rules) {
      for (const tag of rule.decl.meta.tags.filter((t) => t.startsWith(TTC_TAG_PREFIX))) {
        const technique = known.get(tag.slice(TTC_TAG_PREFIX.length))!;
        if (technique.cloudTrailEventNames.length === 0)
          expect(rule.decl.meta.description, `${rule.decl.id}: ${technique.id}`).toMatch(
            /names no (CloudTrail )?event/,
          );
      }
    }
  });

  it("keeps the catalog copy in step with ../shared (scripts/import-ttc.mjs)", () => {
    const source = JSON.parse(
      readFileSync(path.join(shared, "aws-ttc-techniques.json"), "utf8"),
    ) as {
      aws_specific_techniques: {
        id: string;
        cloudtrail_event_names: string[];
        requires_data_events: boolean;
      }[];
    };
    expect(catalog.awsSpecific.map((t) => t.id)).toEqual(
      source.aws_specific_techniques.map((t) => t.id),
    );
    for (const [i, t] of source.aws_specific_techniques.entries()) {
      expect(catalog.awsSpecific[i]!.requiresDataEvents).toBe(t.requires_data_events);
      expect(catalog.awsSpecific[i]!.cloudTrailEventNames).toEqual(
        t.cloudtrail_event_names.map((n) => n.split(":").pop()),
      );
    }
  });

  it("keeps each Panther port's id, title and all of its tests with their expected results", () => {
    expect(ports.length).toBeGreaterThan(50);
    for (const rule of project.rules) {
      const tag = rule.decl.meta.tags.find((t) => t.startsWith(PANTHER_TAG));
      if (tag) expect(tag.slice(PANTHER_TAG.length), rule.decl.id).toBe(rule.decl.id);
    }
    for (const rule of ports) {
      const source = panther.get(rule.decl.id);
      expect(rule.decl.meta.title).toBe(source!.display_name);
      const tests = new Map(rule.decl.tests.map((t) => [t.name, t.expect]));
      for (const t of source!.tests)
        expect(tests.get(t.name), `${rule.decl.id} › ${t.name}`).toBe(
          t.expected ? "matches" : "ignores",
        );
    }
  });

  it("states the numbers of ported Panther rules and their tests in rules/README.md", () => {
    const readme = readFileSync(path.join(repoRoot, "rules/README.md"), "utf8");
    const pantherTests = ports.reduce((n, r) => n + panther.get(r.decl.id)!.tests.length, 0);
    expect(readme).toContain(`**${ports.length} ported Panther rules**`);
    expect(readme).toContain(`**${pantherTests} Panther tests**`);
    const tests = project.rules.reduce((n, r) => n + r.decl.tests.length, 0);
    expect(readme).toContain(`${project.rules.length} AWS CloudTrail rules with ${tests} tests`);
    // Every Panther rule is either ported or listed in UNPORTED.md.
    const unported = readFileSync(path.join(repoRoot, "rules/UNPORTED.md"), "utf8");
    const portedIds = new Set(ports.map((r) => r.decl.id));
    const missing = [...panther.keys()].filter(
      (id) => !portedIds.has(id) && !unported.includes(`\`${id}\``),
    );
    expect(missing).toEqual([]);
  });
});
