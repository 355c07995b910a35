// `detc test` end to end: the built CLI (dist/bin/detc.mjs) spawned as a child process.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/bin/detc.mjs");
const ansi = /\u001b\[/;
const hasScript = process.platform === "linux" && spawnSync("script", ["--version"]).status === 0;
const stackTrace = /^\s+at .+[:(].*\d+:\d+\)?$/m;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

type Options = { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean };

// Each spawn costs ~0.4 s of Node start-up: every run is started once, all together in beforeAll,
// and the tests await the shared result.
const cache = new Map<string, Promise<Run>>();
function detc(args: string[], options: Options = {}): Promise<Run> {
  const key = JSON.stringify([args, options]);
  let run = cache.get(key);
  if (!run) cache.set(key, (run = spawnDetc(args, options)));
  return run;
}

function spawnDetc(args: string[], options: Options): Promise<Run> {
  return new Promise((resolve, reject) => {
    // By default neither NO_COLOR nor FORCE_COLOR: the output is a pipe, so no colour.
    const env: Record<string, string | undefined> = {
      ...process.env,
      NO_COLOR: undefined,
      FORCE_COLOR: undefined,
      ...options.env,
    };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const command = [process.execPath, bin, ...args];
    // A real terminal through util-linux `script` (its own output, stdout and stderr together, comes on stdout).
    const [file, argv] = options.tty
      ? ["script", ["-qec", command.map((a) => JSON.stringify(a)).join(" "), "/dev/null"]]
      : [command[0]!, command.slice(1)];
    const child = spawn(file, argv, {
      cwd: options.cwd ?? repoRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A minimal XML well-formedness check: one root, balanced tags, quoted attributes, escaped text. */
function assertWellFormedXml(text: string): {
  tags: Array<{ name: string; attrs: Record<string, string> }>;
} {
  const tags: Array<{ name: string; attrs: Record<string, string> }> = [];
  const stack: string[] = [];
  let rest = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  let roots = 0;
  const checkText = (t: string) => {
    expect(t, "raw '<' in text").not.toMatch(/</);
    expect(t, "unescaped '&' in text").not.toMatch(
      /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/,
    );
  };
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    if (lt < 0) {
      expect(rest.trim()).toBe("");
      break;
    }
    const between = rest.slice(0, lt);
    if (stack.length === 0) expect(between.trim(), "text outside the root").toBe("");
    else checkText(between);
    rest = rest.slice(lt);
    const m = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(rest);
    expect(m, `malformed tag at: ${rest.slice(0, 80)}`).not.toBeNull();
    const [whole, closing, name, attrText, selfClosing] = m!;
    if (closing) {
      expect(stack.pop(), `closing </${name}>`).toBe(name);
    } else {
      if (stack.length === 0) roots++;
      const attrs: Record<string, string> = {};
      for (const a of attrText!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        expect(attrs[a[1]!], `duplicate attribute ${a[1]}`).toBeUndefined();
        checkText(a[2]!);
        attrs[a[1]!] = a[2]!;
      }
      tags.push({ name: name!, attrs });
      if (!selfClosing) stack.push(name!);
    }
    rest = rest.slice(whole.length);
  }
  expect(stack, "unclosed tags").toEqual([]);
  expect(roots).toBe(1);
  return { tags };
}

const amiTests = [
  "AMI Made Public",
  "AMI Not Made Public",
  "AMI Launch Permissions Not Modified",
  "AMI Added to User",
  "Error Making AMI Public",
  "Access Granted To Unknown User",
];

const rule = (id: string, condition: string, tests: string) =>
  `rule "${id}" {\n  title "t"\n  severity low\n  logsource aws.cloudtrail\n  condition ${condition}\n${tests}}\n`;

let tmp: string;
let failing: string;
let broken: string;
let empty: string;
let deep: string;

beforeAll(() => {
  expect(existsSync(bin), `${bin} is missing: run npx tsc -p . first`).toBe(true);
  tmp = mkdtempSync(path.join(tmpdir(), "detc-cli-"));
  failing = path.join(tmp, "failing");
  mkdirSync(path.join(failing, "rules/aws"), { recursive: true });
  writeFileSync(path.join(failing, "rules/lists.det"), 'list org_accounts "ours"\n');
  writeFileSync(
    path.join(failing, "rules/aws/fail.det"),
    rule(
      "Test.Failing",
      'eventName eq "ModifyImageAttribute"\n    and userId not_in $org_accounts',
      '  test "bound to the user <&\\"> so it is ignored" matches with org_accounts = ["bob"] { "eventName": "ModifyImageAttribute", "userId": "bob" }\n' +
        '  test "passes" ignores { "eventName": "Other" }\n',
    ),
  );
  broken = path.join(tmp, "broken");
  mkdirSync(path.join(broken, "rules"), { recursive: true });
  writeFileSync(
    path.join(broken, "rules/bad.det"),
    rule("Test.Broken", 'eventName eq eq "x"', '  test "t" matches { "eventName": "x" }\n'),
  );
  empty = path.join(tmp, "empty");
  mkdirSync(empty, { recursive: true });
  deep = path.join(tmp, "deep");
  mkdirSync(path.join(deep, "rules"), { recursive: true });
  writeFileSync(
    path.join(deep, "rules/deep.det"),
    rule(
      "Test.Deep",
      "(".repeat(3000) + "a eq 1" + ")".repeat(3000),
      '  test "t" matches { "a": 1 }\n',
    ),
  );
  // start every run now, in parallel
  for (const [args, options] of plannedRuns()) void detc(args, options).catch(() => undefined);
});

const unknownOptions = [
  ["test", "--bogus"],
  ["test", "--format", "xml"],
];

function plannedRuns(): Array<[string[], Options]> {
  return [
    [["test", "rules/"], {}],
    [["test", "rules/", "--format", "json"], {}],
    [["test", "rules/", "--format", "junit"], {}],
    [["test", "rules"], { cwd: failing }],
    [["test", "rules", "--format", "json"], { cwd: failing }],
    [["test", "rules", "--format", "junit"], { cwd: failing }],
    [["test", "rules"], { cwd: broken }],
    [["test", "nowhere"], { cwd: empty }],
    [["test", "rules"], { cwd: deep }],
    [["--help"], { cwd: empty }],
    [["--version"], { cwd: empty }],
    ...unknownOptions.map((args): [string[], Options] => [args, { cwd: empty }]),
    [["test", "rules"], { cwd: failing, env: { NO_COLOR: "1" } }],
    ...(hasScript
      ? ([
          [["test", "rules"], { cwd: failing, tty: true }],
          [["test", "rules"], { cwd: failing, tty: true, env: { NO_COLOR: "1" } }],
        ] as Array<[string[], Options]>)
      : []),
  ];
}

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("detc test on the seed rules", () => {
  it("passes with exit 0 and ends with `N passed, 0 failed`", async () => {
    const r = await detc(["test", "rules/"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    const last = lines[lines.length - 1]!;
    const m = /^(\d+) passed, 0 failed$/.exec(last);
    expect(m, last).not.toBeNull();
    const n = Number(m![1]);
    expect(n).toBeGreaterThanOrEqual(10);
    expect(lines.filter((l) => l.startsWith("PASS "))).toHaveLength(n);
    for (const name of amiTests)
      expect(lines).toContain(`PASS AWS.CloudTrail.AMIModifiedForPublicAccess › ${name}`);
    expect(r.stdout).not.toMatch(ansi);
  });

  it("--format json parses and agrees with the text report", async () => {
    const [text, json] = await Promise.all([
      detc(["test", "rules/"]),
      detc(["test", "rules/", "--format", "json"]),
    ]);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe("");
    const report = JSON.parse(json.stdout) as {
      passed: number;
      failed: number;
      tests: Array<{
        rule: string;
        name: string;
        file: string;
        line: number;
        column: number;
        expected: string;
        actual: string;
        passed: boolean;
      }>;
    };
    const n = Number(/(\d+) passed/.exec(text.stdout)![1]);
    expect(report.passed).toBe(n);
    expect(report.failed).toBe(0);
    expect(report.tests).toHaveLength(n);
    const ami = report.tests.filter((t) => t.rule === "AWS.CloudTrail.AMIModifiedForPublicAccess");
    expect(ami.map((t) => t.name)).toEqual(amiTests);
    expect(ami.map((t) => t.expected)).toEqual([
      "matches",
      "ignores",
      "ignores",
      "ignores",
      "ignores",
      "matches",
    ]);
    for (const t of report.tests) {
      expect(t.passed).toBe(true);
      expect(t.actual).toBe(t.expected);
      expect(t.file).toMatch(/^rules\/.*\.det$/);
      expect(t.line).toBeGreaterThan(1);
      expect(t.column).toBeGreaterThanOrEqual(1);
      expect(text.stdout).toContain(`PASS ${t.rule} › ${t.name}`);
    }
  });

  it("--format junit is well-formed XML with one testcase per test", async () => {
    const r = await detc(["test", "rules/", "--format", "junit"]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const { tags } = assertWellFormedXml(r.stdout);
    const root = tags[0]!;
    expect(root.name).toBe("testsuites");
    const cases = tags.filter((t) => t.name === "testcase");
    expect(cases.length).toBe(Number(root.attrs.tests));
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(root.attrs.failures).toBe("0");
    expect(tags.some((t) => t.name === "failure")).toBe(false);
    const ami = cases
      .filter((c) => c.attrs.classname === "AWS.CloudTrail.AMIModifiedForPublicAccess")
      .map((c) => c.attrs.name);
    expect(ami).toEqual(amiTests);
    const suites = tags.filter((t) => t.name === "testsuite");
    expect(suites.reduce((s, t) => s + Number(t.attrs.tests), 0)).toBe(cases.length);
  });
});

describe("detc test on a temp project", () => {
  it("a failing test exits 1 and says which part of the condition decided it", async () => {
    const r = await detc(["test", "rules"], { cwd: failing });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain('FAIL Test.Failing › bound to the user <&"> so it is ignored');
    expect(r.stdout).toContain("PASS Test.Failing › passes");
    expect(r.stdout).toMatch(
      /rules\/aws\/fail\.det:7:3: expected the rule to match this event, but it did not match/,
    );
    expect(r.stdout).toMatch(
      /decided by:\n\s+rules\/aws\/fail\.det:6:9\s+userId not_in \$org_accounts\s+→ false/,
    );
    // the part that held does not decide a failed `and`
    expect(r.stdout).not.toMatch(/eventName eq "ModifyImageAttribute"\s+→/);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("1 passed, 1 failed");
  });

  it("a failing test in JSON and JUnit", async () => {
    const [json, junit] = await Promise.all([
      detc(["test", "rules", "--format", "json"], { cwd: failing }),
      detc(["test", "rules", "--format", "junit"], { cwd: failing }),
    ]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ passed: 1, failed: 1 });
    expect(report.tests[0]).toMatchObject({
      passed: false,
      expected: "matches",
      actual: "ignores",
      line: 7,
    });
    expect(report.tests[0].decidedBy).toEqual([
      { text: "userId not_in $org_accounts", result: false, line: 6, column: 9 },
    ]);
    expect(junit.code).toBe(1);
    const { tags } = assertWellFormedXml(junit.stdout);
    expect(tags[0]!.attrs.failures).toBe("1");
    const failed = tags.filter((t) => t.name === "failure");
    expect(failed).toHaveLength(1);
    expect(junit.stdout).toContain('name="bound to the user &lt;&amp;&quot;&gt; so it is ignored"');
    expect(junit.stdout).toContain("userId not_in $org_accounts -&gt; false");
  });

  it("a broken file: file:line:col, the source line, a caret, a DETC code; exit 2; nothing on stdout; no stack trace", async () => {
    const r = await detc(["test", "rules"], { cwd: broken });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^rules\/bad\.det:5:26: error DETC1002: expected a value: a string, number, true or false, found 'eq'$/m,
    );
    const lines = r.stderr.split("\n");
    const at = lines.findIndex((l) => l.startsWith("rules/bad.det:5:26"));
    expect(lines[at + 1]).toBe('  5 |   condition eventName eq eq "x"');
    expect(lines[at + 2]).toBe("    |                          ^~");
    // the caret stands under column 26 of the source line
    expect(lines[at + 2]!.indexOf("^") - "    | ".length + 1).toBe(26);
    expect(r.stderr).toMatch(/1 error/);
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.stderr).not.toMatch(/internal error|TypeError|ReferenceError/);
    expect(r.stderr).not.toMatch(ansi);
  });

  it("a missing path is invalid input, not a crash", async () => {
    const r = await detc(["test", "nowhere"], { cwd: empty });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/DETC\d{4}/);
    expect(r.stderr).not.toMatch(stackTrace);
  });
});

describe("pathological input", () => {
  it("3000 nested parentheses: a diagnostic (exit 2) or a result, never an internal error", async () => {
    const r = await detc(["test", "rules"], { cwd: deep });
    expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
    expect(r.stderr).not.toMatch(stackTrace);
    expect([0, 2]).toContain(r.code);
    if (r.code === 2) expect(r.stderr).toMatch(/^rules\/deep\.det:\d+:\d+: error DETC\d{4}: /m);
    else expect(r.stdout.trimEnd().split("\n").pop()).toBe("1 passed, 0 failed");
  });
});

describe("usage", () => {
  it("--help works from a directory with no project", async () => {
    const r = await detc(["--help"], { cwd: empty });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/detc test/);
    expect(r.stdout).toMatch(/Exit codes/);
    expect(r.stderr).toBe("");
    expect(r.stdout).not.toMatch(ansi);
  });

  it("--version prints the package version", async () => {
    const pkg = (await import("../../package.json", { with: { type: "json" } })).default as {
      version: string;
    };
    const r = await detc(["--version"], { cwd: empty });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("an unknown option exits 3 with a usage message and no stack trace", async () => {
    for (const args of unknownOptions) {
      const r = await detc(args, { cwd: empty });
      expect(r.code, args.join(" ")).toBe(3);
      expect(r.stdout, args.join(" ")).toBe("");
      expect(r.stderr, args.join(" ")).toMatch(/^detc: /);
      expect(r.stderr).not.toMatch(stackTrace);
    }
  });
});

describe("colour", () => {
  it("no ANSI escapes when NO_COLOR is set or the output is not a terminal", async () => {
    const runs = await Promise.all([
      detc(["test", "rules"], { cwd: failing, env: { NO_COLOR: "1" } }),
      detc(["test", "rules"], { cwd: failing }),
      detc(["test", "rules"], { cwd: broken }),
    ]);
    expect(runs.map((r) => r.code)).toEqual([1, 1, 2]);
    for (const r of runs) expect(r.stdout + r.stderr).not.toMatch(ansi);
  });

  it.skipIf(!hasScript)("on a terminal: colour unless NO_COLOR", async () => {
    const [coloured, plain] = await Promise.all([
      detc(["test", "rules"], { cwd: failing, tty: true }),
      detc(["test", "rules"], { cwd: failing, tty: true, env: { NO_COLOR: "1" } }),
    ]);
    expect(coloured.stdout).toMatch(ansi);
    expect(plain.stdout).toMatch(/FAIL Test.Failing/);
    expect(plain.stdout).not.toMatch(ansi);
  });
});
