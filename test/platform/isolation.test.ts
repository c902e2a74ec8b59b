/**
 * Two tenants made through the CLI share a process and nothing else: users, rows and sessions of one
 * do not exist in the other — on PGlite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser } from '#src/features/account/index.ts';
import { findTenantByAccount } from '#src/platform/tenant.repository.ts';
import { Browser, startTestApp, type TestApp } from '../support/app.ts';
import { kanri, oneTimePasswordOf } from '../support/cli.ts';
import { createTestEnvironment, engineCases, type TestEnvironment } from '../support/engines.ts';

for (const { engine, skip } of await engineCases()) {
  describe(`tenant isolation (${engine})`, { skip }, () => {
    let env: TestEnvironment;
    let server: TestApp;
    let acmePassword: string;

    before(async () => {
      env = await createTestEnvironment(engine);
      const acme = await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'root@acme.test']);
      assert.equal(acme.code, 0, acme.err);
      acmePassword = oneTimePasswordOf(acme);
      const globex = await kanri(
        env.env,
        ['tenant', 'create', 'globex', '--admin-email', 'root@globex.test', '--lang', 'ja', '--admin-password-file', '-'],
        'globex-secret-1\n',
      );
      assert.equal(globex.code, 0, globex.err);
      server = await startTestApp(env.env);
      const acmeTenant = await findTenantByAccount(server.platform.db.orm, 'acme');
      assert.ok(acmeTenant);
      await server.platform.tenantDatabases.use(acmeTenant, (db) =>
        createUser(
          db.orm,
          { login: 'alice', password: 'alice-password', firstname: 'Alice', lastname: 'Liddell', mail: 'alice@acme.test', minPasswordLength: 8 },
          new Date(),
        ),
      );
    });

    after(async () => {
      await server?.close();
      await env?.cleanup();
    });

    test('a user of one tenant signs in there and nowhere else', async () => {
      const atAcme = new Browser(server.app, 'acme.localhost');
      const signedIn = await atAcme.signIn('alice', 'alice-password');
      assert.equal(signedIn.statusCode, 302);
      assert.equal(await atAcme.whoAmI(), 'alice');

      const atGlobex = new Browser(server.app, 'globex.localhost:3000');
      const refused = await atGlobex.signIn('alice', 'alice-password');
      assert.equal(refused.statusCode, 200);
      assert.match(refused.body, /ユーザー名もしくはパスワードが無効です/);
      assert.equal(await atGlobex.whoAmI(), undefined);
    });

    test("each tenant's first administrator has the password set at creation", async () => {
      const acmeAdmin = new Browser(server.app, 'acme.localhost');
      assert.equal((await acmeAdmin.signIn('admin', acmePassword)).statusCode, 302);
      const globexWithAcmePassword = new Browser(server.app, 'globex.localhost');
      assert.equal((await globexWithAcmePassword.signIn('admin', acmePassword)).statusCode, 200);
      const globexAdmin = new Browser(server.app, 'globex.localhost');
      assert.equal((await globexAdmin.signIn('admin', 'globex-secret-1')).statusCode, 302);
    });

    test('a row written in one tenant is absent from the other', async () => {
      const rows = async (account: string) => {
        const tenant = await findTenantByAccount(server.platform.db.orm, account);
        assert.ok(tenant);
        return server.platform.tenantDatabases.use(tenant, (db) =>
          db.query<{ login: string }>("SELECT login FROM users WHERE type = 'User' ORDER BY login"),
        );
      };
      assert.deepEqual((await rows('acme')).map((r) => r.login), ['admin', 'alice']);
      assert.deepEqual((await rows('globex')).map((r) => r.login), ['admin']);
    });

    test('the session cookie of one tenant is no session on another', async () => {
      const atAcme = new Browser(server.app, 'acme.localhost');
      await atAcme.signIn('alice', 'alice-password');
      const session = atAcme.cookies.get('kanri_sid');
      assert.ok(session);
      const atGlobex = new Browser(server.app, 'globex.localhost');
      atGlobex.cookies.set('kanri_sid', session);
      assert.equal(await atGlobex.whoAmI(), undefined);
      const home = await atGlobex.request('GET', '/');
      assert.equal(home.statusCode, 302, 'globex requires sign-in and does not take the acme cookie');
    });

    test('tenants get default data in their own language', async () => {
      const trackers = async (account: string) => {
        const tenant = await findTenantByAccount(server.platform.db.orm, account);
        assert.ok(tenant);
        return server.platform.tenantDatabases.use(tenant, (db) =>
          db.query<{ name: string }>('SELECT name FROM trackers ORDER BY position'),
        );
      };
      assert.deepEqual((await trackers('acme')).map((r) => r.name), ['Bug', 'Feature', 'Support']);
      assert.deepEqual((await trackers('globex')).map((r) => r.name), ['バグ', '機能', 'サポート']);
    });
  });
}
