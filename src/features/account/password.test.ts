import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DEFAULT_HASH_COST, hashPassword, needsRehash, setHashCost, verifyPassword } from './password.ts';

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

/** What Redmine stores: SHA-1 hex of (salt + SHA-1 hex of the password). */
function redmineHash(password: string, salt: string): string {
  return sha1(salt + sha1(password));
}

test('an imported Redmine hash is verified with its salt, and only the right password passes', async () => {
  const salt = randomBytes(16).toString('hex');
  const stored = { hashedPassword: redmineHash('pässwörd 🎉', salt), salt };
  assert.equal(await verifyPassword(stored, 'pässwörd 🎉'), true);
  assert.equal(await verifyPassword(stored, 'pässwörd'), false);
  assert.equal(await verifyPassword(stored, ' pässwörd 🎉'), false);
  assert.equal(await verifyPassword({ ...stored, salt: randomBytes(16).toString('hex') }, 'pässwörd 🎉'), false, 'another salt');
  assert.equal(needsRehash(stored), true);
});

test('an imported hash without a salt (older Redmine) is the plain SHA-1 of the password', async () => {
  for (const salt of ['', null]) {
    const stored = { hashedPassword: sha1('admin-password'), salt };
    assert.equal(await verifyPassword(stored, 'admin-password'), true, `salt ${JSON.stringify(salt)}`);
    assert.equal(await verifyPassword(stored, 'admin-passwort'), false);
  }
  // A salted hash with its salt lost does not pass as an unsalted one.
  assert.equal(await verifyPassword({ hashedPassword: redmineHash('admin-password', 'abc'), salt: '' }, 'admin-password'), false);
});

test('argon2id hashes verify and need no rehash; anything else never verifies', async () => {
  const stored = { hashedPassword: await hashPassword('correct horse'), salt: null };
  assert.match(stored.hashedPassword, /^\$argon2id\$/);
  assert.equal(await verifyPassword(stored, 'correct horse'), true);
  assert.equal(await verifyPassword(stored, 'correct horse '), false);
  assert.equal(needsRehash(stored), false);
  assert.equal(await verifyPassword({ hashedPassword: '', salt: null }, ''), false);
  assert.equal(await verifyPassword({ hashedPassword: 'plain-text', salt: null }, 'plain-text'), false);
});

test('a hash made at a lower cost than configured is re-hashed at the next sign-in', async () => {
  setHashCost({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });
  const cheap = { hashedPassword: await hashPassword('correct horse'), salt: null };
  assert.match(cheap.hashedPassword, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  assert.equal(needsRehash(cheap), false);
  setHashCost(DEFAULT_HASH_COST);
  assert.equal(needsRehash(cheap), true);
  assert.equal(await verifyPassword(cheap, 'correct horse'), true, 'still verifies meanwhile');
});
