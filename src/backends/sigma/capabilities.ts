// How Sigma handles each IR construct (translate.ts reports the details per rule, with the span):
// - compare/set: exact on strings (`|cased` unless nocase); number and boolean values lose their
//   type (Sigma has no typed values): broader (narrower when negated);
// - order: numbers only (backends also compare numeric strings: approximate); strings unsupported;
// - matches: Sigma's PCRE subset: translated where exact, `$` approximate, the rest unsupported;
// - presence: null is exact, empty ('' or null) misses [] and {}: approximate;
// - any/all: a dotted path through the array (Sigma has no array semantics): any broader, all
//   narrower; a fixed index or `@` (arrays of plain values) is unsupported.
import type { CapabilityTable } from "../types.js";

export const sigmaCapabilities: CapabilityTable = {
  const: "exact",
  and: "exact",
  or: "exact",
  quantified: "broader",
  compare: "exact",
  order: "broader",
  set: "exact",
  string: "exact",
  matches: "exact",
  cidr: "exact",
  presence: "exact",
  nocase: "exact",
  "named-list": "exact",
  "quantified-any": "broader",
  "quantified-all": "narrower",
  "fixed-index": "unsupported",
  "self-element": "unsupported",
};
