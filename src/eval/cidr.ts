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

export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(":") && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

export function inCidr(value: string, range: CidrRange): boolean {
  const address = parseAddress(value);
  if (!address || address.kind() !== range.kind) return false;
  return address.match(range.range as [typeof address, number]);
}
