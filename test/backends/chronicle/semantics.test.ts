// The semantic check: each generated rule's `events` section, read back by the project's YARA-L
// reader, runs over the UDM view of every test event (and of random events shaped by the rule)
// and is compared with the reference evaluator: equal for an exact translation, implied by it for
// a broader one (detc ⇒ Chronicle), implying it for a narrower one (Chronicle ⇒ detc).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { eventsLines } from "../../../src/backends/chronicle/renderer.js";
import { checkYaral } from "../../../src/backends/chronicle/yaral.js";
import { udmView } from "../../../src/backends/chronicle/udm.js";
import { overallFidelity, type Fidelity } from "../../../src/backends/types.js";
import { matches } from "../../../src/eval/evaluate.js";
import type { IrNode, IrValue } from "../../../src/ir/types.js";
import type { JsonValue } from "../../../src/syntax/ast.js";
import { listsForTest } from "../../../src/testing/run.js";
import { randomCases } from "../panther/support.js";
import {
  chronicleMatches,
  compileProject,
  compileText,
  corpus,
  parsed,
  ruleText,
  type CompiledEntry,
} from "./support.js";

let entries: CompiledEntry[] = [];
beforeAll(() => {
  entries = [
    ...corpus(),
    ...["negation", "ami_shared_publicly"].map(
      (c) => compileProject([`test/backends/chronicle/cases/${c}/input.det`]).entries[0]!,
    ),
  ];
});

interface Disagreement {
  rule: string;
  fidelity: Fidelity;
  event: JsonValue;
  detc: boolean;
  chronicle: boolean;
}

function agrees(fidelity: Fidelity, detc: boolean, chronicle: boolean): boolean {
  if (fidelity === "exact") return detc === chronicle;
  if (fidelity === "broader") return !detc || chronicle;
  return !chronicle || detc;
}

function check(
  entry: CompiledEntry,
  event: JsonValue,
  lists: ReadonlyMap<string, readonly IrValue[]>,
  out: Disagreement[],
): void {
  const fidelity = overallFidelity(entry.result.notes);
  const detc = matches(entry.rule.ir!.condition, event, lists);
  const chronicle = chronicleMatches(parsed(entry), event, lists);
  if (!agrees(fidelity, detc, chronicle))
    out.push({ rule: entry.rule.decl.id, fidelity, event, detc, chronicle });
}

/** Reference lists hold lines of text: the translation of `in $list` is exact for non-empty strings. */
const textLists = (lists: ReadonlyMap<string, readonly IrValue[]>) =>
  new Map([...lists].map(([k, v]) => [k, v.filter((x) => x.type === "string" && x.value !== "")]));

describe("chronicle semantic check", () => {
  it("every written rule agrees with the evaluator on every test event", () => {
    const written = entries.filter((e) => e.result.files.length > 0);
    const withTests = written.filter((e) => e.rule.decl.tests.some((t) => t.event));
    expect(withTests.length).toBeGreaterThan(2);
    const bad: Disagreement[] = [];
    let events = 0;
    for (const entry of written)
      for (const test of entry.rule.decl.tests) {
        if (!test.event) continue;
        events++;
        check(entry, test.event, listsForTest(test, entry.ctx.listValues), bad);
        // The rule's own expectation holds too, wherever the translation is exact.
        if (overallFidelity(entry.result.notes) === "exact")
          expect(
            chronicleMatches(parsed(entry), test.event, listsForTest(test, entry.ctx.listValues)),
            `${entry.rule.decl.id}: ${test.name}`,
          ).toBe(test.expect === "matches");
      }
    expect(events).toBeGreaterThan(10);
    expect(bad).toEqual([]);
  });

  it("every written rule agrees with the evaluator on random events shaped by its condition", () => {
    const bad: Disagreement[] = [];
    for (const [i, entry] of entries.filter((e) => e.result.files.length > 0).entries()) {
      const seeds = entry.rule.decl.tests.flatMap((t) => (t.event ? [t.event] : []));
      const ir = entry.rule.ir!;
      for (const c of randomCases(ir.condition, ir.lists, entry.ctx.listValues, 120, 7 + i, seeds))
        check(entry, c.event, textLists(new Map([...entry.ctx.listValues, ...c.lists])), bad);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it("keeps the negation of `sel and not filter` and of `not (A and B)`", () => {
    const entry = compileText(
      ruleText(
        'eventName eq "CreateUser" and not (userAgent contains "terraform" or userIdentity.type eq "AWSService") and not (awsRegion eq "us-east-1" and userIdentity.userName eq "ci")',
      ),
    );
    expect(overallFidelity(entry.result.notes)).toBe("exact");
    const rule = parsed(entry);
    const lists = entry.ctx.listValues;
    const run = (event: JsonValue) => [
      matches(entry.rule.ir!.condition, event, lists),
      chronicleMatches(rule, event, lists),
    ];
    const base = {
      eventName: "CreateUser",
      userAgent: "aws-cli",
      userIdentity: { type: "IAMUser", userName: "ci" },
    };
    expect(run(base)).toEqual([true, true]);
    expect(run({ ...base, userAgent: "Terraform/1 terraform" })).toEqual([false, false]);
    expect(run({ ...base, userIdentity: { type: "AWSService" } })).toEqual([false, false]);
    expect(run({ ...base, awsRegion: "us-east-1" })).toEqual([false, false]);
    expect(run({ ...base, awsRegion: "eu-west-1" })).toEqual([true, true]);
    expect(run({ ...base, awsRegion: "us-east-1", userIdentity: { userName: "bob" } })).toEqual([
      true,
      true,
    ]);
    expect(run({ eventName: "CreateUser" })).toEqual([true, true]);
  });

  it("shows each reported approximation on an event (so the notes are not over-cautious)", () => {
    const cases: Array<[string, JsonValue, [boolean, boolean]]> = [
      ["errorMessage is_null", { errorMessage: "" }, [false, true]],
      ["errorMessage is_not_null", { errorMessage: "" }, [true, false]],
      ['eventName eq ""', {}, [false, true]],
      ['sourceIPAddress eq "AWS Internal"', { sourceIPAddress: "AWS Internal" }, [true, false]],
      ["userAgent is_empty", { userAgent: 5 }, [false, true]],
      ["userAgent matches /a*/", {}, [false, true]],
      ['eventName ne "X"', {}, [true, true]],
    ];
    for (const [condition, event, expected] of cases) {
      const entry = compileText(ruleText(condition));
      expect(
        [
          matches(entry.rule.ir!.condition, event, entry.ctx.listValues),
          chronicleMatches(parsed(entry), event, entry.ctx.listValues),
        ],
        condition,
      ).toEqual(expected);
    }
  });

  it("the UDM view: constants, error flag, IP addresses only, labels only for their event names", () => {
    const view = udmView({
      eventName: "ModifyImageAttribute",
      sourceIPAddress: "AWS Internal",
      errorCode: "AccessDenied",
      userAgent: 7,
      requestParameters: {
        launchPermission: { add: { items: [{ group: "all" }, { userId: "1" }, { group: "x" }] } },
      },
    });
    expect(Object.fromEntries(view.fields)).toEqual({
      "metadata.vendor_name": ["AMAZON"],
      "metadata.product_name": ["AWS CloudTrail"],
      "metadata.product_event_type": ["ModifyImageAttribute"],
      "security_result.rule_id": ["AccessDenied"],
      'target.resource.attribute.labels["Add Items Group"]': ["all", "x"],
      "security_result.action": ["BLOCK"],
    });
    const other = udmView({
      eventName: "Other",
      requestParameters: { launchPermission: { add: { items: [{ group: "all" }] } } },
    });
    expect(other.fields.has('target.resource.attribute.labels["Add Items Group"]')).toBe(false);
    expect(other.fields.get("security_result.action")).toEqual(["ALLOW"]);
  });
});

describe("chronicle nocase: detc folds with toLowerCase, the generated rule says exactly that", () => {
  const span = { file: "x.det", offset: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const path = { segments: ["userAgent"], self: false };
  const literalChars = [..."aksiKSIé1-.ßẞ", "\u212a"];
  const actualChars = [...literalChars, "\u017f", "\u0130", "\u0131", "É", "x", "\u0307"];
  const state = () => ({
    notes: [] as import("../../../src/backends/types.js").FidelityNote[],
    ctx: { options: {}, lists: new Map(), listValues: new Map() },
  });

  it("eq, contains, starts_with and ends_with agree with the evaluator on tricky letters", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(...literalChars), { minLength: 1, maxLength: 3 })
          .map((a) => a.join("")),
        fc.array(fc.constantFrom(...actualChars), { maxLength: 5 }).map((a) => a.join("")),
        fc.constantFrom("eq", "ne", "contains", "starts_with", "ends_with"),
        (literal, actual, op) => {
          const node: IrNode =
            op === "eq" || op === "ne"
              ? {
                  kind: "compare",
                  op,
                  path,
                  value: { type: "string", value: literal },
                  nocase: true,
                  origin: span,
                }
              : {
                  kind: "string",
                  op,
                  negated: false,
                  path,
                  value: literal,
                  nocase: true,
                  origin: span,
                };
          const s = state();
          const lines = eventsLines({ id: "x", condition: node, lists: [] }, s);
          expect(s.notes).toEqual([]);
          const text = `rule r {\n meta:\n events:\n  ${lines!.join("\n  ")}\n condition:\n  $e\n}\n`;
          const { rule, errors } = checkYaral(text);
          expect(errors).toEqual([]);
          const event = { userAgent: actual };
          expect(
            chronicleMatches(rule!, event, new Map()),
            `${text} on ${JSON.stringify(actual)}`,
          ).toBe(matches(node, event));
        },
      ),
      { numRuns: 1500, seed: 11 },
    );
  });

  it("plain ASCII literals keep YARA-L's own nocase; Greek sigma is unsupported", () => {
    expect(notesAndText('userAgent eq "Boto3" nocase').text).toContain(
      '$e.network.http.user_agent = "Boto3" nocase',
    );
    expect(notesAndText('userAgent contains "curl/" nocase').text).toContain(
      "$e.network.http.user_agent = /curl\\// nocase",
    );
    expect(notesAndText('userAgent eq "Σ" nocase').fidelity).toBe("unsupported");
  });
});

function notesAndText(condition: string) {
  const e = compileText(ruleText(condition));
  return { fidelity: overallFidelity(e.result.notes), text: e.result.files[0]?.content };
}
