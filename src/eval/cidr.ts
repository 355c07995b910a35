// CIDR ranges and addresses: strict dotted-quad IPv4 and RFC 4291 IPv6; an IPv4 value never
// matches an IPv6 range and the reverse (CloudTrail also writes non-addresses like "AWS Internal").
import ipaddr from "ipaddr.js";

export interface CidrRange {
  kind: "ipv4" | "ipv6";
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

const ranges = new Map<string, CidrRange | undefined>();

export function parseCidr(text: string): CidrRange | undefined {
  if (ranges.has(text)) return ranges.get(text);
  let parsed: CidrRange | undefined;
  const slash = text.indexOf("/");
  if (slash > 0) {
    const address = parseAddress(text.slice(0, slash));
    const bitsText = text.slice(slash + 1);
    const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
    const max = address?.kind() === "ipv4" ? 32 : 128;
    if (address && bits <= max) parsed = { kind: address.kind(), range: [address, bits] };
  }
  ranges.set(text, parsed);
  return parsed;
}

/** Dotted-quad IPv4 with no leading zeros (as Python's ipaddress and inet_pton read it). */
const dottedQuad =
  /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * ipaddr.js is lenient with an IPv4 tail inside IPv6 (`::1.2.3.4` read as `::ffff:1.2.3.4`, octal
 * and hex octets accepted); write a strict tail as two hex groups before handing it over.
 */
function strictIpv6(text: string): string | undefined {
  if (!text.includes(".")) return text;
  const cut = text.lastIndexOf(":");
  const tail = text.slice(cut + 1);
  if (!dottedQuad.test(tail)) return undefined;
  const [a, b, c, d] = tail.split(".").map(Number) as [number, number, number, number];
  return `${text.slice(0, cut + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (dottedQuad.test(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(":")) return undefined;
  const v6 = strictIpv6(text);
  return v6 !== undefined && ipaddr.IPv6.isValid(v6) ? ipaddr.IPv6.parse(v6) : undefined;
}

export function inCidr(value: string, range: CidrRange): boolean {
  const address = parseAddress(value);
  if (!address || address.kind() !== range.kind) return false;
  return address.match(range.range as [typeof address, number]);
}

/**
 * A range as the evaluator tests it: host bits cleared, canonical text (`10.1.2.3/8` → `10.0.0.0/8`).
 * Targets write this form, so none needs to mask the range itself.
 */
export function networkText(range: string | CidrRange): string {
  const parsed = typeof range === "string" ? parseCidr(range) : range;
  if (!parsed) throw new Error(`not a CIDR range: ${String(range)}`); // the checks reject these first
  const [address, bits] = parsed.range;
  const bytes = address.toByteArray().map((byte, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return byte & (0xff << (8 - keep)) & 0xff;
  });
  return `${ipaddr.fromByteArray(bytes).toString()}/${bits}`;
}
