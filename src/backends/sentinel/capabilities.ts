// How the Sentinel target handles each construct on the fields AWSCloudTrail holds (query.ts reports
// every exception at the construct, with its reason). Inside the five JSON columns everything is
// exact (parse_json + gettype() keep detc's types apart). On string columns a missing field is "",
// so is_null and eq "" are broader, is_not_null and ne "" narrower (hence `presence: broader`, its
// commonest case); a string test that "" passes is narrower. nocase is exact but for Σ/ς in a
// literal (KQL's tolower has no final-sigma rule). Fields the connector drops, text tests on the
// datetime columns, and string order against characters beyond U+DFFF are unsupported.
import type { CapabilityTable } from "../types.js";

export const sentinelCapabilities: CapabilityTable = {
  const: "exact",
  and: "exact",
  or: "exact",
  quantified: "exact",
  compare: "exact",
  order: "exact",
  set: "exact",
  string: "exact",
  matches: "exact",
  cidr: "exact",
  presence: "broader",
  nocase: "exact",
  "named-list": "exact",
  "quantified-any": "exact",
  "quantified-all": "exact",
  "fixed-index": "exact",
  "self-element": "exact",
};
