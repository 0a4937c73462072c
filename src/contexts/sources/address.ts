/**
 * Which addresses the server refuses to fetch from: everything but public unicast (loopback, private,
 * link-local, unique-local, carrier-grade NAT, multicast, unspecified, reserved), IPv4-mapped IPv6 included.
 */
import ipaddr from 'ipaddr.js';

/** The name of the forbidden range an IP address lies in, or undefined for a public address. */
export function forbiddenRange(ip: string): string | undefined {
  if (!ipaddr.isValid(ip)) return 'invalid';
  let a = ipaddr.parse(ip);
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  const range = a.range();
  return range === 'unicast' ? undefined : range;
}
