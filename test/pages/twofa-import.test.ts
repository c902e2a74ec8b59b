/**
 * Two-factor authentication copied from Redmine (security.md §5): secrets encrypted by Redmine's
 * formula (made here with node:crypto: AES-256-CBC under the first 32 hex characters of SHA-256 of
 * `database_cipher_key`, `aes-256-cbc:<data>--<iv>`), or in clear, and clear backup codes, converted by
 * the operator's import; afterwards the users sign in with codes computed from the original secrets.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { twofaKeysOf } from '#src/features/twofa/twofa.context.ts';
import { importRedmineTwofaSecrets } from '#src/features/twofa/twofa.import.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { kanri } from '../support/cli.ts';
import { pageEngineCases } from '../support/engines.ts';
import { totp } from '../support/totp.ts';

const CIPHER_KEY = 'redmine-database-cipher-key-of-the-source';

/** What Redmine's Ciphering.encrypt_text stores. */
function redmineEncrypt(text: string, cipherKey: string): string {
  const key = Buffer.from(createHash('sha256').update(cipherKey).digest('hex').slice(0, 32), 'utf8');
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `aes-256-cbc:${data.toString('base64')}--${iv.toString('base64')}`;
}

const RUBY_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CLARA_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const OTHER_SECRET = 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK';

describe('kanri tenant import-redmine-secrets: the command line', () => {
  test('needs one account; the cipher key comes from a non-empty file', async () => {
    assert.equal((await kanri({}, ['tenant', 'import-redmine-secrets'])).code, 2);
    const dir = await mkdtemp(join(tmpdir(), 'kanri-cipher-'));
    try {
      await writeFile(join(dir, 'empty'), '\n');
      const empty = await kanri({}, ['tenant', 'import-redmine-secrets', 'acme', '--cipher-key-file', join(dir, 'empty')]);
      assert.equal(empty.code, 2);
      assert.match(empty.err, /--cipher-key-file is empty/);
      const missing = await kanri({}, ['tenant', 'import-redmine-secrets', 'acme', '--cipher-key-file', join(dir, 'none')]);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /cannot read --cipher-key-file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

for (const { engine, skip } of await pageEngineCases()) {
  describe(`two-factor secrets and backup codes imported from Redmine (${engine})`, { skip }, () => {
    let now = Date.UTC(2026, 10, 26, 9, 0, 10);
    const acme = acmeWorld(engine, { clock: () => new Date(now) });
    const { sql, id } = acme;
    const stored = async (login: string) => String((await sql('SELECT twofa_totp_key FROM users WHERE id = $1', [id(login)]))[0]?.twofa_totp_key);
    const importNow = (cipherKey: string | undefined) =>
      acme.withDb((db) => importRedmineTwofaSecrets(db, twofaKeysOf(acme.server.platform.secret, 'acme'), cipherKey));

    /** Password, then `code` at the 2FA step; the user signed in, or undefined. */
    const signInWith = async (login: string, code: string) => {
      const browser = new Browser(acme.server.app, 'acme.localhost');
      const token = await browser.formToken('/login');
      const first = await browser.request('POST', '/login', { authenticity_token: token, username: login, password: `${login}-password`, back_url: '/' });
      assert.equal(first.headers.location, '/account/twofa/confirm', `${login} has 2FA`);
      await browser.request('POST', '/account/twofa', { authenticity_token: token, twofa_code: code });
      return browser.whoAmI();
    };

    before(async () => {
      await acme.users(['ruby', 'clara', 'otto']);
      await acme.setting('twofa', '1');
      // As copied from Redmine: ruby's secret under the source's cipher key, clara's in clear (a source
      // without one), otto's under some other key; clara's backup code in clear.
      const rows: Array<[string, string]> = [
        ['ruby', redmineEncrypt(RUBY_SECRET, CIPHER_KEY)],
        ['clara', CLARA_SECRET],
        ['otto', redmineEncrypt(OTHER_SECRET, 'another-key')],
      ];
      for (const [login, value] of rows) {
        await sql("UPDATE users SET twofa_scheme = 'totp', twofa_totp_key = $2 WHERE id = $1", [id(login), value]);
      }
      await sql("INSERT INTO tokens (user_id, action, value, created_on, updated_on) VALUES ($1, 'twofa_backup_code', '0123456789ab', now(), now())", [id('clara')]);
    });

    test('before the import the secrets give no sign-in', async () => {
      assert.equal(await signInWith('ruby', totp(RUBY_SECRET, now)), undefined);
    });

    test('the import re-encrypts the secrets and hashes the backup codes; the users sign in with their codes', async () => {
      const rubyBefore = await stored('ruby');
      const outcome = await importNow(CIPHER_KEY);
      assert.deepEqual(outcome, { secrets: 2, backupCodes: 1, unchanged: 0, failures: [{ login: 'otto', reason: 'does not decrypt with this cipher key' }] });
      for (const [login, secret] of [
        ['ruby', RUBY_SECRET],
        ['clara', CLARA_SECRET],
      ] as const) {
        const value = await stored(login);
        assert.match(value, /^v1:/, `${login}'s secret is Kanri's AES-256-GCM`);
        assert.ok(!value.includes(secret));
      }
      assert.notEqual(await stored('ruby'), rubyBefore);
      assert.match(await stored('otto'), /^aes-256-cbc:/, 'left as it was');
      const [code] = await sql("SELECT value FROM tokens WHERE user_id = $1 AND action = 'twofa_backup_code'", [id('clara')]);
      assert.match(String(code?.value), /^b1\$/, 'the backup code is kept hashed');

      now += 30_000;
      assert.equal(await signInWith('ruby', totp(RUBY_SECRET, now)), 'ruby');
      assert.equal(await signInWith('clara', totp(CLARA_SECRET, now)), 'clara');
      assert.equal(await signInWith('otto', totp(OTHER_SECRET, now)), undefined);
      assert.equal(await signInWith('clara', '0123 4567 89AB'), 'clara', 'the imported backup code works, once');
      assert.equal(await signInWith('clara', '0123456789ab'), undefined);
    });

    test('a second run changes nothing; a secret Redmine encrypted needs the cipher key', async () => {
      const before = await stored('ruby');
      const again = await importNow(CIPHER_KEY);
      assert.equal(again.secrets, 0);
      assert.equal(again.backupCodes, 0);
      assert.equal(again.unchanged, 2);
      assert.equal(await stored('ruby'), before);
      const withoutKey = await importNow(undefined);
      assert.deepEqual(withoutKey.failures, [{ login: 'otto', reason: 'encrypted by Redmine: the cipher key is needed (--cipher-key-file)' }]);
      const right = await importNow('another-key');
      assert.equal(right.secrets, 1, "otto's secret with its own key");
      now += 30_000;
      assert.equal(await signInWith('otto', totp(OTHER_SECRET, now)), 'otto');
    });
  });
}
