// What Sentinel calls things: the AWSCloudTrail table of Log Analytics (the columns the AWS S3
// connector writes, with their types), how a CloudTrail path maps onto them, severities and tactics.
//
// Sources: the Azure Monitor table reference for AWSCloudTrail (columns and types) and targets.md §5.
// The connector flattens a CloudTrail record: scalar fields become typed columns, the five free-form
// objects (requestParameters, responseElements, additionalEventData, resources, serviceEventDetails)
// are kept as JSON text in string columns, and everything else in the record is dropped.
import type { PathSegment, SeverityLevel } from "../../syntax/ast.js";

export type KqlType = "string" | "bool" | "datetime";

/**
 * What a column holds. `string`: a CloudTrail string, "" when the field is missing (Log Analytics has
 * no null string). `bool`: a CloudTrail JSON boolean, null when missing. `boolText`: a CloudTrail
 * *string* "true"/"false" stored as a bool. `timeText`: a CloudTrail ISO-8601 time string stored as a
 * datetime. `json`: JSON text of an object or array, read with parse_json().
 */
export type ColumnKind = "string" | "bool" | "boolText" | "timeText" | "json";

export interface Column {
  name: string;
  type: KqlType;
  kind: ColumnKind;
  /** The CloudTrail path it holds, as segments; undefined for columns the connector adds itself. */
  path: readonly string[] | undefined;
}

const col = (name: string, type: KqlType, kind: ColumnKind, path?: string): Column => ({
  name,
  type,
  kind,
  path: path === undefined ? undefined : path.split("."),
});

/** Every column of AWSCloudTrail, in the order of Microsoft's table reference. */
export const columns: readonly Column[] = [
  col("AdditionalEventData", "string", "json", "additionalEventData"),
  col("APIVersion", "string", "string", "apiVersion"),
  col("AwsEventId", "string", "string", "eventID"),
  col("AWSRegion", "string", "string", "awsRegion"),
  col("AwsRequestId_", "string", "string", "requestID"),
  col("Category", "string", "string", "eventCategory"),
  col("CipherSuite", "string", "string", "tlsDetails.cipherSuite"),
  col("ErrorCode", "string", "string", "errorCode"),
  col("ErrorMessage", "string", "string", "errorMessage"),
  col("EventName", "string", "string", "eventName"),
  col("EventSource", "string", "string", "eventSource"),
  col("EventTypeName", "string", "string", "eventType"),
  col("EventVersion", "string", "string", "eventVersion"),
  col("ManagementEvent", "bool", "bool", "managementEvent"),
  col("OperationName", "string", "string"),
  col("ReadOnly", "bool", "bool", "readOnly"),
  col("RecipientAccountId", "string", "string", "recipientAccountId"),
  col("RequestParameters", "string", "json", "requestParameters"),
  col("Resources", "string", "json", "resources"),
  col("ResponseElements", "string", "json", "responseElements"),
  col("ServiceEventDetails", "string", "json", "serviceEventDetails"),
  col(
    "SessionCreationDate",
    "datetime",
    "timeText",
    "userIdentity.sessionContext.attributes.creationDate",
  ),
  col(
    "SessionIssuerAccountId",
    "string",
    "string",
    "userIdentity.sessionContext.sessionIssuer.accountId",
  ),
  col("SessionIssuerArn", "string", "string", "userIdentity.sessionContext.sessionIssuer.arn"),
  col(
    "SessionIssuerPrincipalId",
    "string",
    "string",
    "userIdentity.sessionContext.sessionIssuer.principalId",
  ),
  col("SessionIssuerType", "string", "string", "userIdentity.sessionContext.sessionIssuer.type"),
  col(
    "SessionIssuerUserName",
    "string",
    "string",
    "userIdentity.sessionContext.sessionIssuer.userName",
  ),
  col(
    "SessionMfaAuthenticated",
    "bool",
    "boolText",
    "userIdentity.sessionContext.attributes.mfaAuthenticated",
  ),
  col("SharedEventId", "string", "string", "sharedEventID"),
  col("SourceIpAddress", "string", "string", "sourceIPAddress"),
  col("SourceSystem", "string", "string"),
  col("TenantId", "string", "string"),
  col("TimeGenerated", "datetime", "timeText", "eventTime"),
  col("TlsVersion", "string", "string", "tlsDetails.tlsVersion"),
  col("Type", "string", "string"),
  col("UserAgent", "string", "string", "userAgent"),
  col("UserIdentityAccessKeyId", "string", "string", "userIdentity.accessKeyId"),
  col("UserIdentityAccountId", "string", "string", "userIdentity.accountId"),
  col("UserIdentityArn", "string", "string", "userIdentity.arn"),
  col("UserIdentityInvokedBy", "string", "string", "userIdentity.invokedBy"),
  col("UserIdentityPrincipalid", "string", "string", "userIdentity.principalId"),
  col("UserIdentityType", "string", "string", "userIdentity.type"),
  col("UserIdentityUserName", "string", "string", "userIdentity.userName"),
  col("VpcEndpointId", "string", "string", "vpcEndpointId"),
];

export const tableName = "AWSCloudTrail";

/** The table as a Kusto schema text, `(Name:type, ...)`: what the analyser is given. */
export function tableSchema(): string {
  return `(${columns.map((c) => `${c.name}:${c.type}`).join(", ")})`;
}

const byPath = new Map(columns.filter((c) => c.path).map((c) => [c.path!.join("."), c]));

/** How a detc path (outside any/all) reads in the table. */
export type Resolved =
  /** A typed column (`rest` empty), or a JSON column with the path inside its document. */
  | { kind: "column"; column: Column; rest: readonly PathSegment[] }
  /** An object whose known members are flattened into these columns (e.g. userIdentity). */
  | { kind: "object"; members: Column[] }
  /** Always missing in CloudTrail's data: below a scalar field, or an index into a non-array. */
  | { kind: "missing"; reason: string }
  /** Nothing in the table holds it. */
  | { kind: "none" };

const shown = (segments: readonly PathSegment[]) =>
  segments.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");

/** Where a CloudTrail path lives in AWSCloudTrail; each distinct path is resolved once. */
export function resolvePath(segments: readonly PathSegment[]): Resolved {
  const key = JSON.stringify(segments); // unambiguous: a segment may hold "." or "["
  let resolved = resolvedPaths.get(key);
  if (!resolved) resolvedPaths.set(key, (resolved = resolveUncached(segments)));
  return resolved;
}

const resolvedPaths = new Map<string, Resolved>();

function resolveUncached(segments: readonly PathSegment[]): Resolved {
  // A JSON column: the first segment names it, the rest is inside its document.
  const first = segments[0];
  if (typeof first === "string") {
    const json = byPath.get(first);
    if (json?.kind === "json") return { kind: "column", column: json, rest: segments.slice(1) };
  }
  const names: string[] = [];
  for (const segment of segments) {
    const here = names.join(".");
    if (typeof segment === "number") {
      // Typed columns and flattened objects hold no arrays: an index finds nothing.
      if (byPath.has(here))
        return {
          kind: "missing",
          reason: `CloudTrail's ${here} (column ${byPath.get(here)!.name}) is not an array`,
        };
      if (objectMembers(names).length)
        return { kind: "missing", reason: `CloudTrail's ${here} is an object, not an array` };
      return { kind: "none" };
    }
    const column = byPath.get(here);
    if (names.length && column)
      return {
        kind: "missing",
        reason: `CloudTrail's ${here} (column ${column.name}) is not an object, so ${shown(segments)} is always missing`,
      };
    names.push(segment);
  }
  const exact = byPath.get(names.join("."));
  if (exact) return { kind: "column", column: exact, rest: [] };
  const members = objectMembers(names);
  if (members.length) return { kind: "object", members };
  return { kind: "none" };
}

function objectMembers(prefix: readonly string[]): Column[] {
  if (prefix.length === 0) return [];
  return columns.filter(
    (c) => c.path && c.path.length > prefix.length && prefix.every((s, i) => c.path![i] === s),
  );
}

/** Sentinel has no Critical: the highest is High. */
export const severities: Readonly<Record<SeverityLevel, string>> = {
  info: "Informational",
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "High",
};

/** Azure-Sentinel repository values for `status`. */
export function statusFor(status: string | undefined): string {
  return status === "experimental" || status === "test" ? "Preview" : "Available";
}
