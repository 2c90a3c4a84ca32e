// Refuses webhook URLs that resolve to anything but a public unicast address (SSRF):
// loopback, private, link-local, unique-local, carrier-grade NAT, multicast,
// unspecified, benchmarking, documentation and other reserved ranges, and the IPv6
// forms that carry an IPv4 address inside (mapped, compatible, translated, 6to4,
// Teredo, NAT64), judged by the IPv4 address they carry. Checked when a URL is set and
// again when a webhook is sent; the connection itself only goes to an address that
// passes the same check (safe-fetch.ts), so DNS cannot answer differently in between.
// Hosts listed in WEBHOOK_ALLOW_PRIVATE_HOSTS (local development, tests) are let
// through by name.
import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

const BLOCKED_NAMES = new Set(['localhost', 'metadata.google.internal', 'metadata', 'instance-data']);

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** A URL's host as the allow-list and the checks compare it: no brackets, lower case. */
export function normalizeHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** The allow-list lets a host through by its name (or literal address) as written. */
export function isAllowListed(host: string, allowHosts: readonly string[]): boolean {
  return allowHosts.includes(normalizeHost(host));
}

function v4Refusal(a: ipaddr.IPv4): string | null {
  const range = a.range();
  return range === 'unicast' ? null : range;
}

const v4At = (hi: number, lo: number) => ipaddr.IPv4.parse(`${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`);

function v6Refusal(a: ipaddr.IPv6): string | null {
  const p = a.parts;
  const embedded = (label: string, v4: ipaddr.IPv4) => {
    const why = v4Refusal(v4);
    return why ? `${label} ${v4.toString()} (${why})` : null;
  };
  // ::ffff:a.b.c.d — an IPv4 address on a dual-stack socket: judged as that address.
  if (p.slice(0, 5).every((x) => x === 0) && p[5] === 0xffff) return embedded('IPv4-mapped', v4At(p[6], p[7]));
  // ::a.b.c.d (IPv4-compatible, deprecated; also :: and ::1) and ::ffff:0:a.b.c.d (IPv4-translated): never public.
  if (p.slice(0, 6).every((x) => x === 0)) return 'IPv4-compatible or unspecified/loopback';
  if (p.slice(0, 4).every((x) => x === 0) && p[4] === 0xffff && p[5] === 0) return 'IPv4-translated';
  // 64:ff9b::/96 (well-known NAT64 prefix): the last 32 bits are the IPv4 destination.
  if (p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0)) return embedded('NAT64 of', v4At(p[6], p[7]));
  // 64:ff9b:1::/48 (local-use NAT64, RFC 8215): where the IPv4 sits depends on the site.
  if (p[0] === 0x64 && p[1] === 0xff9b && p[2] === 1) return 'local-use NAT64';
  // 2002::/16 (6to4): bits 16-48 are the IPv4 address of the relay to the site.
  if (p[0] === 0x2002) return embedded('6to4 of', v4At(p[1], p[2]));
  // 2001:0::/32 (Teredo): the client's IPv4 is hidden in the last 32 bits; refused outright.
  if (p[0] === 0x2001 && p[1] === 0) return 'Teredo';
  const range = a.range();
  if (range !== 'unicast') return range;
  // Only the global unicast space 2000::/3 is public (this also refuses fec0::/10 and the unassigned rest).
  if ((p[0] & 0xe000) !== 0x2000) return 'not global unicast';
  return null;
}

/** ipaddr.js reads any IPv6 ending in a dotted quad (`::a.b.c.d`) as IPv4-mapped; spell the tail in hex first. */
function dottedTailToHex(v6: string): string {
  return v6.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`);
}

/** Why an address may not be the target of a webhook, or null when it is a public address. */
export function addressRefusal(address: string): string | null {
  const host = normalizeHost(address);
  const family = isIP(host);
  if (family === 0) return 'not an IP address';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = family === 4 ? ipaddr.IPv4.parse(host) : ipaddr.IPv6.parse(dottedTailToHex(host.split('%')[0]));
  } catch {
    return 'not an IP address';
  }
  return parsed.kind() === 'ipv4' ? v4Refusal(parsed as ipaddr.IPv4) : v6Refusal(parsed as ipaddr.IPv6);
}

export function isBlockedAddress(address: string): boolean {
  return addressRefusal(address) !== null;
}

/** Refusal of a host by its name alone (before DNS), or null. */
export function hostNameRefusal(host: string): string | null {
  const h = normalizeHost(host);
  if (BLOCKED_NAMES.has(h) || h.endsWith('.localhost') || h.endsWith('.internal')) return `host ${h} is not allowed`;
  return null;
}

export const refusedAddressReason = (address: string) => `resolves to a private, loopback, link-local or metadata address (${address})`;

export async function checkWebhookUrl(raw: string, allowHosts: string[] = [], resolve = lookup): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'must use http or https' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  const host = normalizeHost(url.hostname);
  if (isAllowListed(host, allowHosts)) return { ok: true, url };
  const byName = hostNameRefusal(host);
  if (byName) return { ok: false, reason: byName };
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await resolve(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return { ok: false, reason: `host ${host} does not resolve` };
    }
  }
  const bad = addresses.find(isBlockedAddress);
  if (bad) return { ok: false, reason: refusedAddressReason(bad) };
  return { ok: true, url };
}
