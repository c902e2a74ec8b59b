/**
 * IP addresses and ranges: one strict parser for every list Kanri reads (TRUSTED_PROXIES,
 * KANRI_SUPPORT_IPS, a tenant's IP address filter), matching, and the client address of a request
 * seen through trusted proxies. Addresses are numbers (bigint) here, so containment and overlap are
 * exact arithmetic rather than string comparisons.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  /** The address as a 32- or 128-bit number. */
  readonly value: bigint;
}

/** `network/prefix`, host bits cleared. */
export interface IpRange {
  readonly family: IpFamily;
  readonly network: bigint;
  readonly prefix: number;
}

/** Why a text is not an address or range. */
export type IpRangeProblem = 'not_an_address' | 'leading_zeros' | 'invalid_prefix' | 'non_contiguous_netmask';

export type ParsedRange =
  | { readonly ok: true; readonly range: IpRange; /** The address had bits set below the prefix (`1.2.3.4/24`). */ readonly hostBits: boolean }
  | { readonly ok: false; readonly problem: IpRangeProblem };

export const FAMILY_BITS: Readonly<Record<IpFamily, number>> = { 4: 32, 6: 128 };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
/** The top 96 bits of `::ffff:0:0/96`, IPv4 addresses written as IPv6 (as a dual-stack socket reports them). */
const MAPPED_HIGH_BITS = 0xffffn;

function parseIpv4(text: string): bigint | undefined {
  const octets = IPV4.exec(text)?.slice(1);
  if (!octets || octets.some((o) => (o.length > 1 && o.startsWith('0')) || Number(o) > 255)) {
    return undefined;
  }
  return octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

/** RFC 4291 text: eight groups, one `::` for a run of zero groups, an optional dotted IPv4 tail; no zone (`%eth0`). */
function parseIpv6(text: string): bigint | undefined {
  let groupsText = text;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const tail = parseIpv4(text.slice(lastColon + 1));
    if (tail === undefined) {
      return undefined;
    }
    groupsText = `${text.slice(0, lastColon + 1)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const double = groupsText.indexOf('::');
  if (groupsText.includes(':::') || (double !== -1 && groupsText.indexOf('::', double + 1) !== -1)) {
    return undefined;
  }
  let groups: string[];
  if (double === -1) {
    groups = groupsText.split(':');
  } else {
    const left = groupsText.slice(0, double);
    const right = groupsText.slice(double + 2);
    const leftGroups = left === '' ? [] : left.split(':');
    const rightGroups = right === '' ? [] : right.split(':');
    const missing = 8 - leftGroups.length - rightGroups.length;
    if (missing < 1) {
      return undefined;
    }
    groups = [...leftGroups, ...Array<string>(missing).fill('0'), ...rightGroups];
  }
  if (groups.length !== 8 || !groups.every((g) => HEX_GROUP.test(g))) {
    return undefined;
  }
  return groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

/** A single address in strict notation (no leading zeros in IPv4 octets, no IPv6 zone), or undefined. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as a dual-stack socket reports IPv4 peers) is its IPv4 self. */
export function unmapAddress(address: IpAddress): IpAddress {
  return address.family === 6 && address.value >> 32n === MAPPED_HIGH_BITS ? { family: 4, value: address.value & 0xffffffffn } : address;
}

/** Is the range within `::ffff:0:0/96`, IPv4 written as IPv6? */
export function isMappedIpv4(range: IpRange): boolean {
  return range.family === 6 && range.prefix >= 96 && range.network >> 32n === MAPPED_HIGH_BITS;
}

/** Dotted IPv4, or IPv6 as RFC 5952 writes it (lower case, the longest run of zero groups as `::`). */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => (address.value >> shift) & 0xffffn);
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0n) {
      end += 1;
    }
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatIpRange(range: IpRange): string {
  return `${formatIpAddress({ family: range.family, value: range.network })}/${range.prefix}`;
}

/** The canonical text of a client address: IPv4-mapped IPv6 as IPv4, IPv6 compressed; anything unparsable as given. */
export function normalizeAddress(text: string): string {
  const address = parseIpAddress(text);
  return address ? formatIpAddress(unmapAddress(address)) : text;
}

function maskOf(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(FAMILY_BITS[family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** The prefix length a dotted IPv4 netmask stands for, or undefined when its one bits are not contiguous. */
function prefixOfNetmask(mask: bigint): number | undefined {
  for (let prefix = 0; prefix <= 32; prefix++) {
    if (maskOf(4, prefix) === mask) {
      return prefix;
    }
  }
  return undefined;
}

/** Does the text look like a dotted IPv4 address with a leading zero in an octet (`010.1.1.1`)? */
function hasLeadingZeros(text: string): boolean {
  return /(^|[.:])0\d/.test(text) && /\d+\.\d+\.\d+\.\d+$/.test(text);
}

/** `address`, `address/prefix` or `ipv4/dotted-netmask`, strictly. */
export function parseIpRange(text: string): ParsedRange {
  const [addressText = '', suffix, extra] = text.split('/');
  if (extra !== undefined) {
    return { ok: false, problem: 'not_an_address' };
  }
  const address = parseIpAddress(addressText);
  if (!address) {
    return { ok: false, problem: hasLeadingZeros(addressText) ? 'leading_zeros' : 'not_an_address' };
  }
  const bits = FAMILY_BITS[address.family];
  let prefix = bits;
  if (suffix !== undefined) {
    if (/^(0|[1-9]\d{0,2})$/.test(suffix)) {
      prefix = Number(suffix);
      if (prefix > bits) {
        return { ok: false, problem: 'invalid_prefix' };
      }
    } else if (address.family === 4 && suffix.includes('.')) {
      const mask = parseIpv4(suffix);
      if (mask === undefined) {
        return { ok: false, problem: hasLeadingZeros(suffix) ? 'leading_zeros' : 'invalid_prefix' };
      }
      const fromMask = prefixOfNetmask(mask);
      if (fromMask === undefined) {
        return { ok: false, problem: 'non_contiguous_netmask' };
      }
      prefix = fromMask;
    } else {
      return { ok: false, problem: 'invalid_prefix' };
    }
  }
  const network = address.value & maskOf(address.family, prefix);
  return { ok: true, range: { family: address.family, network, prefix }, hostBits: network !== address.value };
}

/** Is `inner` within `outer` (equal ranges included)? */
export function rangeContains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && (inner.network & maskOf(outer.family, outer.prefix)) === outer.network;
}

/** Do the ranges share an address? (Prefix ranges either nest or are apart.) */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return rangeContains(a, b) || rangeContains(b, a);
}

export interface AddressMatcher {
  readonly entries: readonly string[];
  readonly ranges: readonly IpRange[];
  /** Is the address (any notation, IPv4-mapped included) in one of the ranges? Unparsable: no. */
  matches(address: string): boolean;
}

/** A matcher over parsed ranges; the caller keeps it for as long as the list stands (it is built once). */
export function addressMatcher(ranges: readonly IpRange[], entries: readonly string[] = ranges.map(formatIpRange)): AddressMatcher {
  const masked = ranges.map((range) => ({ family: range.family, network: range.network, mask: maskOf(range.family, range.prefix) }));
  return {
    entries,
    ranges,
    matches(text: string) {
      const parsed = parseIpAddress(text);
      if (!parsed) {
        return false;
      }
      const { family, value } = unmapAddress(parsed);
      return masked.some((range) => range.family === family && (value & range.mask) === range.network);
    },
  };
}

/** Parses an operator's comma/space/newline separated list (configuration); throws with the offending entry. */
export function parseAddressList(list: string): AddressMatcher {
  const entries = list
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const ranges = entries.map((entry) => {
    const parsed = parseIpRange(entry);
    if (!parsed.ok) {
      throw new Error(parsed.problem === 'invalid_prefix' || parsed.problem === 'non_contiguous_netmask' ? `"${entry}" has an invalid prefix length` : `"${entry}" is not an IP address or CIDR range`);
    }
    return parsed.range;
  });
  return addressMatcher(ranges, entries);
}

/**
 * The client's address (security.md §7): the socket peer, unless the peer is a trusted proxy; then
 * `X-Forwarded-For` is walked from the right (each proxy appends the address it saw) across trusted
 * proxies only, and the first address that is not one is the client. Hops left of it were written by
 * the client and are never read, so a forged left-most hop changes nothing. A hop that is no address
 * (garbage, `host:port`, a zone) means the header cannot be trusted: the socket peer is the answer.
 * IPv4-mapped IPv6 addresses come back as IPv4.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | readonly string[] | undefined, trustedProxies: AddressMatcher): string {
  const socket = normalizeAddress(peer);
  if (forwardedFor === undefined || !trustedProxies.matches(socket)) {
    return socket;
  }
  const hops = (typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',')).split(',');
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIpAddress(hops[i]!.trim());
    if (!hop) {
      return socket;
    }
    client = formatIpAddress(unmapAddress(hop));
    if (!trustedProxies.matches(client)) {
      return client;
    }
  }
  return client;
}
