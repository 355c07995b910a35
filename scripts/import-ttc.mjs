// Copies the AWS Threat Technique Catalog list from ../shared/data/aws-ttc-techniques.json into
// src/coverage/aws-ttc-techniques.json (the product must not read ../shared at run time).
// Run from the repository root: node scripts/import-ttc.mjs
import { readFileSync, writeFileSync } from "node:fs";

const source = JSON.parse(readFileSync(new URL("../../shared/data/aws-ttc-techniques.json", import.meta.url), "utf8"));
const pick = ({ id, name, tactic, cloudtrail_event_names, event_names_source, requires_data_events, url }) => ({
  id,
  name,
  tactic,
  cloudTrailEventNames: cloudtrail_event_names.map((n) => n.split(":").pop()),
  eventNamesSource: event_names_source,
  requiresDataEvents: requires_data_events,
  url,
});
const out = {
  source: { catalog: source.source.catalog, copiedFrom: "shared/data/aws-ttc-techniques.json", note: source.source.availability },
  awsSpecific: source.aws_specific_techniques.map(pick),
  attackWithAwsContent: source.mitre_techniques_with_aws_content.map(pick),
};
writeFileSync(new URL("../src/coverage/aws-ttc-techniques.json", import.meta.url), JSON.stringify(out, null, 1) + "\n");
console.error(`wrote ${out.awsSpecific.length} AWS-specific techniques and ${out.attackWithAwsContent.length} ATT&CK techniques with AWS content`);
