/**
 * A tenant's list of allowed source addresses (setting `allowed_ips`, security.md §7): one IPv4 or
 * IPv6 address or range per line (`/prefix`, or `/dotted.netmask` for IPv4), text after `#` a comment
 * kept for display, blank lines ignored, CRLF accepted. Reading it for enforcement (`compileAllowedIps`)
 * and validating an administrator's new list (`validateAllowedIps`) share the line reader; validation
 * names every bad line with its number. Pure: no I/O, no clock.
 */
import {
  addressMatcher,
  FAMILY_BITS,
  formatIpRange,
  isMappedIpv4,
  parseIpAddress,
  parseIpRange,
  rangeContains,
  rangesOverlap,
  type AddressMatcher,
  type IpRange,
  type IpRangeProblem,
  unmapAddress,
} from '#src/lib/ip-match.ts';

/** The most entries a list may hold (the plan's limit). */
export const MAX_ALLOWED_IP_ENTRIES = 100;
/** The setting's own limit (setting-definitions.ts). */
export const MAX_ALLOWED_IPS_LENGTH = 65_535;

/** One line of the list as written: its entry (may be empty) and comment. */
export interface AllowedIpLine {
  /** 1-based, as an editor numbers it. */
  readonly line: number;
  readonly entry: string;
  readonly comment: string;
}

/** A line whose entry is a valid address or range. */
export interface AllowedIpEntry extends AllowedIpLine {
  readonly range: IpRange;
}

/** Ranges no client on the internet comes from: refused unless the operator allows them. */
export type SpecialRangeKind = 'private' | 'loopback' | 'link_local' | 'unique_local' | 'multicast' | 'unspecified' | 'reserved';

export type AllowedIpsProblem =
  | { readonly code: IpRangeProblem | 'zero_prefix' | 'ipv4_mapped'; readonly line: number; readonly entry: string }
  | { readonly code: 'host_bits'; readonly line: number; readonly entry: string; readonly range: string }
  | { readonly code: 'special_range'; readonly kind: SpecialRangeKind; readonly line: number; readonly entry: string; readonly range: string }
  | { readonly code: 'duplicate'; readonly line: number; readonly entry: string; readonly other: number }
  | { readonly code: 'inside'; readonly line: number; readonly entry: string; readonly other: number; readonly outer: string }
  | { readonly code: 'too_many'; readonly count: number; readonly max: number }
  | { readonly code: 'too_long'; readonly max: number }
  | { readonly code: 'excludes_saver'; readonly address: string };

const SPECIAL_RANGES: readonly (readonly [SpecialRangeKind, string])[] = [
  ['unspecified', '0.0.0.0/8'],
  ['private', '10.0.0.0/8'],
  ['private', '100.64.0.0/10'],
  ['loopback', '127.0.0.0/8'],
  ['link_local', '169.254.0.0/16'],
  ['private', '172.16.0.0/12'],
  ['reserved', '192.0.0.0/24'],
  ['private', '192.168.0.0/16'],
  ['reserved', '198.18.0.0/15'],
  ['multicast', '224.0.0.0/4'],
  ['reserved', '240.0.0.0/4'],
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  // Translation and tunnelling prefixes carry an IPv4 address inside (NAT64, Teredo, 6to4): through
  // a gateway they can reach any IPv4 address, a private one included, so they are not public either.
  ['reserved', '64:ff9b::/96'],
  ['reserved', '64:ff9b:1::/48'],
  ['reserved', '2001::/32'],
  ['reserved', '2002::/16'],
  ['unique_local', 'fc00::/7'],
  ['link_local', 'fe80::/10'],
  ['private', 'fec0::/10'],
  ['multicast', 'ff00::/8'],
];

const SPECIAL: readonly { readonly kind: SpecialRangeKind; readonly range: IpRange }[] = SPECIAL_RANGES.map(([kind, text]) => {
  const parsed = parseIpRange(text);
  if (!parsed.ok) {
    throw new Error(`bad special range ${text}`);
  }
  return { kind, range: parsed.range };
});

/**
 * The kind of non-public range `address` (one address, as a resolver or socket gives it) lies in, or
 * undefined for a public address or text that is no address. An IPv4-mapped IPv6 address is judged as
 * its IPv4 self. The one classification of the IP filter's lists and of server-side fetches (OIDC).
 */
export function nonPublicRangeOf(address: string): SpecialRangeKind | undefined {
  const parsed = parseIpAddress(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (!parsed) {
    return undefined;
  }
  const single = unmapAddress(parsed);
  const range: IpRange = { family: single.family, network: single.value, prefix: FAMILY_BITS[single.family] };
  return SPECIAL.find((s) => rangeContains(s.range, range))?.kind;
}

/** The lines of the list, blank ones left out; `\r\n`, `\n` and `\r` all end a line. */
export function readAllowedIpLines(text: string): AllowedIpLine[] {
  return text.split(/\r\n|\r|\n/).flatMap((raw, index) => {
    const hash = raw.indexOf('#');
    const entry = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    const comment = hash === -1 ? '' : raw.slice(hash + 1).trim();
    return entry === '' && comment === '' ? [] : [{ line: index + 1, entry, comment }];
  });
}

/** The list as it is stored: lines ended by `\n`, trailing spaces and blank lines at the end removed. */
export function normalizeAllowedIps(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/** What enforcement needs of a stored list. */
export interface AllowedIpsFilter {
  /** False for an empty list (or comments only): every address may connect. */
  readonly restricts: boolean;
  readonly matcher: AddressMatcher;
  /** Entries that could not be read (the list was stored around the page); they match nothing. */
  readonly unreadable: number;
}

/**
 * The filter a stored list stands for. It fails closed: a line that cannot be read (a value stored by
 * other means than the page) matches no one but still makes the list a restriction.
 */
export function compileAllowedIps(text: string): AllowedIpsFilter {
  const entries = readAllowedIpLines(text).filter((l) => l.entry !== '');
  const ranges: IpRange[] = [];
  for (const { entry } of entries) {
    const parsed = parseIpRange(entry);
    if (parsed.ok) {
      ranges.push(parsed.range);
    }
  }
  return { restricts: entries.length > 0, matcher: addressMatcher(ranges), unreadable: entries.length - ranges.length };
}

export interface ValidateOptions {
  /** The operator's flag for private, loopback and other non-public ranges. */
  readonly allowPrivate: boolean;
  /** The saving administrator's current address: the list must let it in. */
  readonly saverAddress: string;
}

export interface ValidatedAllowedIps {
  /** The text to store (normalized line ends). */
  readonly text: string;
  readonly entries: readonly AllowedIpEntry[];
  /** Empty when the list may be saved. */
  readonly problems: readonly AllowedIpsProblem[];
}

/** Entries longer than this are cut in messages (the line number says where the rest is). */
const SHOWN_LENGTH = 60;
const shown = (entry: string) => (entry.length > SHOWN_LENGTH ? `${entry.slice(0, SHOWN_LENGTH)}…` : entry);

/** The problem of one line on its own, or its parsed entry. */
function checkLine(line: AllowedIpLine, allowPrivate: boolean): AllowedIpsProblem | AllowedIpEntry {
  const entry = shown(line.entry);
  const parsed = parseIpRange(line.entry);
  if (!parsed.ok) {
    return { code: parsed.problem, line: line.line, entry };
  }
  const { range } = parsed;
  if (range.prefix === 0) {
    return { code: 'zero_prefix', line: line.line, entry };
  }
  if (parsed.hostBits) {
    return { code: 'host_bits', line: line.line, entry, range: formatIpRange(range) };
  }
  if (isMappedIpv4(range)) {
    return { code: 'ipv4_mapped', line: line.line, entry };
  }
  const special = allowPrivate ? undefined : SPECIAL.find((s) => rangesOverlap(s.range, range));
  if (special) {
    return { code: 'special_range', kind: special.kind, line: line.line, entry, range: formatIpRange(special.range) };
  }
  return { ...line, range };
}

/** Each entry that repeats or lies inside an earlier or later one, named on its own line. */
function overlapProblems(entries: readonly AllowedIpEntry[]): AllowedIpsProblem[] {
  const problems = new Map<number, AllowedIpsProblem>();
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [a, b] = [entries[i]!, entries[j]!];
      if (a.range.family !== b.range.family) {
        continue;
      }
      if (a.range.prefix === b.range.prefix && a.range.network === b.range.network) {
        if (!problems.has(b.line)) {
          problems.set(b.line, { code: 'duplicate', line: b.line, entry: shown(b.entry), other: a.line });
        }
      } else if (rangeContains(a.range, b.range)) {
        if (!problems.has(b.line)) {
          problems.set(b.line, { code: 'inside', line: b.line, entry: shown(b.entry), other: a.line, outer: shown(a.entry) });
        }
      } else if (rangeContains(b.range, a.range) && !problems.has(a.line)) {
        problems.set(a.line, { code: 'inside', line: a.line, entry: shown(a.entry), other: b.line, outer: shown(b.entry) });
      }
    }
  }
  return [...problems.values()];
}

/**
 * Checks a new list the way the page saves it: every line on its own (syntax, netmask, leading zeros,
 * `/0`, host bits, non-public ranges), then the lines together (duplicates, an entry inside another,
 * at most 100 entries), then the saver's own address. All problems are returned, in line order.
 */
export function validateAllowedIps(input: string, options: ValidateOptions): ValidatedAllowedIps {
  const text = normalizeAllowedIps(input);
  if (text.length > MAX_ALLOWED_IPS_LENGTH) {
    return { text, entries: [], problems: [{ code: 'too_long', max: MAX_ALLOWED_IPS_LENGTH }] };
  }
  const lines = readAllowedIpLines(text).filter((l) => l.entry !== '');
  const problems: AllowedIpsProblem[] = [];
  const entries: AllowedIpEntry[] = [];
  for (const line of lines) {
    const checked = checkLine(line, options.allowPrivate);
    if ('code' in checked) {
      problems.push(checked);
    } else {
      entries.push(checked);
    }
  }
  problems.push(...overlapProblems(entries));
  problems.sort((a, b) => ('line' in a ? a.line : 0) - ('line' in b ? b.line : 0));
  if (lines.length > MAX_ALLOWED_IP_ENTRIES) {
    problems.push({ code: 'too_many', count: lines.length, max: MAX_ALLOWED_IP_ENTRIES });
  }
  if (lines.length > 0 && !addressMatcher(entries.map((e) => e.range)).matches(options.saverAddress)) {
    problems.push({ code: 'excludes_saver', address: options.saverAddress });
  }
  return { text, entries, problems };
}

/** A line of a stored list as the page shows it: the range an entry stands for, if it can be read. */
export interface ListedAllowedIp extends AllowedIpLine {
  readonly range: string | undefined;
}

export function listAllowedIps(text: string): ListedAllowedIp[] {
  return readAllowedIpLines(text).map((line) => {
    const parsed = line.entry === '' ? undefined : parseIpRange(line.entry);
    return { ...line, range: parsed?.ok ? formatIpRange(parsed.range) : undefined };
  });
}
