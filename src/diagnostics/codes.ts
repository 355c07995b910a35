// Every diagnostic detc reports, in one table: stable code, default severity, the kebab-case
// name used for suppression, and the message template ({0}, {1}… are filled in by `diag`).
export type Severity = "error" | "warning" | "info";

export interface DiagnosticCode {
  code: string;
  severity: Severity;
  name: string;
  message: string;
}

function table<K extends string>(
  entries: Record<K, Omit<DiagnosticCode, "name"> & { name?: string }>,
) {
  const out = {} as Record<K, DiagnosticCode>;
  for (const [name, entry] of Object.entries(entries) as [K, Omit<DiagnosticCode, "name">][]) {
    out[name] = { ...entry, name };
  }
  return out;
}

export const Codes = table({
  // 1xxx: lexical and syntax errors
  "unexpected-character": {
    code: "DETC1001",
    severity: "error",
    message: "unexpected character {0}",
  },
  "unexpected-token": { code: "DETC1002", severity: "error", message: "expected {0}, found {1}" },
  "unexpected-end-of-file": {
    code: "DETC1003",
    severity: "error",
    message: "unexpected end of file: expected {0}",
  },
  "unterminated-string": {
    code: "DETC1004",
    severity: "error",
    message: "unterminated string: expected a closing '\"' on the same line",
  },
  "invalid-escape": {
    code: "DETC1005",
    severity: "error",
    message:
      'invalid escape {0} in string: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX',
  },
  "block-string-margin": {
    code: "DETC1006",
    severity: "error",
    message:
      'block string line lacks the margin of its closing \'"""\' ({0} spaces or tabs): indent it at least as far',
  },
  "block-string-layout": { code: "DETC1007", severity: "error", message: "block string: {0}" },
  "invalid-number": {
    code: "DETC1008",
    severity: "error",
    message: "invalid number {0}: expected a JSON number",
  },
  "regex-flags": {
    code: "DETC1010",
    severity: "error",
    message:
      "regex flags ({0}) are not part of the language: write 'nocase' after the regex for a case-insensitive match",
  },
  "empty-regex": {
    code: "DETC1011",
    severity: "error",
    message: "empty regex '//': expected a pattern such as /^Delete/",
  },
  "nested-too-deeply": {
    code: "DETC1012",
    severity: "error",
    message: "nested more than {0} levels deep: split the condition or the JSON into flatter parts",
  },
  "unterminated-regex": {
    code: "DETC1009",
    severity: "error",
    message:
      "unterminated regex: expected a closing '/' on the same line (write '/' inside as '\\/')",
  },

  // 2xxx: rule structure and semantics
  "duplicate-metadata-key": {
    code: "DETC2001",
    severity: "error",
    message: "'{0}' is given twice: each metadata key may appear once",
  },
  "missing-required-key": {
    code: "DETC2002",
    severity: "error",
    message: "rule '{0}' has no '{1}': expected {2}",
  },
  "invalid-metadata-value": {
    code: "DETC2003",
    severity: "error",
    message: "invalid value for '{0}': expected {1}",
  },
  "null-comparison": {
    code: "DETC2004",
    severity: "error",
    message: "'{0} null' is not a comparison: use '{1}'",
  },
  "nocase-not-allowed": {
    code: "DETC2005",
    severity: "error",
    message:
      "'nocase' does not apply to '{0}': expected it after eq, ne, in, not_in, contains, starts_with, ends_with or matches",
  },
  "invalid-regex": { code: "DETC2006", severity: "error", message: "invalid regex /{0}/: {1}" },
  "invalid-cidr": {
    code: "DETC2007",
    severity: "error",
    message:
      'invalid CIDR range {0}: expected an IPv4 or IPv6 network such as "10.0.0.0/8" or "2001:db8::/32"',
  },
  "unknown-list": {
    code: "DETC2008",
    severity: "error",
    message:
      'unknown list ${0}: declare it with `list {0} "description"` in a .det file under rules/',
  },
  "duplicate-list": {
    code: "DETC2009",
    severity: "error",
    message: "list '{0}' is declared twice (first at {1})",
  },
  "string-operand-required": {
    code: "DETC2010",
    severity: "error",
    message: "'{0}' needs a string value, found {1}",
  },
  "self-outside-quantifier": {
    code: "DETC2011",
    severity: "error",
    message: "'@' (the array element) is only defined inside any/all",
  },
  "duplicate-rule-id": {
    code: "DETC2012",
    severity: "error",
    message: "rule id '{0}' is used twice (first at {1})",
  },
  "invalid-attack": {
    code: "DETC2013",
    severity: "error",
    message:
      "invalid ATT&CK pair {0}: expected an unquoted TACTIC:TECHNIQUE pair such as TA0010:T1537 or TA0005:T1562.008",
  },
  "ordered-comparison-type": {
    code: "DETC2014",
    severity: "error",
    message: "'{0}' compares numbers or strings, found {1}",
  },
  "invalid-index": {
    code: "DETC2015",
    severity: "error",
    message: "invalid array index {0}: expected a whole number 0 or greater",
  },
  "null-list-value": {
    code: "DETC2017",
    severity: "error",
    message: "null is not a list value: expected a string, number, true or false{0}",
  },
  "imprecise-number": {
    code: "DETC2018",
    severity: "warning",
    message:
      "{0} cannot be represented exactly (integers beyond ±2^53 lose digits): quote it if it is an identifier",
  },
  "empty-rule-id": {
    code: "DETC2016",
    severity: "error",
    message: 'rule id is empty: expected a non-empty id such as "AWS.EC2.AMIDeleted"',
  },

  // 3xxx: rule tests
  "duplicate-json-key": {
    code: "DETC3001",
    severity: "error",
    message: "duplicate key {0} in JSON object",
  },
  "test-file-unreadable": {
    code: "DETC3002",
    severity: "error",
    message: "cannot read test event file {0}: {1}",
  },
  "test-event-not-object": {
    code: "DETC3003",
    severity: "error",
    message: "a test event must be a JSON object, found {0}",
  },
  "duplicate-test-name": {
    code: "DETC3004",
    severity: "error",
    message: "test name {0} is used twice in this rule",
  },
  "binding-unknown-list": {
    code: "DETC3005",
    severity: "error",
    message: "'with {0}' binds no declared list: expected one of {1}",
  },
  "duplicate-binding": {
    code: "DETC3006",
    severity: "error",
    message: "list '{0}' is bound twice in this test",
  },

  // 5xxx: what a target cannot say exactly (one per rule × target × construct)
  "fidelity-broader": {
    code: "DETC5001",
    severity: "warning",
    message: "{0}: broader than the rule (may over-alert): {1}",
  },
  "fidelity-narrower": {
    code: "DETC5002",
    severity: "warning",
    message: "{0}: narrower than the rule (may miss events): {1}",
  },
  "fidelity-unsupported": {
    code: "DETC5003",
    severity: "warning",
    message: "{0}: cannot express this rule, no file written: {1}",
  },

  // 6xxx: lint findings (detc lint): what is valid but probably not what the author meant
  "unknown-logsource": {
    code: "DETC6001",
    severity: "warning",
    message: "unknown log source '{0}': detc knows {1}",
  },
  "unknown-field": {
    code: "DETC6002",
    severity: "warning",
    message: "'{0}' is not a field of {1}{2}",
  },
  "type-mismatch": {
    code: "DETC6003",
    severity: "warning",
    message: "'{0}' is a {1} in {2}, but the rule compares it with {3}: this can never match",
  },
  "unknown-event-name": {
    code: "DETC6004",
    severity: "warning",
    message: "'{0}' is not an operation of {1}{2}",
  },
  contradiction: { code: "DETC6005", severity: "warning", message: "this can never be true: {0}" },
  tautology: { code: "DETC6006", severity: "warning", message: "this is always true: {0}" },
  "array-without-quantifier": {
    code: "DETC6007",
    severity: "warning",
    message:
      "'{0}' goes through the array '{1}' without any/all, so it never matches: write `any {1} (…)`",
  },
  "missing-attack": {
    code: "DETC6008",
    severity: "warning",
    message: "rule '{0}' has no ATT&CK pair: add `attack TA####:T####`",
  },
  "unknown-attack": { code: "DETC6009", severity: "warning", message: "ATT&CK pair {0}: {1}" },
  "missing-metadata": { code: "DETC6010", severity: "info", message: "rule '{0}' has no {1}" },
  "missing-test": {
    code: "DETC6011",
    severity: "warning",
    message: "rule '{0}' has no test that {1}: add `test \"…\" {1} {…}`",
  },
  "all-on-empty": {
    code: "DETC6012",
    severity: "info",
    message:
      "`all {0} (…)` is true when {0} is missing or empty: add `{0} is_not_empty` if that is not intended",
  },
  "suppression-without-reason": {
    code: "DETC6013",
    severity: "warning",
    message: "suppression of {0} gives no reason: write `# detc-ignore {0} -- why`",
  },
  "unused-suppression": {
    code: "DETC6014",
    severity: "info",
    message: "suppression of {0} matches no finding",
  },
  "array-in-test-event": {
    code: "DETC6016",
    severity: "warning",
    message:
      "'{0}' meets an array at '{1}' in the event of test {2}: the rule does not look inside it, so elements of that array never match; use `any {1} (…)` if they should",
  },
  "unknown-event-source": {
    code: "DETC6015",
    severity: "warning",
    message: "'{0}' is not a known AWS event source{1}",
  },

  // 4xxx: project and input files
  "file-unreadable": { code: "DETC4001", severity: "error", message: "cannot read {0}: {1}" },
  "invalid-config": { code: "DETC4003", severity: "error", message: "invalid configuration: {0}" },
  "unknown-target": {
    code: "DETC4004",
    severity: "error",
    message: "unknown target '{0}': expected one of {1}",
  },
  "no-rule-files": {
    code: "DETC4002",
    severity: "error",
    message: "no .det files found under {0}",
  },
});

export type CodeName = keyof typeof Codes;
