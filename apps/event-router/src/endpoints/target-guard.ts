import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { addRange, parseAllowList } from '../config/allow-list';
import { TargetRefusedError } from './target-refused-error';

/*
 * SSRF guard for subscription targets: https only, and never an address inside our network (private,
 * loopback, link-local, CGNAT, ULA, multicast, reserved, IPv4-mapped/NAT64 forms of those), unless the
 * operator's allow-list (ROUTER_ALLOW_TARGETS) names it — then plain http is allowed for it too. Checked
 * when a subscription is created or its URL changes, and again on every delivery after DNS resolution,
 * connecting to exactly the address that was checked (no DNS rebinding between check and connect).
 */

const FORBIDDEN_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
const FORBIDDEN_V6 = [
  '::/96',
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/23',
  '2001:db8::/32',
  '2002::/16',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
];
export interface ResolvedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const forbidden = new BlockList();
for (const range of [...FORBIDDEN_V4, ...FORBIDDEN_V6]) addRange(forbidden, range);

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d` / `::ffff:xxxx:xxxx`), if it is one. */
function mappedV4(address: string): string | undefined {
  const match = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/i.exec(address.startsWith('::') ? address : '');
  if (!match) return undefined;
  const rest = match[1]!;
  if (isIP(rest) === 4) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!hex) return undefined;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export class TargetGuard {
  private readonly allow: BlockList;

  constructor(
    allowSpec: string,
    private readonly resolve: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true }),
  ) {
    this.allow = parseAllowList(allowSpec);
  }

  /** Whether the operator's allow-list names this address. */
  allowed(address: string): boolean {
    const v4 = mappedV4(address);
    if (v4) return this.allow.check(v4, 'ipv4');
    return this.allow.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }

  /** Why an address may not be a target, or undefined when it may. */
  problem(address: string): string | undefined {
    if (this.allowed(address)) return undefined;
    const v4 = mappedV4(address);
    if (v4) return forbidden.check(v4, 'ipv4') ? `${address} is an IPv4-mapped internal address` : undefined;
    const family = isIP(address);
    if (family === 0) return `${address} is not an IP address`;
    if (forbidden.check(address, family === 4 ? 'ipv4' : 'ipv6')) {
      return `${address} is a private, loopback, link-local or reserved address`;
    }
    return undefined;
  }

  /**
   * Resolves the URL's host and checks every address (a name that resolves to any internal address is
   * refused); answers the first address to connect to. Throws TargetRefusedError.
   */
  async check(target: string): Promise<ResolvedTarget> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new TargetRefusedError(`${target} is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TargetRefusedError(`${url.protocol} targets are not allowed (https only)`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: { address: string; family: number }[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await this.resolve(host);
      } catch (error) {
        throw new TargetRefusedError(`${host} does not resolve: ${(error as Error).message}`);
      }
    }
    if (addresses.length === 0) throw new TargetRefusedError(`${host} does not resolve`);
    for (const { address } of addresses) {
      const problem = this.problem(address);
      if (problem) throw new TargetRefusedError(`${host}: ${problem} (not in ROUTER_ALLOW_TARGETS)`);
      if (url.protocol === 'http:' && !this.allowed(address)) {
        throw new TargetRefusedError(`plain http is refused: ${url.host} must use https`);
      }
    }
    const first = addresses[0]!;
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }
}
