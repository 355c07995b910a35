import { describe, expect, it } from "vitest";
import { contentHash, stableUuid } from "../../src/compile/ids.js";

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

  it("hashes content with sha256", () => {
    expect(contentHash("")).toBe(
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });
});
