import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { renderCompact } from "../../src/diagnostics/render.js";

function project(config?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "detc-config-"));
  if (config !== undefined) writeFileSync(path.join(dir, "detc.config.yaml"), config);
  return dir;
}

describe("detc.config.yaml", () => {
  it("defaults when there is no config file", () => {
    const { value, diagnostics } = loadConfig(project(), {}, {});
    expect(diagnostics).toEqual([]);
    expect(value.file).toBeUndefined();
    expect(value.targets).toEqual(["panther"]);
    expect(value.out).toBe("out");
    expect(value.rules).toBe("rules");
  });

  it("reads targets, out, list values and per-target options", () => {
    const dir = project(
      `targets: [panther]\nout: build/out\nlists:\n  org_accounts: ["111", 222, true]\npanther:\n  logTypes: { aws.cloudtrail: Custom.CloudTrail }\n`,
    );
    const { value, diagnostics } = loadConfig(dir, {}, {});
    expect(diagnostics).toEqual([]);
    expect(value.out).toBe("build/out");
    expect(value.lists.get("org_accounts")).toEqual([
      { type: "string", value: "111" },
      { type: "number", value: 222, text: "222" },
      { type: "boolean", value: true },
    ]);
    expect(value.targetOptions.panther).toEqual({
      logTypes: { "aws.cloudtrail": "Custom.CloudTrail" },
    });
  });

  it("precedence: flag > environment > file > default", () => {
    const dir = project(`targets: [panther, sigma]\nout: from-file\n`);
    expect(loadConfig(dir, {}, {}).value.out).toBe("from-file");
    expect(loadConfig(dir, {}, { DETC_OUT: "from-env" }).value.out).toBe("from-env");
    expect(loadConfig(dir, { out: "from-flag" }, { DETC_OUT: "from-env" }).value.out).toBe(
      "from-flag",
    );
    expect(loadConfig(dir, {}, {}).value.targets).toEqual(["panther", "sigma"]);
    expect(loadConfig(dir, {}, { DETC_TARGETS: "sentinel, chronicle" }).value.targets).toEqual([
      "sentinel",
      "chronicle",
    ]);
    expect(
      loadConfig(dir, { targets: ["cloudwatch"] }, { DETC_TARGETS: "sentinel" }).value.targets,
    ).toEqual(["cloudwatch"]);
  });

  it("is found in a parent folder, and its paths are relative to it", () => {
    const dir = project(`out: generated\n`);
    const sub = path.join(dir, "rules", "aws");
    mkdirSync(sub, { recursive: true });
    const { value } = loadConfig(sub, {}, {});
    expect(value.file).toBe("../../detc.config.yaml");
    expect(path.resolve(sub, value.out)).toBe(path.join(dir, "generated"));
  });

  it("reports unknown settings and targets at their line and column", () => {
    const dir = project(`targets: [panther, splunk]\noutput: x\n`);
    const { diagnostics } = loadConfig(dir, {}, {});
    expect(diagnostics.map(renderCompact).sort()).toEqual([
      "detc.config.yaml:1:20: error DETC4003: invalid configuration: unknown target (known: panther, sigma, cloudwatch, chronicle, sentinel)",
      "detc.config.yaml:2:1: error DETC4003: invalid configuration: unknown setting 'output' (known: targets, out, rules, lists, lint, panther, sigma, cloudwatch, chronicle, sentinel)",
    ]);
  });

  it("reports YAML syntax errors with a location", () => {
    const dir = project(`targets: [panther\nout: x\n`);
    const { diagnostics } = loadConfig(dir, {}, {});
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]!.code).toBe("DETC4003");
    expect(diagnostics[0]!.span.line).toBeGreaterThanOrEqual(1);
  });
});
