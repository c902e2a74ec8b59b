/**
 * Sessions (security.md §4) on both engines: the cookie (name by scheme, attributes, only a hash
 * stored), `session_lifetime` and `session_timeout` at their edges with a clock the test moves,
 * eviction beyond ten sessions, My account → Sessions (end one, end the others), an administrator
 * ending all of a user's sessions, locked and deleted users, fixation, tampered / truncated / foreign
 * cookies, replay after logout, GET /logout, and "stay logged in" (autologin) with its limits.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { deriveKey, sealValue } from '#src/lib/keys.ts';
import { createTenant } from '#src/platform/tenant.service.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

const HOST = 'acme.localhost';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** A clock that stands still until the test moves it. */
function testClock() {
  let now = Date.now();
  return {
    clock: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

function setCookies(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  return header === undefined ? [] : [header].flat();
}

function setCookie(response: LightMyRequestResponse, name: string): string | undefined {
  return setCookies(response).find((line) => line.startsWith(`${name}=`));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The token inside a sealed cookie value (`token.signature`). */
function tokenOf(cookie: string): string {
  return cookie.slice(0, cookie.lastIndexOf('.'));
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`sessions (${engine})`, { skip }, () => {
    const time = testClock();
    // The socket peer of inject() is 127.0.0.1: trusted, so X-Forwarded-Proto can say HTTPS.
    const acme = acmeWorld(engine, { clock: time.clock, extraEnv: { TRUSTED_PROXIES: '127.0.0.1' } });
    const { sql, id } = acme;

    const browser = () => new Browser(acme.server.app, HOST);
    const signedIn = async (login: string, form: Record<string, string> = {}) => {
      const b = browser();
      const token = await b.formToken('/login');
      const answer = await b.request('POST', '/login', { username: login, password: `${login}-password`, authenticity_token: token, back_url: '/', ...form });
      assert.equal(answer.statusCode, 302, answer.body);
      assert.ok(b.cookies.get('kanri_sid'), 'a session cookie');
      return b;
    };
    /** A GET with the browser's cookies and extra headers, keeping no cookies. */
    const get = (b: Browser, url: string, headers: Record<string, string> = {}) =>
      acme.server.app.inject({
        method: 'GET',
        url,
        headers: { host: HOST, cookie: b.cookieHeader(), ...headers },
      });
    /** Is the browser signed in as someone (My account answers), without changing its cookies? */
    const isSignedIn = async (b: Browser) => (await get(b, '/my/account')).statusCode === 200;
    const sessionRows = (login: string) =>
      sql(
        `SELECT t.id, t.value, d.sign_in_method, d.ip, d.user_agent FROM tokens t LEFT JOIN kanri_session_details d ON d.token_id = t.id
          WHERE t.user_id = $1 AND t.action = 'session' ORDER BY t.id`,
        [id(login)],
      );
    const autologinRows = (login: string) => sql("SELECT id, value FROM tokens WHERE user_id = $1 AND action = 'autologin'", [id(login)]);
    const auditRows = (event: string, login: string) =>
      sql('SELECT actor_name, details FROM audit_events WHERE event = $1 AND target_id = $2 ORDER BY id', [event, id(login)]);
    const withSettings = async (values: Record<string, string>, fn: () => Promise<void>) => {
      for (const [name, value] of Object.entries(values)) {
        await acme.setting(name, value);
      }
      try {
        await fn();
      } finally {
        for (const name of Object.keys(values)) {
          await acme.setting(name, '0');
        }
      }
    };

    before(async () => {
      await acme.users(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory']);
    });

    test('the session cookie: bare name over HTTP, __Host- and Secure over HTTPS (the other cookies too); HttpOnly, Lax, Path=/, no Domain, no expiry; only its hash is stored', async () => {
      const b = browser();
      const token = await b.formToken('/login');
      const answer = await b.request('POST', '/login', { username: 'alice', password: 'alice-password', authenticity_token: token });
      const line = setCookie(answer, 'kanri_sid');
      assert.ok(line, setCookies(answer).join('\n'));
      assert.match(line, /; Path=\//);
      assert.match(line, /; HttpOnly/);
      assert.match(line, /; SameSite=Lax/);
      assert.doesNotMatch(line, /Domain=|Expires=|Max-Age=|Secure/i);
      const cookie = b.cookies.get('kanri_sid') ?? '';
      const stored = await sessionRows('alice');
      assert.equal(stored.length, 1);
      assert.equal(stored[0]?.value, sha256(tokenOf(cookie)), 'the table keeps the SHA-256 of the token');
      assert.ok(!JSON.stringify(stored).includes(tokenOf(cookie)), 'never the token itself');
      assert.equal(Buffer.from(tokenOf(cookie), 'base64url').length, 32, '256 random bits');
      assert.equal(stored[0]?.sign_in_method, 'password');
      assert.equal(stored[0]?.ip, '127.0.0.1');

      // Over HTTPS (a trusted proxy says so) the cookie is __Host- prefixed and Secure.
      const https = { host: HOST, 'x-forwarded-proto': 'https' };
      const form = await acme.server.app.inject({ method: 'GET', url: '/login', headers: https });
      // So is every other cookie of the app: the CSRF seed here, the flash message below.
      const csrfLine = setCookie(form, '__Host-_kanri_csrf') ?? '';
      assert.match(csrfLine, /; Path=\/; HttpOnly; Secure; SameSite=Lax$/, setCookies(form).join('\n'));
      assert.equal(setCookie(form, '_kanri_csrf'), undefined);
      const csrf = /^__Host-_kanri_csrf=([^;]+)/.exec(csrfLine)?.[1] ?? '';
      const authenticity = /name="authenticity_token" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const postLogin = (cookie: string) =>
        acme.server.app.inject({
          method: 'POST',
          url: '/login',
          headers: { ...https, cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ username: 'alice', password: 'alice-password', authenticity_token: authenticity }).toString(),
        });
      assert.equal((await postLogin(`_kanri_csrf=${csrf}`)).statusCode, 422, 'over HTTPS only the __Host- seed counts');
      const secure = await postLogin(`__Host-_kanri_csrf=${csrf}`);
      assert.equal(secure.statusCode, 302, secure.body);
      const secureLine = setCookie(secure, '__Host-kanri_sid');
      assert.ok(secureLine, setCookies(secure).join('\n'));
      assert.match(secureLine, /; Secure/);
      assert.match(secureLine, /; Path=\//);
      assert.doesNotMatch(secureLine, /Domain=|Expires=|Max-Age=/i);
      assert.equal(setCookie(secure, 'kanri_sid'), undefined);
      const value = /^__Host-kanri_sid=([^;]+)/.exec(secureLine)?.[1] ?? '';
      const over = (cookie: string) => acme.server.app.inject({ method: 'GET', url: '/my/account', headers: { ...https, cookie } });
      assert.equal((await over(`__Host-kanri_sid=${value}`)).statusCode, 200);
      assert.equal((await over(`kanri_sid=${value}`)).statusCode, 302, 'over HTTPS only the __Host- cookie counts');
      // A session that ended meanwhile: sent to sign in with the "expired" flash.
      await sql("DELETE FROM tokens WHERE action = 'session' AND user_id = $1", [id('alice')]);
      const ended = await over(`__Host-kanri_sid=${value}`);
      const flashLine = setCookie(ended, '__Host-_kanri_flash') ?? '';
      assert.match(flashLine, /; Path=\/; HttpOnly; Secure; SameSite=Lax$/, setCookies(ended).join('\n'));
      assert.equal(setCookie(ended, '_kanri_flash'), undefined);
    });

    test('session_lifetime: valid 1 s before the limit, destroyed 1 s after it, with the message and an audit row', async () => {
      await withSettings({ session_lifetime: '60' }, async () => {
        const b = await signedIn('bob');
        time.advance(60 * MINUTE - SECOND);
        assert.equal(await isSignedIn(b), true, 'T-1s: still valid');
        time.advance(2 * SECOND);
        const expired = await b.request('GET', '/my/account');
        assert.equal(expired.statusCode, 302);
        assert.equal(expired.headers.location, '/login?back_url=%2Fmy%2Faccount');
        assert.equal(b.cookies.get('kanri_sid'), undefined, 'the cookie is cleared');
        assert.deepEqual(await sessionRows('bob'), [], 'the session is destroyed');
        const login = await b.request('GET', '/login?back_url=%2Fmy%2Faccount');
        assert.match(login.body, /Your session has expired\. Please login again\./);
        const audit = await auditRows('session.expired', 'bob');
        assert.equal(audit.length, 1);
        assert.equal((audit[0]?.details as { reason: string }).reason, 'lifetime');
      });
    });

    test('session_timeout: applies to an existing session at its next request; use moves it, 1 s past it the session is over; XHR gets 401', async () => {
      const b = await signedIn('carol');
      await withSettings({ session_timeout: '30' }, async () => {
        time.advance(30 * MINUTE - SECOND);
        assert.equal(await isSignedIn(b), true, 'T-1s: valid, and seen now');
        time.advance(30 * MINUTE - SECOND);
        assert.equal(await isSignedIn(b), true, 'the last request moved the limit');
        time.advance(30 * MINUTE + SECOND);
        const expired = await get(b, '/my/account');
        assert.equal(expired.statusCode, 302);
        assert.match(setCookie(expired, '_kanri_flash') ?? '', /error_session_expired/);
        assert.deepEqual(await sessionRows('carol'), []);
        assert.equal(((await auditRows('session.expired', 'carol'))[0]?.details as { reason: string }).reason, 'timeout');

        const script = await signedIn('carol');
        time.advance(31 * MINUTE);
        const xhr = await get(script, '/my/account', { 'x-requested-with': 'XMLHttpRequest' });
        assert.equal(xhr.statusCode, 401);
      });
    });

    test('the 11th sign-in evicts the oldest session; ten stay', async () => {
      const browsers: Browser[] = [];
      for (let i = 0; i < 11; i++) {
        browsers.push(await signedIn('dave'));
        time.advance(SECOND);
      }
      assert.equal((await sessionRows('dave')).length, 10);
      assert.equal(await isSignedIn(browsers[0]!), false, 'the first is evicted');
      for (const b of browsers.slice(1)) {
        assert.equal(await isSignedIn(b), true);
      }
    });

    test('My account → Sessions lists them, marks this one, ends one and all others (audited)', async () => {
      const a = await signedIn('erin');
      const other = await signedIn('erin');
      const page = await a.request('GET', '/my/sessions');
      assert.equal(page.statusCode, 200);
      const rows = await sessionRows('erin');
      assert.equal(rows.length, 2);
      const [mine, theirs] = rows.map((r) => Number(r.id)).sort((x, y) => x - y);
      assert.match(page.body, new RegExp(`<tr id="session-${mine}" class="session current">[\\s\\S]*?This session`));
      assert.match(page.body, new RegExp(`<tr id="session-${theirs}" class="session">[\\s\\S]*?action="/my/sessions/${theirs}/delete"`));
      assert.match(page.body, /127\.0\.0\.1/);
      assert.match(page.body, /<td class="sign_in_method">Password<\/td>/);
      assert.match((await a.request('GET', '/my/account')).body, /href="\/my\/sessions"/);

      const ended = await a.post(`/my/sessions/${theirs}/delete`);
      assert.equal(ended.statusCode, 303);
      assert.equal(await isSignedIn(other), false);
      assert.equal(await isSignedIn(a), true);
      assert.deepEqual((await auditRows('session.ended', 'erin')).map((r) => (r.details as { scope: string }).scope), ['one']);

      // Someone else's session id is no session of erin's: 404, and it lives on.
      const frank = await signedIn('frank');
      const [frankSession] = await sessionRows('frank');
      assert.equal((await a.post(`/my/sessions/${String(frankSession?.id)}/delete`)).statusCode, 404);
      assert.equal(await isSignedIn(frank), true);

      const more = [await signedIn('erin'), await signedIn('erin')];
      const all = await a.post('/my/sessions/delete_others');
      assert.equal(all.statusCode, 303);
      for (const b of more) {
        assert.equal(await isSignedIn(b), false);
      }
      assert.equal(await isSignedIn(a), true);
      assert.equal((await sessionRows('erin')).length, 1);
      assert.deepEqual((await auditRows('session.ended', 'erin')).map((r) => (r.details as { scope: string }).scope), ['one', 'others']);
    });

    test('an administrator ends all sessions of a user from the edit page; others may not', async () => {
      const first = await signedIn('grace');
      const second = await signedIn('grace');
      const admin = await signedIn('admin');
      const edit = await admin.request('GET', `/users/${id('grace')}/edit`);
      assert.match(edit.body, new RegExp(`action="/users/${id('grace')}/sessions/delete"`));
      const refused = await first.post(`/users/${id('heidi')}/sessions/delete`);
      assert.equal(refused.statusCode, 403);
      const ended = await admin.post(`/users/${id('grace')}/sessions/delete`);
      assert.equal(ended.statusCode, 303);
      assert.equal(ended.headers.location, `/users/${id('grace')}/edit`);
      assert.equal(await isSignedIn(first), false);
      assert.equal(await isSignedIn(second), false);
      assert.deepEqual(await sessionRows('grace'), []);
      const audit = await auditRows('session.ended', 'grace');
      assert.equal(audit[0]?.actor_name, 'admin');
      assert.equal((audit[0]?.details as { scope: string; sessions: number }).sessions, 2);
      assert.equal((await admin.post('/users/999999/sessions/delete')).statusCode, 404);
    });

    test("a locked user's sessions are dead and their rows go; a deleted user's too", async () => {
      const b = await signedIn('heidi');
      await acme.lock('heidi');
      assert.equal(await isSignedIn(b), false, 'locked behind the application’s back: dead at the next request');
      assert.deepEqual(await sessionRows('heidi'), []);
      await sql('UPDATE users SET status = 1 WHERE id = $1', [id('heidi')]);

      const again = await signedIn('heidi');
      const admin = await signedIn('admin');
      const locked = await admin.post(`/users/${id('heidi')}`, { 'user[status]': '3' });
      assert.equal(locked.statusCode, 303, locked.body);
      assert.deepEqual(await sessionRows('heidi'), [], 'locking deletes the rows');
      assert.equal(await isSignedIn(again), false);

      const ivan = await signedIn('ivan');
      const [row] = await sessionRows('ivan');
      const deleted = await acme.call('DELETE', `/users/${id('ivan')}.json`, 'admin');
      assert.equal(deleted.statusCode, 204, deleted.body);
      assert.equal(await isSignedIn(ivan), false);
      assert.deepEqual(await sql('SELECT token_id FROM kanri_session_details WHERE token_id = $1', [row?.id]), [], 'details go with the token row');
    });

    test('fixation: a session id planted before sign-in is dead after it', async () => {
      const attacker = await signedIn('mallory');
      const planted = attacker.cookies.get('kanri_sid') ?? '';
      const victim = browser();
      const token = await victim.formToken('/login');
      // Planted while the sign-in form is open (a planted live session would skip the form).
      victim.cookies.set('kanri_sid', planted);
      await victim.request('POST', '/login', { username: 'judy', password: 'judy-password', authenticity_token: token });
      assert.notEqual(victim.cookies.get('kanri_sid'), planted, 'a new id at sign-in');
      assert.equal(await victim.whoAmI(), 'judy');
      const replay = browser();
      replay.cookies.set('kanri_sid', planted);
      assert.equal(await isSignedIn(replay), false, 'the planted id signs in no one');
      assert.equal(await isSignedIn(attacker), false);
    });

    test('tampered, truncated and foreign cookies are anonymous; the real session is untouched', async () => {
      const b = await signedIn('judy');
      const cookie = b.cookies.get('kanri_sid') ?? '';
      const flipped = `${cookie.slice(0, 5)}${cookie[5] === 'A' ? 'B' : 'A'}${cookie.slice(6)}`;
      for (const value of [flipped, cookie.slice(0, -3), tokenOf(cookie), `${cookie}x`, '', '.', 'a.b']) {
        const forged = browser();
        forged.cookies.set('kanri_sid', value);
        const answer = await get(forged, '/my/account');
        assert.equal(answer.statusCode, 302, value);
        assert.equal(setCookie(answer, '_kanri_flash'), undefined, 'no "expired" notice: it never was a session here');
      }
      assert.equal(await isSignedIn(b), true);

      // A second tenant: its cookie, and even its token sealed with acme's key, is no session on acme.
      await createTenant(acme.server.platform, {
        account: 'globex',
        language: 'en',
        adminEmail: 'admin@globex.test',
        adminPassword: 'globex-password',
        restApi: false,
        actor: 'cli',
      });
      const atGlobex = new Browser(acme.server.app, 'globex.localhost');
      const globexToken = await atGlobex.formToken('/login');
      await atGlobex.request('POST', '/login', { username: 'admin', password: 'globex-password', authenticity_token: globexToken });
      const foreign = atGlobex.cookies.get('kanri_sid') ?? '';
      assert.ok(foreign);
      const carried = browser();
      carried.cookies.set('kanri_sid', foreign);
      assert.equal(await isSignedIn(carried), false);
      const resealed = browser();
      resealed.cookies.set('kanri_sid', sealValue(deriveKey(acme.server.platform.secret, 'session', 'acme'), tokenOf(foreign)));
      assert.equal(await isSignedIn(resealed), false);
      assert.equal(await atGlobex.whoAmI(), 'admin', 'globex still knows its own session');
    });

    test('logout is a POST that ends the session for good (audited); GET /logout only asks', async () => {
      const b = await signedIn('frank');
      const cookie = b.cookies.get('kanri_sid') ?? '';
      const ask = await b.request('GET', '/logout');
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /<form method="post" action="\/logout">/);
      assert.equal(setCookie(ask, 'kanri_sid'), undefined);
      assert.equal(await isSignedIn(b), true, 'GET /logout does nothing');

      const out = await b.post('/logout');
      assert.equal(out.statusCode, 302);
      assert.equal(b.cookies.get('kanri_sid'), undefined);
      assert.equal((await auditRows('logout', 'frank')).length, 1);
      const replay = browser();
      replay.cookies.set('kanri_sid', cookie);
      assert.equal(await isSignedIn(replay), false, 'replayed after logout');
      assert.equal((await sessionRows('frank')).filter((r) => r.value === sha256(tokenOf(cookie))).length, 0);
    });

    test('autologin: offered while on, restores a session when the session cookie is gone or expired, within its days and the lifetime', async () => {
      assert.doesNotMatch((await browser().request('GET', '/login')).body, /name="autologin"/, 'off by default');
      await withSettings({ autologin: '7' }, async () => {
        assert.match((await browser().request('GET', '/login')).body, /<input type="checkbox" name="autologin" id="autologin" value="1"\/> Stay logged in/);
        const plain = await signedIn('bob');
        assert.equal(plain.cookies.get('kanri_autologin'), undefined, 'only when asked');

        const b = browser();
        const token = await b.formToken('/login');
        const answer = await b.request('POST', '/login', { username: 'bob', password: 'bob-password', authenticity_token: token, autologin: '1' });
        const line = setCookie(answer, 'kanri_autologin') ?? '';
        assert.match(line, /; Max-Age=604800/);
        assert.match(line, /; HttpOnly/);
        assert.match(line, /; SameSite=Lax/);
        assert.match(line, /; Path=\//);
        const autologin = b.cookies.get('kanri_autologin') ?? '';
        assert.deepEqual((await autologinRows('bob')).map((r) => r.value), [sha256(tokenOf(autologin))]);

        // The session cookie is lost (browser closed): the next request starts a new session.
        b.cookies.delete('kanri_sid');
        const restored = await b.request('GET', '/my/account');
        assert.equal(restored.statusCode, 200);
        assert.ok(b.cookies.get('kanri_sid'));
        assert.ok((await sessionRows('bob')).some((r) => r.sign_in_method === 'autologin'));

        // The session expires: autologin takes over instead of the sign-in page.
        await acme.setting('session_timeout', '30');
        time.advance(31 * MINUTE);
        assert.equal((await b.request('GET', '/my/account')).statusCode, 200);
        await acme.setting('session_timeout', '0');

        // With a lifetime, a token older than it is refused (and deleted).
        await acme.setting('session_lifetime', '60');
        time.advance(30 * MINUTE);
        b.cookies.delete('kanri_sid');
        assert.equal((await b.request('GET', '/my/account')).statusCode, 302, 'the token is older than the lifetime');
        assert.deepEqual(await autologinRows('bob'), []);
        await acme.setting('session_lifetime', '0');

        // Older than `autologin` days: refused.
        const weekly = await signedIn('bob', { autologin: '1' });
        time.advance(7 * DAY + SECOND);
        weekly.cookies.delete('kanri_sid');
        assert.equal(await isSignedIn(weekly), false);

        // Logout ends the token too.
        const leaving = await signedIn('bob', { autologin: '1' });
        const kept = leaving.cookies.get('kanri_autologin') ?? '';
        await leaving.post('/logout');
        assert.equal(leaving.cookies.get('kanri_autologin'), undefined);
        const thief = browser();
        thief.cookies.set('kanri_autologin', kept);
        assert.equal(await isSignedIn(thief), false, 'replayed after logout');
      });
    });

    test('autologin set to 0 disables existing tokens, for good', async () => {
      await acme.setting('autologin', '30');
      const b = await signedIn('carol', { autologin: '1' });
      const stolen = b.cookies.get('kanri_autologin') ?? '';
      assert.ok(stolen);
      await acme.setting('autologin', '0');
      assert.deepEqual(await autologinRows('carol'), []);
      const thief = browser();
      thief.cookies.set('kanri_autologin', stolen);
      assert.equal(await isSignedIn(thief), false);
      await acme.setting('autologin', '30');
      assert.equal(await isSignedIn(thief), false, 'turning it on again does not revive the token');
      const ticked = await signedIn('carol', { autologin: '1' });
      assert.ok(ticked.cookies.get('kanri_autologin'));
      await acme.setting('autologin', '0');
      const ignored = await signedIn('carol', { autologin: '1' });
      assert.equal(ignored.cookies.get('kanri_autologin'), undefined, 'no token while autologin is off');
    });

    test('the Authentication settings tab offers autologin with Redmine\u2019s choices', async () => {
      const admin = await signedIn('admin');
      const page = await admin.request('GET', '/settings?tab=authentication');
      assert.equal(page.statusCode, 200);
      const select = /<select id="settings_autologin" name="settings\[autologin\]">([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? '';
      assert.deepEqual([...select.matchAll(/<option value="(\d+)"/g)].map((m) => m[1]), ['0', '1', '7', '30', '365']);
      assert.match(page.body, /<label for="settings_autologin">Autologin<\/label>/);
    });
  });
}
