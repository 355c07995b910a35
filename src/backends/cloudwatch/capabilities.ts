// How CloudWatch metric filter patterns carry each IR construct (details and reasons: renderer.ts).
// "narrower"/"broader" name the usual direction; the renderer reports each case at its leaf.
import type { CapabilityTable } from "../types.js";

export const cloudwatchCapabilities: CapabilityTable = {
  const: "unsupported", // only ever a whole condition after lowering: a pattern cannot say "always"
  and: "exact",
  or: "exact",
  quantified: "narrower", // fixed indexes 0..N-1 (no array wildcard)
  compare: "exact", // eq string/boolean exact; ne narrower (objects/arrays match no !=); numbers broader
  order: "broader", // numbers only; a numeric string may compare numerically; string ordering unsupported
  set: "exact", // inlined as eq terms (as compare)
  string: "exact", // starts/ends with wildcards, contains via regex; broader where number text can match
  matches: "broader", // within CloudWatch's regex subset only (no parentheses, 2 per pattern)
  cidr: "broader", // octet-aligned IPv4 prefixes as wildcards; IPv6 unsupported
  presence: "narrower", // is_null exact; the others cannot see objects/arrays
  nocase: "exact", // ASCII-letter regex classes, within the regex limits
  "named-list": "exact", // values inlined at compile time
  "quantified-any": "narrower",
  "quantified-all": "narrower",
  "fixed-index": "exact",
  "self-element": "exact",
};
