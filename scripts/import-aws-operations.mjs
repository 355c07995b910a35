// Builds src/check/aws-operations.json: for each CloudTrail event source (`<prefix>.amazonaws.com`),
// the API operation names AWS publishes for it, from the service models of the npm `aws-sdk` v2
// package (`apis/*.min.json`). The product reads only the generated file.
// Usage: npm pack aws-sdk@2 && tar xzf aws-sdk-*.tgz package/apis && node scripts/import-aws-operations.mjs package/apis
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const apis = process.argv[2];
if (!apis) throw new Error("usage: node scripts/import-aws-operations.mjs <path to aws-sdk/apis>");
const bySource = new Map();
let version = "unknown";
try {
  version = JSON.parse(readFileSync(path.join(apis, "..", "package.json"), "utf8")).version;
} catch {}
for (const name of readdirSync(apis).filter((n) => n.endsWith(".min.json")).sort()) {
  const model = JSON.parse(readFileSync(path.join(apis, name), "utf8"));
  const prefixes = new Set([model.metadata.endpointPrefix, model.metadata.signingName].filter(Boolean));
  for (const prefix of prefixes) {
    const source = `${prefix}.amazonaws.com`;
    const ops = bySource.get(source) ?? new Set();
    for (const op of Object.keys(model.operations ?? {})) ops.add(op);
    bySource.set(source, ops);
  }
}
const out = {
  source: `aws-sdk ${version} (npm), apis/*.min.json: metadata.endpointPrefix and signingName → operations`,
  eventSources: Object.fromEntries([...bySource].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, ops]) => [s, [...ops].sort()])),
};
writeFileSync(new URL("../src/check/aws-operations.json", import.meta.url), JSON.stringify(out) + "\n");
console.error(`wrote ${bySource.size} event sources`);
