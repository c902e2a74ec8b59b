import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decryptText, DecryptionError, encryptText } from './encryption.ts';

const key = randomBytes(32);

test('a value decrypts to what was encrypted, with the same key and context', () => {
  const stored = encryptText(key, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'users.twofa_totp_key:7');
  assert.match(stored, /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
  assert.ok(!stored.includes('JBSWY3DP'), 'the plaintext is not in the stored form');
  assert.equal(decryptText(key, stored, 'users.twofa_totp_key:7'), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  assert.equal(decryptText(key, encryptText(key, 'ünïcödé ✓')), 'ünïcödé ✓');
});

test('it is standard AES-256-GCM: the parts decrypt with node:crypto directly', () => {
  const [, iv, tag, data] = encryptText(key, 'secret', 'ctx').split(':') as [string, string, string, string];
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from('ctx'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  assert.equal(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(), 'secret');
});

test('each encryption uses a fresh IV', () => {
  assert.notEqual(encryptText(key, 'same'), encryptText(key, 'same'));
});

test('another key, another context, a changed byte or an unknown format are refused', () => {
  const stored = encryptText(key, 'secret', 'users.twofa_totp_key:7');
  assert.throws(() => decryptText(randomBytes(32), stored, 'users.twofa_totp_key:7'), DecryptionError);
  assert.throws(() => decryptText(key, stored, 'users.twofa_totp_key:8'), DecryptionError, 'moved to another row');
  const [version, iv, tag, data] = stored.split(':') as [string, string, string, string];
  const flipped = Buffer.from(data, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  assert.throws(() => decryptText(key, [version, iv, tag, flipped.toString('base64url')].join(':'), 'users.twofa_totp_key:7'), DecryptionError);
  assert.throws(() => decryptText(key, [version, iv, tag.slice(0, 10), data].join(':'), 'users.twofa_totp_key:7'), DecryptionError);
  assert.throws(() => decryptText(key, ['v2', iv, tag, data].join(':'), 'users.twofa_totp_key:7'), DecryptionError);
  assert.throws(() => decryptText(key, 'aes-256-cbc:abc--def'), DecryptionError);
  assert.throws(() => decryptText(key, ''), DecryptionError);
});

test('a key of the wrong length is a programming error', () => {
  assert.throws(() => encryptText(randomBytes(16), 'x'), /32 bytes/);
});
