/**
 * Brute force and enumeration (security.md §6, §8, §11): failures per login and per address on the
 * sign-in form, API Basic and the password change; soft locks (refused even with the right password,
 * with the ordinary answer), their one e-mail and their doubling; the address block against password
 * spraying; 429 for invalid API keys; the audit rows; and answers (and timing) that do not tell whether
 * a login exists. Time moves by the app's clock, never by sleeping.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { clearAccountLock, recordAuthFailure } from '#src/features/throttle/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth, Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';
import { startInbox } from '../support/smtp.ts';
import { signedIn } from './signed-in.ts';

const MIN = 60_000;
const HOST = 'acme.localhost';
const INVALID_CREDENTIALS = 'Invalid user or password';

const inbox = await startInbox();
after(() => inbox.close());

/** What a client can compare between two answers: per-request tokens and nonces and the echoed login left out. */
function observable(answer: LightMyRequestResponse) {
  return {
    status: answer.statusCode,
    location: answer.headers.location,
    authenticate: answer.headers['www-authenticate'],
    body: answer.body
      .replace(/name="authenticity_token" value="[^"]*"/g, 'name="authenticity_token" value=""')
      .replace(/nonce="[^"]*"/g, 'nonce=""')
      .replace(/id="username" value="[^"]*"/, 'id="username" value=""'),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`brute force and enumeration (${engine})`, { skip }, () => {
    let now = new Date();
    const advance = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    const acme = acmeWorld(engine, { extraEnv: { SMTP_URL: inbox.url }, clock: () => now });
    const { sql, id } = acme;

    /** A sign-in through the form from `ip`, by a new browser (its own CSRF cookie). */
    const formSignIn = (login: string, password: string, ip: string) => new Browser(acme.server.app, HOST, { remoteAddress: ip }).signIn(login, password);
    const basicGet = (login: string, password: string, ip: string, url = '/users/current.json') =>
      acme.server.app.inject({ method: 'GET', url, headers: { host: HOST, authorization: basicAuth(login, password) }, remoteAddress: ip });
    const keyGet = (key: string, ip: string, url = '/users/current.json') =>
      acme.server.app.inject({ method: 'GET', url, headers: { host: HOST, 'x-redmine-api-key': key }, remoteAddress: ip });
    const apiKeyOf = async (login: string, ip: string) => {
      const answer = await basicGet(login, `${login}-password`, ip);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ user: { api_key: string } }>().user.api_key;
    };
    const refusedAsInvalid = (answer: LightMyRequestResponse, what: string) => {
      assert.equal(answer.statusCode, 200, what);
      assert.ok(answer.body.includes(INVALID_CREDENTIALS), `${what}: the ordinary "invalid" answer`);
    };
    const mailsTo = (login: string) => inbox.to(`${login}@acme.test`);
    const waitForMails = async (login: string, count: number) => {
      const until = Date.now() + 10_000;
      while (mailsTo(login).length < count) {
        assert.ok(Date.now() < until, `expected ${count} mail(s) to ${login}, got ${mailsTo(login).length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    /**
     * Failures counted straight through the service the routes call, at the app's time: a password
     * check costs the hashing time on purpose, so a long run of them is arranged this way.
     */
    const seedFailures = (logins: readonly string[], ip: string) =>
      acme.withDb(async (db) => {
        for (const login of logins) {
          await recordAuthFailure(db, acme.server.platform.config.throttle, { login, ip }, now);
        }
      });
    const auditOf = (event: string, targetName: string) =>
      sql('SELECT actor_name, ip, target_type, target_id, target_name, details FROM audit_events WHERE event = $1 AND target_name = $2 ORDER BY id', [event, targetName]);

    before(async () => {
      inbox.clear();
      await acme.users(['walt', 'alice', 'carol', 'bob', 'dave', 'erin', 'fay', 'timed', 'gone', 'ursula']);
      await acme.lock('gone');
    });

    test('failures older than the window do not count; a sign-in clears the count', async () => {
      for (let i = 0; i < 4; i++) {
        refusedAsInvalid(await formSignIn('walt', `Guess-${i}`, '10.1.0.1'), `failure ${i + 1}`);
      }
      advance(15 * MIN + 1000);
      for (let i = 0; i < 4; i++) {
        refusedAsInvalid(await formSignIn('walt', `Guess-${i}`, '10.1.0.1'), `failure ${i + 5}`);
      }
      assert.equal((await formSignIn('walt', 'walt-password', '10.1.0.1')).statusCode, 302, 'never 5 failures within 15 minutes');
      const [row] = await sql("SELECT cardinality(failures) AS n FROM auth_throttles WHERE scope = 'login' AND subject = 'walt'");
      assert.equal(Number(row?.n), 0);
      assert.equal(mailsTo('walt').length, 0);
    });

    test('the 6th attempt within the window is refused even with the right password, with the same answer; one mail; the lock ends; the next doubles', async () => {
      const ip = '10.2.0.1';
      let fifth: LightMyRequestResponse | undefined;
      for (let i = 0; i < 5; i++) {
        fifth = await formSignIn('alice', `Guess-${i}`, ip);
        refusedAsInvalid(fifth, `failure ${i + 1}`);
      }
      const right = await formSignIn('alice', 'alice-password', ip);
      refusedAsInvalid(right, 'the right password during the lock');
      assert.deepEqual(observable(right), observable(fifth!), 'no hint of the lock');
      refusedAsInvalid(await formSignIn('alice', 'alice-password', '10.2.0.2'), 'the lock is the account’s, from any address');
      refusedAsInvalid(await formSignIn('ALICE', 'alice-password', '10.2.0.3'), 'whatever the case of the login');

      await waitForMails('alice', 1);
      const [mail] = mailsTo('alice');
      assert.equal(mail?.subject, 'Your account is temporarily locked');
      assert.match(mail?.text ?? '', /\(alice\)/);
      assert.match(mail?.text ?? '', /10\.2\.0\.1/);
      const lockEnd = new Date(now.getTime() + 15 * MIN).toISOString().slice(0, 16).replace('T', ' ');
      assert.ok(mail?.text.includes(`${lockEnd} UTC`), `${mail?.text} names the end ${lockEnd}`);
      refusedAsInvalid(await formSignIn('alice', 'Guess-again', ip), 'more failures during the lock');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(mailsTo('alice').length, 1, 'one mail per lock');
      const [status] = await sql("SELECT status FROM users WHERE login = 'alice'");
      assert.equal(Number(status?.status), 1, 'a soft lock is no account lock');

      advance(14 * MIN);
      refusedAsInvalid(await formSignIn('alice', 'alice-password', ip), 'one minute before the end');
      advance(MIN);
      assert.equal((await formSignIn('alice', 'alice-password', ip)).statusCode, 302, 'after the lock');

      // The next lock within a day lasts twice as long, and mails again.
      for (let i = 0; i < 5; i++) {
        refusedAsInvalid(await formSignIn('alice', `Guess-${i}`, ip), `second series, failure ${i + 1}`);
      }
      await waitForMails('alice', 2);
      advance(16 * MIN);
      refusedAsInvalid(await formSignIn('alice', 'alice-password', ip), '16 minutes into a 30-minute lock');
      advance(14 * MIN);
      assert.equal((await formSignIn('alice', 'alice-password', ip)).statusCode, 302, 'after 30 minutes');
      assert.equal(mailsTo('alice').length, 2);

      const locks = await auditOf('login.soft_lock', 'alice');
      assert.equal(locks.length, 2);
      assert.equal(locks[0]?.target_id, id('alice'));
      assert.equal(locks[0]?.ip, ip);
      assert.equal((locks[0]?.details as { channel: string }).channel, 'sign_in');
      assert.match(String((locks[0]?.details as { until: string }).until), /^\d{4}-\d\d-\d\dT/);
      const successes = await auditOf('login.success', 'alice');
      assert.equal(successes.length, 2);
      assert.equal(successes[0]?.actor_name, 'alice');
      assert.equal(successes[0]?.target_id, id('alice'));
    });

    test('spraying one password across many logins from one address blocks the address', async () => {
      await seedFailures(Array.from({ length: 45 }, (_, i) => (i === 7 ? 'carol' : `user${i}`)), '10.3.0.1');
      const sprayer = new Browser(acme.server.app, HOST, { remoteAddress: '10.3.0.1' });
      for (let i = 45; i < 49; i++) {
        refusedAsInvalid(await sprayer.post('/login', { username: `user${i}`, password: 'Summer2026!' }), `spray ${i + 1}`);
      }
      assert.equal((await formSignIn('carol', 'carol-password', '10.3.0.1')).statusCode, 302, '49 failures: still open');
      assert.equal((await basicGet('user49', 'Summer2026!', '10.3.0.1')).statusCode, 401, 'spray 50, on API Basic');
      refusedAsInvalid(await formSignIn('carol', 'carol-password', '10.3.0.1'), 'the right password from the blocked address');
      assert.equal((await basicGet('carol', 'carol-password', '10.3.0.1')).statusCode, 401, 'API Basic from the blocked address');
      assert.equal((await formSignIn('carol', 'carol-password', '10.3.0.2')).statusCode, 302, 'another address is not blocked');
      assert.equal(mailsTo('carol').length, 0, 'no account was locked');
      advance(15 * MIN);
      assert.equal((await formSignIn('carol', 'carol-password', '10.3.0.1')).statusCode, 302, 'the block ends after 15 minutes');
    });

    test('API Basic counts with the form; a locked account is refused on Basic; its API key still works', async () => {
      const ip = '10.4.0.1';
      const key = await apiKeyOf('bob', ip);
      const wrong: LightMyRequestResponse[] = [];
      for (let i = 0; i < 3; i++) {
        wrong.push(await basicGet('bob', `Guess-${i}`, ip));
      }
      refusedAsInvalid(await formSignIn('bob', 'Guess-3', ip), 'form failure 4');
      refusedAsInvalid(await formSignIn('bob', 'Guess-4', ip), 'form failure 5: locks');
      const right = await basicGet('bob', 'bob-password', ip);
      assert.equal(right.statusCode, 401);
      assert.deepEqual(observable(right), observable(wrong[0]!), 'the right password on Basic answers as a wrong one');
      for (const answer of wrong) {
        assert.equal(answer.statusCode, 401);
      }
      refusedAsInvalid(await formSignIn('bob', 'bob-password', '10.4.0.2'), 'the form too');
      assert.equal((await basicGet(key, 'x', ip)).statusCode, 200, 'Basic with the API key as user name');
      assert.equal((await keyGet(key, ip)).statusCode, 200, 'the API key header');
      await waitForMails('bob', 1);
      const failures = await auditOf('login.failure', 'bob');
      assert.deepEqual(failures.slice(0, 5).map((row) => (row.details as { channel: string }).channel), ['api_basic', 'api_basic', 'api_basic', 'sign_in', 'sign_in']);
      advance(15 * MIN);
      assert.equal((await basicGet('bob', 'bob-password', ip)).statusCode, 200, 'after the lock');
    });

    test('invalid API keys: anonymous until the limit, then 429 with Retry-After, per key and per address', async () => {
      const ip = '10.5.0.1';
      const valid = await apiKeyOf('dave', '10.5.0.9');
      const invalid = 'f'.repeat(40);
      for (let i = 0; i < 10; i++) {
        const answer = await keyGet(invalid, ip);
        assert.equal(answer.statusCode, 401, `invalid key ${i + 1}`);
        assert.equal(answer.headers['retry-after'], undefined);
      }
      const limited = await keyGet(invalid, ip);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.headers['retry-after'], String(15 * 60));
      assert.equal(limited.headers['content-type'], 'application/json; charset=utf-8');
      assert.match(limited.json<{ errors: string[] }>().errors[0] ?? '', /Too many invalid API keys/);
      const xml = await keyGet(invalid, ip, '/users/current.xml');
      assert.equal(xml.statusCode, 429);
      assert.match(xml.body, /<errors type="array"><error>Too many invalid API keys/);
      assert.equal((await keyGet(invalid, '10.5.0.2')).statusCode, 429, 'the key is limited from any address');
      assert.equal((await keyGet(`${invalid}`.toUpperCase(), ip)).statusCode, 401, 'another (invalid) key is counted apart');
      assert.equal((await keyGet(valid, ip)).statusCode, 200, 'a valid key still works');
      advance(5 * MIN);
      assert.equal((await keyGet(invalid, ip)).headers['retry-after'], String(10 * 60));

      const spray = '10.5.0.3';
      for (let i = 0; i < 50; i++) {
        assert.equal((await keyGet(i.toString(16).padStart(40, '0'), spray)).statusCode, 401, `key ${i + 1} of the spray`);
      }
      assert.equal((await keyGet('e'.repeat(40), spray)).statusCode, 429, 'the 51st invalid key from the address');
      assert.equal((await keyGet(valid, spray)).statusCode, 200);
      advance(15 * MIN);
      assert.equal((await keyGet(invalid, ip)).statusCode, 401, 'limits end');
      assert.equal((await keyGet('e'.repeat(40), spray)).statusCode, 401);
      const stored = await sql("SELECT subject FROM auth_throttles WHERE scope = 'api_key'");
      assert.ok(stored.every((row) => /^[0-9a-f]{64}$/.test(String(row.subject))), 'keys are kept as hashes only');
      assert.ok(!stored.some((row) => String(row.subject) === invalid));
    });

    test('nothing tells an unknown login from a wrong password, an inactive user or a locked account', async () => {
      await seedFailures(['fay', 'fay', 'fay', 'fay'], '10.6.1.1');
      refusedAsInvalid(await formSignIn('fay', 'Guess-5', '10.6.1.2'), 'the failure that locks fay');
      const form = {
        unknown: await formSignIn('nobody', 'nobody-password', '10.6.0.1'),
        wrongPassword: await formSignIn('dave', 'not-his-password', '10.6.0.2'),
        inactive: await formSignIn('gone', 'gone-password', '10.6.0.3'),
        softLocked: await formSignIn('fay', 'fay-password', '10.6.0.4'),
      };
      for (const [what, answer] of Object.entries(form)) {
        refusedAsInvalid(answer, what);
        assert.deepEqual(observable(answer), observable(form.unknown), what);
      }
      const api = {
        unknown: await basicGet('nobody', 'nobody-password', '10.6.0.5'),
        wrongPassword: await basicGet('dave', 'not-his-password', '10.6.0.6'),
        inactive: await basicGet('gone', 'gone-password', '10.6.0.7'),
        softLocked: await basicGet('fay', 'fay-password', '10.6.0.8'),
      };
      for (const [what, answer] of Object.entries(api)) {
        assert.equal(answer.statusCode, 401, what);
        assert.deepEqual(observable(answer), observable(api.unknown), what);
      }
      // Unknown logins lock like real ones, and send no mail.
      await seedFailures(['ghost', 'ghost', 'ghost', 'ghost'], '10.6.2.1');
      refusedAsInvalid(await formSignIn('ghost', 'Guess-5', '10.6.2.2'), 'the failure that locks ghost');
      const [ghost] = await auditOf('login.soft_lock', 'ghost');
      assert.equal(ghost?.target_id, null);
      await waitForMails('fay', 1);
      assert.equal(inbox.messages.filter((m) => m.recipients.some((r) => r.startsWith('ghost'))).length, 0);
    });

    test('a password reset lifts the soft lock (clearAccountLock)', async () => {
      refusedAsInvalid(await formSignIn('fay', 'fay-password', '10.7.0.1'), 'fay is still locked');
      await acme.withDb((db) => clearAccountLock(db, 'fay'));
      assert.equal((await formSignIn('fay', 'fay-password', '10.7.0.1')).statusCode, 302);
    });

    test('an administrator sees a soft lock on the user\'s page and lifts it (administrators only, CSRF, audited)', async () => {
      await seedFailures(['ursula', 'ursula', 'ursula', 'ursula', 'ursula'], '10.12.0.1');
      refusedAsInvalid(await formSignIn('ursula', 'ursula-password', '10.12.0.2'), 'ursula is locked');
      const admin = await signedIn(acme.server.app, 'admin');
      const page = await admin.request('GET', `/users/${id('ursula')}/edit`);
      assert.equal(page.statusCode, 200);
      const lockEnd = new Date(now.getTime() + 15 * MIN);
      assert.match(page.body, /id="sign-in-lock"/);
      assert.match(page.body, /Sign-in is temporarily locked until [^<]*\d{2}:\d{2}[^<]* after too many failed attempts\./);
      assert.match(page.body, new RegExp(`action="/users/${id('ursula')}/sign_in_lock/delete"`));
      assert.doesNotMatch((await admin.request('GET', `/users/${id('bob')}/edit`)).body, /id="sign-in-lock"/, 'no notice without a lock');

      // Not for other users (403, not even a password prompt), not without the form token.
      const bob = await signedIn(acme.server.app, 'bob');
      assert.equal((await bob.post(`/users/${id('ursula')}/sign_in_lock/delete`)).statusCode, 403);
      // (Another session of the administrator: a CSRF failure signs the session out.)
      const forged = await (await signedIn(acme.server.app, 'admin')).request('POST', `/users/${id('ursula')}/sign_in_lock/delete`, {});
      assert.equal(forged.statusCode, 422);
      assert.equal((await sql("SELECT count(*)::int AS n FROM auth_throttles WHERE scope = 'login' AND subject = 'ursula' AND locked_until IS NOT NULL"))[0]?.n, 1);

      // (Sudo mode is off in this file; sudo.test.ts checks that the route is listed.)
      const lifted = await admin.post(`/users/${id('ursula')}/sign_in_lock/delete`);
      assert.equal(lifted.statusCode, 303, lifted.body);
      assert.equal(lifted.headers.location, `/users/${id('ursula')}/edit`);
      assert.deepEqual(await sql("SELECT subject FROM auth_throttles WHERE scope = 'login' AND subject = 'ursula'"), []);
      assert.doesNotMatch((await admin.request('GET', `/users/${id('ursula')}/edit`)).body, /id="sign-in-lock"/);
      assert.equal((await formSignIn('ursula', 'ursula-password', '10.12.0.3')).statusCode, 302, 'ursula signs in again');
      const audited = await auditOf('login.unlock', 'ursula');
      assert.equal(audited.length, 1);
      assert.equal(audited[0]?.actor_name, 'admin');
      assert.deepEqual(audited[0]?.details, { locked_until: lockEnd.toISOString() });
    });

    test('the current password on /my/password counts; a soft lock refuses it and new sign-ins, not the session', async () => {
      const erin = await signedIn(acme.server.app, 'erin');
      const change = (current: string) => erin.post('/my/password', { password: current, new_password: 'a-brand-new-pass', new_password_confirmation: 'a-brand-new-pass' });
      for (let i = 0; i < 5; i++) {
        const answer = await change(`Guess-${i}`);
        assert.equal(answer.statusCode, 422, `failure ${i + 1}`);
        assert.match(answer.body, /Wrong password/);
      }
      const right = await change('erin-password');
      assert.equal(right.statusCode, 422, 'the right password during the lock');
      assert.match(right.body, /Wrong password/);
      refusedAsInvalid(await formSignIn('erin', 'erin-password', '10.8.0.1'), 'a new sign-in');
      assert.equal(await erin.whoAmI(), 'erin', 'the session goes on');
      await waitForMails('erin', 1);
      const failures = await auditOf('login.failure', 'erin');
      assert.equal(failures[0]?.actor_name, 'erin');
      assert.equal((failures[0]?.details as { channel: string }).channel, 'password_change');
      advance(15 * MIN);
      assert.equal((await change('erin-password')).statusCode, 302);
    });

    test('audit rows name the login tried, never the password', async () => {
      await formSignIn('audited-nobody', 'Secret-Guess-77', '10.10.0.1');
      await basicGet('dave', 'Secret-Guess-78', '10.10.0.2');
      const [form] = await auditOf('login.failure', 'audited-nobody');
      assert.equal(form?.actor_name, 'anonymous');
      assert.equal(form?.ip, '10.10.0.1');
      assert.equal(form?.target_type, 'User');
      assert.deepEqual(form?.details, { channel: 'sign_in' });
      const everything = JSON.stringify(await sql('SELECT * FROM audit_events'));
      for (const secret of ['Secret-Guess-77', 'Secret-Guess-78', 'Summer2026!', 'alice-password', 'Guess-1']) {
        assert.ok(!everything.includes(secret), `${secret} is in the audit trail`);
      }
    });

    test('failures counted at once (several connections, as several processes) start exactly one lock', async () => {
      const outcomes = await acme.withDb((db) =>
        Promise.all(Array.from({ length: 8 }, (_, i) => recordAuthFailure(db, acme.server.platform.config.throttle, { login: 'racer', ip: `10.12.0.${i}` }, now))),
      );
      assert.equal(outcomes.filter((o) => o.accountLockedUntil !== undefined).length, 1);
      const [row] = await sql("SELECT locks, cardinality(failures) AS n FROM auth_throttles WHERE scope = 'login' AND subject = 'racer'");
      assert.deepEqual([Number(row?.locks), Number(row?.n)], [1, 0], 'failures during the lock changed nothing');
    });

    test('rows that say nothing any more are deleted as new failures come', async () => {
      advance(2 * 24 * 60 * MIN);
      const expired = async () => Number((await sql('SELECT count(*) AS n FROM auth_throttles WHERE expires_at < $1', [now]))[0]?.n);
      const before = await expired();
      assert.ok(before > 0);
      await seedFailures(['sweeper'], '10.13.0.1');
      assert.equal(await expired(), Math.max(0, before - 100));
    });

    test('an unknown login takes about as long as a wrong password for a real one (medians of 20)', async () => {
      // Each sample from its own address and with the account's count reset, so every one checks a
      // real password hash (or the dummy one), never a lock.
      const browser = new Browser(acme.server.app, HOST);
      const token = await browser.formToken('/login');
      const sample = async (login: string, i: number) => {
        browser.from = { remoteAddress: `10.11.${login === 'timed' ? 1 : 2}.${i}` };
        const start = performance.now();
        const answer = await browser.request('POST', '/login', { username: login, password: 'not-the-password', authenticity_token: token });
        const took = performance.now() - start;
        refusedAsInvalid(answer, `${login} sample ${i}`);
        await sql("DELETE FROM auth_throttles WHERE scope = 'login' AND subject IN ('timed', 'timed-unknown')");
        return took;
      };
      await sample('timed', 250);
      await sample('timed-unknown', 250);
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 20; i++) {
        known.push(await sample('timed', i));
        unknown.push(await sample('timed-unknown', i));
      }
      const ratio = median(known) / median(unknown);
      // A wide bound: on a busy CI machine single samples vary a lot; medians of interleaved samples
      // do not, and a login check that skipped hashing would be tens of times faster.
      assert.ok(ratio < 3 && ratio > 1 / 3, `median known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`);
    });
  });
}
