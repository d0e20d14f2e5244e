/**
 * Which IP addresses an input URL may reach. Only globally routable unicast addresses
 * pass: loopback, private, link-local (cloud metadata lives at 169.254.169.254),
 * unique-local (fd00:ec2::254), CGNAT, unspecified, multicast, broadcast, documentation,
 * reserved and transition ranges (NAT64, 6to4, Teredo) are refused. An allow-list of
 * one range is easier to trust than a deny-list that must name every special range.
 */
import ipaddr from 'ipaddr.js';

/**
 * Why `address` is refused (the ipaddr.js range name, e.g. `loopback`, `private`), or
 * undefined when it may be reached. Unparseable input is refused as `invalid`.
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are judged by their inner IPv4 address.
 */
export function blockedRange(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'invalid';
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

/** True when an input URL may connect to `address` (see {@link blockedRange}). */
export function isAddressAllowed(address: string): boolean {
  return blockedRange(address) === undefined;
}
