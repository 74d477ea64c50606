import { BlockList } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * IPv6 forms that carry an IPv4 address inside, or are otherwise not the public internet although
 * ipaddr.js may call them `unicast`: IPv4-compatible ::/96, SIIT, NAT64 and its local-use block, the
 * discard-only block, Teredo, 6to4, the deprecated site-local block. Through a translator each can reach an
 * internal IPv4 address, so they are refused whole.
 */
const EMBEDDED = new BlockList();
for (const [net, bits] of [
  ["::", 96],
  ["::ffff:0:0:0", 96],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 32],
  ["2002::", 16],
  ["fec0::", 10],
] as const)
  EMBEDDED.addSubnet(net, bits, "ipv6");

/**
 * Whether an IP address is on the public internet, where this server may send what a user chose the
 * destination of (a webhook endpoint, a browser's push endpoint): only what ipaddr.js calls ordinary
 * `unicast`, and none of the IPv6 forms above. That refuses private, loopback, link-local (cloud metadata
 * at 169.254.169.254), carrier-grade NAT, multicast, broadcast, reserved, unspecified, unique-local and
 * IPv4-mapped addresses. Anything that is not an IP address is not public either. One predicate for
 * every outgoing request of that kind, so their guards cannot drift apart.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.range() !== "unicast") return false;
  return parsed.kind() === "ipv4" || !EMBEDDED.check(parsed.toNormalizedString(), "ipv6");
}
