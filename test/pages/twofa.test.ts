/**
 * Two-factor authentication through the pages, on both engines (security.md §5): enrolment from My
 * account, the code step of signing in (anonymous until the code is right; three wrong codes and back
 * to the password; an older cookie cannot reset the count; 2 minutes per step), reused codes refused
 * and reported, backup codes (shown once, single use, any case and spacing), required enrolment,
 * disabling (refused while required), the administrator's reset (never of oneself), switching 2FA off
 * for the tenant, and the API (keys work, Basic with a password does not).
 *
 * Codes are computed (test/support/totp.ts) from the key the enrolment page shows, on the
 * app's clock, which the tests hold still and move by whole steps. Mails arrive at a real SMTP server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { apiKeyOf } from '#src/features/account/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser, basicAuth } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';
import { startInbox } from '../support/smtp.ts';
import { totp } from '../support/totp.ts';

const inbox = await startInbox();
after(() => inbox.close());

const location = (answer: LightMyRequestResponse) => String(answer.headers.location ?? '');

for (const { engine, skip } of await pageEngineCases()) {
  describe(`two-factor authentication (${engine})`, { skip }, () => {
    // The app's clock: held still in the middle of a 30-second step, moved by the tests.
    let now = Math.floor(Date.now() / 30_000) * 30_000 + 10_000;
    const nextStep = () => {
      now += 30_000;
    };
    const acme = acmeWorld(engine, { extraEnv: { SMTP_URL: inbox.url }, clock: () => new Date(now) });
    const { sql, id } = acme;
    const secrets = new Map<string, string>();

    /** A browser with its form token (read before signing in, valid for the browser's whole life). */
    const open = async () => {
      const browser = new Browser(acme.server.app, 'acme.localhost');
      const token = await browser.formToken('/login');
      const post = (url: string, form: Record<string, string> = {}) => browser.request('POST', url, { authenticity_token: token, ...form });
      const signIn = (login: string, backUrl = '/') => post('/login', { username: login, password: `${login}-password`, back_url: backUrl });
      return { browser, post, signIn, get: (url: string) => browser.request('GET', url) };
    };
    type Client = Awaited<ReturnType<typeof open>>;

    /** Signed in without 2FA. */
    const signedIn = async (login: string) => {
      const client = await open();
      assert.equal((await client.signIn(login)).statusCode, 302);
      return client;
    };

    /** Enrols the client's user: a new key, then a code of it. */
    const enrol = async (client: Client, login: string) => {
      assert.equal(location(await client.post('/my/twofa/totp/activate/init')), '/my/twofa/totp/activate/confirm');
      const page = await client.get('/my/twofa/totp/activate/confirm');
      assert.equal(page.statusCode, 200, page.body);
      const key = /<code id="twofa-key">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1];
      assert.ok(key, 'the key is shown');
      const secret = key.replace(/ /g, '');
      secrets.set(login, secret);
      nextStep();
      const done = await client.post('/my/twofa/totp/activate', { twofa_code: totp(secret, now) });
      assert.equal(location(done), '/my/account', done.body);
      return { page, secret };
    };

    const schemeOf = async (login: string) => (await sql('SELECT twofa_scheme FROM users WHERE id = $1', [id(login)]))[0]?.twofa_scheme ?? null;
    const audits = (event: string, login: string) => sql('SELECT actor_name, target_name, details FROM audit_events WHERE event = $1 AND target_name = $2 ORDER BY id', [event, login]);
    const mailsTo = (login: string, text: string) => inbox.to(`${login}@acme.test`).filter((m) => m.text.includes(text));
    const who = async (client: Client) => client.browser.whoAmI();

    before(async () => {
      await acme.users(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
      await acme.referenceIds();
    });

    test('enrolment: QR code and key in groups of 4, a TOTP code enrols, other sessions end, e-mail and audit', async () => {
      const other = await signedIn('alice');
      const client = await signedIn('alice');
      const sidBefore = client.browser.cookies.get('kanri_sid');
      const account = await client.get('/my/account');
      assert.match(account.body, /id="twofa-state">Not enabled</);

      assert.equal(location(await client.post('/my/twofa/totp/activate/init')), '/my/twofa/totp/activate/confirm');
      const page = await client.get('/my/twofa/totp/activate/confirm');
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.match(page.body, /<span class="twofa-qr"[^>]*><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      const key = /<code id="twofa-key">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1] ?? '';
      assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'a 32-character Base32 key in groups of 4');
      const secret = key.replace(/ /g, '');
      assert.equal((await client.get('/my/twofa/totp/activate/confirm')).body.includes(key), true, 'the same pending key until a new one is asked for');
      const [stored] = await sql('SELECT twofa_scheme, twofa_totp_key FROM users WHERE id = $1', [id('alice')]);
      assert.equal(stored?.twofa_scheme, null, 'not active before a code confirms it');
      assert.match(String(stored?.twofa_totp_key), /^v1:/, 'kept encrypted');
      assert.ok(!String(stored?.twofa_totp_key).includes(secret));

      const wrong = await client.post('/my/twofa/totp/activate', { twofa_code: totp(secret, now + 5 * 30_000) });
      assert.equal(location(wrong), '/my/twofa/totp/activate/confirm');
      assert.match((await client.get('/my/twofa/totp/activate/confirm')).body, /The code is invalid or no longer valid\./);
      assert.equal(await schemeOf('alice'), null);

      nextStep();
      const done = await client.post('/my/twofa/totp/activate', { twofa_code: totp(secret, now) });
      assert.equal(location(done), '/my/account');
      secrets.set('alice', secret);
      assert.equal(await schemeOf('alice'), 'totp');
      assert.notEqual(client.browser.cookies.get('kanri_sid'), sidBefore, 'the acting session got a new id');
      assert.equal(await who(client), 'alice', 'and stays signed in');
      assert.equal(await who(other), undefined, 'the other session ended');
      assert.match((await client.get('/my/account')).body, /id="twofa-state">Enabled \(authenticator app\)</);
      assert.equal(location(await client.get('/my/twofa/totp/activate/confirm')), '/my/account', 'no second enrolment');
      assert.equal(mailsTo('alice', 'authenticator app has been enabled').length, 1);
      const [audit] = await audits('twofa.enrol', 'alice');
      assert.equal(audit?.actor_name, 'alice');
    });

    test('signing in: only a pending, anonymous step until the code; a right code (typed with spaces) starts the session', async () => {
      const client = await open();
      const first = await client.signIn('alice', '/my/account');
      assert.equal(first.statusCode, 303);
      assert.equal(location(first), '/account/twofa/confirm');
      assert.equal(client.browser.cookies.has('kanri_sid'), false, 'no session yet');
      assert.equal(await who(client), undefined, 'the pending step is anonymous');
      assert.match(location(await client.get('/my/account')), /^\/login/);
      const page = await client.get('/account/twofa/confirm');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /name="twofa_code"[^>]*autocomplete="one-time-code"/);

      nextStep();
      const code = totp(secrets.get('alice')!, now);
      const done = await client.post('/account/twofa', { twofa_code: `${code.slice(0, 2)} ${code.slice(2, 4)} ${code.slice(4)}` });
      assert.equal(done.statusCode, 303);
      assert.equal(location(done), '/my/account', 'back where the sign-in was going');
      assert.ok(client.browser.cookies.has('kanri_sid'));
      assert.equal(await who(client), 'alice');
      assert.equal(location(await client.get('/account/twofa/confirm')), '/login', 'the step is over');

      // The same code again, from another browser: a replay, refused, audited, reported.
      const thief = await open();
      await thief.signIn('alice');
      const replay = await thief.post('/account/twofa', { twofa_code: code });
      assert.equal(location(replay), '/account/twofa/confirm');
      assert.equal(await who(thief), undefined);
      assert.equal((await audits('twofa.code_replay', 'alice')).length, 1);
      assert.equal(mailsTo('alice', 'had already been used').length, 1);
      nextStep();
      const later = await thief.post('/account/twofa', { twofa_code: totp(secrets.get('alice')!, now) });
      assert.equal(location(later), '/');
      assert.equal(await who(thief), 'alice');
      const [success] = await sql("SELECT actor_name FROM audit_events WHERE event = 'login.success' AND target_name = 'alice' ORDER BY id DESC LIMIT 1");
      assert.equal(success?.actor_name, 'alice');
    });

    test('three wrong codes send the user back to the password; an older cookie cannot reset the count; 2 minutes per step', async () => {
      const bob = await signedIn('bob');
      await enrol(bob, 'bob');
      const secret = secrets.get('bob')!;

      const client = await open();
      await client.signIn('bob');
      const firstCookie = client.browser.cookies.get('_kanri_twofa')!;
      assert.equal(location(await client.post('/account/twofa', { twofa_code: '000000' === totp(secret, now) ? '111111' : '000000' })), '/account/twofa/confirm');
      assert.match((await client.get('/account/twofa/confirm')).body, /The code is invalid or no longer valid\./);
      assert.equal(location(await client.post('/account/twofa', { twofa_code: 'not a code' })), '/account/twofa/confirm');
      const current = client.browser.cookies.get('_kanri_twofa')!;
      assert.notEqual(current, firstCookie, 'each attempt gets a new step');

      // Replaying the first step's cookie (no wrong code counted yet) finds nothing.
      client.browser.cookies.set('_kanri_twofa', firstCookie);
      nextStep();
      const replayed = await client.post('/account/twofa', { twofa_code: totp(secret, now) });
      assert.equal(location(replayed), '/login');
      assert.equal(await who(client), undefined);

      client.browser.cookies.set('_kanri_twofa', current);
      const third = await client.post('/account/twofa', { twofa_code: '12345' });
      assert.equal(location(third), '/login');
      assert.match((await client.get('/login')).body, /Too many tries\./);
      client.browser.cookies.set('_kanri_twofa', current);
      assert.equal(location(await client.post('/account/twofa', { twofa_code: totp(secret, now) })), '/login', 'the 4th code, even right, is too late');
      assert.equal(await who(client), undefined);

      // A step waits 2 minutes for its code.
      const slow = await open();
      await slow.signIn('bob');
      now += 2 * 60_000 + 1000;
      assert.equal(location(await slow.post('/account/twofa', { twofa_code: totp(secret, now) })), '/login');
      assert.match((await slow.get('/login')).body, /The sign-in took too long/);
      const prompt = await open();
      await prompt.signIn('bob');
      now += 2 * 60_000 - 1000;
      assert.equal(location(await prompt.post('/account/twofa', { twofa_code: totp(secret, now) })), '/');
      assert.equal(await who(prompt), 'bob');
    });

    test('backup codes: made with a TOTP code, shown once, each works once, in any case and spacing', async () => {
      const carol = await signedIn('carol');
      await enrol(carol, 'carol');
      assert.equal(location(await carol.post('/my/twofa/backup_codes/init')), '/my/twofa/backup_codes/confirm');
      assert.equal((await carol.get('/my/twofa/backup_codes/confirm')).statusCode, 200);
      assert.equal(location(await carol.post('/my/twofa/backup_codes/create', { twofa_code: '0123 4567 89ab' })), '/my/twofa/backup_codes/confirm');
      nextStep();
      const made = await carol.post('/my/twofa/backup_codes/create', { twofa_code: totp(secrets.get('carol')!, now) });
      assert.equal(location(made), '/my/twofa/backup_codes');
      const shown = await carol.get('/my/twofa/backup_codes');
      assert.equal(shown.statusCode, 200);
      assert.equal(shown.headers['cache-control'], 'no-store');
      const codes = [...shown.body.matchAll(/<li><code>([0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4})<\/code><\/li>/g)].map((m) => m[1]!);
      assert.equal(codes.length, 10);
      assert.equal(location(await carol.get('/my/twofa/backup_codes')), '/my/account', 'shown once');
      const stored = await sql("SELECT value FROM tokens WHERE user_id = $1 AND action = 'twofa_backup_code'", [id('carol')]);
      assert.equal(stored.length, 10);
      assert.ok(stored.every((row) => !codes.some((code) => String(row.value).includes(code.replace(/ /g, '')))), 'only hashes are stored');
      assert.equal(mailsTo('carol', 'New backup codes have been generated').length, 1);
      assert.equal((await audits('twofa.backup_codes', 'carol')).length, 1);

      const first = await open();
      await first.signIn('carol');
      assert.equal(location(await first.post('/account/twofa', { twofa_code: codes[0]!.toUpperCase() })), '/');
      assert.equal(await who(first), 'carol');
      assert.equal(mailsTo('carol', 'backup codes of your account has been used').length, 1);
      assert.equal((await audits('twofa.backup_code_used', 'carol')).length, 1);

      const again = await open();
      await again.signIn('carol');
      assert.equal(location(await again.post('/account/twofa', { twofa_code: codes[0]! })), '/account/twofa/confirm', 'used up');
      assert.equal(location(await again.post('/account/twofa', { twofa_code: ` ${codes[1]!.replace(/ /g, '')} ` })), '/');
      assert.equal(await who(again), 'carol');

      const alice = await open();
      await alice.signIn('alice');
      assert.equal(location(await alice.post('/account/twofa', { twofa_code: codes[2]! })), '/account/twofa/confirm', "another user's code");
      assert.equal(await who(alice), undefined);

      // New codes void the old ones.
      nextStep();
      await carol.post('/my/twofa/backup_codes/create', { twofa_code: totp(secrets.get('carol')!, now) });
      const late = await open();
      await late.signIn('carol');
      assert.equal(location(await late.post('/account/twofa', { twofa_code: codes[3]! })), '/account/twofa/confirm');
    });

    test('with twofa = 2 every page goes to enrolment until enrolled; sign-out stays reachable; API keys still work', async () => {
      await acme.setting('twofa', '2');
      try {
        const dave = await signedIn('dave');
        for (const path of ['/', '/projects', '/my/account', '/my/page']) {
          const answer = await dave.get(path);
          assert.equal(answer.statusCode, 302, path);
          assert.equal(location(answer), '/my/twofa/totp/activate/confirm', path);
        }
        assert.equal(location(await dave.post('/my/account', { 'user[firstname]': 'Dave' })), '/my/twofa/totp/activate/confirm');
        assert.equal((await dave.get('/logout')).statusCode, 200);
        const page = await dave.get('/my/twofa/totp/activate/confirm');
        assert.match(page.body, /Two-factor authentication is required for your account/);
        assert.doesNotMatch(page.body, /<a href="\/my\/account">Cancel<\/a>/);
        const key = await acme.withDb((db) => apiKeyOf(db.orm, id('dave'), new Date()));
        const api = await acme.server.app.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', 'x-redmine-api-key': key } });
        assert.equal(api.statusCode, 200, 'the API key is not held up');

        await enrol(dave, 'dave');
        assert.equal((await dave.get('/projects')).statusCode, 200, 'enrolled: pages open again');
        assert.equal(location(await dave.post('/my/twofa/totp/deactivate/init')), '/my/account', 'cannot disable while required');
      } finally {
        await acme.setting('twofa', '1');
      }
    });

    test('disabling needs a code and is refused while a group requires 2FA', async () => {
      const frank = await signedIn('frank');
      await enrol(frank, 'frank');
      await acme.group('Secure', ['frank']);
      await sql('UPDATE users SET twofa_required = true WHERE id = $1', [id('Secure')]);
      assert.equal(location(await frank.post('/my/twofa/totp/deactivate/init')), '/my/account');
      assert.match((await frank.get('/my/account')).body, /required for your account and cannot be disabled/);
      assert.equal(location(await frank.get('/my/twofa/totp/deactivate/confirm')), '/my/account');
      nextStep();
      assert.equal(location(await frank.post('/my/twofa/totp/deactivate', { twofa_code: totp(secrets.get('frank')!, now) })), '/my/account');
      assert.equal(await schemeOf('frank'), 'totp', 'still enrolled');

      await sql('UPDATE users SET twofa_required = false WHERE id = $1', [id('Secure')]);
      assert.equal(location(await frank.post('/my/twofa/totp/deactivate/init')), '/my/twofa/totp/deactivate/confirm');
      assert.equal(location(await frank.post('/my/twofa/totp/deactivate', { twofa_code: '999999' === totp(secrets.get('frank')!, now) ? '888888' : '999999' })), '/my/twofa/totp/deactivate/confirm');
      nextStep();
      assert.equal(location(await frank.post('/my/twofa/totp/deactivate', { twofa_code: totp(secrets.get('frank')!, now) })), '/my/account');
      const [row] = await sql('SELECT twofa_scheme, twofa_totp_key, twofa_totp_last_used_at FROM users WHERE id = $1', [id('frank')]);
      assert.deepEqual([row?.twofa_scheme, row?.twofa_totp_key, row?.twofa_totp_last_used_at], [null, null, null]);
      assert.equal(await who(frank), 'frank', 'the acting session continues');
      assert.equal(mailsTo('frank', 'has been disabled').length, 1);
      assert.equal((await audits('twofa.disable', 'frank')).length, 1);
      assert.equal(location(await (await open()).signIn('frank')), '/', 'password alone again');
    });

    test("an administrator resets another user's 2FA (sessions end, e-mail, audit)", async () => {
      const erin = await signedIn('erin');
      await enrol(erin, 'erin');
      const admin = await signedIn('admin');
      const edit = await admin.get(`/users/${id('erin')}/edit`);
      assert.match(edit.body, /id="twofa-user-box"/);
      assert.match(edit.body, /action="\/users\/\d+\/twofa\/deactivate"/);
      const reset = await admin.post(`/users/${id('erin')}/twofa/deactivate`);
      assert.equal(location(reset), `/users/${id('erin')}/edit`);
      assert.equal(await schemeOf('erin'), null);
      assert.equal(await who(erin), undefined, "the user's sessions ended");
      assert.equal(mailsTo('erin', 'An administrator has reset').length, 1);
      const [audit] = await audits('twofa.reset', 'erin');
      assert.equal(audit?.actor_name, 'admin');
      const plain = await open();
      assert.equal(location(await plain.signIn('erin')), '/');

      const user = await signedIn('frank');
      assert.equal((await user.post(`/users/${id('alice')}/twofa/deactivate`)).statusCode, 403, 'administrators only');
      assert.equal(await schemeOf('alice'), 'totp');
    });

    test('API: a 2FA user\'s key works; HTTP Basic with the password is 401 "Use API key instead"', async () => {
      const key = await acme.withDb((db) => apiKeyOf(db.orm, id('alice'), new Date()));
      const byKey = await acme.server.app.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', 'x-redmine-api-key': key } });
      assert.equal(byKey.statusCode, 200);
      assert.equal(byKey.json<{ user: { login: string } }>().user.login, 'alice');
      const byPassword = await acme.server.app.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', authorization: basicAuth('alice') } });
      assert.equal(byPassword.statusCode, 401);
      assert.deepEqual(byPassword.json(), { errors: ['HTTP Basic authentication is not allowed. Use API key instead'] });
      const xml = await acme.server.app.inject({ method: 'GET', url: '/users/current.xml', headers: { host: 'acme.localhost', authorization: basicAuth('alice') } });
      assert.equal(xml.statusCode, 401);
      assert.match(xml.body, /<error>HTTP Basic authentication is not allowed\. Use API key instead<\/error>/);
      const keyAsBasic = await acme.server.app.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', authorization: `Basic ${Buffer.from(`${key}:x`).toString('base64')}` } });
      assert.equal(keyAsBasic.statusCode, 200, 'the key as Basic user name still works');
    });

    test('switching twofa to "disabled" unpairs every user, one audit event each', async () => {
      const paired = (await sql("SELECT login FROM users WHERE type = 'User' AND twofa_scheme IS NOT NULL ORDER BY login")).map((r) => String(r.login));
      assert.ok(paired.length >= 3, paired.join());
      const admin = await signedIn('admin');
      const saved = await admin.post('/settings/edit', { tab: 'authentication', 'settings[twofa]': '0' });
      assert.equal(saved.statusCode, 303, saved.body);
      try {
        assert.equal((await sql("SELECT count(*)::int AS n FROM users WHERE twofa_scheme IS NOT NULL OR twofa_totp_key IS NOT NULL"))[0]?.n, 0);
        assert.equal((await sql("SELECT count(*)::int AS n FROM tokens WHERE action = 'twofa_backup_code'"))[0]?.n, 0);
        for (const login of paired) {
          const rows = (await audits('twofa.reset', login)).filter((r) => (r.details as { reason?: string }).reason !== undefined);
          assert.equal(rows.length, 1, login);
        }
        assert.equal(location(await (await open()).signIn('alice')), '/', 'password alone');
        assert.equal((await (await signedIn('alice')).post('/my/twofa/totp/activate/init')).statusCode, 403, 'nothing to enable while disabled');
      } finally {
        await acme.setting('twofa', '1');
      }
    });

    test('an administrator cannot reset their own 2FA without a code', async () => {
      const admin = await signedIn('admin');
      await enrol(admin, 'admin');
      const edit = await admin.get(`/users/${id('admin')}/edit`);
      assert.match(edit.body, /id="twofa-user-box"/);
      assert.doesNotMatch(edit.body, /twofa\/deactivate/);
      assert.equal((await admin.post(`/users/${id('admin')}/twofa/deactivate`)).statusCode, 403);
      assert.equal(await schemeOf('admin'), 'totp');
    });
  });
}
