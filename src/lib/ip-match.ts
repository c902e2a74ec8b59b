/** Matching client addresses against lists of IPv4/IPv6 addresses and CIDR ranges. */
import { BlockList, isIP } from 'node:net';

export interface AddressMatcher {
  readonly entries: readonly string[];
  matches(address: string): boolean;
}

/** An IPv4 address seen through a dual-stack socket (`::ffff:10.0.0.1`) is its IPv4 self. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** Parses a comma/space/newline separated list; throws with the offending entry. */
export function parseAddressList(list: string): AddressMatcher {
  const entries = list
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const blocks = new BlockList();
  for (const entry of entries) {
    const [address = '', prefixText, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      blocks.addAddress(address, type);
      continue;
    }
    const prefix = Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`"${entry}" has an invalid prefix length`);
    }
    blocks.addSubnet(address, prefix, type);
  }
  return {
    entries,
    matches(raw: string) {
      const address = normalizeAddress(raw);
      const family = isIP(address);
      return family !== 0 && blocks.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
