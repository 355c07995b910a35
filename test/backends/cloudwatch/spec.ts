// A checker for CloudFormation templates against the CloudFormation resource specification in
// @aws-cdk/aws-service-spec (db.json.gz), loaded once per process: known resource types, known and
// required properties, property types (nested types through their definitions) and allowed values.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";

interface PropType {
  type: string;
  element?: PropType;
  reference?: { $ref: string };
  allowedValues?: string[];
  types?: PropType[];
}
interface PropSpec {
  type: PropType;
  required?: boolean;
}
interface Shape {
  properties: Record<string, PropSpec>;
}

let db: { resources: Map<string, Shape>; types: Map<string, Shape> } | undefined;

function load() {
  if (db) return db;
  const require = createRequire(import.meta.url);
  const file = path.join(
    path.dirname(require.resolve("@aws-cdk/aws-service-spec/package.json")),
    "db.json.gz",
  );
  const raw = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as {
    schema: {
      resource: { entities: Array<Shape & { cloudFormationType: string }> };
      typeDefinition: { entities: Array<Shape & { $id: string }> };
    };
  };
  db = {
    resources: new Map(raw.schema.resource.entities.map((r) => [r.cloudFormationType, r])),
    types: new Map(raw.schema.typeDefinition.entities.map((t) => [t.$id, t])),
  };
  return db;
}

/**
 * Values the specification data leaves as plain strings but the CloudWatch API enumerates
 * (PutMetricAlarm): checked here as well.
 */
const apiEnums: Record<string, Record<string, string[]>> = {
  "AWS::CloudWatch::Alarm": {
    ComparisonOperator: [
      "GreaterThanOrEqualToThreshold",
      "GreaterThanThreshold",
      "LessThanThreshold",
      "LessThanOrEqualToThreshold",
      "LessThanLowerOrGreaterThanUpperThreshold",
      "LessThanLowerThreshold",
      "GreaterThanUpperThreshold",
    ],
    Statistic: ["SampleCount", "Average", "Sum", "Minimum", "Maximum"],
    TreatMissingData: ["breaching", "notBreaching", "ignore", "missing"],
  },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRef(value: Json, names: ReadonlySet<string>, errors: string[], at: string): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== "Ref") return false;
  if (typeof value.Ref !== "string" || !names.has(value.Ref))
    errors.push(`${at}: Ref to unknown ${JSON.stringify(value.Ref)}`);
  return true;
}

function checkValue(
  type: PropType,
  value: Json,
  at: string,
  names: ReadonlySet<string>,
  errors: string[],
): void {
  const { types } = load();
  switch (type.type) {
    case "string":
      if (isRef(value, names, errors, at)) return;
      if (typeof value !== "string") errors.push(`${at}: expected a string`);
      else if (type.allowedValues && !type.allowedValues.includes(value))
        errors.push(
          `${at}: ${JSON.stringify(value)} is not one of ${type.allowedValues.join(", ")}`,
        );
      return;
    case "integer":
      if (!Number.isInteger(value)) errors.push(`${at}: expected an integer`);
      return;
    case "number":
      if (typeof value !== "number") errors.push(`${at}: expected a number`);
      return;
    case "boolean":
      if (typeof value !== "boolean") errors.push(`${at}: expected a boolean`);
      return;
    case "array":
      if (!Array.isArray(value)) errors.push(`${at}: expected a list`);
      else value.forEach((v, i) => checkValue(type.element!, v, `${at}[${i}]`, names, errors));
      return;
    case "ref": {
      const shape = types.get(type.reference!.$ref);
      if (!shape) errors.push(`${at}: unknown type ${type.reference!.$ref}`);
      else checkObject(shape, value, at, names, errors);
      return;
    }
    case "union":
      if (
        !type.types!.some((t) => {
          const e: string[] = [];
          checkValue(t, value, at, names, e);
          return e.length === 0;
        })
      )
        errors.push(`${at}: matches none of the union's types`);
      return;
    default:
      errors.push(`${at}: the checker does not know spec type ${type.type}`);
  }
}

function checkObject(
  shape: Shape,
  value: Json,
  at: string,
  names: ReadonlySet<string>,
  errors: string[],
  enums: Record<string, string[]> = {},
): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    errors.push(`${at}: expected an object`);
    return;
  }
  for (const key of Object.keys(value))
    if (!shape.properties[key]) errors.push(`${at}.${key}: unknown property`);
  for (const [key, spec] of Object.entries(shape.properties)) {
    const v = value[key];
    if (v === undefined) {
      if (spec.required) errors.push(`${at}.${key}: required property missing`);
      continue;
    }
    checkValue(spec.type, v, `${at}.${key}`, names, errors);
    const allowed = enums[key];
    if (allowed && typeof v === "string" && !allowed.includes(v))
      errors.push(`${at}.${key}: ${JSON.stringify(v)} is not one of ${allowed.join(", ")}`);
  }
}

/** Problems with a whole template (an empty list when it is valid). */
export function checkTemplate(template: Json): string[] {
  const errors: string[] = [];
  if (template === null || typeof template !== "object" || Array.isArray(template))
    return ["the template is not a mapping"];
  const allowedTop = [
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
    "Rules",
  ];
  for (const key of Object.keys(template))
    if (!allowedTop.includes(key)) errors.push(`${key}: unknown template section`);
  if (
    template.AWSTemplateFormatVersion !== undefined &&
    template.AWSTemplateFormatVersion !== "2010-09-09"
  )
    errors.push("AWSTemplateFormatVersion must be 2010-09-09");
  if (
    template.Description !== undefined &&
    (typeof template.Description !== "string" || template.Description.length > 1024)
  )
    errors.push("Description must be a string of at most 1024 characters");
  const parameters = (template.Parameters ?? {}) as Record<string, Json>;
  for (const [name, p] of Object.entries(parameters)) {
    if (!/^[A-Za-z0-9]+$/.test(name))
      errors.push(`Parameters.${name}: a logical id is alphanumeric`);
    const type = (p as { Type?: Json } | null)?.Type;
    if (typeof type !== "string") errors.push(`Parameters.${name}: Type missing`);
  }
  const resources = template.Resources as Record<string, Json> | undefined;
  if (!resources || typeof resources !== "object") return [...errors, "Resources missing"];
  const names = new Set([
    ...Object.keys(parameters),
    ...Object.keys(resources),
    "AWS::Region",
    "AWS::AccountId",
    "AWS::StackName",
  ]);
  const { resources: specs } = load();
  for (const [name, resource] of Object.entries(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(name))
      errors.push(`Resources.${name}: a logical id is alphanumeric`);
    const r = resource as { Type?: Json; Properties?: Json };
    const spec = typeof r.Type === "string" ? specs.get(r.Type) : undefined;
    if (!spec) {
      errors.push(`Resources.${name}: unknown resource type ${JSON.stringify(r.Type)}`);
      continue;
    }
    checkObject(
      spec,
      r.Properties ?? {},
      `Resources.${name}.Properties`,
      names,
      errors,
      apiEnums[r.Type as string],
    );
  }
  return errors;
}
