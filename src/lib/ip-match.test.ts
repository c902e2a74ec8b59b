import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddressList } from './ip-match.ts';

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
