/** The first administrator's one-time password works once: the next page is the password change. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, startTestApp, type TestApp } from '../support/app.ts';
import { kanri, oneTimePasswordOf } from '../support/cli.ts';
import { createTestEnvironment, engineCases, type TestEnvironment } from '../support/engines.ts';

for (const { engine, skip } of await engineCases()) {
  describe(`forced password change (${engine})`, { skip }, () => {
    let env: TestEnvironment;
    let server: TestApp;
    let oneTime: string;

    before(async () => {
      env = await createTestEnvironment(engine);
      const created = await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'a@acme.test', '--lang', 'ja']);
      assert.equal(created.code, 0, created.err);
      oneTime = oneTimePasswordOf(created);
      server = await startTestApp(env.env);
    });
    after(async () => {
      await server?.close();
      await env?.cleanup();
    });

    const tokenOf = (html: string) => /name="authenticity_token" value="([^"]+)"/.exec(html)?.[1] ?? '';

    test('every page leads to the password form until the password is changed', async () => {
      const browser = new Browser(server.app, 'acme.localhost');
      const other = new Browser(server.app, 'acme.localhost');
      assert.equal((await browser.signIn('admin', oneTime)).statusCode, 302);
      assert.equal((await other.signIn('admin', oneTime)).statusCode, 302);

      const home = await browser.request('GET', '/');
      assert.equal(home.statusCode, 302);
      assert.equal(home.headers.location, '/my/password');
      const form = await browser.request('GET', '/my/password');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /管理者がパスワードの変更を求めています/);
      const token = tokenOf(form.body);

      const change = (fields: Record<string, string>) =>
        browser.request('POST', '/my/password', { authenticity_token: token, ...fields });
      const wrong = await change({ password: 'nope', new_password: 'brand-new-pass', new_password_confirmation: 'brand-new-pass' });
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /パスワードが違います/);
      const mismatch = await change({ password: oneTime, new_password: 'brand-new-pass', new_password_confirmation: 'brand-new-pasz' });
      assert.match(mismatch.body, /パスワードが確認用の入力と一致しません/);
      const short = await change({ password: oneTime, new_password: 'short', new_password_confirmation: 'short' });
      assert.match(short.body, /パスワードは8文字以上で入力してください/);
      const same = await change({ password: oneTime, new_password: oneTime, new_password_confirmation: oneTime });
      assert.match(same.body, /新しいパスワードは現在のパスワードと異なるものにしてください/);
      const forged = await browser.request('POST', '/my/password', { authenticity_token: 'x', password: oneTime, new_password: 'brand-new-pass', new_password_confirmation: 'brand-new-pass' });
      assert.equal(forged.statusCode, 422);
      // The forged post signed the browser out (Redmine, csrf.test.ts): sign in again.
      assert.equal(await browser.whoAmI(), undefined);
      assert.equal((await browser.signIn('admin', oneTime)).statusCode, 302);

      const before = browser.cookies.get('kanri_sid');
      const done = await change({ password: oneTime, new_password: 'brand-new-pass', new_password_confirmation: 'brand-new-pass' });
      assert.equal(done.statusCode, 302);
      assert.notEqual(browser.cookies.get('kanri_sid'), before, 'the session that changed the password has a new id');
      const stale = new Browser(server.app, 'acme.localhost');
      stale.cookies.set('kanri_sid', before ?? '');
      assert.equal(await stale.whoAmI(), undefined, 'the old session id is dead');
      const after = await browser.request('GET', '/');
      assert.equal(after.statusCode, 200);
      assert.match(after.body, /パスワードを更新しました。/);
      assert.equal(await browser.whoAmI(), 'admin');

      assert.equal(await other.whoAmI(), undefined, 'the other session ended');
      assert.equal((await new Browser(server.app, 'acme.localhost').signIn('admin', oneTime)).statusCode, 200, 'the one-time password is spent');
      assert.equal((await new Browser(server.app, 'acme.localhost').signIn('admin', 'brand-new-pass')).statusCode, 302);
    });
  });
}
