/**
 * The password policy where passwords are set (security.md §3): /my/password, the administrator's user
 * form (set or generate), expiry and forced change for pages and the API, imported Redmine hashes, and
 * the policy's setting on the Authentication tab.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth, Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedIn } from './signed-in.ts';

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

/** Text of an HTML fragment as the page escaped it. */
const unescapeHtml = (html: string) =>
  html.replace(/&(lt|gt|quot|#39|#x27|amp);/g, (_, entity: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", amp: '&' })[entity] ?? '');

for (const { engine, skip } of await pageEngineCases()) {
  describe(`password policy (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql, id, setting } = acme;
    const app = () => acme.server.app;
    const get = (url: string, headers: Record<string, string>) => app().inject({ method: 'GET', url, headers: { host: 'acme.localhost', ...headers } });
    const stored = async (login: string) => (await sql('SELECT hashed_password, salt, passwd_changed_on, must_change_passwd, temp_passwd_expires_on FROM users WHERE login = $1', [login]))[0] ?? {};
    const audits = async (event: string, userId: number) => sql('SELECT actor_id, target_name, details FROM audit_events WHERE event = $1 AND target_id = $2 ORDER BY id', [event, userId]);
    const signInAnswer = async (login: string, password: string) => (await new Browser(app(), 'acme.localhost').signIn(login, password)).statusCode;

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], 'expired', 'imported', 'temp', 'victim']);
      await acme.referenceIds();
    });

    test('/my/password refuses what the policy refuses (422) and changes nothing; a good password is taken as typed', async () => {
      await setting('password_min_length', '10');
      await setting('password_required_char_classes', '["uppercase","digits"]');
      const jsmith = await signedIn(app(), 'jsmith');
      const page = await jsmith.request('GET', '/my/password');
      assert.match(page.body, /Must contain uppercase letters, digits\./);
      assert.match(page.body, /<input type="password" id="new_password" name="new_password" autocomplete="new-password"/);
      assert.match(page.body, /autocomplete="current-password"/);
      assert.match(page.body, /data-show-passwords/);
      assert.match(page.body, /<script src="\/javascripts\/password-fields-[0-9a-f]{12}\.js"/);
      const before = await stored('jsmith');
      const change = (next: string, confirmation = next) =>
        jsmith.post('/my/password', { password: 'jsmith-password', new_password: next, new_password_confirmation: confirmation });
      const refusals: [string, string, RegExp][] = [
        ['Short1A', 'Short1A', /Password is too short \(minimum is 10 characters\)/],
        ['A1' + 'a'.repeat(1023), 'A1' + 'a'.repeat(1023), /Password is too long \(maximum is 1024 characters\)/],
        ['lowercase-only-1', 'lowercase-only-1', /Password must contain uppercase letters \(A-Z\)/],
        ['No-Digits-Here', 'No-Digits-Here', /Password must contain digits \(0-9\)/],
        ['ＰＡＳＳＷＯＲＤ１２３', 'ＰＡＳＳＷＯＲＤ１２３', /Password must contain uppercase letters \(A-Z\)[\s\S]*Password must contain digits \(0-9\)/],
        ['Valid-Pass-123', 'Valid-Pass-124', /Password doesn(&#39;|&#x27;|')t match confirmation/],
        [' Valid-Pass-123 ', 'Valid-Pass-123', /Password doesn(&#39;|&#x27;|')t match confirmation/],
      ];
      for (const [next, confirmation, message] of refusals) {
        const answer = await change(next, confirmation);
        assert.equal(answer.statusCode, 422, next);
        assert.match(answer.body, message, next);
      }
      await setting('password_required_char_classes', '[]');
      const simple = await change('JSMITH@ACME.TEST');
      assert.equal(simple.statusCode, 422);
      assert.match(simple.body, /Password is too simple/, 'the address in another case');
      assert.deepEqual(await stored('jsmith'), before, 'nothing changed');
      assert.equal((await audits('password.change', id('jsmith'))).length, 0);

      await setting('password_required_char_classes', '["uppercase","digits"]');
      const typed = '  Emoji 🎉 Pass 7  ';
      const done = await change(typed);
      assert.equal(done.statusCode, 302, done.body);
      const after = await stored('jsmith');
      assert.match(String(after.hashed_password), /^\$argon2id\$/);
      assert.notDeepEqual(after.passwd_changed_on, before.passwd_changed_on);
      const [audit] = await audits('password.change', id('jsmith'));
      assert.equal(Number(audit?.actor_id), id('jsmith'));
      assert.doesNotMatch(JSON.stringify(audit), /Emoji/, 'no password in the trail');
      assert.equal(await signInAnswer('jsmith', typed.trim()), 200, 'the trimmed variant is another password');
      assert.equal(await signInAnswer('jsmith', typed), 302);
      await setting('password_min_length', '8');
      await setting('password_required_char_classes', '[]');
    });

    test('an expired password leads every page to /my/password; HTTP Basic is refused, the API key is not', async () => {
      await setting('password_max_age', '30');
      await sql("UPDATE users SET passwd_changed_on = (now() AT TIME ZONE 'UTC') - interval '31 days' WHERE login = 'expired'");
      const user = await signedIn(app(), 'expired');
      for (const url of ['/', '/projects', '/my/account']) {
        const answer = await user.request('GET', url);
        assert.equal(answer.statusCode, 302, url);
        assert.equal(answer.headers.location, '/my/password', url);
      }
      const form = await user.request('GET', '/my/password');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Your password has expired or the administrator requires you to change it\./);

      const shown = await acme.call('GET', `/users/${id('expired')}.json`, 'admin');
      const key = shown.json<{ user: { api_key: string } }>().user.api_key;
      assert.equal((await get('/users/current.json', { authorization: basicAuth('expired') })).statusCode, 403);
      assert.equal((await get('/users/current.json', { 'x-redmine-api-key': key })).statusCode, 200, 'API keys are not blocked');

      const changed = await user.post('/my/password', { password: 'expired-password', new_password: 'fresh-password-1', new_password_confirmation: 'fresh-password-1' });
      assert.equal(changed.statusCode, 302, changed.body);
      assert.equal((await user.request('GET', '/')).statusCode, 200);
      assert.equal((await get('/users/current.json', { authorization: basicAuth('expired', 'fresh-password-1') })).statusCode, 200);

      await sql("UPDATE users SET passwd_changed_on = (now() AT TIME ZONE 'UTC') - interval '31 days' WHERE login = 'expired'");
      await setting('password_max_age', '0');
      assert.equal((await user.request('GET', '/')).statusCode, 200, 'no maximum age, no expiry');
    });

    test('an imported Redmine SHA-1 password: wrong one refused, right one signs in and is replaced by argon2id, expiry clock kept', async () => {
      const salt = randomBytes(16).toString('hex');
      const changedOn = '2026-01-02 03:04:05';
      await sql('UPDATE users SET hashed_password = $1, salt = $2, passwd_changed_on = $3 WHERE login = $4', [sha1(salt + sha1('redmine-secret')), salt, changedOn, 'imported']);
      const imported = await stored('imported');
      assert.equal(await signInAnswer('imported', 'redmine-secreT'), 200);
      assert.deepEqual(await stored('imported'), imported, 'a wrong password changes nothing');

      assert.equal(await signInAnswer('imported', 'redmine-secret'), 302);
      const rehashed = await stored('imported');
      assert.match(String(rehashed.hashed_password), /^\$argon2id\$/);
      assert.notEqual(rehashed.hashed_password, imported.hashed_password, 'the SHA-1 hash is gone');
      assert.equal(rehashed.salt, null);
      assert.deepEqual(rehashed.passwd_changed_on, imported.passwd_changed_on, 'a rehash is no password change');
      assert.equal(await signInAnswer('imported', 'redmine-secret'), 302, 'the argon2id hash verifies the same password');

      // Accounts older than Redmine's salts: an empty salt and the plain SHA-1.
      await sql("UPDATE users SET hashed_password = $1, salt = '' WHERE login = 'imported'", [sha1('unsalted-secret')]);
      assert.equal(await signInAnswer('imported', 'unsalted-secret'), 302);
      assert.match(String((await stored('imported')).hashed_password), /^\$argon2id\$/);
    });

    test('an administrator generates a password: shown once, must be changed at sign-in, unused it expires after 72 hours', async () => {
      await setting('password_required_char_classes', '["special_chars"]');
      const admin = await signedIn(app(), 'admin', 'admin-password');
      const edit = await admin.request('GET', `/users/${id('temp')}/edit`);
      assert.match(edit.body, /name="user\[generate_password\]"/);
      assert.match(edit.body, /<input type="password" id="user_password" name="user\[password\]" autocomplete="new-password"/);
      assert.match(edit.body, /Must contain special characters\./);

      const answer = await admin.post(`/users/${id('temp')}`, { 'user[generate_password]': ['0', '1'], 'user[must_change_passwd]': '0', 'user[password]': '', 'user[password_confirmation]': '' });
      assert.equal(answer.statusCode, 200, answer.body);
      assert.equal(answer.headers['cache-control'], 'no-store');
      const password = unescapeHtml(/<code class="generated-password">([^<]+)<\/code>/.exec(answer.body)?.[1] ?? '');
      assert.equal(password.length, 10);
      assert.match(password, /[A-Z]/);
      assert.match(password, /[a-z]/);
      assert.match(password, /[0-9]/);
      assert.match(password, /[^A-Za-z0-9]/, 'the required special character');
      const row = await stored('temp');
      assert.equal(row.must_change_passwd, true, 'a generated password must be changed, whatever the box said');
      const expires = new Date(`${String(row.temp_passwd_expires_on instanceof Date ? row.temp_passwd_expires_on.toISOString() : row.temp_passwd_expires_on).replace(' ', 'T').replace(/Z?$/, 'Z')}`);
      const hours = (expires.getTime() - Date.now()) / 3600_000;
      assert.ok(hours > 71.9 && hours <= 72, `expires in ${hours} hours`);
      const [audit] = await audits('password.admin_set', id('temp'));
      assert.deepEqual(audit?.details, { generated: true, must_change_passwd: true });
      assert.equal(Number(audit?.actor_id), id('admin'));
      assert.ok(!JSON.stringify(audit).includes(password), 'no password in the trail');
      assert.doesNotMatch((await admin.request('GET', `/users/${id('temp')}/edit`)).body, new RegExp(password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'shown once');

      const temp = new Browser(app(), 'acme.localhost');
      assert.equal((await temp.signIn('temp', password)).statusCode, 302);
      const home = await temp.request('GET', '/');
      assert.equal(home.headers.location, '/my/password');

      await sql("UPDATE users SET temp_passwd_expires_on = (now() AT TIME ZONE 'UTC') - interval '1 minute' WHERE login = 'temp'");
      assert.equal(await signInAnswer('temp', password), 200, 'unused after 72 hours, it works no more');

      const created = await admin.post('/users', {
        'user[login]': 'newcomer',
        'user[firstname]': 'New',
        'user[lastname]': 'Comer',
        'user[mail]': 'newcomer@acme.test',
        'user[generate_password]': ['0', '1'],
      });
      assert.equal(created.statusCode, 200, created.body);
      const first = unescapeHtml(/<code class="generated-password">([^<]+)<\/code>/.exec(created.body)?.[1] ?? '');
      assert.equal((await stored('newcomer')).must_change_passwd, true);
      const newcomer = await signedIn(app(), 'newcomer', first);
      assert.equal((await newcomer.request('GET', '/projects')).headers.location, '/my/password');
      const own = await newcomer.post('/my/password', { password: first, new_password: 'my-own-pass!', new_password_confirmation: 'my-own-pass!' });
      assert.equal(own.statusCode, 302, own.body);
      const mine = await stored('newcomer');
      assert.deepEqual([mine.must_change_passwd, mine.temp_passwd_expires_on], [false, null], 'the user\u2019s own password is no temporary one');
      await setting('password_required_char_classes', '[]');
    });

    test('an administrator sets a password: the policy applies, the user\u2019s sessions end, audited', async () => {
      const admin = await signedIn(app(), 'admin', 'admin-password');
      const victim = await signedIn(app(), 'victim');
      assert.ok(await victim.whoAmI());
      const set = (password: string, confirmation = password) =>
        admin.post(`/users/${id('victim')}`, { 'user[password]': password, 'user[password_confirmation]': confirmation, 'user[generate_password]': '0', 'user[must_change_passwd]': '0' });
      const before = await stored('victim');
      const simple = await set('VICTIM@ACME.TEST');
      assert.equal(simple.statusCode, 422);
      assert.match(simple.body, /Password is too simple/);
      const mismatch = await set('Brand-New-Pass-9', 'Brand-New-Pass-8');
      assert.equal(mismatch.statusCode, 422);
      assert.match(mismatch.body, /Password doesn(&#39;|&#x27;|')t match confirmation/);
      const long = await set('x'.repeat(1025));
      assert.equal(long.statusCode, 422);
      assert.match(long.body, /Password is too long \(maximum is 1024 characters\)/);
      assert.deepEqual(await stored('victim'), before);
      assert.ok(await victim.whoAmI(), 'refused: the session stays');

      const done = await set('Brand-New-Pass-9');
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(await victim.whoAmI(), undefined, 'the user\u2019s session ended');
      assert.ok(await admin.whoAmI(), 'the administrator\u2019s did not');
      const row = await stored('victim');
      assert.deepEqual([row.must_change_passwd, row.temp_passwd_expires_on], [false, null]);
      const [audit] = await audits('password.admin_set', id('victim'));
      assert.deepEqual(audit?.details, { generated: false, must_change_passwd: false });
      assert.equal(audit?.target_name, 'victim');
      assert.equal(await signInAnswer('victim', 'Brand-New-Pass-9'), 302);

      // The REST API sets passwords under the same policy.
      const api = await acme.call('PUT', `/users/${id('victim')}.json`, 'admin', { user: { password: 'victim' } });
      assert.equal(api.statusCode, 422);
      assert.match(api.body, /Password is too short \(minimum is 8 characters\)/);
      assert.match(api.body, /Password is too simple/);
    });

    test('the Authentication tab saves the required character classes; unknown classes are refused', async () => {
      const admin = await signedIn(app(), 'admin', 'admin-password');
      const value = async () => (await sql("SELECT value FROM settings WHERE name = 'password_required_char_classes'"))[0]?.value;
      const tab = await admin.request('GET', '/settings?tab=authentication');
      assert.equal(tab.statusCode, 200);
      for (const charClass of ['uppercase', 'lowercase', 'digits', 'special_chars']) {
        assert.match(tab.body, new RegExp(`name="settings\\[password_required_char_classes\\]\\[\\]" value="${charClass}"`));
      }
      assert.match(tab.body, /Required character classes for passwords/);
      assert.match(tab.body, /special characters/);

      const saved = await admin.post('/settings/edit?tab=authentication', { 'settings[password_required_char_classes][]': ['', 'uppercase', 'special_chars'] });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(await value(), '["uppercase","special_chars"]');
      assert.match((await admin.request('GET', '/settings?tab=authentication')).body, /value="special_chars" checked/);
      assert.match((await admin.request('GET', '/my/password')).body, /Must contain uppercase letters, special characters\./);

      const refused = await admin.post('/settings/edit?tab=authentication', { 'settings[password_required_char_classes][]': ['', 'uppercase', 'emoji'] });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /id="errorExplanation"/);
      assert.equal(await value(), '["uppercase","special_chars"]', 'nothing stored');

      assert.equal((await admin.post('/settings/edit?tab=authentication', { 'settings[password_required_char_classes][]': [''] })).statusCode, 303);
      assert.equal(await value(), '[]');
    });
  });
}
