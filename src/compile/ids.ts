// Ids a target needs (UUIDs, GUIDs), derived from the rule id so they never change between runs.
import { hash } from "node:crypto";

/** detc's own UUIDv5 namespace (a constant: changing it would change every published id). */
const DETC_NAMESPACE = "5b0e2a6c-8f5d-4c1e-9a57-3f6f1d2c7b10";

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

const detcNamespaceBytes = uuidBytes(DETC_NAMESPACE);

/** Ids already derived in detc's namespace: several targets ask for the same rule's id. */
const detcUuids = new Map<string, string>();

/** RFC 4122 version-5 UUID of `name` in detc's namespace. */
export function stableUuid(name: string, namespace = DETC_NAMESPACE): string {
  if (namespace !== DETC_NAMESPACE) return uuidV5(name, namespace);
  let id = detcUuids.get(name);
  if (id === undefined) detcUuids.set(name, (id = uuidV5(name, namespace)));
  return id;
}

function uuidV5(name: string, namespace: string): string {
  const ns = namespace === DETC_NAMESPACE ? detcNamespaceBytes : uuidBytes(namespace);
  // One-shot hashing: a Hash object per id costs more than the digest itself.
  const digest = hash("sha1", Buffer.concat([ns, Buffer.from(name, "utf8")]), "buffer");
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function contentHash(content: string): string {
  return `sha256:${hash("sha256", content, "hex")}`;
}
