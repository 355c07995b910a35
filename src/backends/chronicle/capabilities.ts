// What YARA-L over UDM can say, per IR construct, before looking at fields. The field decides the
// rest (renderer.ts): a CloudTrail path with no UDM mapping is unsupported; presence tests are
// approximate because a missing UDM field reads as "" (is_null is broader, is_not_null narrower;
// is_empty / is_not_empty are exact on string fields; errorCode presence is exact through
// security_result.action); UDM string fields cannot hold numbers or booleans; `all` over an array
// cannot be said once the parser flattens it into labels. `nocase` relies on the engine's case
// folding, which Google documents for ASCII; detc folds with toLowerCase.
import type { CapabilityTable } from "../types.js";

export const chronicleCapabilities: CapabilityTable = {
  const: "exact",
  and: "exact",
  or: "exact",
  quantified: "narrower",
  compare: "exact",
  order: "unsupported",
  set: "exact",
  string: "exact",
  matches: "exact",
  cidr: "exact",
  presence: "broader",
  nocase: "exact",
  "named-list": "exact",
  "quantified-any": "narrower",
  "quantified-all": "unsupported",
  "fixed-index": "unsupported",
  "self-element": "unsupported",
};
