// Ids a target needs (UUIDs, GUIDs), derived from the rule id so they never change between runs.
import { createHash, hash } from "node:crypto";

/** detc's own UUIDv5 namespace (a constant: changing it would change every published id). */
const DETC_NAMESPACE = "5b0e2a6c-8f5d-4c1e-9a57-3f6f1d2c7b10";

/** RFC 4122 version-5 UUID of `name` in detc's namespace. */
export function stableUuid(name: string, namespace = DETC_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function contentHash(content: string): string {
  return `sha256:${hash("sha256", content, "hex")}`;
}
