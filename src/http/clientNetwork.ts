import ipaddr from "ipaddr.js";

/**
 * The network a per-client limit counts a remote address under: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address too), an IPv6 address by its /64 — a host is usually given a whole /64
 * and can answer from any of its 2^64 addresses, so counting single addresses would not limit it.
 * An address that does not parse is counted as written.
 */
export function clientNetwork(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const bytes = parsed.toByteArray().slice(0, 8).concat(Array(8).fill(0));
  return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}
