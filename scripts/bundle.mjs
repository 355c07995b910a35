// Bundles the CLI: loading Chevrotain's and lodash's hundreds of modules one by one costs ~250 ms
// on every command, one bundled file loads in a fraction of that. Three files in dist/bin/:
//   detc.cjs    the whole CLI, one CommonJS file (import.meta.url becomes a value the launcher passes)
//   detc.mjs    the executable: a small launcher that runs detc.cjs through V8's code cache
//   detc.cache  that code cache, written by a warm-up compile of this repo's rules, so the
//               functions a compile runs are already compiled when the next command starts
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

// detc's own data files (ATT&CK, AWS operations, schemas) become `JSON.parse("…")`: V8 parses JSON
// text several times faster than it builds the same object literal (~12 ms less at every start).
const jsonAsParse = {
  name: "json-as-parse",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.json$/ }, async (args) => ({
      contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(await readFile(args.path, "utf8"))))});`,
      loader: "js",
    }));
  },
};

// string-width (two versions, three copies, for yargs' help layout) builds an Intl.Segmenter and
// Unicode property regexes as it loads: ~15 ms of ICU set-up at every start, for text only `--help`
// measures. Each copy's module body runs on its first call instead.
const stringWidthOnFirstUse = {
  name: "string-width-on-first-use",
  setup(build) {
    build.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const lines = text.split("\n");
      const imports = lines.filter((l) => l.startsWith("import "));
      const body = lines.filter((l) => !l.startsWith("import ")).join("\n");
      const entry = "export default function stringWidth(";
      if (body.split(entry).length !== 2 || /\bexport\b/.test(body.replace(entry, ""))) {
        console.warn(`bundle: ${args.path} is not shaped as expected; loaded as is`);
        return undefined;
      }
      const contents = [
        ...imports,
        "let stringWidthOnFirstUse;",
        "export default function stringWidth(...args) {",
        "  return (stringWidthOnFirstUse ??= load())(...args);",
        "}",
        "function load() {",
        body.replace(entry, "function stringWidth("),
        "  return stringWidth;",
        "}",
      ].join("\n");
      return { contents, loader: "js", resolveDir: path.dirname(args.path) };
    });
  },
};

const common = { bundle: true, platform: "node", target: "node20", logLevel: "warning", legalComments: "none", plugins: [jsonAsParse, stringWidthOnFirstUse] };

await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/bin/detc.cjs",
  format: "cjs",
  define: { "import.meta.url": "__detcModuleUrl" },
});
await build({
  ...common,
  entryPoints: ["src/cli/launch.ts"],
  outfile: "dist/bin/detc.mjs",
  format: "esm",
  banner: { js: "#!/usr/bin/env node" },
});

chmodSync("dist/bin/detc.mjs", 0o755);

// The warm-up: one compile of every rule to every target (or --help where there are no rules).
rmSync("dist/bin/detc.cache", { force: true });
const scratch = mkdtempSync(path.join(tmpdir(), "detc-warmup-"));
const args = existsSync("rules")
  ? ["compile", "rules", "--target", "panther,sigma,cloudwatch,chronicle,sentinel", "--out", scratch]
  : ["--help"];
const run = spawnSync(process.execPath, ["dist/bin/detc.mjs", ...args], {
  env: { ...process.env, DETC_CODE_CACHE: "write", NO_COLOR: "1" },
  stdio: "ignore",
});
rmSync(scratch, { recursive: true, force: true });
if (run.status !== 0 && run.status !== 1 && run.status !== 2)
  console.warn(`bundle: the warm-up run exited ${run.status ?? run.signal}; detc.cache may be incomplete`);
