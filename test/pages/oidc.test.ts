/**
 * Single sign-on with OpenID Connect against a real provider (`oidc-provider`) served on 127.0.0.1:
 * the administration page (secret stored encrypted, never shown back), the whole authorization code
 * flow (discovery, PKCE, state, nonce, ID token), mapping the login claim to a local user, refusals
 * (tampered state, missing flow cookie, unknown and locked users) audited and shown on the sign-in
 * page, creation of unknown users when allowed, and "SSO only" (password form hidden, password
 * sign-in refused for everyone but administrators).
 *
 * The provider's login and consent pages are replaced by a small interaction route of the test
 * that completes them for the account named in `providerAccount` (interactionDetails/Finished).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import Provider from 'oidc-provider';
import { apiKeyOf } from '#src/features/account/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth, Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';

const CLIENT_ID = 'kanri-acme';
const CLIENT_SECRET = 'provider-client-secret-0123456789';
const REDIRECT_URI = 'http://acme.localhost/auth/oidc/callback';

interface ProviderAccount {
  readonly sub: string;
  readonly preferred_username: string;
  readonly email: string;
  readonly given_name: string;
  readonly family_name: string;
}

const ACCOUNTS: Record<string, ProviderAccount> = {
  jsmith: { sub: 'sub-jsmith', preferred_username: 'jsmith', email: 'jsmith@acme.test', given_name: 'John', family_name: 'Smith' },
  locked: { sub: 'sub-locked', preferred_username: 'locked', email: 'locked@acme.test', given_name: 'Lou', family_name: 'Locked' },
  boss: { sub: 'sub-boss', preferred_username: 'boss', email: 'boss@acme.test', given_name: 'Bo', family_name: 'Boss' },
  newbie: { sub: 'sub-newbie', preferred_username: 'newbie', email: 'newbie@idp.test', given_name: 'Nina', family_name: 'Newbie' },
};
/** The account the provider's interaction signs in as. */
let providerAccount = 'jsmith';

// The provider must know its own address before it is built: listen first, then attach it.
const httpServer = createServer();
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
const ISSUER = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
const provider = new Provider(ISSUER, {
  clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'], response_types: ['code'] }],
  cookies: { keys: ['oidc-test-cookie-key'] },
  ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
  claims: { openid: ['sub'], profile: ['preferred_username', 'given_name', 'family_name'], email: ['email'] },
  // The claims go into the ID token itself, which is what the relying party reads.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, id) => {
    const account = Object.values(ACCOUNTS).find((a) => a.sub === id);
    return account ? { accountId: id, claims: () => ({ ...account }) } : undefined;
  },
});
const providerCallback = provider.callback();

/** The test's interaction route: completes the login prompt as `providerAccount`, then consent. */
async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    const account = ACCOUNTS[providerAccount];
    assert.ok(account);
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = details.session?.accountId;
  assert.ok(accountId);
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  assert.ok(grant);
  grant.addOIDCScope('openid profile email');
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/** Discovery requests the provider answered: Kanri keeps the metadata a few minutes per tenant. */
let discoveries = 0;
httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
  if (req.url === '/.well-known/openid-configuration') {
    discoveries++;
  }
  if (req.url?.startsWith('/interaction/')) {
    interaction(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
    return;
  }
  void providerCallback(req, res);
});
after(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));

/**
 * Follows the provider's redirects from `url` (a fresh provider session, cookies kept by name) until
 * one leaves for Kanri; returns that address's path and query.
 */
async function throughProvider(url: string): Promise<string> {
  const jar = new Map<string, string>();
  let next = url;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(next, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = response.headers.get('location');
    assert.ok(location, `the provider answered ${response.status} at ${next}: ${await response.text()}`);
    const target = new URL(location, next);
    if (target.origin === 'http://acme.localhost') {
      return `${target.pathname}${target.search}`;
    }
    next = target.href;
  }
  throw new Error('too many redirects at the provider');
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`single sign-on with OpenID Connect (${engine})`, { skip }, () => {
    // The provider runs on 127.0.0.1 over http: the operator's flag for on-premise providers allows it.
    // Sudo mode on (single sign-on sessions confirm at the provider); the administrator enters it once.
    const acme = acmeWorld(engine, { extraEnv: { KANRI_OIDC_ALLOW_PRIVATE: '1', KANRI_SUDO_MODE: '1' } });
    const { sql } = acme;
    let admin: Browser;
    /** The audit trail is append-only: each test reads the rows written after it started. */
    let auditMark = 0;
    const auditRows = (event: string) => sql('SELECT actor_name, target_name, details FROM audit_events WHERE event = $1 AND id > $2 ORDER BY id', [event, auditMark]);
    const stored = async () => (await sql("SELECT value FROM settings WHERE name = 'oidc'"))[0]?.value as string | undefined;
    const configure = (fields: Record<string, string>) =>
      admin.post('/admin/oidc', {
        enabled: '1',
        provider_name: 'Acme ID',
        issuer: ISSUER,
        client_id: CLIENT_ID,
        client_secret: '',
        login_claim: 'preferred_username',
        auto_create: '0',
        sso_only: '0',
        ...fields,
      });
    /** A new browser's way from "Sign in with …" to the callback; returns the browser and the callback's answer. */
    const ssoAs = async (account: string, tamper?: (callback: string) => string) => {
      providerAccount = account;
      const browser = new Browser(acme.server.app, 'acme.localhost');
      const start = await browser.request('GET', '/auth/oidc?back_url=%2Fprojects');
      assert.equal(start.statusCode, 302, start.body);
      const authorize = String(start.headers.location);
      assert.ok(authorize.startsWith(`${ISSUER}/auth?`), authorize);
      const params = new URL(authorize).searchParams;
      assert.equal(params.get('code_challenge_method'), 'S256');
      assert.ok(params.get('state') && params.get('nonce') && params.get('code_challenge'));
      assert.equal(params.get('redirect_uri'), REDIRECT_URI);
      const callback = await throughProvider(authorize);
      assert.ok(callback.startsWith('/auth/oidc/callback?'), callback);
      const done = await browser.request('GET', tamper ? tamper(callback) : callback);
      return { browser, done };
    };
    /** A password sign-in from the administrators' form (`/login?password=1`), the other being hidden under "SSO only". */
    const passwordSignIn = async (browser: Browser, username: string, password: string) =>
      browser.request('POST', '/login', { username, password, back_url: '/', authenticity_token: await browser.formToken('/login?password=1') });
    const flashOf = async (browser: Browser) => (await browser.request('GET', '/login')).body;

    before(async () => {
      await acme.users(['jsmith', 'locked', 'boss']);
      await sql("UPDATE users SET admin = true WHERE login = 'boss'");
      await acme.lock('locked');
      admin = new Browser(acme.server.app, 'acme.localhost');
      assert.equal((await admin.signIn('admin', 'admin-password')).statusCode, 302);
      assert.equal((await admin.post('/sudo_mode', { sudo_password: 'admin-password', back_url: '/admin/oidc' })).statusCode, 303);
    });

    beforeEach(async () => {
      auditMark = Number((await sql('SELECT coalesce(max(id), 0) AS id FROM audit_events'))[0]?.id);
    });

    test('the administration page saves the settings, audits them, and never shows the secret', async () => {
      const page = await admin.request('GET', '/admin/oidc');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<h2>OpenID Connect<\/h2>/);
      assert.match(page.body, /Redirect URI: http:\/\/acme\.localhost\/auth\/oidc\/callback/);
      assert.match(page.body, /<a href="\/admin\/oidc" class="[^"]*oidc selected"/, 'the admin menu marks the page');

      const refused = await configure({ issuer: 'ftp://idp.example.com', client_secret: '' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Issuer URL must be an https:\/\/ address/);
      assert.match(refused.body, /Client secret cannot be blank/);
      assert.equal(await stored(), undefined);

      const saved = await configure({ client_secret: CLIENT_SECRET });
      assert.equal(saved.statusCode, 303, saved.body);
      const value = await stored();
      assert.ok(value);
      assert.ok(!value.includes(CLIENT_SECRET), 'the secret is stored encrypted');
      assert.match(value, /"encryptedSecret":"v1:/);
      const shown = await admin.request('GET', '/admin/oidc');
      assert.ok(!shown.body.includes(CLIENT_SECRET), 'the secret is not in the page');
      assert.match(shown.body, /A secret is stored; leave blank to keep it\./);
      assert.match(shown.body, /name="client_secret" value(="")? size/, 'the field is empty');

      // A blank secret keeps the stored one.
      assert.equal((await configure({ provider_name: 'Acme ID' })).statusCode, 303);
      const secretOf = (json: string | undefined) => (JSON.parse(json ?? '{}') as { encryptedSecret?: string }).encryptedSecret;
      assert.equal(secretOf(await stored()), secretOf(value));

      const audits = await auditRows('setting.update');
      const mine = audits.filter((row) => row.target_name === 'oidc');
      assert.equal(mine.length, 1, 'an unchanged save records nothing');
      assert.equal(mine[0]?.actor_name, 'admin');
      assert.ok(!JSON.stringify(mine[0]?.details).includes(CLIENT_SECRET));
      assert.ok((mine[0]?.details as { changed: string[] }).changed.includes('clientSecret'));
    });

    test('the sign-in page offers the provider; a known user signs in through it with a new session, audited', async () => {
      const login = await new Browser(acme.server.app, 'acme.localhost').request('GET', '/login');
      assert.match(login.body, /href="\/auth\/oidc\?back_url=%2F"[^>]*>Sign in with Acme ID</);
      assert.match(login.body, /name="password"/, 'the password form stays without "SSO only"');

      const discoveriesBefore = discoveries;
      const { browser, done } = await ssoAs('jsmith');
      for (let i = 0; i < 2; i++) {
        assert.equal((await new Browser(acme.server.app, 'acme.localhost').request('GET', '/auth/oidc')).statusCode, 302);
      }
      assert.equal(discoveries - discoveriesBefore, 1, 'the provider metadata is fetched once for a sign-in and two more starts');
      assert.equal(done.statusCode, 302, done.body);
      assert.equal(done.headers.location, '/projects');
      assert.equal(await browser.whoAmI(), 'jsmith');
      const sessions = await sql("SELECT s.sign_in_method FROM kanri_session_details s JOIN tokens t ON t.id = s.token_id JOIN users u ON u.id = t.user_id WHERE u.login = 'jsmith'");
      assert.deepEqual(sessions.map((row) => row.sign_in_method), ['oidc']);
      const rows = await auditRows('login.success');
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.target_name, 'jsmith');
      assert.deepEqual(rows[0]?.details, { method: 'oidc' });
    });

    test('a tampered state, or a callback without the browser that started the flow, is refused', async () => {
      const { browser, done } = await ssoAs('jsmith', (callback) => callback.replace(/state=[^&]+/, 'state=forged'));
      assert.equal(done.statusCode, 302);
      assert.equal(done.headers.location, '/login');
      assert.equal(await browser.whoAmI(), undefined);
      assert.match(await flashOf(browser), /Single sign-on failed\. Please try again\./);

      providerAccount = 'jsmith';
      const starter = new Browser(acme.server.app, 'acme.localhost');
      const start = await starter.request('GET', '/auth/oidc');
      const callback = await throughProvider(String(start.headers.location));
      const stranger = new Browser(acme.server.app, 'acme.localhost');
      const refused = await stranger.request('GET', callback);
      assert.equal(refused.headers.location, '/login');
      assert.equal(await stranger.whoAmI(), undefined);

      // The provider's own refusal (the user cancelled): back to the sign-in page too.
      const cancelled = new Browser(acme.server.app, 'acme.localhost');
      const state = new URL(String((await cancelled.request('GET', '/auth/oidc')).headers.location)).searchParams.get('state');
      const denied = await cancelled.request('GET', `/auth/oidc/callback?error=access_denied&state=${state}`);
      assert.equal(denied.headers.location, '/login');
      assert.match(await flashOf(cancelled), /Single sign-on failed\. Please try again\./);

      const reasons = (await auditRows('login.failure')).map((row) => (row.details as { reason: string }).reason);
      assert.deepEqual(reasons, ['state_mismatch', 'no_pending_flow', 'provider_error: access_denied']);
    });

    test('an unknown user is refused while creation is off, and a locked user always', async () => {
      const unknown = await ssoAs('newbie');
      assert.equal(unknown.done.headers.location, '/login');
      assert.match(await flashOf(unknown.browser), /Your account at the provider does not match any active user of this site\./);
      assert.deepEqual(await sql("SELECT id FROM users WHERE login = 'newbie'"), []);

      const locked = await ssoAs('locked');
      assert.equal(locked.done.headers.location, '/login');
      assert.equal(await locked.browser.whoAmI(), undefined);

      const rows = await auditRows('login.failure');
      assert.deepEqual(
        rows.map((row) => [row.target_name, (row.details as { reason: string }).reason]),
        [
          ['newbie', 'unknown_user'],
          ['locked', 'inactive_user'],
        ],
      );
    });

    test('with creation on, an unknown user is created from the claims and signed in', async () => {
      assert.equal((await configure({ auto_create: '1' })).statusCode, 303);
      const { browser, done } = await ssoAs('newbie');
      assert.equal(done.statusCode, 302, done.body);
      assert.equal(await browser.whoAmI(), 'newbie');
      const [user] = await sql("SELECT u.firstname, u.lastname, u.status, u.admin, e.address FROM users u JOIN email_addresses e ON e.user_id = u.id WHERE u.login = 'newbie'");
      assert.deepEqual(user, { firstname: 'Nina', lastname: 'Newbie', status: 1, admin: false, address: 'newbie@idp.test' });
      assert.equal((await auditRows('user.create')).filter((row) => row.target_name === 'newbie').length, 1);
      assert.deepEqual((await auditRows('login.success'))[0]?.details, { method: 'oidc', created: true });
      assert.equal((await configure({ auto_create: '0' })).statusCode, 303);
    });

    test('"SSO only" hides the password form and refuses passwords to everyone but administrators', async () => {
      assert.equal((await configure({ sso_only: '1' })).statusCode, 303);
      const visitor = new Browser(acme.server.app, 'acme.localhost');
      const page = await visitor.request('GET', '/login');
      assert.match(page.body, /Sign in with Acme ID/);
      assert.doesNotMatch(page.body, /name="password"/);
      assert.match(page.body, /href="\/login\?password=1&amp;back_url=%2F"/);
      assert.match((await visitor.request('GET', '/login?password=1')).body, /name="password"/);

      const refused = await passwordSignIn(visitor, 'jsmith', 'jsmith-password');
      assert.equal(refused.statusCode, 200);
      assert.match(refused.body, /Except for administrators, sign-in with a password is disabled/);
      assert.equal(await visitor.whoAmI(), undefined);
      const wrong = await passwordSignIn(new Browser(acme.server.app, 'acme.localhost'), 'jsmith', 'not-the-password');
      assert.match(wrong.body, /Except for administrators, sign-in with a password is disabled/, 'the same answer: no password oracle');

      const boss = new Browser(acme.server.app, 'acme.localhost');
      assert.equal((await passwordSignIn(boss, 'boss', 'boss-password')).statusCode, 302);
      assert.equal(await boss.whoAmI(), 'boss');

      // Single sign-on itself still works.
      const { browser } = await ssoAs('jsmith');
      assert.equal(await browser.whoAmI(), 'jsmith');
      assert.equal((await configure({ sso_only: '0' })).statusCode, 303);
    });

    test('"SSO only" refuses HTTP Basic with a password on the REST API, except to administrators; API keys still work', async () => {
      const api = (authorization: Record<string, string>) => acme.server.app.inject({ method: 'GET', url: '/users/current.json', headers: { host: 'acme.localhost', ...authorization } });
      const login = async (authorization: Record<string, string>) => (JSON.parse((await api(authorization)).body) as { user?: { login: string } }).user?.login;
      assert.equal(await login({ authorization: basicAuth('jsmith') }), 'jsmith', 'Basic works without "SSO only"');
      assert.equal((await configure({ sso_only: '1' })).statusCode, 303);
      try {
        const refused = await api({ authorization: basicAuth('jsmith') });
        assert.equal(refused.statusCode, 401);
        assert.deepEqual(JSON.parse(refused.body), { errors: ['HTTP Basic authentication is not allowed. Use API key instead'] });
        const wrong = await api({ authorization: basicAuth('jsmith', 'not-the-password') });
        assert.equal(wrong.statusCode, 401, 'a wrong password is refused too');
        assert.equal(wrong.body, refused.body, 'with the same answer: no password oracle');
        assert.equal(wrong.headers['www-authenticate'], refused.headers['www-authenticate']);
        assert.equal(await login({ authorization: basicAuth('boss') }), 'boss', 'administrators keep Basic');
        const key = await acme.withDb((db) => apiKeyOf(db.orm, acme.id('jsmith'), new Date()));
        assert.equal(await login({ 'x-redmine-api-key': key }), 'jsmith', 'the API key works');
        assert.equal(await login({ authorization: basicAuth(key, 'x') }), 'jsmith', 'the API key as the Basic user name works');
      } finally {
        assert.equal((await configure({ sso_only: '0' })).statusCode, 303);
      }
    });

    test('sudo mode of a single sign-on session is confirmed at the provider (prompt=login, max_age=0), audited', async () => {
      const { browser } = await ssoAs('jsmith');
      assert.equal(await browser.whoAmI(), 'jsmith');
      const prompt = await browser.request('GET', '/my/api_key');
      assert.equal(prompt.statusCode, 200);
      assert.match(prompt.body, /id="sudo-oidc-form"/, 'the provider, not a password, is asked');
      assert.doesNotMatch(prompt.body, /name="sudo_password"/);
      assert.match(prompt.body, /Confirm with Acme ID/);
      const token = /name="authenticity_token" value="([^"]+)"/.exec(prompt.body)?.[1];
      assert.ok(token);
      const sudoUntil = async () => (await sql("SELECT d.sudo_until FROM kanri_session_details d JOIN tokens t ON t.id = d.token_id JOIN users u ON u.id = t.user_id WHERE u.login = 'jsmith' AND d.sign_in_method = 'oidc' ORDER BY d.token_id DESC LIMIT 1"))[0]?.sudo_until;
      assert.equal(await sudoUntil(), null);

      // Someone else at the provider (boss, a user here too) confirms nothing for jsmith's session.
      providerAccount = 'boss';
      const other = await browser.request('POST', '/auth/oidc/sudo', { authenticity_token: token, back_url: '/my/api_key' });
      const otherCallback = await throughProvider(String(other.headers.location));
      const otherDone = await browser.request('GET', otherCallback);
      assert.equal(otherDone.headers.location, '/my/api_key');
      assert.equal(await sudoUntil(), null);
      assert.match((await browser.request('GET', '/my/api_key')).body, /id="sudo-oidc-form"/);

      providerAccount = 'jsmith';
      const start = await browser.request('POST', '/auth/oidc/sudo', { authenticity_token: token, back_url: '/my/api_key' });
      assert.equal(start.statusCode, 302, start.body);
      const authorize = new URL(String(start.headers.location));
      assert.equal(authorize.searchParams.get('prompt'), 'login');
      assert.equal(authorize.searchParams.get('max_age'), '0');
      const callback = await throughProvider(authorize.href);
      const done = await browser.request('GET', callback);
      assert.equal(done.statusCode, 302, done.body);
      assert.equal(done.headers.location, '/my/api_key');
      assert.ok(await sudoUntil(), 'the session is in sudo mode');
      const page = await browser.request('GET', '/my/api_key');
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /sudo-oidc-form/);
      assert.equal(await browser.whoAmI(), 'jsmith', 'still the same session');

      const started = await auditRows('sudo.start');
      assert.deepEqual(started.map((row) => [row.actor_name, row.target_name, row.details]), [['jsmith', 'jsmith', { method: 'oidc' }]]);
      const failures = await auditRows('login.failure');
      assert.deepEqual(
        failures.map((row) => [row.target_name, row.details]),
        [['jsmith', { method: 'oidc', channel: 'sudo', reason: 'other_user' }]],
      );
    });
  });
}
