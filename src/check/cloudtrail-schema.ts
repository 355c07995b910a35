// The CloudTrail record, as lint knows it: top-level fields and userIdentity typed;
// requestParameters, responseElements and the other service-defined objects are open.
// From the CloudTrail record contents reference (docs.aws.amazon.com/awscloudtrail/latest/userguide/
// cloudtrail-event-reference-record-contents.html) plus Panther's standard p_* fields.

export type FieldType =
  | { kind: "string" }
  | { kind: "boolean" }
  | { kind: "number" }
  /** Anything may be below: service-defined content. */
  | { kind: "open" }
  | { kind: "object"; fields: Record<string, FieldType> }
  | { kind: "array"; of: FieldType };

const string: FieldType = { kind: "string" };
const boolean: FieldType = { kind: "boolean" };
const open: FieldType = { kind: "open" };
const object = (fields: Record<string, FieldType>): FieldType => ({ kind: "object", fields });
const arrayOf = (of: FieldType): FieldType => ({ kind: "array", of });

const sessionIssuer = object({
  type: string,
  principalId: string,
  arn: string,
  accountId: string,
  userName: string,
});

export const cloudTrailRecord: FieldType = object({
  eventVersion: string,
  userIdentity: object({
    type: string,
    principalId: string,
    arn: string,
    accountId: string,
    accessKeyId: string,
    userName: string,
    invokedBy: string,
    identityProvider: string,
    credentialId: string,
    onBehalfOf: object({ userId: string, identityStoreArn: string }),
    inScopeOf: open,
    sessionContext: object({
      attributes: object({ creationDate: string, mfaAuthenticated: string }),
      sessionIssuer,
      webIdFederationData: open,
      sourceIdentity: string,
      ec2RoleDelivery: string,
      assumedRoot: string,
    }),
  }),
  eventTime: string,
  eventSource: string,
  eventName: string,
  awsRegion: string,
  sourceIPAddress: string,
  userAgent: string,
  errorCode: string,
  errorMessage: string,
  requestParameters: open,
  responseElements: open,
  additionalEventData: open,
  requestID: string,
  eventID: string,
  eventType: string,
  apiVersion: string,
  managementEvent: boolean,
  readOnly: boolean,
  resources: arrayOf(object({ ARN: string, accountId: string, type: string })),
  recipientAccountId: string,
  serviceEventDetails: open,
  sharedEventID: string,
  vpcEndpointId: string,
  vpcEndpointAccountId: string,
  eventCategory: string,
  addendum: open,
  sessionCredentialFromConsole: string,
  edgeDeviceDetails: open,
  tlsDetails: object({ tlsVersion: string, cipherSuite: string, clientProvidedHostHeader: string }),
  insightDetails: open,
});

/** Panther's standard fields: `p_any_*` are arrays of strings, `p_enrichment` is open, others strings. */
export function pantherField(name: string): FieldType | undefined {
  if (!name.startsWith("p_")) return undefined;
  if (name.startsWith("p_any_")) return arrayOf(string);
  if (name === "p_enrichment" || name === "p_udm" || name === "p_alert_context") return open;
  return string;
}

export const knownLogSources: readonly string[] = ["aws.cloudtrail"];
