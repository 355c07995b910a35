// Panther runs Python on the raw event, so every IR construct is exact. The one gap is inside
// regexes: RE2 constructs Python's `re` cannot express (Unicode classes such as \pL) are reported
// by the renderer as unsupported, with the reason and the span of the `matches` that used them.
import type { CapabilityTable } from "../types.js";

export const pantherCapabilities: CapabilityTable = {
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
  presence: "exact",
  nocase: "exact",
  "named-list": "exact",
  "quantified-any": "exact",
  "quantified-all": "exact",
  "fixed-index": "exact",
  "self-element": "exact",
};
