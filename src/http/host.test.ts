import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetOfHost } from './host.ts';

test('the first label under the base domain is the account', () => {
  assert.deepEqual(targetOfHost('acme.localhost:3000', 'localhost'), { kind: 'account', account: 'acme' });
  assert.deepEqual(targetOfHost('ACME.Kanri.Example.com', 'kanri.example.com'), { kind: 'account', account: 'acme' });
  assert.deepEqual(targetOfHost('acme.kanri.example.com.', 'kanri.example.com'), { kind: 'account', account: 'acme' });
});

test('hosts that name no account', () => {
  for (const host of [undefined, '', 'localhost', 'localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'a.b.localhost', 'evil.com', 'acmelocalhost']) {
    assert.deepEqual(targetOfHost(host, 'localhost'), { kind: 'none' }, String(host));
  }
});
