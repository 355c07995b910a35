// What Panther calls things: log types for detc log sources, severities, and the names its analysis
// tool accepts. Field paths need no mapping: Panther hands a rule the raw CloudTrail record as
// JSON (plus its own p_* fields), so a detc CloudTrail path such as
// `userIdentity.sessionContext.attributes.mfaAuthenticated` is the same path in the Python rule.
import type { SeverityLevel } from "../../syntax/ast.js";

/** detc log source → Panther LogTypes. Overridable per project with the `logTypes` option. */
export const defaultLogTypes: Readonly<Record<string, readonly string[]>> = {
  "aws.cloudtrail": ["AWS.CloudTrail"],
};

export const severities: Readonly<Record<SeverityLevel, string>> = {
  info: "Info",
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

/** Characters Panther's analysis tool rejects in RuleID and DisplayName. */
export const forbiddenNameCharacters = /[<>&"%]/;

/**
 * The LogTypes for a log source: `options.logTypes` (an object mapping a log source to a log type or
 * a list of them) wins over the defaults. Undefined when neither knows the source.
 */
export function logTypesFor(
  logsource: string,
  options: Readonly<Record<string, unknown>>,
): string[] | undefined {
  const configured = options["logTypes"];
  if (
    configured !== null &&
    typeof configured === "object" &&
    !Array.isArray(configured) &&
    Object.hasOwn(configured, logsource)
  ) {
    const value = (configured as Record<string, unknown>)[logsource];
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string"))
      return [...value];
    return undefined;
  }
  const known = defaultLogTypes[logsource];
  return known ? [...known] : undefined;
}
