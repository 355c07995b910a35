// `detc compile` end to end, through the bundled CLI in a temporary project.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sortedKeys } from "../../src/compile/compile.js";
import { listFiles } from "../../src/compile/write.js";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "dist/bin/detc.mjs");

function detc(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A project holding the two seed rules and the shared lists (not the whole pack: it grows). */
function tempProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "detc-compile-"));
  for (const file of [
    "lists.det",
    "aws/ec2/ami_deregistered.det",
    "aws/ec2/ami_modified_for_public_access.det",
  ]) {
    cpSync(path.join(root, "rules", file), path.join(dir, "rules", file), { recursive: true });
  }
  writeFileSync(
    path.join(dir, "detc.config.yaml"),
    `targets: [panther]\nlists:\n  org_accounts: ["123456789012"]\n`,
  );
  return dir;
}

function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((p) => [p, readFileSync(path.join(dir, p), "utf8")]));
}

describe("detc compile", () => {
  it("writes out/<target>/<path under rules/> and a manifest, byte-identical on every run", () => {
    const dir = tempProject();
    const first = detc(dir, "compile");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("compiled 2 rules to panther");
    const files = snapshot(path.join(dir, "out"));
    expect([...files.keys()]).toEqual([
      "manifest.json",
      "panther/aws/ec2/ami_deregistered.py",
      "panther/aws/ec2/ami_deregistered.yml",
      "panther/aws/ec2/ami_modified_for_public_access.py",
      "panther/aws/ec2/ami_modified_for_public_access.yml",
    ]);
    for (const [p, content] of files) {
      expect(content.endsWith("\n"), p).toBe(true);
      expect(content.endsWith("\n\n"), p).toBe(false);
      expect(content, p).not.toContain(dir); // no machine-specific paths
    }
    const manifest = JSON.parse(files.get("manifest.json")!);
    const entry = manifest.rules["AWS.CloudTrail.AMIModifiedForPublicAccess"];
    expect(entry.source).toBe("rules/aws/ec2/ami_modified_for_public_access.det");
    expect(entry.targets.panther.fidelity).toBe("exact");
    expect(Object.keys(entry.targets.panther.files)).toEqual([
      "panther/aws/ec2/ami_modified_for_public_access.py",
      "panther/aws/ec2/ami_modified_for_public_access.yml",
    ]);
    expect(
      entry.targets.panther.files["panther/aws/ec2/ami_modified_for_public_access.py"],
    ).toMatch(/^sha256:[0-9a-f]{64}$/);

    rmSync(path.join(dir, "out"), { recursive: true });
    expect(detc(dir, "compile").code).toBe(0);
    expect(snapshot(path.join(dir, "out"))).toEqual(files);
    const again = detc(dir, "compile");
    expect(again.stdout).toContain("0 written, 5 unchanged, 0 removed");
  });

  it("gives the same out/ from any folder of the project", () => {
    const dir = tempProject();
    expect(detc(dir, "compile").code).toBe(0);
    const fromRoot = snapshot(path.join(dir, "out"));
    const check = detc(path.join(dir, "rules", "aws"), "compile", "--check");
    expect(check.code, check.stdout + check.stderr).toBe(0);
    rmSync(path.join(dir, "out"), { recursive: true });
    expect(detc(path.join(dir, "rules", "aws"), "compile").code).toBe(0);
    expect(snapshot(path.join(dir, "out"))).toEqual(fromRoot);
  });

  it("removes the outputs of a deleted rule, and keeps other rules' outputs on a partial compile", () => {
    const dir = tempProject();
    expect(detc(dir, "compile").code).toBe(0);
    // Compiling one folder leaves the rest of out/ alone.
    const partial = detc(dir, "compile", "rules/aws/ec2/ami_deregistered.det");
    expect(partial.code, partial.stderr).toBe(0);
    expect(
      existsSync(path.join(dir, "out/panther/aws/ec2/ami_modified_for_public_access.py")),
    ).toBe(true);
    rmSync(path.join(dir, "rules/aws/ec2/ami_deregistered.det"));
    const r = detc(dir, "compile");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("2 removed");
    expect(existsSync(path.join(dir, "out/panther/aws/ec2/ami_deregistered.py"))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(dir, "out/manifest.json"), "utf8"));
    expect(Object.keys(manifest.rules)).toEqual(["AWS.CloudTrail.AMIModifiedForPublicAccess"]);
  });

  it("writes the manifest with its keys sorted at every level, also keeping an edited entry of a rule out of scope", () => {
    const dir = tempProject();
    writeFileSync(
      path.join(dir, "detc.config.yaml"),
      `targets: [sentinel, panther, sigma]\nlists:\n  org_accounts: ["123456789012"]\n`,
    );
    expect(detc(dir, "compile").code).toBe(0);
    const manifestFile = path.join(dir, "out/manifest.json");
    const sorted = (text: string) => JSON.stringify(sortedKeys(JSON.parse(text)), null, 2) + "\n";
    const first = readFileSync(manifestFile, "utf8");
    expect(first).toBe(sorted(first));
    // Someone edits the manifest by hand, reversing one entry's keys at every level.
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    const edited = JSON.parse(first) as { rules: Record<string, unknown> };
    const id = "AWS.CloudTrail.AMIModifiedForPublicAccess";
    edited.rules[id] = reversed(edited.rules[id]);
    writeFileSync(manifestFile, JSON.stringify(edited, null, 2) + "\n");
    // Compiling the other rule keeps that entry (out of scope), sorted again.
    expect(detc(dir, "compile", "rules/aws/ec2/ami_deregistered.det").code).toBe(0);
    expect(readFileSync(manifestFile, "utf8")).toBe(first);
  });

  it("leaves out/ untouched and exits 2 when a rule has errors", () => {
    const dir = tempProject();
    expect(detc(dir, "compile").code).toBe(0);
    const before = snapshot(path.join(dir, "out"));
    const file = path.join(dir, "rules/aws/ec2/ami_deregistered.det");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace('eventName eq "DeregisterImage"', "eventName eq null"),
    );
    const r = detc(dir, "compile");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("rules/aws/ec2/ami_deregistered.det:");
    expect(r.stderr).toContain("DETC2004");
    expect(r.stderr).toContain("nothing written");
    expect(snapshot(path.join(dir, "out"))).toEqual(before);
  });

  it("--check lists stale, missing and orphaned files and writes nothing", () => {
    const dir = tempProject();
    expect(detc(dir, "compile", "--check").code).toBe(1); // nothing compiled yet
    expect(existsSync(path.join(dir, "out"))).toBe(false);
    expect(detc(dir, "compile").code).toBe(0);
    expect(detc(dir, "compile", "--check")).toMatchObject({ code: 0 });
    writeFileSync(path.join(dir, "out/panther/aws/ec2/ami_deregistered.py"), "# edited by hand\n");
    writeFileSync(path.join(dir, "out/panther/stray.py"), "x = 1\n");
    const before = snapshot(path.join(dir, "out"));
    const r = detc(dir, "compile", "--check");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("stale or missing: out/panther/aws/ec2/ami_deregistered.py");
    expect(r.stdout).toContain("orphaned: out/panther/stray.py");
    expect(snapshot(path.join(dir, "out"))).toEqual(before);
  });

  it("reports a construct the target cannot say, writes no file for it, and --strict fails", () => {
    const dir = tempProject();
    writeFileSync(
      path.join(dir, "rules/unicode.det"),
      `rule "Test.UnicodeClass" {
  title "Letters only"
  severity low
  logsource aws.cloudtrail
  condition userAgent matches /^\\pL+$/
  test "letters" matches { "userAgent": "abc" }
  test "digits" ignores { "userAgent": "123" }
}
`,
    );
    const r = detc(dir, "compile", "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    const rule = summary.rules.find((x: { id: string }) => x.id === "Test.UnicodeClass");
    expect(rule.targets.panther.fidelity).toBe("unsupported");
    expect(rule.targets.panther.files).toEqual([]);
    expect(rule.targets.panther.notes[0].location).toBe("rules/unicode.det:5:13");
    expect(r.stderr).toContain("DETC5003");
    expect(existsSync(path.join(dir, "out/panther/unicode.py"))).toBe(false);
    expect(detc(dir, "compile", "--strict").code).toBe(1);
  });

  it("rejects unknown targets as a usage error", () => {
    const dir = tempProject();
    const r = detc(dir, "compile", "--target", "splunk");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("unknown target 'splunk'");
  });
});
