// The `detc` executable (bundled to dist/bin/detc.mjs): loads the bundled CLI (dist/bin/detc.cjs)
// through V8's code cache, so a command starts without parsing 2.7 MB of JavaScript and without
// compiling again the functions a compile runs. The cache (dist/bin/detc.cache) is written by the
// build (scripts/bundle.mjs) from a warm-up run. It starts with the SHA-256 of the bundle it was
// made from: V8 itself compares only the source's length, so a cache is used only with its own
// bundle. V8 rejects a cache made by another Node or V8 build; either way the CLI then simply
// compiles as usual.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";

// V8's defaults suit long-running servers. A compile is a short batch job, and with the defaults its
// optimizing compiler (TurboFan, on the second core) spent more CPU than the compile itself: ~580
// functions optimized, some taking 30-90 ms each because of deep inlining. detc therefore asks for
// less inlining per function and lets a function run three times longer before optimizing it: on the
// 3,000-rule benchmark, ~30% less CPU and ~15% less wall time (bench/notes.md). Set before the bundle
// is compiled, so the code cache is made and used under the same flags (V8 checks them).
setFlagsFromString("--max-inlined-bytecode-size-cumulative=100 --interrupt-budget=200000");

const bundle = new URL("./detc.cjs", import.meta.url);
const cache = new URL("./detc.cache", import.meta.url);
const bundlePath = fileURLToPath(bundle);

// Hashed as the bytes on disk: hashing the decoded text would encode its 2.5 MB to UTF-8 again.
const bundleBytes = readFileSync(bundle);
const bundleHash = createHash("sha256").update(bundleBytes).digest(); // 32 bytes
const bundleText = bundleBytes.toString("utf8");

let stored: Buffer | undefined;
try {
  stored = readFileSync(cache);
} catch {
  // no cache: compile as usual
}
const ours = stored !== undefined && stored.subarray(0, 32).equals(bundleHash);
const cachedData = ours ? stored!.subarray(32) : undefined;

// The CommonJS wrapper, plus the module URL the sources read as import.meta.url.
const source = `(function (exports, require, module, __filename, __dirname, __detcModuleUrl) {${bundleText}\n})`;
const script = new Script(source, { filename: bundlePath, cachedData });
if (process.env.DETC_CODE_CACHE === "report") {
  const state =
    stored === undefined
      ? "absent"
      : !ours
        ? "made for another bundle"
        : script.cachedDataRejected
          ? "rejected"
          : "used";
  process.stderr.write(`detc: code cache ${state}\n`);
}
// The build's warm-up run asks for the cache of everything it compiled, written as it exits.
if (process.env.DETC_CODE_CACHE === "write")
  process.on("exit", () =>
    writeFileSync(cache, Buffer.concat([bundleHash, script.createCachedData()])),
  );

const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  module.exports,
  createRequire(bundle),
  module,
  bundlePath,
  fileURLToPath(new URL(".", bundle)),
  import.meta.url,
);
