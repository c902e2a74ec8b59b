/**
 * The security controls of issue 5 in a real browser: each one switched on through Administration as
 * an administrator would, exercised as a user (and through the REST API where it concerns the API),
 * then switched off to show the difference — login required, two-factor authentication (enrolment
 * with a code computed from the key on the page, sign-in with a code and with a backup code, API key
 * vs. Basic), password policy and expiry, lost password by a real mail, session timeout and ending
 * other sessions, the IP address filter, the brute-force lock, and API keys with the REST API switch.
 *
 * The app runs in this process on a free port, so the test holds its clock (still, moved by the tests
 * past timeouts, locks and TOTP steps) and its mail goes to a real SMTP inbox. Sudo mode is on
 * (KANRI_SUDO_MODE=1): every administrative change and the API key page meet the password prompt
 * whenever the app's clock says sudo mode has lapsed. 127.0.0.1 is a trusted proxy, so each browser
 * context poses as an address of its own with X-Forwarded-For. Every page must load without console
 * errors (CSP violations show there), except the error statuses a step expects.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiKeyOf } from '#src/features/account/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { basicAuth } from '../support/app.ts';
import { chromiumUnavailable, launchBrowser } from '../support/browser.ts';
import { startInbox, type ReceivedMail } from '../support/smtp.ts';
import { totp } from '../support/totp.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The administrator's address: inside the office range the IP filter flow saves. */
const ADMIN_AT = '203.0.113.10';
const OUTSIDER = '198.51.100.7';
const INVALID_CREDENTIALS = 'Invalid user or password';

const skip = await chromiumUnavailable();

const inbox = await startInbox();
after(() => inbox.close());

/** A browser context posing as one client address, with its page and what its console said. */
interface Tab {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and warnings, page errors, unexpected dialogs. */
  readonly problems: string[];
  /** HTTP statuses this tab expects to meet (Chromium logs "Failed to load resource" for each). */
  readonly expectedStatuses: Set<number>;
}

describe('security controls in a browser', { skip }, () => {
  // The app's clock: held still in the middle of a 30-second step, moved by the tests.
  let now = Math.floor(Date.now() / 30_000) * 30_000 + 10_000;
  const advance = (ms: number) => {
    now += ms;
  };
  /** The next TOTP step: a code is accepted once per step. */
  const nextStep = () => advance(30_000);

  // The embedded engine, as the other browser tests: it starts fastest, and the pages' queries run on
  // both engines in the page and REST tests.
  const acme = acmeWorld('pglite', {
    clock: () => new Date(now),
    extraEnv: { SMTP_URL: inbox.url, TRUSTED_PROXIES: '127.0.0.1', KANRI_SUDO_MODE: '1' },
  });
  const { id } = acme;
  let browser: Browser | undefined;
  let port = 0;
  let admin: Tab;
  /** Changed when the password expires. */
  let adminPassword = 'admin-password';

  const at = (path: string) => `http://acme.localhost:${port}${path}`;
  const pathOf = (page: Page) => {
    const url = new URL(page.url());
    return url.pathname + url.search;
  };
  const keyOf = (login: string) => acme.withDb((db) => apiKeyOf(db.orm, id(login), new Date(now)));

  /** A REST request over the socket, from `from` (X-Forwarded-For through the trusted loopback). */
  function api(path: string, headers: Record<string, string>, from = '203.0.113.99'): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { host: '127.0.0.1', port, path, method: 'GET', headers: { host: `acme.localhost:${port}`, 'x-forwarded-for': from, ...headers } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  /** The first mail to `login` (delivery is asynchronous to the answer that sent it). */
  async function mailTo(login: string): Promise<ReceivedMail> {
    const until = Date.now() + 10_000;
    for (;;) {
      const [mail] = inbox.to(`${login}@acme.test`);
      if (mail) {
        return mail;
      }
      assert.ok(Date.now() < until, `no mail to ${login}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function open(address: string): Promise<Tab> {
    assert.ok(browser);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { 'X-Forwarded-For': address } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const tab: Tab = { context, page, problems: [], expectedStatuses: new Set() };
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') {
        return;
      }
      const status = /the server responded with a status of (\d{3})/.exec(message.text())?.[1];
      if (status && tab.expectedStatuses.has(Number(status))) {
        return;
      }
      tab.problems.push(`${message.type()}: ${message.text()} (${page.url()})`);
    });
    page.on('pageerror', (error) => tab.problems.push(`page error: ${error.message} (${page.url()})`));
    // data-confirm asks before submitting; the user agrees.
    page.on('dialog', (dialog) => {
      if (dialog.type() !== 'confirm') {
        tab.problems.push(`unexpected ${dialog.type()}: ${dialog.message()}`);
      }
      void dialog.accept();
    });
    return tab;
  }

  /** Runs a flow in fresh contexts, closes them, and checks their consoles stayed clean. */
  async function inContexts(addresses: readonly string[], flow: (...tabs: Tab[]) => Promise<void>): Promise<void> {
    const tabs = await Promise.all(addresses.map((address) => open(address)));
    try {
      await flow(...tabs);
      assert.deepEqual(
        tabs.flatMap((tab) => tab.problems),
        [],
      );
    } finally {
      await Promise.all(tabs.map((tab) => tab.context.close()));
    }
  }

  async function click(page: Page, selector: string): Promise<void> {
    await Promise.all([page.waitForEvent('load'), page.click(selector)]);
  }

  /**
   * Submits with `selector`; when sudo mode has lapsed the prompt comes first and `password` answers
   * it (the prompt replays the original form). Says whether the prompt came.
   */
  async function submit(page: Page, selector: string, password?: string): Promise<boolean> {
    await click(page, selector);
    if ((await page.locator('#sudo-form').count()) === 0) {
      return false;
    }
    assert.ok(password, `an unexpected password prompt at ${page.url()}`);
    assert.match(await page.locator('#sudo-mode').innerText(), /Confirm your password to continue/);
    await page.fill('#sudo_password', password);
    await click(page, '#sudo-form button[type=submit]');
    assert.equal(await page.locator('#sudo-form').count(), 0, 'the password was taken');
    return true;
  }

  async function signIn(page: Page, login: string, password: string): Promise<void> {
    if (new URL(page.url()).pathname !== '/login') {
      await page.goto(at('/login'));
    }
    await page.fill('#username', login);
    await page.fill('#password', password);
    await click(page, '#login-submit');
  }

  async function signOut(page: Page): Promise<void> {
    await click(page, '#account button.logout');
    assert.equal(await page.locator('#loggedas').count(), 0);
  }

  const loggedAs = async (page: Page) => ((await page.locator('#loggedas a').count()) > 0 ? page.locator('#loggedas a').innerText() : undefined);
  const flash = (page: Page, kind: 'notice' | 'error') => page.locator(`#flash_${kind}`).innerText();

  /** The administrator's page at `path`, signed in again when their session has ended. */
  async function administration(path: string): Promise<Page> {
    const { page } = admin;
    await page.goto(at(path));
    if (new URL(page.url()).pathname === '/login') {
      await signIn(page, 'admin', adminPassword);
      assert.equal(pathOf(page), path);
    }
    return page;
  }

  /**
   * Administration → Settings → `tab` (the first time through the menus, then by the tab's address):
   * `edit` changes fields, Save sends them. Says whether the sudo prompt came; checks the flash unless
   * the save leads elsewhere (`landsOnSettings: false`).
   */
  async function changeSettings(tab: string, edit: (page: Page) => Promise<unknown>, { landsOnSettings = true, throughMenus = false } = {}): Promise<boolean> {
    let page: Page;
    if (throughMenus) {
      page = await administration('/');
      await click(page, '#top-menu a.administration');
      await click(page, '#admin-menu a.settings');
      await click(page, `#tab-${tab}`);
      assert.equal(await page.locator(`#tab-${tab}`).getAttribute('aria-current'), 'page');
    } else {
      page = await administration(`/settings?tab=${tab}`);
    }
    await edit(page);
    const prompted = await submit(page, `#settings-${tab} button.primary`, adminPassword);
    if (landsOnSettings) {
      assert.equal(pathOf(page), `/settings?tab=${tab}`);
      assert.equal(await flash(page, 'notice'), 'Successful update.');
    }
    return prompted;
  }

  before(async () => {
    const launching = Promise.all([launchBrowser(), mkdir(SCREENSHOTS, { recursive: true })]);
    // Awaited below; a failure to launch must not surface first as an unhandled rejection.
    launching.catch(() => {});
    await acme.users(['alice', 'pat', 'lucy', 'sam', 'ivy', 'bruce', 'kim']);
    await acme.projects([['Public site', 'public-site', true]]);
    await acme.server.app.listen({ port: 0, host: '127.0.0.1' });
    port = (acme.server.app.server.address() as AddressInfo).port;
    [browser] = await launching;
    admin = await open(ADMIN_AT);
    await signIn(admin.page, 'admin', adminPassword);
    assert.equal(await loggedAs(admin.page), 'admin');
  });

  after(async () => {
    await browser?.close();
  });

  test('login_required: on, an anonymous visitor is sent to sign in; off (after the sudo prompt), the public project shows', async () => {
    await inContexts(['198.51.100.20'], async ({ page }) => {
      await page.goto(at('/projects/public-site'));
      assert.equal(pathOf(page), '/login?back_url=%2Fprojects%2Fpublic-site');

      const prompted = await changeSettings(
        'authentication',
        async (settings) => {
          assert.equal(await settings.isChecked('#settings_login_required'), true);
          await settings.uncheck('#settings_login_required');
        },
        { throughMenus: true },
      );
      assert.equal(prompted, true, 'a settings change asks for the password first');
      assert.equal(await admin.page.isChecked('#settings_login_required'), false);
      await page.goto(at('/projects/public-site'));
      assert.equal(pathOf(page), '/projects/public-site');
      assert.equal(await page.locator('#header h1 .current-project').innerText(), 'Public site');
      assert.equal(await loggedAs(page), undefined);

      assert.equal(await changeSettings('authentication', (settings) => settings.check('#settings_login_required')), false, 'sudo mode lasts');
      await page.goto(at('/projects/public-site'));
      assert.equal(pathOf(page), '/login?back_url=%2Fprojects%2Fpublic-site');
    });
    assert.deepEqual(admin.problems, []);
  });

  test('2FA required for everyone: enrolment after the password, sign-in with a code and with a backup code, API key yes, Basic no; disabled: password alone', async () => {
    // Required for everyone: the administrator too is sent to enrol, right after saving.
    await changeSettings('authentication', (page) => page.selectOption('#settings_twofa', '2'), { landsOnSettings: false });
    const enrol = async (page: Page, password: string) => {
      assert.equal(pathOf(page), '/my/twofa/totp/activate/confirm');
      assert.equal(await page.locator('#twofa-required').innerText(), 'Two-factor authentication is required for your account. Enable it to continue.');
      const key = await page.locator('#twofa-key').innerText();
      assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
      assert.equal(await page.locator('#twofa-qr svg').count(), 1, 'the QR code');
      const secret = key.replace(/ /g, '');
      nextStep();
      await page.fill('#twofa_code', totp(secret, now));
      await submit(page, '#twofa_form button.primary', password);
      assert.equal(pathOf(page), '/my/account');
      assert.equal(await page.locator('#twofa-state').innerText(), 'Enabled (authenticator app)');
      return secret;
    };
    await enrol(admin.page, adminPassword);

    await inContexts(['203.0.113.21', '203.0.113.21'], async (first, later) => {
      // The password alone leads to enrolment, and nowhere else.
      await signIn(first.page, 'alice', 'alice-password');
      assert.equal(pathOf(first.page), '/my/twofa/totp/activate/confirm');
      await first.page.goto(at('/projects'));
      assert.equal(pathOf(first.page), '/my/twofa/totp/activate/confirm');
      await first.page.screenshot({ path: `${SCREENSHOTS}security-2fa-enrolment.png`, fullPage: true });
      const secret = await enrol(first.page, 'alice-password');

      // Backup codes, made with a code.
      await submit(first.page, '#twofa-generate-backup-codes', 'alice-password');
      assert.equal(pathOf(first.page), '/my/twofa/backup_codes/confirm');
      nextStep();
      await first.page.fill('#twofa_code', totp(secret, now));
      await submit(first.page, '#twofa_form button[type=submit]', 'alice-password');
      assert.equal(pathOf(first.page), '/my/twofa/backup_codes');
      const codes = await first.page.locator('#twofa-backup-codes code').allInnerTexts();
      assert.equal(codes.length, 10);
      await signOut(first.page);

      // Signing in: the password, then the code from the app.
      await signIn(first.page, 'alice', 'alice-password');
      assert.equal(pathOf(first.page), '/account/twofa/confirm');
      assert.equal(await loggedAs(first.page), undefined, 'not signed in before the code');
      nextStep();
      await first.page.fill('#twofa_code', totp(secret, now));
      await click(first.page, '#login-submit');
      assert.equal(pathOf(first.page), '/');
      assert.equal(await loggedAs(first.page), 'alice');

      // ...or a backup code, once.
      await signIn(later.page, 'alice', 'alice-password');
      assert.equal(pathOf(later.page), '/account/twofa/confirm');
      await later.page.fill('#twofa_code', codes[0]!);
      await click(later.page, '#login-submit');
      assert.equal(await loggedAs(later.page), 'alice');
      await signOut(later.page);
      await signIn(later.page, 'alice', 'alice-password');
      await later.page.fill('#twofa_code', codes[0]!);
      await click(later.page, '#login-submit');
      assert.equal(pathOf(later.page), '/account/twofa/confirm', 'a used backup code is refused');
      assert.equal(await flash(later.page, 'error'), 'The code is invalid or no longer valid.');

      // The API: the key works, HTTP Basic with the password does not.
      const byKey = await api('/issues.json', { 'x-redmine-api-key': await keyOf('alice') });
      assert.equal(byKey.status, 200, byKey.body);
      assert.ok(Array.isArray((JSON.parse(byKey.body) as { issues: unknown }).issues));
      const byPassword = await api('/issues.json', { authorization: basicAuth('alice') });
      assert.equal(byPassword.status, 401);
      assert.deepEqual(JSON.parse(byPassword.body), { errors: ['HTTP Basic authentication is not allowed. Use API key instead'] });
    });

    // Disabled: everyone is unpaired, the password alone signs in, and Basic works again.
    await changeSettings('authentication', (page) => page.selectOption('#settings_twofa', '0'));
    await inContexts(['203.0.113.21'], async ({ page }) => {
      await signIn(page, 'alice', 'alice-password');
      assert.equal(pathOf(page), '/');
      assert.equal(await loggedAs(page), 'alice');
      assert.equal((await api('/issues.json', { authorization: basicAuth('alice') })).status, 200);
    });
    assert.deepEqual(admin.problems, []);
  });

  test('password policy: a weak password is refused with the rules, a strong one taken; password_max_age forces a change; off, anything goes', async () => {
    await changeSettings('authentication', async (page) => {
      await page.fill('#settings_password_min_length', '10');
      await page.check('#settings_password_required_char_classes input[value=uppercase]');
      await page.check('#settings_password_required_char_classes input[value=digits]');
    });
    const change = async (page: Page, current: string, next: string) => {
      await page.fill('#password', current);
      await page.fill('#new_password', next);
      await page.fill('#new_password_confirmation', next);
      await click(page, '#content button[type=submit]');
    };
    await inContexts(['203.0.113.22'], async (tab) => {
      const { page } = tab;
      tab.expectedStatuses.add(422);
      await signIn(page, 'pat', 'pat-password');
      await click(page, '#account a.my-account');
      await click(page, '#content a.icon-passwd');
      assert.equal(pathOf(page), '/my/password');
      assert.match(await page.locator('#content').innerText(), /Must contain uppercase letters, digits\./);
      await change(page, 'pat-password', 'weakpass');
      const errors = await page.locator('#errorExplanation').innerText();
      assert.match(errors, /Password is too short \(minimum is 10 characters\)/);
      assert.match(errors, /Password must contain uppercase letters \(A-Z\)/);
      assert.match(errors, /Password must contain digits \(0-9\)/);
      await change(page, 'pat-password', 'Strong-Pass-2026');
      assert.equal(pathOf(page), '/');
      assert.equal(await flash(page, 'notice'), 'Password was successfully updated.');
    });

    // Passwords older than 30 days must be changed at the next sign-in.
    await changeSettings('authentication', (page) => page.fill('#settings_password_max_age', '30'));
    advance(31 * DAY);
    // The administrator's password expired as well: their session sees only the change form.
    await admin.page.goto(at('/admin'));
    assert.equal(pathOf(admin.page), '/my/password');
    await change(admin.page, adminPassword, 'Admin-Pass-2027');
    adminPassword = 'Admin-Pass-2027';
    assert.equal(await flash(admin.page, 'notice'), 'Password was successfully updated.');
    await inContexts(['203.0.113.22'], async ({ page }) => {
      await signIn(page, 'pat', 'Strong-Pass-2026');
      assert.equal(pathOf(page), '/my/password');
      assert.equal(await flash(page, 'error'), 'Your password has expired or the administrator requires you to change it.');
      await page.goto(at('/projects'));
      assert.equal(pathOf(page), '/my/password', 'nothing else until it is changed');
      await change(page, 'Strong-Pass-2026', 'Another-Pass-2027');
      assert.equal(pathOf(page), '/');
      await page.goto(at('/projects'));
      assert.equal(pathOf(page), '/projects');
    });

    // Off: no rules, no expiry.
    await changeSettings('authentication', async (page) => {
      await page.fill('#settings_password_min_length', '8');
      await page.uncheck('#settings_password_required_char_classes input[value=uppercase]');
      await page.uncheck('#settings_password_required_char_classes input[value=digits]');
      await page.fill('#settings_password_max_age', '0');
    });
    advance(31 * DAY);
    await inContexts(['203.0.113.22'], async ({ page }) => {
      await signIn(page, 'pat', 'Another-Pass-2027');
      assert.equal(pathOf(page), '/', 'an old password is no longer expired');
      await page.goto(at('/my/password'));
      await change(page, 'Another-Pass-2027', 'weakpass');
      assert.equal(await flash(page, 'notice'), 'Password was successfully updated.');
    });
    assert.deepEqual(admin.problems, []);
  });

  test('lost password: on, a mailed link sets a new password; off, the sign-in page offers none', async () => {
    await inContexts(['203.0.113.23'], async ({ page }) => {
      await page.goto(at('/login'));
      await click(page, '#login-form a.lost_password');
      assert.equal(pathOf(page), '/account/lost_password');
      await page.fill('#mail', 'lucy@acme.test');
      await click(page, '#password-form button[type=submit]');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.match(await flash(page, 'notice'), /an e-mail with a link to choose a new password is on its way/);

      const mail = await mailTo('lucy');
      const link = new RegExp(`http://acme\\.localhost:${port}/account/lost_password\\?token=[A-Za-z0-9_-]+`).exec(mail.text)?.[0];
      assert.ok(link, `a link to this server in: ${mail.text}`);
      await page.goto(link);
      assert.equal(pathOf(page), '/account/lost_password', 'the token leaves the address bar');
      assert.equal(await page.inputValue('#login'), 'lucy');
      await page.fill('#new_password', 'Lucy-new-password');
      await page.fill('#new_password_confirmation', 'Lucy-new-password');
      await click(page, '#password-form button[type=submit]');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(await flash(page, 'notice'), 'Password was successfully updated.');
      await signIn(page, 'lucy', 'Lucy-new-password');
      assert.equal(await loggedAs(page), 'lucy');
    });

    await changeSettings('authentication', (page) => page.uncheck('#settings_lost_password'));
    await inContexts(['203.0.113.23'], async ({ page }) => {
      await page.goto(at('/login'));
      assert.equal(await page.locator('#login-form').count(), 1);
      assert.equal(await page.locator('a.lost_password').count(), 0);
      await page.goto(at('/account/lost_password'));
      assert.equal(await page.locator('#mail').count(), 0, 'no request form');
    });
    assert.deepEqual(admin.problems, []);
  });

  test('sessions: session_timeout ends an idle session at the next click; My account → Sessions lists both browsers and ends the other', async () => {
    await changeSettings('authentication', (page) => page.fill('#settings_session_timeout', '30'));
    await inContexts(['203.0.113.31'], async ({ page }) => {
      await signIn(page, 'sam', 'sam-password');
      advance(29 * MINUTE);
      await click(page, '#top-menu a.projects');
      assert.equal(await loggedAs(page), 'sam', 'used within the timeout');
      advance(31 * MINUTE);
      await click(page, '#top-menu a.my-page');
      assert.equal(pathOf(page), '/login?back_url=%2Fmy%2Fpage');
      assert.equal(await flash(page, 'error'), 'Your session has expired. Please login again.');
    });
    // The administrator's session expired as well: administration() signs in again.
    await changeSettings('authentication', (page) => page.fill('#settings_session_timeout', '0'));

    await inContexts(['203.0.113.31', '203.0.113.32'], async (mine, other) => {
      await signIn(mine.page, 'sam', 'sam-password');
      await signIn(other.page, 'sam', 'sam-password');
      advance(2 * 60 * MINUTE);
      await click(other.page, '#top-menu a.projects');
      assert.equal(await loggedAs(other.page), 'sam', 'no timeout any more');

      await click(mine.page, '#account a.my-account');
      await click(mine.page, '#my-sessions-link');
      const rows = mine.page.locator('table.list.sessions tbody tr');
      assert.equal(await rows.count(), 2);
      assert.equal(await mine.page.locator('tr.session.current td.ip').innerText(), '203.0.113.31');
      assert.equal(await mine.page.locator('tr.session:not(.current) td.ip').innerText(), '203.0.113.32');
      assert.match(await mine.page.locator('tr.session.current td.browser').innerText(), /^Chrome \d+ on Linux$/);
      await mine.page.screenshot({ path: `${SCREENSHOTS}security-sessions.png`, fullPage: true });
      await click(mine.page, '#end-other-sessions');
      assert.equal(await flash(mine.page, 'notice'), 'All other sessions have been ended.');
      assert.equal(await rows.count(), 1);

      await other.page.reload();
      assert.equal(new URL(other.page.url()).pathname, '/login');
      assert.equal(await loggedAs(other.page), undefined);
      await mine.page.reload();
      assert.equal(await loggedAs(mine.page), 'sam');
    });
    assert.deepEqual(admin.problems, []);
  });

  test('IP filter: a saved list shuts out other addresses in the browser and on the API with a valid key; cleared, they are back', async () => {
    const key = await keyOf('ivy');
    const page = await administration('/admin');
    await click(page, '#admin-menu a.ip-filter');
    assert.equal(pathOf(page), '/admin/ip_filter');
    assert.match(await page.locator('#ip-filter-your-address').innerText(), new RegExp(ADMIN_AT.replace(/\./g, '\\.')));
    await page.fill('#allowed_ips', '203.0.113.0/24 # office');
    await submit(page, '#ip-filter-form button.primary', adminPassword);
    assert.equal(await flash(page, 'notice'), 'Successful update.');
    assert.match(await page.locator('#ip-filter-entries').innerText(), /203\.0\.113\.0\/24\s+203\.0\.113\.0\/24\s+office/);
    await page.screenshot({ path: `${SCREENSHOTS}security-ip-filter.png`, fullPage: true });

    await inContexts([OUTSIDER, '203.0.113.33'], async (outsider, insider) => {
      outsider.expectedStatuses.add(403);
      const refused = await outsider.page.goto(at('/login'));
      assert.equal(refused?.status(), 403);
      assert.match(await outsider.page.locator('body').innerText(), /Your IP address 198\.51\.100\.7 is not allowed\./);
      assert.equal(await outsider.page.locator('#login-form').count(), 0);
      const outside = await api('/issues.json', { 'x-redmine-api-key': key }, OUTSIDER);
      assert.equal(outside.status, 403);
      assert.deepEqual(JSON.parse(outside.body), { errors: ['Your IP address 198.51.100.7 is not allowed.'] });

      await signIn(insider.page, 'ivy', 'ivy-password');
      assert.equal(await loggedAs(insider.page), 'ivy');
      assert.equal((await api('/issues.json', { 'x-redmine-api-key': key }, '203.0.113.33')).status, 200);

      await page.goto(at('/admin/ip_filter'));
      await page.fill('#allowed_ips', '');
      await submit(page, '#ip-filter-form button.primary', adminPassword);
      assert.equal(await flash(page, 'notice'), 'Successful update.');
      const allowed = await outsider.page.goto(at('/login'));
      assert.equal(allowed?.status(), 200);
      assert.equal(await outsider.page.locator('#login-form').count(), 1);
      assert.equal((await api('/issues.json', { 'x-redmine-api-key': key }, OUTSIDER)).status, 200);
    });
    assert.deepEqual(admin.problems, []);
  });

  test('brute force: after 5 wrong passwords the right one gets the ordinary refusal until the lock ends', async () => {
    await inContexts(['203.0.113.50'], async ({ page }) => {
      for (let i = 0; i < 5; i++) {
        await signIn(page, 'bruce', `guess-${i}`);
        assert.equal(await flash(page, 'error'), INVALID_CREDENTIALS);
      }
      await signIn(page, 'bruce', 'bruce-password');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(await flash(page, 'error'), INVALID_CREDENTIALS, 'no hint of the lock');
      assert.equal(await loggedAs(page), undefined);
      assert.equal((await mailTo('bruce')).subject, 'Your account is temporarily locked');

      advance(15 * MINUTE + 1000);
      await signIn(page, 'bruce', 'bruce-password');
      assert.equal(await loggedAs(page), 'bruce');
    });
  });

  test('API keys: My account shows and resets the key (old 401, new 200); with the REST API off the key is refused', async () => {
    await inContexts(['203.0.113.60'], async ({ page }) => {
      await signIn(page, 'kim', 'kim-password');
      const showKey = async () => {
        await click(page, '#account a.my-account');
        await submit(page, '#show-api-key', 'kim-password');
        assert.equal(pathOf(page), '/my/api_key');
        const key = await page.locator('#api-access-key').innerText();
        assert.match(key, /^[0-9a-f]{40}$/);
        return key;
      };
      const oldKey = await showKey();
      const me = await api('/users/current.json', { 'x-redmine-api-key': oldKey });
      assert.equal(me.status, 200);
      assert.equal((JSON.parse(me.body) as { user: { login: string } }).user.login, 'kim');

      await click(page, '#account a.my-account');
      await submit(page, '#reset-api-key', 'kim-password');
      assert.equal(pathOf(page), '/my/account');
      const newKey = await showKey();
      assert.notEqual(newKey, oldKey);
      assert.equal((await api('/users/current.json', { 'x-redmine-api-key': oldKey })).status, 401);
      assert.equal((await api('/users/current.json', { 'x-redmine-api-key': newKey })).status, 200);

      await changeSettings('api', (settings) => settings.uncheck('#settings_rest_api_enabled'));
      assert.equal((await api('/users/current.json', { 'x-redmine-api-key': newKey })).status, 403);
      await click(page, '#account a.my-account');
      assert.equal(await page.locator('#api-access-key-box').count(), 0, 'no key box without the API');

      await changeSettings('api', (settings) => settings.check('#settings_rest_api_enabled'));
      assert.equal((await api('/users/current.json', { 'x-redmine-api-key': newKey })).status, 200);
    });
    assert.deepEqual(admin.problems, []);
  });
});
