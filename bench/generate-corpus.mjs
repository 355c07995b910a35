// Writes a synthetic corpus of varied rules (all operators, nesting, arrays, named lists) for the
// benchmark. Deterministic: the same seed always writes the same files.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export function generateCorpus(dir, count = 3000, seed = 20261122) {
  let state = seed >>> 0;
  const rand = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const services = ["ec2", "iam", "s3", "kms", "rds", "lambda", "sts", "cloudtrail", "config", "ssm"];
  const fields = ["eventName", "eventSource", "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "recipientAccountId", "userIdentity.type", "userIdentity.arn", "userIdentity.accountId", "requestParameters.bucketName", "requestParameters.policyName", "requestParameters.\"x-amz-acl\"", "responseElements.status", "additionalEventData.MFAUsed", "readOnly"];
  const words = ["Delete", "Put", "Create", "Update", "Attach", "Detach", "Stop", "Start", "Modify", "Disable"];
  const nouns = ["Bucket", "Policy", "Trail", "Key", "Role", "User", "Snapshot", "Image", "Function", "Group"];
  const str = () => JSON.stringify(pick(words) + pick(nouns) + (rand() < 0.2 ? "\"quoted\\path" : ""));
  const leaf = (depth, inArray) => {
    const f = inArray ? pick(["group", "userId", "name", "value"]) : pick(fields);
    switch (Math.floor(rand() * 14)) {
      case 0: return `${f} eq ${str()}${rand() < 0.3 ? " nocase" : ""}`;
      case 1: return `${f} ne ${str()}`;
      case 2: return `${f} in [${str()}, ${str()}, ${str()}]${rand() < 0.3 ? " nocase" : ""}`;
      case 3: return `${f} not_in $bench_list_${Math.floor(rand() * 5)}`;
      case 4: return `${f} contains ${str()}${rand() < 0.5 ? " nocase" : ""}`;
      case 5: return `${f} starts_with ${str()}`;
      case 6: return `${f} ends_with ${str()}`;
      case 7: return `${f} matches /^${pick(words)}[A-Z][a-z]+(Bucket|Policy)?$/${rand() < 0.3 ? " nocase" : ""}`;
      case 8: return `${f} cidr ${pick(['"10.0.0.0/8"', '"192.168.0.0/16"', '"2001:db8::/32"'])}`;
      case 9: return `${f} ${pick(["is_null", "is_not_null", "is_empty", "is_not_empty"])}`;
      case 10: return `${f} ${pick(["lt", "le", "gt", "ge"])} ${Math.floor(rand() * 1000)}`;
      case 11: return depth < 2 && !inArray ? `${pick(["any", "all"])} requestParameters.items (${expr(depth + 1, true)})` : `${f} eq true`;
      case 12: return depth < 2 && !inArray ? `any p_any_ip_addresses (@ cidr "10.0.0.0/8")` : `${f} is_null`;
      default: return `${f} eq ${Math.floor(rand() * 100)}`;
    }
  };
  const expr = (depth = 0, inArray = false) => {
    const n = 1 + Math.floor(rand() * (depth === 0 ? 4 : 2));
    const parts = [];
    for (let i = 0; i < n; i++) {
      let p = depth < 2 && rand() < 0.25 ? `(${expr(depth + 1, inArray)})` : leaf(depth, inArray);
      if (rand() < 0.2) p = `not ${p.startsWith("(") ? p : `(${p})`}`;
      parts.push(p);
    }
    const op = rand() < 0.6 ? " and " : " or ";
    return parts.join(op);
  };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lists = [];
  for (let i = 0; i < 5; i++) lists.push(`list bench_list_${i} "benchmark list ${i}" = ["a${i}", "b${i}"]`);
  writeFileSync(path.join(dir, "lists.det"), lists.join("\n") + "\n");
  for (let i = 0; i < count; i++) {
    const service = services[i % services.length];
    const folder = path.join(dir, "aws", service);
    mkdirSync(folder, { recursive: true });
    const id = `Bench.${service}.Rule${String(i).padStart(5, "0")}`;
    const text = `# synthetic benchmark rule ${i}
rule "${id}" {
  title       "Benchmark rule ${i}"
  description "Synthetic rule for the compile benchmark."
  severity    ${pick(["info", "low", "medium", "high", "critical"])}
  logsource   aws.cloudtrail
  attack      TA0040:T1485, TA0005:T1562.008
  tags        "AWS", "Benchmark"
  reference   "https://example.com/rules/${i}"
  runbook     """
    Look at the principal and the request.
    Then decide.
    """
  summary     userIdentity.arn, sourceIPAddress
  output      eventName, eventSource, userIdentity.arn

  condition
    eventSource eq "${service}.amazonaws.com" and (${expr()})

  test "matching shape" matches { "eventSource": "${service}.amazonaws.com", "eventName": "DeleteBucket", "requestParameters": { "items": [ { "group": "all" } ] }, }
  test "other service" ignores { "eventSource": "other.amazonaws.com", "eventName": "DeleteBucket" }
}
`;
    writeFileSync(path.join(folder, `rule_${String(i).padStart(5, "0")}.det`), text);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? "bench/corpus/rules";
  generateCorpus(dir, Number(process.argv[3] ?? 3000));
  console.error(`wrote ${process.argv[3] ?? 3000} rules to ${dir}`);
}
