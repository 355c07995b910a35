// What Sigma calls things: levels, statuses, log sources, and what the Sigma target knows about the
// shape of CloudTrail records. Field names need no mapping: Sigma rules for CloudTrail use the
// record's own dotted paths (`userIdentity.arn`), as SigmaHQ's AWS rules do.
import type { RuleStatus, SeverityLevel } from "../../syntax/ast.js";

export const levels: Readonly<Record<SeverityLevel, string>> = {
  info: "informational",
  low: "low",
  medium: "medium",
  high: "high",
  critical: "critical",
};

/** detc statuses are Sigma's own (Sigma also has `unsupported`, which detc never emits). */
export const statuses: Readonly<Record<RuleStatus, string>> = {
  experimental: "experimental",
  test: "test",
  stable: "stable",
  deprecated: "deprecated",
};

export interface SigmaLogsource {
  product?: string;
  service?: string;
  category?: string;
}

/** detc log source → Sigma logsource. Overridable per project with the `logsources` option. */
export const defaultLogsources: Readonly<Record<string, SigmaLogsource>> = {
  "aws.cloudtrail": { product: "aws", service: "cloudtrail" },
};

export function logsourceFor(
  logsource: string,
  options: Readonly<Record<string, unknown>>,
): SigmaLogsource | undefined {
  const configured = options["logsources"];
  if (
    configured !== null &&
    typeof configured === "object" &&
    !Array.isArray(configured) &&
    Object.hasOwn(configured, logsource)
  ) {
    const value = (configured as Record<string, unknown>)[logsource];
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const out: SigmaLogsource = {};
    for (const key of ["product", "service", "category"] as const) {
      const v = (value as Record<string, unknown>)[key];
      if (typeof v === "string" && v !== "") out[key] = v;
      else if (v !== undefined) return undefined;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return defaultLogsources[logsource];
}

/**
 * What AWS documents about the shape of a CloudTrail record ("CloudTrail record contents" and
 * "userIdentity element", AWS CloudTrail User Guide): paths that hold a JSON object (or are absent or
 * null), never an array; and paths that hold a string (or are absent or null).
 * - A dotted Sigma path that crosses only documented objects reads the same value as the detc path;
 *   one that crosses anything else may meet an array, where Sigma backends read the elements and
 *   detc does not (reported).
 * - `is_empty` on a documented string is exactly `null or ''` (an empty list or object cannot occur).
 * The exact claims of the Sigma target hold for records of this shape.
 */
export interface RecordShape {
  objects: ReadonlySet<string>;
  strings: ReadonlySet<string>;
}

const issuer = ["type", "principalId", "arn", "accountId", "userName"];

export const recordShapes: Readonly<Record<string, RecordShape>> = {
  "aws.cloudtrail": {
    objects: new Set([
      "userIdentity",
      "userIdentity.sessionContext",
      "userIdentity.sessionContext.attributes",
      "userIdentity.sessionContext.sessionIssuer",
      "userIdentity.sessionContext.webIdFederationData",
      "userIdentity.onBehalfOf",
      "requestParameters",
      "responseElements",
      "additionalEventData",
      "serviceEventDetails",
      "tlsDetails",
    ]),
    strings: new Set([
      ..."eventVersion eventTime eventSource eventName awsRegion sourceIPAddress userAgent errorCode errorMessage requestID eventID eventType apiVersion recipientAccountId sharedEventID vpcEndpointId eventCategory".split(
        " ",
      ),
      ...["type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy"].map(
        (k) => `userIdentity.${k}`,
      ),
      "userIdentity.sessionContext.attributes.mfaAuthenticated",
      "userIdentity.sessionContext.attributes.creationDate",
      ...issuer.map((k) => `userIdentity.sessionContext.sessionIssuer.${k}`),
    ]),
  },
};

/** A valid `date` (YYYY-MM-DD, a real calendar day) from the `date` option, else undefined. */
export function configuredDate(value: unknown): string | undefined | { error: string } {
  if (value === undefined || value === null) return undefined;
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (typeof text !== "string" || !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(text))
    return { error: `the sigma option date must be YYYY-MM-DD, not ${JSON.stringify(value)}` };
  const d = new Date(`${text}T00:00:00Z`);
  if (d.toISOString().slice(0, 10) !== text)
    return { error: `the sigma option date ${text} is not a calendar day` };
  return text;
}
