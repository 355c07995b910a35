// The `detc` executable (bundled to dist/bin/detc.mjs): loads the bundled CLI (dist/bin/detc.cjs)
// through V8's code cache, so a command starts without parsing 2.7 MB of JavaScript and without
// compiling again the functions a compile runs. The cache (dist/bin/detc.cache) is written by the
// build (scripts/bundle.mjs) from a warm-up run; V8 rejects a cache made by another Node or V8
// build, and then the CLI is simply compiled as usual.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const bundle = new URL("./detc.cjs", import.meta.url);
const cache = new URL("./detc.cache", import.meta.url);
const bundlePath = fileURLToPath(bundle);

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cache);
} catch {
  // no cache: compile as usual
}

// The CommonJS wrapper, plus the module URL the sources read as import.meta.url.
const source = `(function (exports, require, module, __filename, __dirname, __detcModuleUrl) {${readFileSync(bundle, "utf8")}\n})`;
const script = new Script(source, { filename: bundlePath, cachedData });
if (process.env.DETC_CODE_CACHE === "report")
  process.stderr.write(
    `detc: code cache ${cachedData ? (script.cachedDataRejected ? "rejected" : "used") : "absent"}\n`,
  );
// The build's warm-up run asks for the cache of everything it compiled, written as it exits.
if (process.env.DETC_CODE_CACHE === "write")
  process.on("exit", () => writeFileSync(cache, script.createCachedData()));

const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  module.exports,
  createRequire(bundle),
  module,
  bundlePath,
  fileURLToPath(new URL(".", bundle)),
  import.meta.url,
);
