import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentHash, stableUuid } from "../../src/compile/ids.js";

/** UUIDv5 as RFC 4122 §4.3 spells it out, for comparison. */
function referenceUuidV5(name: string, namespace: string): string {
  const digest = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString("hex");
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join("-");
}

describe("stable ids", () => {
  it("derives an RFC 4122 version-5 UUID from the rule id, the same on every run", () => {
    const id = stableUuid("AWS.CloudTrail.AMIModifiedForPublicAccess");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid("AWS.CloudTrail.AMIModifiedForPublicAccess")).toBe(id);
    expect(stableUuid("AWS.EC2.AMIDeregistered")).not.toBe(id);
  });

  it("matches the UUIDv5 algorithm (RFC 4122 appendix B: DNS namespace, www.example.com)", () => {
    expect(stableUuid("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("equals RFC 4122's construction for any name, long and non-ASCII ones included", () => {
    const namespace = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "grapheme", maxLength: 400 }),
          fc.string({ unit: "binary" }), // lone surrogates too: both sides write U+FFFD
        ),
        (name) => {
          expect(stableUuid(name, namespace)).toBe(referenceUuidV5(name, namespace));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("hashes content with sha256", () => {
    expect(contentHash("")).toBe(
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });
});
