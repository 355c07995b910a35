// The CloudWatch target: for each rule, a JSON metric filter pattern wrapped in a CloudFormation
// template (`<path>.cfn.yaml`: AWS::Logs::MetricFilter + AWS::CloudWatch::Alarm) and the same as
// Terraform (`<path>.tf`). Pure: renders, writes nothing.
import type { LoadedRule } from "../../project/project.js";
import { render } from "../templates.js";
import { overallFidelity, type Backend, type BackendContext, type FidelityNote } from "../types.js";
import { cloudwatchCapabilities } from "./capabilities.js";
import { cloudWatchName, commentText, hclIdentifier, hclString, yamlString } from "./escape.js";
import { renderPattern } from "./renderer.js";

export interface CloudWatchOptions {
  /** The log group CloudTrail delivers to (a parameter/variable default). */
  logGroupName: string;
  /** Array indexes `any`/`all` expand to. */
  arrayIndexes: number;
  /** Metric namespace. */
  namespace: string;
  /** Alarm period in seconds: 10, 30 or a multiple of 60. */
  period: number;
  /** Alarm threshold (matching events per period). */
  threshold: number;
}

export const defaultOptions: CloudWatchOptions = {
  logGroupName: "aws-cloudtrail-logs",
  arrayIndexes: 5,
  namespace: "detc",
  period: 300,
  threshold: 1,
};

/** The options with defaults, or the reason an option is invalid. */
export function readOptions(raw: Readonly<Record<string, unknown>>): {
  options: CloudWatchOptions;
  problems: string[];
} {
  const options = { ...defaultOptions };
  const problems: string[] = [];
  const str = (key: "logGroupName" | "namespace", test: RegExp, what: string) => {
    const v = raw[key];
    if (v === undefined) return;
    if (typeof v === "string" && test.test(v)) options[key] = v;
    else problems.push(`cloudwatch option ${key} must be ${what}`);
  };
  const int = (
    key: "arrayIndexes" | "period" | "threshold",
    ok: (n: number) => boolean,
    what: string,
  ) => {
    const v = raw[key];
    if (v === undefined) return;
    if (typeof v === "number" && ok(v)) options[key] = v;
    else problems.push(`cloudwatch option ${key} must be ${what}`);
  };
  str(
    "logGroupName",
    /^[.\-_/#A-Za-z0-9]{1,512}$/,
    "a log group name (1-512 of . - _ / # letters digits)",
  );
  str("namespace", /^[^:\s][^:]{0,254}$/, "a metric namespace (1-255 characters, no ':')");
  int("arrayIndexes", (n) => Number.isInteger(n) && n >= 1 && n <= 50, "an integer from 1 to 50");
  int(
    "period",
    (n) => n === 10 || n === 30 || (Number.isInteger(n) && n > 0 && n % 60 === 0),
    "10, 30 or a multiple of 60",
  );
  int("threshold", (n) => Number.isFinite(n) && n >= 0, "a number >= 0");
  return { options, problems };
}

function noteLine(n: FidelityNote): string {
  return `${n.fidelity} at ${n.span.line}:${n.span.column}: ${n.reason}`;
}

function compileRule(rule: LoadedRule, ctx: BackendContext) {
  const ir = rule.ir;
  if (!ir) return { files: [], notes: [] };
  const { options, problems } = readOptions(ctx.options);
  const notes: FidelityNote[] = problems.map((reason) => ({
    fidelity: "unsupported",
    reason,
    span: rule.decl.idSpan,
  }));
  const result = renderPattern(ir.condition, {
    arrayIndexes: options.arrayIndexes,
    listValues: ctx.listValues,
  });
  notes.push(...result.notes);
  if (result.ok && result.text.normalize("NFC") !== result.text)
    // HCL normalises every string literal to Unicode NFC (escapes included: "\u212A" reads as "K"),
    // so Terraform would deploy a different pattern than CloudFormation.
    notes.push({
      fidelity: "unsupported",
      reason:
        "the pattern holds text that is not in Unicode NFC, and Terraform (HCL) normalises every string to NFC: the .tf would deploy a different pattern",
      span: ir.condition.origin,
    });
  if (!result.ok || notes.some((n) => n.fidelity === "unsupported")) return { files: [], notes };

  const meta = rule.decl.meta;
  const title = meta.title ?? rule.decl.id;
  const name = cloudWatchName(rule.decl.id);
  const severity = meta.severity ?? "medium";
  const fidelity = overallFidelity(notes);
  const description = `${title} (${severity})`;
  // Descriptions are metadata: shortened to the documented 1,024-character limits (the pattern never is).
  const shorten = (text: string) =>
    [...text].length > 1024 ? `${[...text].slice(0, 1023).join("")}…` : text;
  const alarmDescription = shorten(description);
  const source = commentText(`${rule.outputStem}.det`); // independent of the working directory
  const noteLines = notes.map(noteLine);

  const cfn = render("cloudwatch", "rule.cfn.yaml", {
    comment: commentText(`${rule.decl.id}: ${title}`),
    source,
    description: yamlString(shorten(`detc rule ${rule.decl.id}: ${title}`)),
    ruleId: yamlString(rule.decl.id),
    severity: yamlString(severity),
    fidelity: yamlString(fidelity),
    notes: noteLines.map(yamlString),
    logGroupName: yamlString(options.logGroupName),
    filterName: yamlString(name),
    pattern: yamlString(result.text),
    metricName: yamlString(name),
    namespace: yamlString(options.namespace),
    alarmName: yamlString(name),
    alarmDescription: yamlString(alarmDescription),
    period: String(options.period),
    threshold: String(options.threshold),
  });
  const tf = render("cloudwatch", "rule.tf", {
    comment: commentText(`${rule.decl.id}: ${title}`),
    source,
    fidelity,
    notes: noteLines.map(commentText),
    id: hclIdentifier(rule.outputStem),
    logGroupName: hclString(options.logGroupName),
    filterName: hclString(name),
    pattern: hclString(result.text),
    metricName: hclString(name),
    namespace: hclString(options.namespace),
    alarmName: hclString(name),
    alarmDescription: hclString(alarmDescription),
    period: String(options.period),
    threshold: String(options.threshold),
  });
  return {
    files: [
      { path: `${rule.outputStem}.cfn.yaml`, content: cfn },
      { path: `${rule.outputStem}.tf`, content: tf },
    ],
    notes,
  };
}

export const cloudwatchBackend: Backend = {
  name: "cloudwatch",
  description:
    "Amazon CloudWatch Logs: a JSON metric filter pattern and an alarm, as CloudFormation (.cfn.yaml) and Terraform (.tf)",
  capabilities: cloudwatchCapabilities,
  compile: compileRule,
};
