// The AWS CloudTrail → UDM mapping of Google SecOps' default CloudTrail parser, as data: the rows
// Google's own public rules (chronicle/detection-rules, community/aws/cloudtrail/*.yaral) rely on
// and targets.md §4 lists. The renderer translates paths with it and the UDM view used by the
// tests (udm.ts) is built from the same rows, so the two cannot drift apart. A CloudTrail path
// with no row here has no UDM field this target may use: the rule is unsupported, never guessed.
import type { SeverityLevel } from "../../syntax/ast.js";

/** How the parser stores a CloudTrail value in the UDM field. */
export type UdmValueKind =
  /** A string field: a CloudTrail string is copied; a missing value (or any non-string) reads as "". */
  | "string"
  /** `principal.ip` (repeated, typed IP): only values that are IP addresses are kept. */
  | "ip";

export interface UdmRow {
  /** The CloudTrail path, `[]` marking an array whose elements are flattened (one label per element). */
  cloudtrail: string;
  /** The UDM field as YARA-L writes it after `$e.` (map keys included). */
  udm: string;
  kind: UdmValueKind;
  /** A repeated UDM field: YARA-L unnests it (a predicate holds when some element satisfies it). */
  repeated: boolean;
  /** Request-parameter labels are written only for these event names (the parser's per-event flattening). */
  eventNames?: readonly string[];
  /** Where the row comes from. */
  source: string;
}

const googleRules = "chronicle/detection-rules community/aws/cloudtrail";

export const cloudtrailUdm: readonly UdmRow[] = [
  {
    cloudtrail: "eventName",
    udm: "metadata.product_event_type",
    kind: "string",
    repeated: false,
    source: `${googleRules}/aws_ec2_ami_or_snapshot_shared_publicly.yaral; targets.md §4`,
  },
  {
    cloudtrail: "eventSource",
    udm: "target.application",
    kind: "string",
    repeated: false,
    source: `${googleRules}/aws_iam_activity_from_ec2_instance.yaral; targets.md §4`,
  },
  {
    cloudtrail: "sourceIPAddress",
    udm: "principal.ip",
    kind: "ip",
    repeated: true,
    source: `${googleRules}/aws_lateral_movement_using_iam_session_token.yaral; targets.md §4`,
  },
  {
    cloudtrail: "userAgent",
    udm: "network.http.user_agent",
    kind: "string",
    repeated: false,
    source: `${googleRules} (outcome $network_http_user_agent); targets.md §4`,
  },
  {
    cloudtrail: "awsRegion",
    udm: "principal.location.name",
    kind: "string",
    repeated: false,
    source: `${googleRules} (outcome $aws_region); targets.md §4`,
  },
  {
    cloudtrail: "userIdentity.arn",
    udm: "principal.user.userid",
    kind: "string",
    repeated: false,
    source: `${googleRules}/aws_iam_activity_from_ec2_instance.yaral (re.capture on the ARN); targets.md §4`,
  },
  {
    cloudtrail: "userIdentity.userName",
    udm: "principal.user.user_display_name",
    kind: "string",
    repeated: false,
    source: `${googleRules} (outcome $principal_user_display_name); targets.md §4`,
  },
  {
    cloudtrail: "userIdentity.type",
    udm: "principal.resource.type",
    kind: "string",
    repeated: false,
    source: `${googleRules}/aws_iam_activity_from_ec2_instance.yaral ("AssumedRole"); targets.md §4`,
  },
  {
    cloudtrail: "recipientAccountId",
    udm: 'additional.fields["recipientAccountId"]',
    kind: "string",
    repeated: false,
    source: `${googleRules}/aws_rds_snapshot_shared_publicly.yaral; targets.md §4 (older rules read target.resource.attribute.labels["Recipient Account Id"])`,
  },
  {
    cloudtrail: "userIdentity.accessKeyId",
    udm: 'additional.fields["accessKeyId"]',
    kind: "string",
    repeated: false,
    source: `${googleRules}/aws_lateral_movement_using_iam_session_token.yaral; targets.md §4`,
  },
  {
    cloudtrail: "userIdentity.sessionContext.attributes.mfaAuthenticated",
    udm: 'principal.user.attribute.labels["mfaAuthenticated"]',
    kind: "string",
    repeated: false,
    source: "targets.md §4",
  },
  {
    cloudtrail: "errorCode",
    udm: "security_result.rule_id",
    kind: "string",
    repeated: false,
    source: "targets.md §4 (presence: security_result.action, below)",
  },
  {
    cloudtrail: "errorMessage",
    udm: "security_result.description",
    kind: "string",
    repeated: false,
    source: "targets.md §4",
  },
  {
    cloudtrail: "requestParameters.launchPermission.add.items[].group",
    udm: 'target.resource.attribute.labels["Add Items Group"]',
    kind: "string",
    repeated: true,
    eventNames: ["ModifyImageAttribute", "ModifySnapshotAttribute"],
    source: `${googleRules}/aws_ec2_ami_or_snapshot_shared_publicly.yaral; targets.md §4`,
  },
];

/** Constant fields every CloudTrail event carries in UDM: every rule filters on them first. */
export const constantFields: ReadonlyArray<{ udm: string; value: string }> = [
  { udm: "metadata.vendor_name", value: "AMAZON" },
  { udm: "metadata.product_name", value: "AWS CloudTrail" },
];

/** The parser's error flag: "BLOCK" when the CloudTrail record has an errorCode, else "ALLOW". */
export const errorPresence = {
  cloudtrail: "errorCode",
  udm: "security_result.action",
  present: "BLOCK",
  absent: "ALLOW",
} as const;

export const rowsByPath: ReadonlyMap<string, UdmRow> = new Map(
  cloudtrailUdm.map((r) => [r.cloudtrail, r]),
);

/** The CloudTrail path of an array element's field: `a.b` inside `any a (c ...)` is `a[].c`. */
export function elementPath(arrayPath: string, field: string): string {
  return `${arrayPath}[].${field}`;
}

export const severityNames: Readonly<Record<SeverityLevel, string>> = {
  info: "Informational",
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

/** `$risk_score` per severity (Google's rules use 35 for low and 75 for high findings). */
export const riskScores: Readonly<Record<SeverityLevel, number>> = {
  info: 10,
  low: 35,
  medium: 50,
  high: 75,
  critical: 95,
};
