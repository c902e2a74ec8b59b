import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileAllowedIps, MAX_ALLOWED_IP_ENTRIES, nonPublicRangeOf, normalizeAllowedIps, readAllowedIpLines, validateAllowedIps, type AllowedIpsProblem } from './allowed-ips.ts';

const SAVER = '203.0.113.9';
const check = (text: string, options: { allowPrivate?: boolean; saverAddress?: string } = {}) =>
  validateAllowedIps(text, { allowPrivate: options.allowPrivate ?? false, saverAddress: options.saverAddress ?? SAVER });
/** The problems, with the saver's own line added so only the line under test can be refused. */
const problemsOf = (entry: string, options: { allowPrivate?: boolean } = {}): readonly AllowedIpsProblem[] =>
  check(`${SAVER}\n${entry}`, options).problems;

describe('validating a new list (security.md §7, every "Try:" input)', () => {
  test('each malformed entry is refused and named with its line', () => {
    const cases: [string, AllowedIpsProblem][] = [
      ['1.2.3', { code: 'not_an_address', line: 2, entry: '1.2.3' }],
      ['256.1.1.1', { code: 'not_an_address', line: 2, entry: '256.1.1.1' }],
      ['1.2.3.4/33', { code: 'invalid_prefix', line: 2, entry: '1.2.3.4/33' }],
      ['fe80::1%eth0', { code: 'not_an_address', line: 2, entry: 'fe80::1%eth0' }],
      ['0.0.0.0/0', { code: 'zero_prefix', line: 2, entry: '0.0.0.0/0' }],
      ['::/0', { code: 'zero_prefix', line: 2, entry: '::/0' }],
      ['1.2.3.4/255.0.255.0', { code: 'non_contiguous_netmask', line: 2, entry: '1.2.3.4/255.0.255.0' }],
      ['010.1.1.1', { code: 'leading_zeros', line: 2, entry: '010.1.1.1' }],
      ['1.2.3.4/24', { code: 'host_bits', line: 2, entry: '1.2.3.4/24', range: '1.2.3.0/24' }],
      ['::ffff:1.2.3.4', { code: 'ipv4_mapped', line: 2, entry: '::ffff:1.2.3.4' }],
      ['example.com', { code: 'not_an_address', line: 2, entry: 'example.com' }],
      ['1.2.3.4 5.6.7.8', { code: 'not_an_address', line: 2, entry: '1.2.3.4 5.6.7.8' }],
    ];
    for (const [entry, problem] of cases) {
      assert.deepEqual(problemsOf(entry), [problem], entry);
    }
  });

  test('private, loopback, link-local, unique-local, multicast and unspecified ranges are refused', () => {
    const cases: [string, string, string][] = [
      ['10.0.0.0/8', 'private', '10.0.0.0/8'],
      ['192.168.1.0/24', 'private', '192.168.0.0/16'],
      ['172.20.0.1', 'private', '172.16.0.0/12'],
      ['127.0.0.1', 'loopback', '127.0.0.0/8'],
      ['::1', 'loopback', '::1/128'],
      ['169.254.1.1', 'link_local', '169.254.0.0/16'],
      ['fe80::1', 'link_local', 'fe80::/10'],
      ['fd00::/8', 'unique_local', 'fc00::/7'],
      ['224.0.0.1', 'multicast', '224.0.0.0/4'],
      ['ff02::1', 'multicast', 'ff00::/8'],
      ['0.0.0.0', 'unspecified', '0.0.0.0/8'],
      ['::', 'unspecified', '::/128'],
      // A wide range that includes a private one is refused as well.
      ['8.0.0.0/6', 'private', '10.0.0.0/8'],
    ];
    for (const [entry, kind, range] of cases) {
      assert.deepEqual(problemsOf(entry), [{ code: 'special_range', kind, line: 2, entry, range }], entry);
    }
  });

  test('the operator flag lets private ranges in (on-premise, tests), but never /0', () => {
    assert.deepEqual(check('10.0.0.0/8\n127.0.0.1\nfd00::/8', { allowPrivate: true, saverAddress: '127.0.0.1' }).problems, []);
    assert.deepEqual(problemsOf('0.0.0.0/0', { allowPrivate: true }).map((p) => p.code), ['zero_prefix']);
  });

  test('an entry inside another, or repeated, is refused on its own line', () => {
    assert.deepEqual(check('1.2.3.0/24\n1.2.3.4').problems, [
      { code: 'inside', line: 2, entry: '1.2.3.4', other: 1, outer: '1.2.3.0/24' },
      { code: 'excludes_saver', address: SAVER },
    ]);
    assert.deepEqual(check(`${SAVER}\n1.2.3.4\n1.2.0.0/16`).problems, [{ code: 'inside', line: 2, entry: '1.2.3.4', other: 3, outer: '1.2.0.0/16' }]);
    assert.deepEqual(check(`${SAVER}\n1.2.3.4\n1.2.3.4/32 # again`).problems, [{ code: 'duplicate', line: 3, entry: '1.2.3.4/32', other: 2 }]);
    assert.deepEqual(check(`${SAVER}\n2001:db8::/32\n2001:DB8:0::1`).problems, [{ code: 'inside', line: 3, entry: '2001:DB8:0::1', other: 2, outer: '2001:db8::/32' }]);
    assert.deepEqual(check(`${SAVER}\n1.2.3.0/255.255.255.0\n1.2.3.0/24`).problems, [{ code: 'duplicate', line: 3, entry: '1.2.3.0/24', other: 2 }]);
  });

  test('at most 100 entries; comments and blank lines do not count', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => `198.51.${Math.floor(i / 200)}.${i % 200}`);
    const hundred = [SAVER, ...entries(MAX_ALLOWED_IP_ENTRIES - 1), '# office', ''].join('\n');
    assert.deepEqual(check(hundred).problems, []);
    const hundredAndOne = [SAVER, ...entries(MAX_ALLOWED_IP_ENTRIES)].join('\n');
    assert.deepEqual(check(hundredAndOne).problems, [{ code: 'too_many', count: 101, max: 100 }]);
  });

  test('a CRLF-separated list is read like any other, comments kept for display', () => {
    const result = check(`${SAVER} # head office\r\n2001:db8::/48\r\n# branch offices\r\n198.51.100.0/255.255.255.0   # Osaka\r\n\r\n`);
    assert.deepEqual(result.problems, []);
    assert.equal(result.text, `${SAVER} # head office\n2001:db8::/48\n# branch offices\n198.51.100.0/255.255.255.0   # Osaka`);
    assert.deepEqual(
      result.entries.map((e) => [e.line, e.entry, e.comment]),
      [
        [1, SAVER, 'head office'],
        [2, '2001:db8::/48', ''],
        [4, '198.51.100.0/255.255.255.0', 'Osaka'],
      ],
    );
  });

  test('a list of comments only, like an empty one, restricts nothing and may be saved from anywhere', () => {
    for (const text of ['# nobody yet\n# later: the office', '', '\r\n  \r\n']) {
      assert.deepEqual(check(text, { saverAddress: '198.51.100.77' }).problems, [], JSON.stringify(text));
      assert.equal(compileAllowedIps(text).restricts, false, JSON.stringify(text));
    }
  });

  test("a list that leaves out the saver's own address is refused, naming it", () => {
    assert.deepEqual(check('198.51.100.0/24', { saverAddress: '203.0.113.200' }).problems, [{ code: 'excludes_saver', address: '203.0.113.200' }]);
    assert.deepEqual(check('2001:db8::/32', { saverAddress: '2001:db8:1::7' }).problems, []);
    assert.deepEqual(check('203.0.113.0/24', { saverAddress: '::ffff:203.0.113.5' }).problems, [], 'IPv4-mapped saver');
  });

  test('several problems: every bad line named, in line order', () => {
    const codes = check(`1.2.3\n${SAVER}\n10.0.0.1\n256.1.1.1`).problems.map((p) => ('line' in p ? `${p.line}:${p.code}` : p.code));
    assert.deepEqual(codes, ['1:not_an_address', '3:special_range', '4:not_an_address']);
  });
});

describe('reading a stored list for enforcement', () => {
  test('matches entries of both families, IPv4-mapped clients included', () => {
    const filter = compileAllowedIps('198.51.100.0/24 # office\n2001:db8::/32\n203.0.113.9');
    assert.equal(filter.restricts, true);
    assert.equal(filter.matcher.matches('198.51.100.77'), true);
    assert.equal(filter.matcher.matches('::ffff:198.51.100.77'), true);
    assert.equal(filter.matcher.matches('2001:db8:5::1'), true);
    assert.equal(filter.matcher.matches('203.0.113.9'), true);
    assert.equal(filter.matcher.matches('203.0.113.10'), false);
    assert.equal(filter.matcher.matches('garbage'), false);
  });

  test('an unreadable line fails closed: it matches no one and the list still restricts', () => {
    const filter = compileAllowedIps('not-an-address');
    assert.equal(filter.restricts, true);
    assert.equal(filter.unreadable, 1);
    assert.equal(filter.matcher.matches('203.0.113.9'), false);
  });

  test('lines, comments and line ends', () => {
    assert.deepEqual(readAllowedIpLines('a # b # c\r\n\r\n  # only\rd'), [
      { line: 1, entry: 'a', comment: 'b # c' },
      { line: 3, entry: '', comment: 'only' },
      { line: 4, entry: 'd', comment: '' },
    ]);
    assert.equal(normalizeAllowedIps('a  \r\nb\r\n\r\n'), 'a\nb');
  });
});

describe('non-public addresses (the IP filter\'s lists and server-side fetches)', () => {
  test('private, loopback, link-local and reserved ranges, and prefixes that carry an IPv4 address inside', () => {
    for (const [address, kind] of [
      ['10.1.2.3', 'private'],
      ['127.0.0.1', 'loopback'],
      ['::ffff:192.168.1.1', 'private'],
      ['169.254.169.254', 'link_local'],
      ['fd00::1', 'unique_local'],
      ['192.0.0.8', 'reserved'],
      ['198.18.0.1', 'reserved'],
      // NAT64 of 127.0.0.1, Teredo, 6to4 of 10.0.0.1: a gateway would reach the IPv4 address inside.
      ['64:ff9b::7f00:1', 'reserved'],
      ['2001:0:4136:e378::1', 'reserved'],
      ['2002:a00:1::1', 'reserved'],
    ] as const) {
      assert.equal(nonPublicRangeOf(address), kind, address);
    }
  });

  test('public addresses and the documentation ranges the tests pose as clients from are public', () => {
    for (const address of ['8.8.8.8', '203.0.113.10', '198.51.100.7', '2001:db8::1', '2606:4700::1111']) {
      assert.equal(nonPublicRangeOf(address), undefined, address);
    }
  });
});
