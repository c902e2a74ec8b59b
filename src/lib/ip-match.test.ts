import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatIpAddress,
  formatIpRange,
  normalizeAddress,
  parseAddressList,
  parseIpAddress,
  parseIpRange,
  rangeContains,
  rangesOverlap,
  resolveClientAddress,
} from './ip-match.ts';

test('matches addresses and CIDR ranges of both families', () => {
  const list = parseAddressList('10.0.0.0/8, 192.168.1.7\n2001:db8::/32 ::1');
  assert.equal(list.matches('10.1.2.3'), true);
  assert.equal(list.matches('::ffff:10.1.2.3'), true, 'IPv4 seen through a dual-stack socket');
  assert.equal(list.matches('192.168.1.7'), true);
  assert.equal(list.matches('192.168.1.8'), false);
  assert.equal(list.matches('2001:db8:1::5'), true);
  assert.equal(list.matches('::1'), true);
  assert.equal(list.matches('2001:db9::1'), false);
  assert.equal(list.matches('not an address'), false);
});

test('an empty list matches nothing', () => {
  assert.equal(parseAddressList('').matches('127.0.0.1'), false);
});

test('refuses what is not an address or range', () => {
  assert.throws(() => parseAddressList('10.0.0.0/33'), /invalid prefix/);
  assert.throws(() => parseAddressList('example.com'), /not an IP address/);
  assert.throws(() => parseAddressList('10.0.0.1/8/2'), /not an IP address/);
});

test('addresses are parsed strictly and written canonically', () => {
  for (const [text, canonical] of [
    ['1.2.3.4', '1.2.3.4'],
    ['0.0.0.0', '0.0.0.0'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::ffff:102:304', '1.2.3.4'],
    ['0:0:0:0:0:ffff:1.2.3.4', '1.2.3.4'],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
  ]) {
    assert.equal(normalizeAddress(text!), canonical, text);
  }
  for (const text of ['1.2.3', '256.1.1.1', '010.1.1.1', '1.2.3.4.5', ' 1.2.3.4', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', '1::2::3', ':::1', '12345::', 'g::1', '1.2.3.4:80', '[::1]', '', '::ffff:01.2.3.4', '1:2:3:4:5:6:7::8']) {
    assert.equal(parseIpAddress(text), undefined, text);
  }
  assert.equal(formatIpAddress({ family: 6, value: 0n }), '::');
});

test('ranges: prefix, dotted netmask, and each way of being wrong', () => {
  const range = (text: string) => {
    const parsed = parseIpRange(text);
    return parsed.ok ? `${formatIpRange(parsed.range)}${parsed.hostBits ? ' host-bits' : ''}` : parsed.problem;
  };
  assert.equal(range('1.2.3.0/24'), '1.2.3.0/24');
  assert.equal(range('1.2.3.4/24'), '1.2.3.0/24 host-bits');
  assert.equal(range('1.2.3.4'), '1.2.3.4/32');
  assert.equal(range('1.2.3.0/255.255.255.0'), '1.2.3.0/24');
  assert.equal(range('1.2.3.4/255.0.255.0'), 'non_contiguous_netmask');
  assert.equal(range('1.2.3.4/33'), 'invalid_prefix');
  assert.equal(range('1.2.3.4/024'), 'invalid_prefix');
  assert.equal(range('1.2.3.4/'), 'invalid_prefix');
  assert.equal(range('1.2.3.4/255.255.255.00'), 'leading_zeros');
  assert.equal(range('2001:db8::/32'), '2001:db8::/32');
  assert.equal(range('2001:db8::/129'), 'invalid_prefix');
  assert.equal(range('2001:db8::/ffff::'), 'invalid_prefix');
  assert.equal(range('0.0.0.0/0'), '0.0.0.0/0');
  assert.equal(range('010.1.1.1'), 'leading_zeros');
  assert.equal(range('1.2.3'), 'not_an_address');
  assert.equal(range('1.2.3.4/8/2'), 'not_an_address');
});

test('containment between ranges', () => {
  const r = (text: string) => {
    const parsed = parseIpRange(text);
    assert.ok(parsed.ok, text);
    return parsed.range;
  };
  assert.equal(rangeContains(r('1.2.3.0/24'), r('1.2.3.4')), true);
  assert.equal(rangeContains(r('1.2.3.4'), r('1.2.3.0/24')), false);
  assert.equal(rangeContains(r('1.2.3.4'), r('1.2.3.4/32')), true);
  assert.equal(rangeContains(r('1.2.3.0/24'), r('1.2.4.0/24')), false);
  assert.equal(rangeContains(r('::/0'), r('1.2.3.4')), false, 'families never nest');
  assert.equal(rangesOverlap(r('10.0.0.0/8'), r('8.0.0.0/6')), true);
});

describe('the client address across trusted proxies', () => {
  const proxies = parseAddressList('10.0.0.0/8, 2001:db8:ffff::/48');
  const client = (peer: string, forwardedFor?: string | string[]) => resolveClientAddress(peer, forwardedFor, proxies);

  test('from an untrusted peer, X-Forwarded-For is ignored', () => {
    assert.equal(client('203.0.113.9', '198.51.100.1'), '203.0.113.9');
    assert.equal(client('203.0.113.9'), '203.0.113.9');
  });

  test('through trusted proxies, the right-most address that is not a proxy', () => {
    assert.equal(client('10.0.0.1', '198.51.100.1'), '198.51.100.1');
    assert.equal(client('10.0.0.1', '198.51.100.1, 10.0.0.2'), '198.51.100.1', 'two proxies');
    assert.equal(client('10.0.0.1', '1.1.1.1, 198.51.100.1, 10.0.0.2'), '198.51.100.1', 'a forged left-most hop is not read');
    assert.equal(client('10.0.0.1', ['garbage, 198.51.100.1', '10.0.0.2']), '198.51.100.1', 'repeated headers are one list');
    assert.equal(client('10.0.0.1', '10.0.0.3, 10.0.0.2'), '10.0.0.3', 'all proxies: the left-most');
  });

  test('IPv4-mapped IPv6 is IPv4, for the peer and in the header', () => {
    assert.equal(client('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(client('::ffff:10.0.0.1', '::FFFF:198.51.100.1'), '198.51.100.1');
    assert.equal(client('2001:db8:ffff::1', '2001:DB8::7'), '2001:db8::7');
  });

  test('a malformed hop makes the socket peer the client', () => {
    assert.equal(client('10.0.0.1', 'garbage'), '10.0.0.1');
    assert.equal(client('10.0.0.1', ''), '10.0.0.1');
    assert.equal(client('10.0.0.1', '198.51.100.1:4711'), '10.0.0.1');
    assert.equal(client('10.0.0.1', '198.51.100.1,,10.0.0.2'), '10.0.0.1');
    assert.equal(client('10.0.0.1', 'fe80::1%eth0'), '10.0.0.1');
  });
});
