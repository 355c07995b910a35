// Bundles the CLI into one ESM file: loading Chevrotain's and lodash's hundreds of modules one by
// one costs ~250 ms on every command; one bundled file loads in a fraction of that.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/bin/detc.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  legalComments: "none",
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __detcCreateRequire } from 'node:module';\nconst require = __detcCreateRequire(import.meta.url);" },
});
