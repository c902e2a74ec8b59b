import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { backupCodeMatches, formatBackupCode, hashBackupCode, newBackupCodes, normalizeBackupCode } from './backup-codes.ts';

const key = randomBytes(32);

test('ten distinct codes of 12 lower-case hex characters', () => {
  const codes = newBackupCodes();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) {
    assert.match(code, /^[0-9a-f]{12}$/);
  }
});

test('shown in groups of four, typed in any case and spacing', () => {
  assert.equal(formatBackupCode('0123456789ab'), '0123 4567 89ab');
  assert.equal(normalizeBackupCode('0123 4567 89AB'), '0123456789ab');
  assert.equal(normalizeBackupCode(' 01234567 89ab\n'), '0123456789ab');
  assert.equal(normalizeBackupCode('0123456789a'), undefined);
  assert.equal(normalizeBackupCode('0123456789abc'), undefined);
  assert.equal(normalizeBackupCode('0123456789ag'), undefined);
});

test('the stored value is a salted hash that fits tokens.value and names only its own code', () => {
  const stored = hashBackupCode(key, '0123456789ab');
  assert.ok(stored.length <= 64, stored);
  assert.ok(!stored.includes('0123456789ab'));
  assert.notEqual(hashBackupCode(key, '0123456789ab'), stored, 'salted');
  assert.equal(backupCodeMatches(key, '0123456789ab', stored), true);
  assert.equal(backupCodeMatches(key, '0123456789ac', stored), false);
  assert.equal(backupCodeMatches(randomBytes(32), '0123456789ab', stored), false, "another tenant's key");
  assert.equal(backupCodeMatches(key, '0123456789ab', '0123456789ab'), false, 'a clear code in the column is no match');
});
