/**
 * E-mail flows of accounts, over a real SMTP server (test/support/smtp.ts): lost password (the same
 * answer for every address, mail only to an active account, the link used once and moved out of the
 * address bar, the policy of /my/password, every session ended, expiry, foreign and guessed tokens,
 * the setting off, CSRF, the throttle per account and per address), the administrator's "send
 * account information" (a link, never a password; a warning when delivery fails) and the "password
 * changed" notice.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createMailer } from '#src/mail/mailer.ts';
import { createTenant } from '#src/platform/tenant.service.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';
import { startInbox, type ReceivedMail } from '../support/smtp.ts';

const inbox = await startInbox();
after(() => inbox.close());

const LINK = /http:\/\/acme\.localhost\/account\/lost_password\?token=([A-Za-z0-9_-]{43})/;
const PAGE = '/account/lost_password';

/** Waits for the `count`-th message in all, then a moment more, so a mail that should not come has had its chance. */
async function settledInbox(count: number): Promise<readonly ReceivedMail[]> {
  await inbox.waitFor(count);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return inbox.messages;
}

function linkOf(mail: ReceivedMail | undefined): string {
  const match = LINK.exec(mail?.text ?? '');
  assert.ok(match, `no password link in: ${mail?.text}`);
  return match[0];
}

/** The path and query of a mailed link, as a browser on acme.localhost requests it. */
const pathOf = (link: string) => link.replace('http://acme.localhost', '');

for (const { engine, skip } of await pageEngineCases()) {
  describe(`lost password, account information, password changed notice (${engine})`, { skip }, () => {
    // DEFAULT_TENANT: hosts that name no tenant reach acme, as in a single-tenant installation.
    const acme = acmeWorld(engine, { extraEnv: { SMTP_URL: inbox.url, DEFAULT_TENANT: 'acme' } });
    const { sql, id } = acme;
    const browser = () => new Browser(acme.server.app, 'acme.localhost');
    const recoveryRows = async (login: string) => (await sql("SELECT id FROM tokens WHERE action IN ('recovery', 'set_password') AND user_id = $1", [id(login)])).length;
    const auditOf = (event: string) => sql('SELECT actor_name, target_id, details FROM audit_events WHERE event = $1 ORDER BY id', [event]);
    const signsIn = async (login: string, password: string) => (await browser().signIn(login, password)).statusCode === 302;

    /** Asks for a link for `mail` in a fresh browser, as a visitor would. */
    const ask = async (mail: string): Promise<LightMyRequestResponse> => browser().post(PAGE, { mail });

    /** Follows a mailed link: the token goes into a cookie, the page reloads without it. */
    const follow = async (link: string) => {
      const visitor = browser();
      const landing = await visitor.request('GET', pathOf(link));
      return { visitor, landing };
    };

    before(async () => {
      await acme.users([['jsmith', 'John', 'Smith'], ['dlopper', 'Dave', 'Lopper'], 'gone', 'pending', 'rhill', 'kanako', 'changer', 'flood', 'spray']);
      await acme.lock('gone');
      await sql('UPDATE users SET status = 2 WHERE id = $1', [id('pending')]);
      await sql("UPDATE users SET language = 'ja' WHERE id = $1", [id('kanako')]);
      await acme.setting('lost_password', '1');
    });

    beforeEach(() => inbox.clear());

    test('the same answer for a known, an unknown, a locked and a not activated address; mail only to the active account', async () => {
      const answers = [];
      for (const mail of ['nobody@acme.test', 'gone@acme.test', 'pending@acme.test', 'JSmith@ACME.test']) {
        answers.push(await ask(mail));
      }
      const [first] = answers;
      assert.equal(first?.statusCode, 303);
      assert.equal(first?.headers.location, '/login');
      for (const answer of answers) {
        assert.equal(answer.statusCode, first?.statusCode);
        assert.equal(answer.headers.location, first?.headers.location);
        assert.equal(answer.body, first?.body);
        assert.deepEqual(answer.headers['set-cookie'], first?.headers['set-cookie'], 'the same flash, no other cookie');
      }
      const messages = await settledInbox(1);
      assert.equal(messages.length, 1, messages.map((m) => m.to.join()).join(' | '));
      const [mail] = messages;
      assert.deepEqual(mail?.to, ['jsmith@acme.test'], 'sent to the address as stored');
      assert.equal(mail?.subject, 'Your Kanri password');
      assert.match(mail?.text ?? '', /Login: jsmith/);
      assert.match(mail?.text ?? '', /within 24 hours/);
      linkOf(mail);
      assert.equal(await recoveryRows('jsmith'), 1);
      assert.equal(await recoveryRows('gone') + (await recoveryRows('pending')), 0, 'no link for locked or unactivated accounts');
      const token = LINK.exec(mail?.text ?? '')?.[1] ?? '';
      const [row] = await sql("SELECT value FROM tokens WHERE action = 'recovery' AND user_id = $1", [id('jsmith')]);
      assert.equal(String(row?.value).length, 64, 'a SHA-256 is stored');
      assert.ok(!String(row?.value).includes(token), 'not the token itself');

      const requests = await auditOf('password.reset_request');
      const byUser = new Map(requests.map((r) => [Number(r.target_id), r.details as Record<string, unknown>]));
      assert.deepEqual(byUser.get(id('jsmith')), { link: 'recovery', sent: true });
      assert.deepEqual(byUser.get(id('gone')), { link: 'recovery', sent: false, reason: 'locked' });
      assert.deepEqual(byUser.get(id('pending')), { link: 'recovery', sent: false, reason: 'not_activated' });
      assert.equal(requests.length, 3, 'the unknown address names no account: nothing to audit');
      const login = await browser().request('GET', '/login');
      assert.match(login.body, /href="\/account\/lost_password"/, 'the sign-in page offers it');
    });

    test('links never point where a forged Host says: the tenant host as resolved, else the host_name setting', async () => {
      const forwarded = browser();
      const token = await forwarded.formToken(PAGE);
      const answer = await acme.server.app.inject({
        method: 'POST',
        url: PAGE,
        headers: {
          host: 'acme.localhost',
          'x-forwarded-host': 'evil.test',
          cookie: forwarded.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ authenticity_token: token, mail: 'rhill@acme.test' }).toString(),
      });
      assert.equal(answer.statusCode, 303);
      linkOf((await settledInbox(1))[0]);

      // A host naming no tenant reaches the default one; the link then comes from the settings.
      inbox.clear();
      await acme.setting('host_name', 'projects.acme.example');
      await acme.setting('protocol', 'https');
      try {
        const elsewhere = new Browser(acme.server.app, 'evil.test');
        assert.equal((await elsewhere.post(PAGE, { mail: 'rhill@acme.test' })).statusCode, 303);
        const [mail] = await settledInbox(1);
        assert.match(mail?.text ?? '', /^https:\/\/projects\.acme\.example\/account\/lost_password\?token=[A-Za-z0-9_-]{43}$/m);
        assert.ok(!(mail?.text ?? '').includes('evil.test'));
      } finally {
        await acme.setting('host_name', 'localhost:3000');
        await acme.setting('protocol', 'http');
      }
    });

    test('a new request replaces the live link: one per user', async () => {
      await ask('rhill@acme.test');
      const [firstMail] = await settledInbox(1);
      await ask('rhill@acme.test');
      await inbox.waitFor(2);
      assert.equal(await recoveryRows('rhill'), 1);
      const { landing } = await follow(linkOf(firstMail));
      assert.equal(landing.statusCode, 404, 'the first link died with the second request');
      const second = await follow(linkOf(inbox.messages[1]));
      assert.equal(second.landing.statusCode, 302);
    });

    test('the link works once: token-free page, policy, new password, every session ended, notice mailed, audited', async () => {
      const other = browser();
      assert.equal((await other.signIn('jsmith', 'jsmith-password')).statusCode, 302);
      assert.ok(await other.whoAmI(), 'signed in elsewhere');

      await ask('jsmith@acme.test');
      const link = linkOf((await settledInbox(1))[0]);
      const { visitor, landing } = await follow(link);
      assert.equal(landing.statusCode, 302);
      assert.equal(landing.headers.location, PAGE, 'the token leaves the address bar');
      const cookie = visitor.cookies.get('_kanri_password_link');
      assert.ok(cookie, 'the token travels in a cookie');
      const form = await visitor.request('GET', PAGE);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="new_password"/);
      assert.match(form.body, /value="jsmith"/);
      assert.ok(!form.body.includes(LINK.exec(link)?.[1] ?? '?'), 'the token is not in the page');

      // The policy of /my/password: too short, unconfirmed, the login, the current password.
      for (const [next, confirmation, message] of [
        ['short', 'short', /too short/],
        ['a-long-password', 'another-password', /doesn(&#39;|')t match confirmation/],
        ['jsmith@acme.test', 'jsmith@acme.test', /too simple/],
        ['jsmith-password', 'jsmith-password', /must be different/],
      ] as const) {
        const refused = await visitor.post(PAGE, { new_password: next, new_password_confirmation: confirmation });
        assert.equal(refused.statusCode, 422, next);
        assert.match(refused.body, message);
      }
      assert.equal(await recoveryRows('jsmith'), 1, 'a refused password leaves the link usable');

      inbox.clear();
      const done = await visitor.post(PAGE, { new_password: 'new secret 🔑 pass', new_password_confirmation: 'new secret 🔑 pass', login: 'dlopper' });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/login');
      assert.equal(visitor.cookies.get('_kanri_password_link'), undefined, 'the link cookie is cleared');
      assert.equal(await other.whoAmI(), undefined, 'the other session ended');
      assert.equal(await signsIn('jsmith', 'jsmith-password'), false, 'the old password no longer signs in');
      assert.equal(await signsIn('jsmith', 'new secret 🔑 pass'), true, 'the new one does');
      assert.equal(await signsIn('dlopper', 'dlopper-password'), true, 'a login in the form changes nothing: the link decides whose password');
      assert.equal(await recoveryRows('jsmith'), 0);

      const [notice] = await settledInbox(1);
      assert.deepEqual(notice?.to, ['jsmith@acme.test']);
      assert.equal(notice?.subject, '[Kanri] Security notification');
      assert.match(notice?.text ?? '', /Your password has been changed\./);
      assert.match(notice?.text ?? '', /IP address: 127\.0\.0\.1/);
      assert.match(notice?.text ?? '', /http:\/\/acme\.localhost\/my\/password/);
      assert.ok(!(notice?.text ?? '').includes('new secret'), 'no password in the mail');

      const [reset] = await auditOf('password.reset');
      assert.equal(Number(reset?.target_id), id('jsmith'));
      assert.deepEqual(reset?.details, { link: 'recovery' });
      const audited = JSON.stringify(await sql('SELECT * FROM audit_events'));
      assert.ok(!audited.includes(LINK.exec(link)?.[1] ?? '?') && !audited.includes('new secret'), 'no token or password in the audit trail');

      // Used: the link, and the cookie replayed, are refused; nothing changes.
      const again = await follow(link);
      assert.equal(again.landing.statusCode, 404);
      assert.match(again.landing.body, /This link is invalid or has expired/);
      const replay = browser();
      replay.cookies.set('_kanri_password_link', cookie);
      const stored = await sql('SELECT hashed_password FROM users WHERE id = $1', [id('jsmith')]);
      const replayed = await replay.post(PAGE, { new_password: 'yet another pass', new_password_confirmation: 'yet another pass' });
      assert.equal(replayed.statusCode, 422);
      assert.match(replayed.body, /This link is invalid or has expired/);
      assert.deepEqual(await sql('SELECT hashed_password FROM users WHERE id = $1', [id('jsmith')]), stored);
    });

    test('expired, guessed, malformed and other-tenant links are refused and write nothing', async () => {
      await ask('dlopper@acme.test');
      const link = linkOf((await settledInbox(1))[0]);
      const version = async () => String((await sql('SELECT sum(changes) AS v FROM kanri_data_version'))[0]?.v);

      await sql("UPDATE tokens SET created_on = created_on - interval '23 hours' WHERE action = 'recovery' AND user_id = $1", [id('dlopper')]);
      assert.equal((await follow(link)).landing.statusCode, 302, '23 hours old: still valid');
      await sql("UPDATE tokens SET created_on = created_on - interval '2 hours' WHERE action = 'recovery' AND user_id = $1", [id('dlopper')]);
      const before = await version();
      const expired = await follow(link);
      assert.equal(expired.landing.statusCode, 404);
      assert.match(expired.landing.body, /This link is invalid or has expired/);
      assert.match(expired.landing.body, /name="mail"/, 'with the form to ask again');
      for (const token of ['A'.repeat(43), 'short', '', `${'x'.repeat(42)}/`]) {
        const guessed = await browser().request('GET', `${PAGE}?token=${encodeURIComponent(token)}`);
        assert.equal(guessed.statusCode, 404, token);
      }
      const forged = browser();
      forged.cookies.set('_kanri_password_link', 'forged.value.sig');
      assert.equal((await forged.post(PAGE, { new_password: 'forged pass 123', new_password_confirmation: 'forged pass 123' })).statusCode, 422);
      assert.equal(await version(), before, 'nothing written');
      assert.equal(await signsIn('dlopper', 'dlopper-password'), true);

      // Another tenant: the same link on beta.localhost names nothing there.
      const { platform } = acme.server;
      await createTenant(platform, { account: 'beta', language: 'en', adminEmail: 'admin@beta.test', adminPassword: 'beta-admin-password', restApi: false, actor: 'cli' });
      await sql("UPDATE tokens SET created_on = now() AT TIME ZONE 'UTC' WHERE action = 'recovery' AND user_id = $1", [id('dlopper')]);
      assert.equal((await follow(link)).landing.statusCode, 302, 'live again on acme');
      const beta = new Browser(acme.server.app, 'beta.localhost');
      const elsewhere = await beta.request('GET', pathOf(link));
      assert.equal(elsewhere.statusCode, 404);
      // acme's cookie, carried to beta by hand, is signed with acme's key: beta sees no link at all.
      const { visitor } = await follow(link);
      beta.cookies.set('_kanri_password_link', visitor.cookies.get('_kanri_password_link') ?? '');
      const carried = await beta.request('GET', PAGE);
      assert.doesNotMatch(carried.body, /name="new_password"/);
      assert.match(carried.body, /name="mail"/, 'only the form to ask for a link');
      assert.equal((await beta.post(PAGE, { new_password: 'beta pass 1234', new_password_confirmation: 'beta pass 1234' })).statusCode, 422);
    });

    test('with lost_password off the page and its post lead home, nothing is sent, earlier links stop working', async () => {
      await ask('rhill@acme.test');
      const link = linkOf((await settledInbox(1))[0]);
      inbox.clear();
      await acme.setting('lost_password', '0');
      try {
        const page = await browser().request('GET', PAGE);
        assert.equal(page.statusCode, 302);
        assert.equal(page.headers.location, '/');
        const posted = await ask('rhill@acme.test');
        assert.equal(posted.statusCode, 303);
        assert.equal(posted.headers.location, '/');
        const followed = await follow(link);
        assert.equal(followed.landing.statusCode, 302);
        assert.equal(followed.landing.headers.location, '/');
        assert.equal((await settledInbox(0)).length, 0, 'no mail');
        assert.doesNotMatch((await browser().request('GET', '/login')).body, /lost_password/, 'not offered on the sign-in page');
      } finally {
        await acme.setting('lost_password', '1');
      }
    });

    test('a post without the form token is refused by the page guard: no link, no mail', async () => {
      const visitor = browser();
      await visitor.request('GET', PAGE);
      const refused = await visitor.request('POST', PAGE, { mail: 'kanako@acme.test' });
      assert.equal(refused.statusCode, 422);
      assert.equal(await recoveryRows('kanako'), 0);
      assert.equal((await settledInbox(0)).length, 0);
    });

    test('the mail is in the recipient\'s language', async () => {
      await ask('kanako@acme.test');
      const [mail] = await settledInbox(1);
      assert.equal(mail?.subject, 'Kanri パスワードの再設定');
      assert.match(mail?.text ?? '', /ログインID: kanako/);
      linkOf(mail);
    });

    /** Asks for a link for `mail` from the client address `ip` (each throttle test keeps to its own addresses). */
    const askFrom = (ip: string, mail: string) => new Browser(acme.server.app, 'acme.localhost', { remoteAddress: ip }).post(PAGE, { mail });
    /** What the asker sees: status, where to, and the flash. */
    const seen = (answer: LightMyRequestResponse) => [answer.statusCode, answer.headers.location, answer.headers['set-cookie']];

    test('throttled per target account: past five requests an hour, the same answer but no new link and no mail', async () => {
      const first = await askFrom('198.51.100.1', 'flood@acme.test');
      for (let i = 2; i <= 5; i += 1) {
        assert.deepEqual(seen(await askFrom(`198.51.100.${i}`, 'flood@acme.test')), seen(first));
      }
      const mails = await settledInbox(5);
      assert.equal(mails.length, 5);
      const live = await sql("SELECT value FROM tokens WHERE action = 'recovery' AND user_id = $1", [id('flood')]);
      inbox.clear();
      // Another address, another spelling: the same account all the same.
      const sixth = await askFrom('198.51.100.6', 'FLOOD@ACME.test');
      assert.deepEqual(seen(sixth), seen(first), 'no hint that a limit was reached');
      assert.deepEqual(await settledInbox(0), [], 'no mail');
      assert.deepEqual(await sql("SELECT value FROM tokens WHERE action = 'recovery' AND user_id = $1", [id('flood')]), live, 'the last link stands, no new one');
      const [audit] = (await auditOf('password.reset_request')).filter((row) => row.target_id === id('flood')).slice(-1);
      assert.deepEqual(audit?.details, { link: 'recovery', sent: false, reason: 'throttled' });
    });

    test('throttled per client address: past twenty requests an hour from one address, no link for anyone; other addresses are not held back', async () => {
      const spammer = '203.0.113.66';
      for (let i = 1; i <= 20; i += 1) {
        assert.equal((await askFrom(spammer, `nobody-${i}@acme.test`)).statusCode, 303);
      }
      const refused = await askFrom(spammer, 'spray@acme.test');
      assert.deepEqual(seen(refused), seen(await askFrom('203.0.113.67', 'nobody@acme.test')));
      assert.deepEqual(await settledInbox(0), [], 'no link for the account asked from the blocked address');
      assert.equal(await recoveryRows('spray'), 0);
      await askFrom('203.0.113.67', 'spray@acme.test');
      assert.deepEqual((await settledInbox(1)).flatMap((m) => m.recipients), ['spray@acme.test']);
    });

    test('an address change ends the links sent to the old address', async () => {
      await ask('changer@acme.test');
      const link = linkOf((await settledInbox(1))[0]);
      const admin = browser();
      await admin.signIn('admin', 'admin-password');
      const saved = await admin.post(`/users/${id('changer')}`, { 'user[mail]': 'changer-new@acme.test' });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(await recoveryRows('changer'), 0);
      assert.equal((await follow(link)).landing.statusCode, 404);
    });

    test('send account information: a link to choose a password, never the password; the link works with lost_password off', async () => {
      const admin = browser();
      await admin.signIn('admin', 'admin-password');
      const created = await admin.post('/users', {
        'user[login]': 'newbie',
        'user[firstname]': 'New',
        'user[lastname]': 'Bie',
        'user[mail]': 'newbie@acme.test',
        'user[password]': 'typed-by-admin-1',
        'user[password_confirmation]': 'typed-by-admin-1',
        send_information: '1',
      });
      assert.equal(created.statusCode, 303, created.body);
      const [mail] = await settledInbox(1);
      assert.deepEqual(mail?.to, ['newbie@acme.test']);
      assert.equal(mail?.subject, 'Your Kanri account');
      assert.match(mail?.text ?? '', /Login: newbie/);
      assert.match(mail?.text ?? '', /http:\/\/acme\.localhost\/login/);
      assert.match(mail?.text ?? '', /within 72 hours/);
      assert.ok(!(mail?.text ?? '').includes('typed-by-admin-1'), 'no password in the mail');
      const link = linkOf(mail);
      const page = await admin.request('GET', created.headers.location as string);
      assert.match(page.body, /flash_notice/);

      await acme.setting('lost_password', '0');
      try {
        // 71 hours later the administrator's link still works (a lost-password link would not).
        await sql("UPDATE tokens SET created_on = created_on - interval '71 hours' WHERE action = 'set_password'");
        const { visitor, landing } = await follow(link);
        assert.equal(landing.statusCode, 302);
        assert.equal(landing.headers.location, PAGE);
        const done = await visitor.post(PAGE, { new_password: 'chosen by newbie', new_password_confirmation: 'chosen by newbie' });
        assert.equal(done.statusCode, 303);
      } finally {
        await acme.setting('lost_password', '1');
      }
      assert.equal(await signsIn('newbie', 'chosen by newbie'), true);
      assert.equal(await signsIn('newbie', 'typed-by-admin-1'), false);
      const [newbie] = await sql("SELECT id FROM users WHERE login = 'newbie'");
      const [reset] = (await auditOf('password.reset')).filter((r) => Number(r.target_id) === Number(newbie?.id));
      assert.deepEqual(reset?.details, { link: 'set_password' });
    });

    test('send account information from the edit page; a failed delivery is a warning, the change stands', async () => {
      const admin = browser();
      await admin.signIn('admin', 'admin-password');
      const edit = await admin.request('GET', `/users/${id('rhill')}/edit`);
      assert.match(edit.body, /name="send_information"/, 'offered for an active user');
      await acme.referenceIds();
      const ownEdit = await admin.request('GET', `/users/${id('admin')}/edit`);
      assert.equal(ownEdit.statusCode, 200);
      assert.doesNotMatch(ownEdit.body, /name="send_information"/, 'not for oneself');
      const sent = await admin.post(`/users/${id('rhill')}`, { 'user[firstname]': 'Robert', send_information: '1' });
      assert.equal(sent.statusCode, 303);
      const [mail] = await settledInbox(1);
      assert.deepEqual(mail?.to, ['rhill@acme.test']);
      linkOf(mail);

      const { platform } = acme.server;
      const working = platform.mailer;
      const broken = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', fileDir: '/nonexistent', logger: undefined });
      Object.assign(platform, { mailer: broken });
      try {
        const failed = await admin.post(`/users/${id('rhill')}`, { 'user[firstname]': 'Bob', send_information: '1' });
        assert.equal(failed.statusCode, 303);
        const page = await admin.request('GET', failed.headers.location as string);
        assert.match(page.body, /id="flash_warning"/);
        assert.match(page.body, /could not be e-mailed/);
      } finally {
        Object.assign(platform, { mailer: working });
        broken.close();
      }
      const [row] = await sql('SELECT firstname FROM users WHERE id = $1', [id('rhill')]);
      assert.equal(row?.firstname, 'Bob', 'the change stands');
    });

    test('changing the password on /my/password mails the notice with the time and the address', async () => {
      const user = browser();
      await user.signIn('kanako', 'kanako-password');
      const changed = await user.post('/my/password', { password: 'kanako-password', new_password: 'kanako-new-pass', new_password_confirmation: 'kanako-new-pass' });
      assert.ok([302, 303].includes(changed.statusCode), changed.body);
      const [mail] = await settledInbox(1);
      assert.deepEqual(mail?.to, ['kanako@acme.test']);
      assert.equal(mail?.subject, '[Kanri] セキュリティ通知', 'in her language');
      assert.match(mail?.text ?? '', /パスワードが変更されました。/);
      assert.match(mail?.text ?? '', /IPアドレス: 127\.0\.0\.1/);
      assert.match(mail?.text ?? '', /\d{4}[/-]\d{2}[/-]\d{2} \d{2}:\d{2} \(UTC\)/);
    });
  });
}
