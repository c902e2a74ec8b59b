/**
 * My page's "Updated issues" and "Issues" (saved query) blocks: what they list — only issues the user
 * sees, a private issue they cannot see never — the queries a user may choose (not another user's
 * private one), the query's own columns, up to three query blocks each with its own query, settings
 * kept in the preferences and dropped with their block; titles in English and Japanese.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedInBrowsers } from './signed-in.ts';

/** The HTML of a My page block. */
function blockOf(html: string, block: string): string {
  return new RegExp(`<div class="mypage-box" id="block-${block}"[\\s\\S]*?(?=<div class="mypage-box"|<\\/div><div class="splitcontent"|$)`).exec(html)?.[0] ?? '';
}

/** Ids of the issues a block's table lists. */
const issueIdsOf = (html: string) => [...html.matchAll(/<tr id="issue-(\d+)"/g)].map((m) => Number(m[1]));

for (const { engine, skip } of await pageEngineCases()) {
  describe(`My page: updated issues and saved query blocks (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const { as } = signedInBrowsers(() => acme.server.app);
    const myPage = async (login: string) => {
      const page = await (await as(login)).request('GET', '/my/page');
      assert.equal(page.statusCode, 200, page.body.slice(0, 300));
      return page.body;
    };
    const newIssue = async (name: string, subject: string, extra: Record<string, unknown> = {}) => {
      const answer = await call('POST', '/projects/ecookbook/issues.json', 'jsmith', { issue: { tracker_id: id('Bug'), subject, ...extra } });
      assert.equal(answer.statusCode, 201, answer.body);
      ids[name] = answer.json<{ issue: { id: number } }>().issue.id;
    };
    const note = async (login: string, issue: string, issueChanges: Record<string, unknown> = {}) => {
      const answer = await call('PUT', `/issues/${id(issue)}.json`, login, { issue: { notes: `note by ${login}`, ...issueChanges } });
      assert.equal(answer.statusCode, 204, answer.body);
    };
    const newQuery = async (name: string, columns: Record<string, unknown>) => {
      const [row] = await sql(
        `INSERT INTO queries (project_id, name, filters, user_id, column_names, sort_criteria, type, visibility)
         VALUES ($1, $2, $3, $4, $5, '[["subject", "asc"]]', 'IssueQuery', $6) RETURNING id`,
        [columns.project ?? null, name, JSON.stringify(columns.filters), columns.user, JSON.stringify(columns.columns), columns.visibility],
      );
      ids[name] = Number(row?.id);
    };
    const settingsOf = async (login: string) => {
      const [row] = await sql("SELECT others->'my_page_settings' AS settings FROM user_preferences WHERE user_id = $1", [id(login)]);
      return row?.settings;
    };

    before(async () => {
      await acme.users([
        ['jsmith', 'John', 'Smith'],
        ['dlopper', 'Dave', 'Lopper'],
      ]);
      await acme.referenceIds();
      await acme.projects([
        ['eCookbook', 'ecookbook', true],
        ['Secret', 'secret', false],
      ]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['secret', 'jsmith', 'Manager'],
      ]);
      await sql("UPDATE roles SET issues_visibility = 'default' WHERE id = $1", [id('Developer')]);
      await newIssue('open', 'Open one');
      await newIssue('closed', 'Closed one');
      await newIssue('private', 'Private one');
      await newIssue('untouched', 'Untouched one');
      await note('dlopper', 'open');
      await note('dlopper', 'closed');
      await note('dlopper', 'private');
      await note('jsmith', 'closed', { status_id: id('Closed') });
      // Private now, and not Dave's: he no longer sees it, although he updated it.
      await note('jsmith', 'private', { is_private: true });
      const all = { status_id: { operator: '*', values: [''] } };
      await newQuery('Every issue', { filters: all, user: id('jsmith'), columns: ['subject', 'status', 'assigned_to'], visibility: 2 });
      await newQuery('John private', { filters: all, user: id('jsmith'), columns: ['subject'], visibility: 0 });
      await newQuery('Secret project query', { filters: all, user: id('jsmith'), columns: ['subject'], visibility: 2, project: id('secret') });
      await newQuery('Open only', { filters: { status_id: { operator: 'o', values: [''] } }, user: id('dlopper'), columns: ['tracker', 'subject'], visibility: 0, project: id('ecookbook') });
    });

    test('Updated issues: every visible issue the user changed, open or closed, never a private one they cannot see', async () => {
      const dave = await as('dlopper');
      assert.equal((await dave.post('/my/add_block', { block: 'issuesupdatedbyme' })).statusCode, 303);
      const block = blockOf(await myPage('dlopper'), 'issuesupdatedbyme');
      assert.match(block, /Updated issues<\/a> \(2\)/);
      assert.deepEqual(issueIdsOf(block).sort(), [id('open'), id('closed')].sort());
      assert.doesNotMatch(block, /Private one|Untouched one/);
      assert.match(block, /href="\/issues\?set_filter=1&amp;f%5B%5D=updated_by&amp;op%5Bupdated_by%5D=%3D&amp;v%5Bupdated_by%5D%5B%5D=me/);
      // John, who sees the private issue, has it among his (he updated all but the untouched one).
      const john = await as('jsmith');
      await john.post('/my/add_block', { block: 'issuesupdatedbyme' });
      assert.deepEqual(issueIdsOf(blockOf(await myPage('jsmith'), 'issuesupdatedbyme')).sort(), [id('closed'), id('private')].sort());
    });

    test('Issues block: choose a visible saved query, shown in its own columns with visible issues only', async () => {
      const dave = await as('dlopper');
      await dave.post('/my/add_block', { block: 'issuequery' });
      let block = blockOf(await myPage('dlopper'), 'issuequery');
      const choices = [...block.matchAll(/<option value="(\d+)"[^>]*>([^<]+)<\/option>/g)].map((m) => m[2]);
      assert.deepEqual(choices.sort(), ['Every issue', 'Open only']);
      assert.match(block, /<details id="issuequery-settings" open="">|<details id="issuequery-settings" open>/);

      assert.equal((await dave.post('/my/page', { 'settings[issuequery][query_id]': String(id('Every issue')) })).statusCode, 303);
      assert.deepEqual(await settingsOf('dlopper'), { issuequery: { query_id: String(id('Every issue')) } });
      block = blockOf(await myPage('dlopper'), 'issuequery');
      assert.match(block, new RegExp(`<a href="/issues\\?query_id=${id('Every issue')}">Every issue</a> \\(3\\)`));
      assert.deepEqual(
        [...block.matchAll(/<th class="([\w-]+)">/g)].map((m) => m[1]),
        ['subject', 'status', 'assigned_to'],
      );
      // Sorted by subject as the query says; the private issue Dave cannot see is not there.
      assert.deepEqual(issueIdsOf(block), [id('closed'), id('open'), id('untouched')]);
      assert.doesNotMatch(block, /Private one/);
      assert.match(block, new RegExp(`<option value="${id('Every issue')}" selected`));
    });

    test('up to three query blocks, each with its own query; a query the user may not see is not shown', async () => {
      const dave = await as('dlopper');
      await dave.post('/my/add_block', { block: 'issuequery__1' });
      await dave.post('/my/add_block', { block: 'issuequery__2' });
      await dave.post('/my/add_block', { block: 'issuequery__3' });
      const [layout] = await sql("SELECT others->'my_page_layout'->'top' AS top FROM user_preferences WHERE user_id = $1", [id('dlopper')]);
      assert.deepEqual(layout?.top, ['issuequery__2', 'issuequery__1', 'issuequery', 'issuesupdatedbyme']);
      assert.doesNotMatch(await myPage('dlopper'), /<option value="issuequery/);

      await dave.post('/my/page', { 'settings[issuequery__1][query_id]': String(id('Open only')), 'settings[issuequery__2][query_id]': String(id('John private')) });
      const page = await myPage('dlopper');
      const open = blockOf(page, 'issuequery__1');
      assert.match(open, /eCookbook \| <a href="\/projects\/ecookbook\/issues\?query_id=\d+">Open only<\/a> \(2\)/);
      assert.deepEqual(issueIdsOf(open), [id('open'), id('untouched')]);
      // Another user's private query: the block asks for a query again and shows nothing of it.
      const hidden = blockOf(page, 'issuequery__2');
      assert.doesNotMatch(hidden, /John private|<tr id="issue-/);
      assert.match(hidden, /<h3>Issues<\/h3>/);
      // The first block keeps its own query.
      assert.match(blockOf(page, 'issuequery'), />Every issue<\/a> \(3\)/);

      // Removing a block drops its settings; settings of blocks not on the page are not stored.
      await dave.post('/my/remove_block', { block: 'issuequery__1' });
      await dave.post('/my/page', { 'settings[calendar][query_id]': '1', 'settings[documents][query_id]': '1' });
      assert.deepEqual(await settingsOf('dlopper'), { issuequery: { query_id: String(id('Every issue')) }, issuequery__2: { query_id: String(id('John private')) } });
      assert.equal((await dave.request('POST', '/my/page', { 'settings[issuequery][query_id]': '' })).statusCode, 422);
    });

    test('titles in Japanese', async () => {
      await sql("UPDATE users SET language = 'ja' WHERE id = $1", [id('jsmith')]);
      const page = await myPage('jsmith');
      assert.match(blockOf(page, 'issuesupdatedbyme'), /更新したチケット<\/a> \(2\)/);
      assert.match(page, /<option value="issuequery">チケット<\/option>/);
    });
  });
}
