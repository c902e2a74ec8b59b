/**
 * The tracker in a real browser, as a Redmine user works it, in English and then in Japanese, against
 * `kanri serve` on the embedded database: sign in → (an administrator defines an issue custom field)
 * → create a project → create issues with the custom field → change the status through the workflow →
 * add a note with an attachment → see it in the history → filter the list by the custom field → save
 * the query → export CSV (Shift_JIS in Japanese, UTF-8 with BOM in English). Pages must load without
 * console errors (CSP violations show there), the main pages pass axe-core's WCAG 2.1 AA rules, the
 * list and an issue read with JavaScript off, and screenshots of the main pages are written to
 * test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations } from '../support/a11y.ts';
import { chromiumUnavailable, launchBrowser } from '../support/browser.ts';
import { kanri } from '../support/cli.ts';
import { createTestEnvironment, type TestEnvironment } from '../support/engines.ts';
import { killServers, startServer, type ServerProcess } from '../support/server-process.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const PASSWORD = 'acme-admin-password';

const skip = await chromiumUnavailable();

describe('the tracker in a browser', { skip }, () => {
  let env: TestEnvironment | undefined;
  let server: ServerProcess;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const at = (path: string) => `http://acme.localhost:${server.port}${path}`;
  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

  /** Submits with `click` and waits for the page it leads to. */
  async function submit(selector: string): Promise<void> {
    await Promise.all([page.waitForEvent('load'), page.click(selector)]);
  }

  before(async () => {
    env = await createTestEnvironment('pglite');
    await mkdir(SCREENSHOTS, { recursive: true });
    const created = await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'admin@acme.test', '--admin-password-file', '-'], `${PASSWORD}\n`);
    assert.equal(created.code, 0, created.err);
    [server, browser] = await Promise.all([startServer(env.env), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`${message.text()} (${page.url()})`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Any script that runs from user data would show itself with a dialog.
    page.on('dialog', (dialog) => {
      problems.push(`unexpected dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(at('/login'));
    await page.fill('#username', 'admin');
    await page.fill('#password', PASSWORD);
    await submit('#login-submit');
    assert.equal(new URL(page.url()).pathname, '/');
  });

  after(async () => {
    await browser?.close();
    await killServers();
    await env?.cleanup();
  });

  test('an administrator defines an issue custom field through Administration', async () => {
    await page.goto(at('/custom_fields/new?type=IssueCustomField&custom_field[field_format]=string'));
    await page.fill('#custom_field_name', 'Customer');
    await page.check('#custom_field_is_for_all');
    await page.check('#custom_field_is_filter');
    for (const box of await page.locator('input[name="custom_field[tracker_ids][]"][type=checkbox]').all()) {
      await box.check();
    }
    await shot('admin-custom-field-new');
    await submit('#custom_field_form button[name=commit]');
    assert.match(await page.locator('#content').innerText(), /Customer/);
  });

  for (const lang of ['en', 'ja'] as const) {
    const subject = lang === 'en' ? 'Cannot sign in from the mobile app' : 'モバイルアプリからログインできない';
    const other = lang === 'en' ? 'Typo on the pricing page' : '料金ページの誤字';
    const customer = lang === 'en' ? 'ACME Corp' : '株式会社アクメ';
    const note = lang === 'en' ? 'Reproduced on Android, log attached.' : 'Android で再現しました。ログを添付します。';
    const identifier = `flow-${lang}`;

    test(`${lang}: project → issue with a custom field → status through the workflow → note with attachment → history → filter → saved query → CSV`, async () => {
      if (lang === 'ja') {
        await page.goto(at('/my/account'));
        await page.selectOption('#user_language', 'ja');
        await submit('#content button.primary[type=submit]');
        await page.goto(at('/my/page'));
        assert.match(await page.locator('#top-menu').innerText(), /マイページ/);
      }

      // A project, made through its form.
      await page.goto(at('/projects/new'));
      await page.fill('#project_name', lang === 'en' ? 'Mobile app' : 'モバイルアプリ');
      await page.fill('#project_identifier', identifier);
      await shot(`${lang}-project-new`);
      await submit('button[name=commit][value=create]');
      await page.goto(at(`/projects/${identifier}`));
      assert.equal(await page.locator('#header h1 .current-project').innerText(), lang === 'en' ? 'Mobile app' : 'モバイルアプリ');

      // Two issues with the custom field; the second will be filtered out.
      const issueIds: number[] = [];
      for (const [title, value] of [
        [subject, customer],
        [other, 'Other Ltd'],
      ] as const) {
        await page.goto(at(`/projects/${identifier}/issues/new`));
        await page.fill('#issue_subject', title);
        await page.locator('input[id^="issue_custom_field_values_"]').first().fill(value);
        if (issueIds.length === 0) {
          await shot(`${lang}-issue-new`);
        }
        await submit('input[name=commit]');
        const id = /\/issues\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1];
        assert.ok(id, `created issue page, got ${page.url()}`);
        issueIds.push(Number(id));
      }
      const issueId = issueIds[0]!;
      assert.match(await page.locator('div.issue').innerText(), new RegExp(other));

      // The status moves through the workflow, with a note and an attachment.
      await page.goto(at(`/issues/${issueId}/edit`));
      const statuses = await page.locator('#issue_status_id option').allInnerTexts();
      assert.ok(statuses.includes('In Progress'), statuses.join(', '));
      await page.selectOption('#issue_status_id', { label: 'In Progress' });
      await page.fill('#issue_notes', note);
      await page.setInputFiles('#attachments_1_file', { name: 'android-log.txt', mimeType: 'text/plain', buffer: Buffer.from('E/Auth: token refused\n') });
      await shot(`${lang}-issue-edit`);
      await submit('input[name=commit]');
      assert.equal(new URL(page.url()).pathname, `/issues/${issueId}`);

      // The history shows the change, the note and the file.
      const history = await page.locator('#history').innerText();
      assert.match(history, /In Progress/);
      assert.ok(history.includes(note), history);
      assert.match(await page.locator('#content').innerText(), /android-log\.txt/);
      assert.match(await page.locator('div.issue').innerText(), new RegExp(customer));
      await shot(`${lang}-issue-show`);
      await page.goto(at(`/issues/${issueId}?tab=notes`));
      assert.ok((await page.locator('#history').innerText()).includes(note));

      // The list, filtered by the custom field.
      await page.goto(at(`/projects/${identifier}/issues`));
      assert.equal(await page.locator('table.list.issues tbody tr.issue').count(), 2);
      // With JavaScript the "Add filter" disclosure is Redmine's select, which activates the row.
      const rowId = await page.locator('#add_filter_select option[value^="tr_cf_"]').first().getAttribute('value');
      assert.ok(rowId);
      await page.selectOption('#add_filter_select', rowId);
      const row = page.locator(`#${rowId}`);
      const field = await row.getAttribute('data-field');
      assert.ok(field);
      assert.ok(await row.locator('input[name="f[]"]').isChecked());
      await row.locator('select[name^="op["]').selectOption('=');
      await row.locator(`input[name="v[${field}][]"]`).first().fill(customer);
      await submit('#query_form button.apply');
      const rows = page.locator('table.list.issues tbody tr.issue');
      assert.equal(await rows.count(), 1, await page.locator('#content').innerText());
      assert.ok((await rows.first().innerText()).includes(subject));
      await shot(`${lang}-issue-list-filtered`);

      // Saved as a query, listed in the sidebar, and applied again from there.
      await submit('#query_form button.save-query');
      assert.equal(new URL(page.url()).pathname, '/queries/new');
      const queryName = lang === 'en' ? 'ACME issues' : 'アクメのチケット';
      await page.fill('#query_name', queryName);
      await submit('#query-form button.primary');
      const sidebar = await page.locator('#sidebar').innerText();
      assert.ok(sidebar.includes(queryName), sidebar);
      await submit(`#sidebar a:text("${queryName}")`);
      assert.equal(await page.locator('table.list.issues tbody tr.issue').count(), 1);

      // CSV of the filtered list: Shift_JIS for Japanese Excel, UTF-8 with a BOM otherwise.
      await page.click('#csv-export summary');
      await page.check('#csv-export-form input[name="c[]"][value=all_inline]');
      await page.selectOption('#csv-encoding', lang === 'ja' ? 'Shift_JIS' : 'UTF-8');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-export-form button[type=submit]')]);
      const bytes = await readFile((await download.path()));
      const text = lang === 'ja' ? iconv.decode(bytes, 'Shift_JIS') : bytes.toString('utf8');
      if (lang === 'en') {
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
      } else {
        assert.ok(!bytes.includes(Buffer.from(subject)), 'not UTF-8');
      }
      assert.ok(text.includes(subject) && text.includes(customer), `${download.url()}\n${text}`);
      assert.ok(!text.includes(other), 'the filter applies to the export');
      assert.match(text, lang === 'ja' ? /題名/ : /Subject/);
      assert.match(text, /Customer/, 'all columns: the custom field too');
    });
  }

  test('the main pages render, each without console errors or WCAG 2.1 AA violations axe can find, and are screenshot', async () => {
    const inaccessible: string[] = [];
    for (const [name, path] of [
      ['home', '/'],
      ['my-page', '/my/page'],
      ['my-account', '/my/account'],
      ['projects-board', '/projects'],
      ['projects-list', '/projects?display_type=list'],
      ['project-overview', '/projects/flow-ja'],
      ['project-settings', '/projects/flow-ja/settings'],
      ['roadmap', '/projects/flow-ja/roadmap'],
      ['issues-all', '/issues'],
      ['time-entries', '/projects/flow-ja/time_entries'],
      ['admin', '/admin'],
      ['admin-users', '/users'],
      ['admin-roles-permissions', '/roles/permissions'],
      ['admin-workflow', '/workflows/edit'],
      ['admin-settings', '/settings'],
      ['search', '/search?q=%E3%83%AD%E3%82%B0'],
    ] as const) {
      const response = await page.goto(at(path));
      assert.equal(response?.status(), 200, path);
      await shot(`ja-${name}`);
      inaccessible.push(...(await accessibilityViolations(page)).map((violation) => `${path}: ${violation}`));
    }
    // A phone-sized window: the same page, laid out in one column.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(at('/projects/flow-ja/issues'));
    await shot('ja-phone-issue-list');
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(problems, []);
    assert.deepEqual(inaccessible, []);
  });

  test('with JavaScript off the list and the issue still read', async () => {
    assert.ok(browser);
    const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
    try {
      const reader = await noScript.newPage();
      await reader.goto(at('/projects/flow-en/issues'));
      assert.ok((await reader.locator('table.list.issues tbody tr.issue').count()) >= 2);
      await reader.locator('table.list.issues tr.issue', { hasText: 'Cannot sign in' }).locator('td.subject a').click();
      await reader.waitForURL(/\/issues\/\d+$/);
      assert.match(await reader.locator('#history').innerText(), /In Progress|進行中/);
    } finally {
      await noScript.close();
    }
  });
});
