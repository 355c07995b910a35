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

/** Namespace bytes then the name's UTF-8, written in place: no buffers allocated per id. */
let scratch = Buffer.alloc(256);

function uuidV5(name: string, namespace: string): string {
  const ns = namespace === DETC_NAMESPACE ? detcNamespaceBytes : uuidBytes(namespace);
  const length = 16 + Buffer.byteLength(name, "utf8");
  if (length > scratch.length) scratch = Buffer.alloc(length * 2);
  ns.copy(scratch, 0);
  scratch.write(name, 16, "utf8");
  // One-shot hashing: a Hash object per id costs more than the digest itself.
  const hex = hash("sha1", scratch.subarray(0, length), "hex");
  // Version 5 in the high nibble of byte 6; variant 10 in the two high bits of byte 8.
  const variant = "89ab"[parseInt(hex[16]!, 16) & 3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function contentHash(content: string): string {
  return `sha256:${hash("sha256", content, "hex")}`;
}
