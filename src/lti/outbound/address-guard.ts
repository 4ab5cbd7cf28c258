import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { AppError } from '../../errors.js';

/** What outbound requests to LMSs may reach. */
export interface OutboundPolicy {
  /** Allow private, loopback and link-local addresses (development and tests run the LMS on 127.0.0.1). */
  allowPrivateNetwork: boolean;
  /** Whole request, redirects included, ms. */
  timeoutMs: number;
  /** Largest response body read, bytes. */
  maxResponseBytes: number;
  /** Redirects followed at most (each one checked like the first URL). */
  maxRedirects: number;
  /** Which addresses count as private; default {@link isPrivateAddress} (tests narrow it). */
  isPrivate?: (address: string) => boolean;
}

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = {
  allowPrivateNetwork: false,
  timeoutMs: 10_000,
  maxResponseBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
};

/** An outbound URL Yardstick refuses to fetch (not a public address, not http(s), too big, too slow). */
export class OutboundFetchError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

// Not public: RFC 1918, loopback, link-local, CGNAT, "this network", benchmarking, multicast, reserved;
// IPv6 unspecified, loopback, unique-local, link-local, multicast, documentation.
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** True for an address that is not on the public internet (IPv4-mapped IPv6 judged as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) return blocked.check(bare, 'ipv6');
  return true;
}

const refusal = (url: string, host: string, address: string) =>
  new OutboundFetchError(
    `Yardstick does not fetch ${url}: ${host === address ? host : `${host} resolves to ${address}, which`} is a private, loopback or link-local address. Give the LMS's public address (private networks are allowed only with lti.allowPrivateNetworkFetch).`,
  );

/**
 * Checks a URL before it is requested: http(s) only, and a literal IP address must be public (a name
 * is checked when it is resolved, by {@link guardedLookup}, so DNS cannot answer differently later).
 */
export function checkOutboundUrl(url: string | URL, policy: OutboundPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundFetchError(`"${String(url)}" is not a URL; give the LMS's full https:// address.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new OutboundFetchError(
      `Yardstick fetches only http(s) URLs, not ${parsed.protocol} (${parsed.href}).`,
    );
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivateNetwork && isIP(host) && (policy.isPrivate ?? isPrivateAddress)(host))
    throw refusal(parsed.href, host, host);
  return parsed;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup` for sockets: resolves every address of the name and refuses the connection if any
 * is private (an attacker's name may resolve to a public and a private address at once).
 */
export function guardedLookup(policy: OutboundPolicy) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number } | number,
    callback: LookupCallback,
  ) => {
    const opts = typeof options === 'number' ? { family: options } : (options ?? {});
    dnsLookup(hostname, { family: opts.family ?? 0, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) => (policy.isPrivate ?? isPrivateAddress)(a.address));
      if (bad && !policy.allowPrivateNetwork) return callback(refusal(hostname, hostname, bad.address), []);
      if (opts.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
