import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sortedKeys } from "../../src/compile/compile.js";

/** What the manifest's serialisation does with a value whose order it cannot vouch for. */
const stableJson = (value: unknown) => JSON.stringify(sortedKeys(value), null, 2) + "\n";

describe("sortedKeys (the manifest's key order)", () => {
  it("sorts keys at every level, inside arrays too, whatever order they were added in", () => {
    const value = { b: 1, a: { d: [{ z: 1, y: 2 }], c: null }, e: [] };
    expect(stableJson(value)).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1,\n  "e": []\n}\n',
    );
  });

  it("gives the same text for the same data built in any key order, and leaves its input alone", () => {
    const dictionaries = fc.dictionary(
      fc.string({ maxLength: 4 }),
      fc.oneof(fc.integer(), fc.string()),
      {
        maxKeys: 8,
      },
    );
    fc.assert(
      fc.property(dictionaries, (dict) => {
        const entries = Object.entries(dict);
        const forward = Object.fromEntries(entries.map(([k, v]) => [k, { v, list: [{ k, v }] }]));
        const backward = Object.fromEntries(
          [...entries].reverse().map(([k, v]) => [k, { list: [{ v, k }], v }]),
        );
        const before = JSON.stringify(forward);
        expect(stableJson(backward)).toBe(stableJson(forward));
        expect(JSON.stringify(forward)).toBe(before);
        expect(JSON.parse(stableJson(forward))).toEqual(forward);
      }),
    );
  });
});
