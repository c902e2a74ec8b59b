/**
 * Redmine REST API authentication (contract §2, §3): key parameter, key header, Basic with password or
 * key, user switching, the REST API setting, login required, and the empty-bodied error answers.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth } from '../support/app.ts';
import { engineCases } from '../support/engines.ts';

for (const { engine, skip } of await engineCases()) {
  describe(`REST API authentication (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine, { restApi: false });
    const { sql, setting } = acme;

    const basic = basicAuth;
    const get = (url: string, headers: Record<string, string> = {}) =>
      acme.server.app.inject({ method: 'GET', url, headers: { host: 'acme.localhost', ...headers } });

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'locked']);
      await acme.lock('locked');
    });

    test('with the REST API off (the default), credentials are ignored and login-required answers 403', async () => {
      const answer = await get('/users/current.json', { authorization: basic('admin', 'admin-password') });
      assert.equal(answer.statusCode, 403);
      assert.equal(answer.body, '');
      assert.equal(answer.headers['www-authenticate'], undefined);
      assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
    });

    test('anonymous callers get 401 with a Basic challenge and an empty body', async () => {
      await setting('rest_api_enabled', '1');
      for (const url of ['/users/current.json', '/users/current.xml', '/trackers.json']) {
        const answer = await get(url);
        assert.equal(answer.statusCode, 401, url);
        assert.equal(answer.headers['www-authenticate'], 'Basic realm="Redmine API"');
        assert.equal(answer.body, '');
      }
      assert.equal((await get('/users/current.xml')).headers['content-type'], 'application/xml; charset=utf-8');
    });

    test('Basic with login and password; the answer shows the API key, which then works alone', async () => {
      const answer = await get('/users/current.json', { authorization: basic('jsmith', 'jsmith-password') });
      assert.equal(answer.statusCode, 200);
      const user = answer.json<{ user: Record<string, unknown> }>().user;
      assert.deepEqual(Object.keys(user), [
        'id', 'login', 'admin', 'firstname', 'lastname', 'mail', 'created_on', 'updated_on', 'last_login_on', 'passwd_changed_on', 'twofa_scheme', 'api_key',
      ]);
      assert.equal(user.login, 'jsmith');
      assert.equal(user.admin, false);
      assert.equal(user.mail, 'jsmith@acme.test');
      assert.match(String(user.created_on), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(String(user.last_login_on), /Z$/, 'Basic sign-in records the login');
      const key = String(user.api_key);
      assert.match(key, /^[0-9a-f]{40}$/);

      for (const headers of [{ 'x-redmine-api-key': key }, { authorization: basic(key, 'anything') }] as Record<string, string>[]) {
        const again = await get('/users/current.json', headers);
        assert.equal(again.statusCode, 200, JSON.stringify(headers));
        assert.equal(again.json<{ user: { api_key: string } }>().user.api_key, key, 'one key per user');
      }
      assert.equal((await get(`/users/current.json?key=${key}`)).statusCode, 200);
      // A key given (even a wrong one) means Basic is not consulted.
      const wrongKey = await get('/users/current.json', { 'x-redmine-api-key': 'f'.repeat(40), authorization: basic('jsmith', 'jsmith-password') });
      assert.equal(wrongKey.statusCode, 401);
    });

    test('XML carries the same user', async () => {
      const answer = await get('/users/current.xml', { authorization: basic('jsmith', 'jsmith-password') });
      assert.equal(answer.statusCode, 200);
      assert.match(answer.body, /^<\?xml version="1.0" encoding="UTF-8"\?><user><id>\d+<\/id><login>jsmith<\/login><admin>false<\/admin>/);
      assert.match(answer.body, /<twofa_scheme\/><api_key>[0-9a-f]{40}<\/api_key><\/user>$/);
    });

    test('wrong passwords, locked users, 2FA users on Basic, and users who must change their password', async () => {
      assert.equal((await get('/users/current.json', { authorization: basic('jsmith', 'wrong') })).statusCode, 401);
      assert.equal((await get('/users/current.json', { authorization: basic('locked', 'locked-password') })).statusCode, 401);
      await sql("UPDATE users SET twofa_scheme = 'totp' WHERE login = 'dlopper'");
      assert.equal((await get('/users/current.json', { authorization: basic('dlopper', 'dlopper-password') })).statusCode, 401);
      await sql("UPDATE users SET twofa_scheme = NULL, must_change_passwd = true WHERE login = 'dlopper'");
      const mustChange = await get('/users/current.json', { authorization: basic('dlopper', 'dlopper-password') });
      assert.equal(mustChange.statusCode, 403);
      assert.equal(mustChange.body, '');
      await sql("UPDATE users SET must_change_passwd = false WHERE login = 'dlopper'");
    });

    test('a browser session is not an API credential', async () => {
      const page = await acme.server.app.inject({ method: 'GET', url: '/login', headers: { host: 'acme.localhost' } });
      const csrf = page.cookies.find((c) => c.name === '_kanri_csrf')?.value ?? '';
      const token = /name="authenticity_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const login = await acme.server.app.inject({
        method: 'POST',
        url: '/login',
        headers: { host: 'acme.localhost', cookie: `_kanri_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ username: 'jsmith', password: 'jsmith-password', authenticity_token: token }).toString(),
      });
      const session = login.cookies.find((c) => c.name === 'kanri_sid')?.value;
      assert.ok(session);
      assert.equal((await get('/users/current.json', { cookie: `kanri_sid=${session}` })).statusCode, 401);
    });

    test('X-Redmine-Switch-User: administrators act as another active user; others are ignored', async () => {
      const admin = basic('admin', 'admin-password');
      const switched = await get('/users/current.json', { authorization: admin, 'x-redmine-switch-user': 'jsmith' });
      assert.equal(switched.json<{ user: { login: string } }>().user.login, 'jsmith');
      for (const login of ['nobody', 'locked']) {
        const refused = await get('/users/current.json', { authorization: admin, 'x-redmine-switch-user': login });
        assert.equal(refused.statusCode, 412, login);
        assert.equal(refused.body, '');
      }
      const ignored = await get('/users/current.json', { authorization: basic('jsmith', 'jsmith-password'), 'x-redmine-switch-user': 'admin' });
      assert.equal(ignored.json<{ user: { login: string } }>().user.login, 'jsmith');
    });

    test('with login not required, anonymous callers read public reference data but not /users/current', async () => {
      await setting('login_required', '0');
      assert.equal((await get('/trackers.json')).statusCode, 200);
      assert.equal((await get('/users/current.json')).statusCode, 401);
      assert.equal((await get('/my/account.json')).statusCode, 401);
      await setting('login_required', '1');
    });
  });
}
