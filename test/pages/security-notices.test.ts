/**
 * Security notifications to every active administrator (security.md §2, §4, §11), over a real SMTP
 * server: a change to a setting Redmine flags (not autologin or display settings) from the settings
 * page or the operator's `tenant set`, with the changed names, the actor and the address, in each
 * administrator's language; `twofa` → 0 from the operator's command unpairs every user like the page
 * does; the administrator right granted or taken and an administrator locked, unlocked, deleted or
 * created (pages and REST API) — and the sessions and autologin tokens of a user who loses the right.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTenantSetting } from '#src/platform/tenant.service.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';
import { startInbox, type ReceivedMail } from '../support/smtp.ts';

const inbox = await startInbox();
after(() => inbox.close());

const ADMINS = ['admin@acme.test', 'boss@acme.test'];

/** Waits for `count` messages, then a moment more, so a mail that should not come has had its chance. */
async function settledInbox(count: number): Promise<readonly ReceivedMail[]> {
  if (count > 0) {
    await inbox.waitFor(count);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return inbox.messages;
}

const recipientsOf = (mails: readonly ReceivedMail[]) => mails.flatMap((m) => m.recipients).sort();
const textTo = (address: string) => inbox.to(address)[0]?.text ?? '';

for (const { engine, skip } of await pageEngineCases()) {
  describe(`security notifications to administrators (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine, { extraEnv: { SMTP_URL: inbox.url } });
    const { sql, id } = acme;
    let admin: Browser;

    const audits = (event: string, login: string) => sql('SELECT actor_name, details FROM audit_events WHERE event = $1 AND target_name = $2 ORDER BY id', [event, login]);
    const tokensOf = async (login: string) =>
      (await sql("SELECT action FROM tokens WHERE user_id = $1 AND action IN ('session', 'autologin') ORDER BY action", [id(login)])).map((r) => String(r.action));

    before(async () => {
      await acme.users(['jsmith', 'boss', 'retired', 'dlopper', 'rhill']);
      await sql("UPDATE users SET admin = true WHERE login IN ('boss', 'retired')");
      await sql("UPDATE users SET language = 'ja' WHERE login = 'boss'");
      await acme.lock('retired');
      admin = new Browser(acme.server.app, 'acme.localhost');
      assert.equal((await admin.signIn('admin', 'admin-password')).statusCode, 302);
    });

    beforeEach(() => inbox.clear());

    test('security settings changed on the page: each active administrator is told which, by whom, from where, in their language', async () => {
      const saved = await admin.post('/settings/edit?tab=authentication', {
        'settings[lost_password]': '0',
        'settings[autologin]': '7',
        'settings[password_min_length]': '10',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      try {
        const mails = await settledInbox(2);
        assert.deepEqual(recipientsOf(mails), ADMINS, 'the active administrators only: not the locked one, not jsmith');
        const english = textTo('admin@acme.test');
        assert.match(english, /The following settings were changed:\n\n {2}\* Lost password\n {2}\* Minimum password length\n/);
        assert.doesNotMatch(english, /Autologin/, 'autologin is no security setting (Redmine)');
        assert.match(english, /http:\/\/acme\.localhost\/settings\n/);
        assert.match(english, /User: admin\nIP address: 127\.0\.0\.1\n/);
        assert.doesNotMatch(english.split('http://')[0] ?? '', /\d/, 'the names, not the values');
        assert.equal(inbox.to('admin@acme.test')[0]?.subject, '[Kanri] Security notification');
        const japanese = textTo('boss@acme.test');
        assert.match(japanese, /下記の設定が変更されました:\n\n {2}\* パスワード再設定\n {2}\* パスワードの最低文字数\n/);
        assert.equal(inbox.to('boss@acme.test')[0]?.subject, '[Kanri] セキュリティ通知');

        // Saving again changes nothing: no mail. Nor does a change to autologin or the title.
        inbox.clear();
        assert.equal((await admin.post('/settings/edit?tab=authentication', { 'settings[lost_password]': '0', 'settings[autologin]': '1' })).statusCode, 303);
        assert.equal((await admin.post('/settings/edit?tab=general', { 'settings[app_title]': 'ACME' })).statusCode, 303);
        assert.deepEqual(await settledInbox(0), []);
      } finally {
        for (const [name, value] of [['lost_password', '1'], ['autologin', '0'], ['password_min_length', '8'], ['app_title', 'Kanri']] as const) {
          await acme.setting(name, value);
        }
      }
    });

    test('the 2FA setting warns that "disabled" unpairs everyone, and asks before saving it', async () => {
      const page = await admin.request('GET', '/settings?tab=authentication');
      assert.match(page.body, /<option value="0" data-confirm="Two-factor authentication will be disabled and every user’s authenticator app unpaired; [^"]*">disabled<\/option>/);
      assert.match(page.body, /<em class="info">Setting “disabled” deactivates two-factor authentication and unpairs the devices of all users\.<\/em>/);
      assert.equal((page.body.match(/data-confirm=/g) ?? []).length, 1, 'on that option only');
    });

    test('the operator turning twofa to 0 (kanri tenant set) unpairs every user, one audit event each, and tells the administrators', async () => {
      await sql("UPDATE users SET twofa_scheme = 'totp', twofa_totp_key = 'sealed' WHERE login IN ('jsmith', 'dlopper')");
      try {
        await setTenantSetting(acme.server.platform, 'acme', 'twofa', '0', 'cli');
        assert.deepEqual(await sql("SELECT login FROM users WHERE twofa_scheme IS NOT NULL OR twofa_totp_key IS NOT NULL"), []);
        for (const login of ['jsmith', 'dlopper']) {
          const rows = await audits('twofa.reset', login);
          assert.equal(rows.length, 1, login);
          assert.equal(rows[0]?.actor_name, 'operator');
          assert.equal((rows[0]?.details as { reason?: string }).reason, 'setting twofa disabled');
        }
        const setting = await sql("SELECT actor_name, details FROM audit_events WHERE event = 'setting.update' AND target_name = 'twofa' ORDER BY id DESC LIMIT 1");
        assert.deepEqual(setting[0]?.details, { setting: 'twofa', from: '1', to: '0' });
        // Each unpaired user is told, and each administrator.
        const mails = await settledInbox(4);
        assert.deepEqual(recipientsOf(mails), ['admin@acme.test', 'boss@acme.test', 'dlopper@acme.test', 'jsmith@acme.test']);
        assert.match(textTo('admin@acme.test'), /\* Two-factor authentication\n[\s\S]*User: operator\n/);
      } finally {
        await acme.setting('twofa', '1');
      }
    });

    test('granting the administrator right (REST) and taking it (page): every active administrator is told; the former one is signed out everywhere', async () => {
      await acme.setting('autologin', '7');
      try {
        const user = new Browser(acme.server.app, 'acme.localhost');
        const token = await user.formToken('/login');
        assert.equal((await user.request('POST', '/login', { username: 'jsmith', password: 'jsmith-password', authenticity_token: token, autologin: '1' })).statusCode, 302);

        const granted = await acme.call('PUT', `/users/${id('jsmith')}.json`, 'admin', { user: { admin: true } });
        assert.equal(granted.statusCode, 204, granted.body);
        const added = await settledInbox(3);
        assert.deepEqual(recipientsOf(added), ['admin@acme.test', 'boss@acme.test', 'jsmith@acme.test'], 'the new administrator too');
        assert.match(textTo('admin@acme.test'), /^Administrator jsmith was added\.\n\nhttp:\/\/acme\.localhost\/users\n\nUser: admin\nIP address: 127\.0\.0\.1\n/m);
        assert.match(textTo('boss@acme.test'), /システム管理者 に jsmith が追加されました。/);
        assert.equal((await audits('admin.grant', 'jsmith')).length, 1);
        assert.equal(await user.whoAmI(), 'jsmith', 'a new right does not end the sessions');

        inbox.clear();
        const revoked = await admin.post(`/users/${id('jsmith')}`, { 'user[admin]': '0' });
        assert.equal(revoked.statusCode, 303, revoked.body);
        assert.equal((await sql('SELECT admin FROM users WHERE id = $1', [id('jsmith')]))[0]?.admin, false);
        const removed = await settledInbox(2);
        assert.deepEqual(recipientsOf(removed), ADMINS, 'no longer to jsmith');
        assert.match(textTo('admin@acme.test'), /^Administrator jsmith was removed\./m);
        assert.equal((await audits('admin.revoke', 'jsmith')).length, 1);
        assert.deepEqual(await tokensOf('jsmith'), [], 'sessions and autologin token ended');
        assert.equal(await user.whoAmI(), undefined, 'the browser is signed out, and autologin does not bring it back');
      } finally {
        await acme.setting('autologin', '0');
      }
    });

    test('an administrator locked, unlocked, deleted, created: added or removed, to the active administrators', async () => {
      await sql('UPDATE users SET admin = true WHERE id = $1', [id('rhill')]);
      const session = new Browser(acme.server.app, 'acme.localhost');
      assert.equal((await session.signIn('rhill', 'rhill-password')).statusCode, 302);

      const locked = await acme.call('DELETE', `/users/${id('rhill')}.json?lock=1`, 'admin');
      assert.equal(locked.statusCode, 204, locked.body);
      assert.deepEqual(recipientsOf(await settledInbox(2)), ADMINS);
      assert.match(textTo('admin@acme.test'), /^Administrator rhill was removed\./m);
      assert.deepEqual(await tokensOf('rhill'), []);

      inbox.clear();
      assert.equal((await acme.call('PUT', `/users/${id('rhill')}.json`, 'admin', { user: { status: 1 } })).statusCode, 204);
      assert.deepEqual(recipientsOf(await settledInbox(3)), ['admin@acme.test', 'boss@acme.test', 'rhill@acme.test']);
      assert.match(textTo('boss@acme.test'), /システム管理者 に rhill が追加されました。/);

      inbox.clear();
      assert.equal((await acme.call('DELETE', `/users/${id('rhill')}.json`, 'admin')).statusCode, 204);
      assert.deepEqual(recipientsOf(await settledInbox(2)), ADMINS);
      assert.match(textTo('admin@acme.test'), /^Administrator rhill was removed\./m);

      inbox.clear();
      const created = await acme.call('POST', '/users.json', 'admin', {
        user: { login: 'newboss', firstname: 'New', lastname: 'Boss', mail: 'newboss@acme.test', password: 'newboss-password', admin: true },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(recipientsOf(await settledInbox(3)), ['admin@acme.test', 'boss@acme.test', 'newboss@acme.test']);
      assert.match(textTo('admin@acme.test'), /^Administrator newboss was added\./m);

      // Changes that leave the administrators as they were tell no one.
      inbox.clear();
      assert.equal((await acme.call('PUT', `/users/${id('dlopper')}.json`, 'admin', { user: { firstname: 'Dave' } })).statusCode, 204);
      assert.equal((await acme.call('DELETE', `/users/${id('dlopper')}.json?lock=1`, 'admin')).statusCode, 204);
      assert.deepEqual(await settledInbox(0), []);
    });
  });
}
