/**
 * Where Kanri's server may reach an OpenID Connect provider without the operator's
 * KANRI_OIDC_ALLOW_PRIVATE (security.md §9): an issuer that is not https, or whose host is private,
 * loopback or unresolvable, is refused on the administration page with a message saying why; one that
 * turned private after it was saved (DNS changed) is refused again at sign-in, audited. The address
 * checks themselves are tested in src/features/oidc/oidc.fetch.test.ts.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { encryptClientSecret, secretKeyOf } from '#src/features/oidc/oidc.settings.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

for (const { engine, skip } of await pageEngineCases()) {
  describe(`OpenID Connect providers at public https addresses only (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql } = acme;
    let admin: Browser;
    const configure = (issuer: string) =>
      admin.post('/admin/oidc', { enabled: '1', provider_name: 'Acme ID', issuer, client_id: 'kanri', client_secret: 'a-secret', login_claim: 'preferred_username', auto_create: '0', sso_only: '0' });

    before(async () => {
      admin = new Browser(acme.server.app, 'acme.localhost');
      assert.equal((await admin.signIn('admin', 'admin-password')).statusCode, 302);
    });

    test('the administration page refuses http, private and unresolvable issuers, saying why', async () => {
      const http = await configure('http://127.0.0.1:9');
      assert.equal(http.statusCode, 422);
      assert.match(http.body, /Issuer URL must be an https:\/\/ address/);
      for (const issuer of ['https://127.0.0.1:9', 'https://localhost:9', 'https://[::1]:9', 'https://10.0.0.8/realms/acme']) {
        const refused = await configure(issuer);
        assert.equal(refused.statusCode, 422, issuer);
        assert.match(refused.body, /Issuer URL is refused: its host name resolves to a private, loopback or otherwise non-public address/, issuer);
        assert.match(refused.body, /KANRI_OIDC_ALLOW_PRIVATE=1/);
      }
      const unknown = await configure('https://idp.does-not-exist.invalid');
      assert.equal(unknown.statusCode, 422);
      assert.match(unknown.body, /Issuer URL is refused: its host name cannot be resolved\./);
      assert.deepEqual(await sql("SELECT value FROM settings WHERE name = 'oidc'"), [], 'nothing saved');
    });

    test('an issuer that points to a private address by the time it is used is refused at sign-in, audited', async () => {
      const key = secretKeyOf(acme.server.platform.secret, 'acme');
      const settings = { enabled: true, providerName: 'Acme ID', issuer: 'https://127.0.0.1:9', clientId: 'kanri', encryptedSecret: encryptClientSecret(key, 'a-secret'), loginClaim: 'preferred_username', autoCreate: false, ssoOnly: false };
      await sql("INSERT INTO settings (name, value, updated_on) VALUES ('oidc', $1, now())", [JSON.stringify(settings)]);
      const visitor = new Browser(acme.server.app, 'acme.localhost');
      const start = await visitor.request('GET', '/auth/oidc');
      assert.equal(start.statusCode, 302);
      assert.equal(start.headers.location, '/login');
      assert.match((await visitor.request('GET', '/login')).body, /Single sign-on failed\. Please try again\./);
      const [row] = await sql("SELECT details FROM audit_events WHERE event = 'login.failure' ORDER BY id DESC LIMIT 1");
      assert.deepEqual(row?.details, { method: 'oidc', reason: 'issuer_refused: non_public_address' });
    });
  });
}
