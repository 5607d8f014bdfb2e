import { BlockList, isIP } from 'node:net';

/*
 * The operator's SSRF allow-list (ROUTER_ALLOW_TARGETS), parsed here so the configuration is validated at
 * boot without importing a feature; the target guard (endpoints/) applies it.
 */

const ALIASES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Adds a CIDR range or a single address to a block list; throws on anything else. */
export function addRange(list: BlockList, range: string): void {
  const [address, bits] = range.split('/') as [string, string | undefined];
  const family = isIP(address);
  if (family === 0) throw new Error(`"${range}" is not an IP address or CIDR range`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`"${range}" has a bad prefix length`);
  }
  list.addSubnet(address, prefix, type);
}

/** Parses ROUTER_ALLOW_TARGETS: comma-separated CIDR ranges, single addresses, `loopback` or `private`. */
export function parseAllowList(spec: string): BlockList {
  const list = new BlockList();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    for (const range of ALIASES[entry] ?? [entry]) addRange(list, range);
  }
  return list;
}
