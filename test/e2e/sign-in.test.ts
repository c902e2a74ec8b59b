/**
 * Signing in and out in a real browser against `kanri serve` on the embedded database: the
 * login-required redirect, the sign-in form with the first run's one-time password, the forced
 * password change that follows, the header of a signed-in user, sign-out, a wrong password, and a session of one tenant that is none on another.
 * Every page must load without console errors (CSP violations show up there).
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumUnavailable, launchBrowser } from '../support/browser.ts';
import { kanri } from '../support/cli.ts';
import { createTestEnvironment, type TestEnvironment } from '../support/engines.ts';
import { killServers, startServer, type ServerProcess } from '../support/server-process.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const LOGIN_REDIRECT = '/login?back_url=%2F';
const NEW_PASSWORD = 'a-new-admin-password';

const skip = await chromiumUnavailable();

describe('signing in with a browser', { skip }, () => {
  let env: TestEnvironment | undefined;
  let server: ServerProcess;
  let browser: Browser | undefined;
  let adminPassword: string;

  /** `http://<account>.localhost:<port><path>` */
  const at = (account: string, path = '/') => `http://${account}.localhost:${server.port}${path}`;

  before(async () => {
    env = await createTestEnvironment('pglite');
    // The first start on an empty data directory makes tenant `demo` and prints its admin's password;
    // it would not if another tenant existed already. The embedded database takes one process at a
    // time, so the CLI makes `acme` between two starts.
    const [first] = await Promise.all([startServer(env.env), mkdir(SCREENSHOTS, { recursive: true })]);
    const printed = /login "admin", one-time password (\S+)/.exec(first.output());
    assert.ok(printed?.[1], first.output());
    adminPassword = printed[1];
    assert.equal(await first.stop(), 0, first.output());
    const created = await kanri(
      env.env,
      ['tenant', 'create', 'acme', '--admin-email', 'a@acme.test', '--admin-password-file', '-'],
      'acme-password\n',
    );
    assert.equal(created.code, 0, created.err);
    [server, browser] = await Promise.all([startServer(env.env), launchBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await killServers();
    await env?.cleanup();
  });

  /** A fresh browser context (no cookies) and page; `problems` collects console errors and page errors. */
  async function openPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    assert.ok(browser);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      const line = `${message.type()}: ${message.text()} (${message.location().url})`;
      if (message.type() === 'error' || message.type() === 'warning') {
        problems.push(line);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return { context, page, problems };
  }

  async function signInThroughForm(page: Page, login: string, password: string): Promise<void> {
    await page.fill('#username', login);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login' || url.search === ''), page.click('#login-submit')]);
  }

  test('an anonymous visitor is sent to the sign-in form', async () => {
    const { context, page, problems } = await openPage();
    try {
      const response = await page.goto(at('demo'));
      assert.equal(response?.status(), 200);
      assert.equal(page.url(), at('demo', LOGIN_REDIRECT));
      assert.equal(await page.title(), 'Sign in - Kanri');
      assert.equal(await page.locator('#login-form h2').textContent(), 'Sign in');
      assert.equal(await page.locator('#account a.login').textContent(), 'Sign in');
      assert.equal(await page.locator('#loggedas').count(), 0);
      await page.screenshot({ path: `${SCREENSHOTS}sign-in-login-page.png`, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the first administrator signs in with the one-time password, must change it, and signs out', async () => {
    const { context, page, problems } = await openPage();
    try {
      await page.goto(at('demo'));
      await signInThroughForm(page, 'admin', adminPassword);
      assert.equal(page.url(), at('demo', '/my/password'));
      assert.match((await page.locator('#flash_error').textContent()) ?? '', /administrator requires you to change it/);
      await page.screenshot({ path: `${SCREENSHOTS}sign-in-change-password.png`, fullPage: true });
      await page.fill('#password', adminPassword);
      await page.fill('#new_password', NEW_PASSWORD);
      await page.fill('#new_password_confirmation', NEW_PASSWORD);
      await Promise.all([page.waitForURL(at('demo', '/')), page.getByRole('button', { name: 'Apply' }).click()]);
      adminPassword = NEW_PASSWORD;
      assert.equal(await page.locator('#flash_notice').textContent(), 'Password was successfully updated.');
      assert.equal(page.url(), at('demo', '/'));
      const loggedAs = page.locator('#loggedas');
      assert.match((await loggedAs.textContent()) ?? '', /^Logged in as\s+admin$/);
      assert.equal(await loggedAs.locator('a').textContent(), 'admin');
      assert.equal(await page.locator('#flash_error').count(), 0);
      await page.screenshot({ path: `${SCREENSHOTS}sign-in-home-page.png`, fullPage: true });

      const session = (await context.cookies(at('demo'))).find((c) => c.name === 'kanri_sid');
      assert.ok(session, 'a session cookie');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      assert.equal(session.domain, 'demo.localhost', 'host-only');

      await Promise.all([page.waitForURL(at('demo', LOGIN_REDIRECT)), page.getByRole('button', { name: 'Sign out' }).click()]);
      assert.equal(await page.locator('#loggedas').count(), 0);
      assert.equal((await context.cookies(at('demo'))).some((c) => c.name === 'kanri_sid'), false);
      // The old cookie is dead on the server too: putting it back does not sign in.
      await context.addCookies([session]);
      await page.goto(at('demo'));
      assert.equal(page.url(), at('demo', LOGIN_REDIRECT));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a wrong password shows the flash error and keeps the login', async () => {
    const { context, page, problems } = await openPage();
    try {
      await page.goto(at('demo', '/login'));
      await page.fill('#username', 'admin');
      await page.fill('#password', 'not-the-password');
      await Promise.all([page.waitForLoadState('load'), page.waitForResponse((r) => r.request().method() === 'POST'), page.click('#login-submit')]);
      await page.waitForSelector('#flash_error');
      assert.equal(await page.locator('#flash_error').textContent(), 'Invalid user or password');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(await page.inputValue('#username'), 'admin');
      assert.equal(await page.inputValue('#password'), '');
      assert.equal(await page.locator('#loggedas').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a session of demo is not sent to acme, and not valid there when it is', async () => {
    const { context, page, problems } = await openPage();
    try {
      await page.goto(at('demo'));
      await signInThroughForm(page, 'admin', adminPassword);
      assert.equal(await page.locator('#loggedas a').textContent(), 'admin');

      const sent: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).hostname === 'acme.localhost') {
          sent.push(request.headers().cookie ?? '');
        }
      });
      await page.goto(at('acme'));
      assert.equal(page.url(), at('acme', LOGIN_REDIRECT));
      assert.equal(await page.locator('#loggedas').count(), 0);
      assert.ok(sent.length > 0);
      assert.ok(sent.every((cookie) => !cookie.includes('kanri_sid')), sent.join('\n'));

      // Even carried over by hand, demo's cookie names no session on acme.
      const session = (await context.cookies(at('demo'))).find((c) => c.name === 'kanri_sid');
      assert.ok(session);
      await context.addCookies([{ name: session.name, value: session.value, url: at('acme') }]);
      await page.goto(at('acme'));
      assert.equal(page.url(), at('acme', LOGIN_REDIRECT));
      assert.equal(await page.locator('#loggedas').count(), 0);

      // ...while demo still knows it.
      await page.goto(at('demo'));
      assert.equal(page.url(), at('demo', '/'));
      assert.equal(await page.locator('#loggedas a').textContent(), 'admin');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
