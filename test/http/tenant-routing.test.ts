/**
 * Host → tenant over HTTP: unknown and suspended tenants, forwarded hosts, and the sign-in form's
 * defences (CSRF token, return address, sign-out by POST).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { suspendTenant, resumeTenant } from '#src/platform/tenant.service.ts';
import { Browser, startTestApp, type TestApp } from '../support/app.ts';
import { kanri } from '../support/cli.ts';
import { createTestEnvironment, engineCases, type TestEnvironment } from '../support/engines.ts';

for (const { engine, skip } of await engineCases()) {
  describe(`tenant routing over HTTP (${engine})`, { skip }, () => {
    let env: TestEnvironment;
    let server: TestApp;

    before(async () => {
      env = await createTestEnvironment(engine);
      env.env.TRUSTED_PROXIES = '10.0.0.1';
      const created = await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'a@acme.test', '--admin-password-file', '-'], 'acme-password\n');
      assert.equal(created.code, 0, created.err);
      server = await startTestApp(env.env);
    });
    after(async () => {
      await server?.close();
      await env?.cleanup();
    });

    const get = (host: string, url = '/', headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
      server.app.inject({ method: 'GET', url, headers: { host, ...headers }, remoteAddress });

    test('an unknown account and a host naming none are the same plain 404', async () => {
      const unknown = await get('initech.localhost');
      const bare = await get('localhost');
      assert.equal(unknown.statusCode, 404);
      assert.equal(bare.statusCode, 404);
      assert.equal(unknown.body, bare.body);
      assert.doesNotMatch(unknown.body, /initech|acme/);
      assert.equal((await get('acme.localhost', '/no/such/page')).statusCode, 404);
    });

    test('a suspended tenant answers 503 until it is resumed', async () => {
      await suspendTenant(server.platform, 'acme', 'test');
      const suspended = await get('acme.localhost', '/login');
      assert.equal(suspended.statusCode, 503);
      assert.match(suspended.body, /temporarily unavailable/);
      await resumeTenant(server.platform, 'acme', 'test');
      assert.equal((await get('acme.localhost', '/login')).statusCode, 200);
    });

    test('X-Forwarded-Host counts only from a trusted proxy', async () => {
      const spoofed = await get('initech.localhost', '/login', { 'x-forwarded-host': 'acme.localhost' }, '192.0.2.9');
      assert.equal(spoofed.statusCode, 404);
      const proxied = await get('internal-lb', '/login', { 'x-forwarded-host': 'acme.localhost' }, '10.0.0.1');
      assert.equal(proxied.statusCode, 200);
      // Of a list, the entry the trusted proxy appended counts, not one the client sent ahead of it.
      const appended = await get('internal-lb', '/login', { 'x-forwarded-host': 'initech.localhost, acme.localhost' }, '10.0.0.1');
      assert.equal(appended.statusCode, 200);
      assert.equal((await get('internal-lb', '/login', { 'x-forwarded-host': 'acme.localhost, initech.localhost' }, '10.0.0.1')).statusCode, 404);
    });

    test('health checks answer on any host', async () => {
      assert.deepEqual((await get('whatever.example', '/healthz')).json(), { status: 'ok' });
      const ready = await get('localhost', '/readyz');
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json<{ status: string }>().status, 'ready');
    });

    test('a sign-in post without the form token changes nothing', async () => {
      const browser = new Browser(server.app, 'acme.localhost');
      await browser.formToken();
      const forged = await browser.request('POST', '/login', { username: 'admin', password: 'acme-password', authenticity_token: 'forged' });
      assert.equal(forged.statusCode, 422);
      assert.match(forged.body, /Invalid form authenticity token/);
      assert.equal(browser.cookies.get('kanri_sid'), undefined);
      const withoutCookie = new Browser(server.app, 'acme.localhost');
      const token = await new Browser(server.app, 'acme.localhost').formToken();
      const replayed = await withoutCookie.request('POST', '/login', { username: 'admin', password: 'acme-password', authenticity_token: token });
      assert.equal(replayed.statusCode, 422, "another browser's token is worthless");
    });

    test('after sign-in only a local back_url is followed', async () => {
      for (const [backUrl, expected] of [
        ['/my/page', '/my/page'],
        ['//evil.example/', '/'],
        ['https://evil.example/', '/'],
        ['/\\evil.example', '/'],
      ]) {
        const browser = new Browser(server.app, 'acme.localhost');
        const token = await browser.formToken();
        const answer = await browser.request('POST', '/login', { username: 'admin', password: 'acme-password', authenticity_token: token, back_url: backUrl ?? '' });
        assert.equal(answer.statusCode, 302);
        assert.equal(answer.headers.location, expected, backUrl);
      }
    });

    test('sign-out is a POST with the token; it ends the session for good', async () => {
      const browser = new Browser(server.app, 'acme.localhost');
      await browser.signIn('admin', 'acme-password');
      const home = await browser.request('GET', '/');
      const token = /name="authenticity_token" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
      // A post with a wrong token is refused and signs the browser out, as Redmine does (csrf.test.ts).
      assert.equal((await browser.request('POST', '/logout', { authenticity_token: 'wrong' })).statusCode, 422);
      assert.equal(await browser.whoAmI(), undefined);
      await browser.signIn('admin', 'acme-password');
      const session = browser.cookies.get('kanri_sid');
      assert.ok(session);
      await browser.request('POST', '/logout', { authenticity_token: token });
      assert.equal(await browser.whoAmI(), undefined);
      const stolen = new Browser(server.app, 'acme.localhost');
      stolen.cookies.set('kanri_sid', session);
      assert.equal(await stolen.whoAmI(), undefined, 'the old cookie is dead on the server too');
    });

    test('every answer carries a request id and the security headers', async () => {
      const page = await get('acme.localhost', '/login', { 'x-request-id': 'abc-123' });
      assert.equal(page.headers['x-request-id'], 'abc-123');
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      const cookie = String(page.headers['set-cookie']);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.doesNotMatch(cookie, /Domain=/i, 'host-only cookies');
    });
  });
}
