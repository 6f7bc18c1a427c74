/**
 * SSRF guard for URL inputs. A URL given by a user must not make the engine talk to itself, the
 * local network or a cloud metadata service. The check is made on the address actually connected
 * to: guardedLookup resolves the name once, refuses it if ANY address is special, and hands the
 * validated addresses to the socket, so a DNS answer that changes between "check" and "connect"
 * (rebinding) never reaches a connection.
 */
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

/** [first address as uint32, prefix length, why it is refused] */
const V4_BLOCKS: Array<[string, number, string]> = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (100.64/10)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (169.254/16, cloud metadata)'],
  ['172.16.0.0', 12, 'private (172.16/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private (192.168/16)'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved/broadcast'],
];

/** Strict dotted quad to uint32 (Node and the URL parser have already normalised 0x7f.1 forms). */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** IPv6 text to eight 16-bit groups; accepts "::" and a trailing dotted quad; drops a %zone. */
export function parseIPv6(input: string): number[] | undefined {
  let s = input.replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return undefined;
  // A trailing dotted quad ("::ffff:127.0.0.1") becomes two hex groups.
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIPv4(last);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  const toGroups = (h: string): number[] => (h ? h.split(':').map((g) => parseInt(g, 16)) : []);
  const head = toGroups(halves[0]);
  const rest = halves.length > 1 ? toGroups(halves[1]) : [];
  const fill = 8 - head.length - rest.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function v4Reason(n: number): string | undefined {
  for (const [base, bits, why] of V4_BLOCKS) {
    const b = parseIPv4(base)!;
    const size = 2 ** (32 - bits);
    if (n >= b && n < b + size) return why;
  }
  return undefined;
}

function v6Reason(g: number[]): string | undefined {
  const embedded = (hi: number, lo: number): number => hi * 65536 + lo;
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified (::)';
  if (zeros(0, 7) && g[7] === 1) return 'loopback (::1)';
  // Forms that carry an IPv4 address: judge the IPv4 address inside.
  if (zeros(0, 5) && g[5] === 0xffff) return withV4('IPv4-mapped', embedded(g[6], g[7]));
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return withV4('IPv4-translated', embedded(g[6], g[7]));
  if (zeros(0, 6)) return withV4('IPv4-compatible', embedded(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return withV4('NAT64', embedded(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'local-use NAT64 (64:ff9b:1::/48)';
  if (g[0] === 0x2002) return withV4('6to4', embedded(g[1], g[2]));
  if (g[0] === 0x2001 && g[1] === 0) return 'Teredo (2001::/32)';
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'documentation (2001:db8::/32)';
  if (g[0] === 0x100 && zeros(1, 4)) return 'discard (100::/64)';
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique local (fc00::/7)';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local (fec0::/10)';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast (ff00::/8)';
  return undefined;
}

function withV4(kind: string, n: number): string | undefined {
  const why = v4Reason(n);
  return why ? `${kind} ${why}` : undefined;
}

/**
 * Why an IP address may not be fetched from by default (loopback, private, link-local, ...),
 * or undefined when it is an ordinary public address. Anything that is not an IP is refused.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const v4 = parseIPv4(bare);
  if (v4 !== undefined) return v4Reason(v4);
  const v6 = parseIPv6(bare);
  if (v6) return v6Reason(v6);
  return 'not an IP address';
}

export interface AddressPolicy {
  /** Permit every address (tests, trusted deployments). Also set by RESYNC_ALLOW_PRIVATE_URLS=1. */
  allowPrivate?: boolean;
  /** Host names or IP literals permitted even when they are (or resolve to) special addresses. */
  allowHosts?: string[];
}

export function privateAllowed(policy: AddressPolicy): boolean {
  return policy.allowPrivate === true || process.env.RESYNC_ALLOW_PRIVATE_URLS === '1';
}

/** True when the URL's host name (or IP literal) is explicitly allowed. */
export function hostAllowed(hostname: string, policy: AddressPolicy): boolean {
  if (privateAllowed(policy)) return true;
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (policy.allowHosts ?? []).some((a) => a.replace(/^\[|\]$/g, '').toLowerCase() === h);
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Name resolution used by the guard; replaceable for tests and custom resolvers. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

/** Thrown (through the socket) when a name resolves to a refused address. */
export class ForbiddenAddressError extends Error {
  constructor(readonly hostname: string, readonly address: string, readonly reason: string) {
    super(`${hostname} resolves to ${address}, which is ${reason}; refused (pass allowHosts/allowPrivate or set RESYNC_ALLOW_PRIVATE_URLS=1 to permit it)`);
    this.name = 'ForbiddenAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | ResolvedAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request / net.connect: resolves the name once with `resolver`, refuses the
 * connection when any returned address is special, and otherwise connects to exactly the addresses
 * it validated. Handles both calling conventions (Node 20's autoSelectFamily asks for `all`).
 */
export function guardedLookup(resolver: HostResolver = systemResolver) {
  return (hostname: string, options: { all?: boolean; family?: number | string } | number, callback: LookupCallback): void => {
    const opts = typeof options === 'object' && options !== null ? options : {};
    resolver(hostname).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        for (const a of addresses) {
          const why = forbiddenAddressReason(a.address);
          if (why) {
            callback(new ForbiddenAddressError(hostname, a.address, why) as NodeJS.ErrnoException, '', 0);
            return;
          }
        }
        const fam = opts.family === 4 || opts.family === 'IPv4' ? 4 : opts.family === 6 || opts.family === 'IPv6' ? 6 : 0;
        const usable = fam ? addresses.filter((a) => a.family === fam) : addresses;
        if (usable.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${fam} address`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        if (opts.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
