/**
 * The issue page (`GET /issues/:id`) and the forms on it: everything an issue holds is shown (custom
 * values, attachments with thumbnails, subtasks, relations, the history in Redmine's words), to whom
 * may see it (private notes, fields restricted to a role); notes edited by their author and refused to
 * others; watchers, relations, thumbnails; and a user who cannot see the issue is refused everywhere.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedInBrowsers } from './signed-in.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** The page's text as a reader sees it: tags dropped, entities decoded, white space collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,:)])/g, '$1')
    .replace(/\( /g, '(');
}

/** The HTML of the element with this id (the page's own markup is well nested). */
function elementById(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `no #${id}`);
  const open = html.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(html.slice(open))?.[1] ?? 'div';
  let depth = 0;
  const pattern = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  pattern.lastIndex = open;
  for (let m = pattern.exec(html); m; m = pattern.exec(html)) {
    depth += m[1] === '/' ? -1 : 1;
    if (depth === 0) {
      return html.slice(open, m.index + m[0].length);
    }
  }
  return html.slice(open);
}

for (const { engine, skip } of await pageEngineCases()) {
  describe(`the issue page (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const { as } = signedInBrowsers(() => acme.server.app);
    const page = async (login: string, url: string): Promise<LightMyRequestResponse> => (await as(login)).request('GET', url);
    const okPage = async (login: string, url: string): Promise<string> => {
      const answer = await page(login, url);
      assert.equal(answer.statusCode, 200, `${login} ${url}: ${answer.body.slice(0, 500)}`);
      return answer.body;
    };
    /** Posts a form as the signed-in user (with the token their pages carry). */
    const post = async (login: string, url: string, form: Readonly<Record<string, string | readonly string[]>> = {}): Promise<LightMyRequestResponse> =>
      (await as(login)).post(url, form);
    const upload = async (login: string, filename: string, body: Buffer | string) => {
      const answer = await acme.server.app.inject({
        method: 'POST',
        url: `/uploads.json?filename=${encodeURIComponent(filename)}`,
        headers: { host: 'acme.localhost', authorization: 'Basic ' + Buffer.from(`${login}:${login}-password`).toString('base64'), 'content-type': 'application/octet-stream' },
        payload: body,
      });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ upload: { id: number; token: string } }>().upload;
    };
    const createIssue = async (login: string, project: string, issue: Record<string, unknown>) => {
      const answer = await call('POST', `/projects/${project}/issues.json`, login, { issue });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };
    const updateIssue = async (login: string, issueId: number, issue: Record<string, unknown>) => {
      const answer = await call('PUT', `/issues/${issueId}.json`, login, { issue });
      assert.equal(answer.statusCode, 204, answer.body);
    };
    const journalWithNotes = async (issueId: number, notes: string) => {
      const [row] = await sql("SELECT id FROM journals WHERE journalized_type = 'Issue' AND journalized_id = $1 AND notes = $2", [issueId, notes]);
      assert.ok(row, `no journal "${notes}"`);
      return Number(row.id);
    };
    const watcherLogins = async (issueId: number) =>
      (await sql("SELECT u.login FROM watchers w JOIN users u ON u.id = w.user_id WHERE w.watchable_type = 'Issue' AND w.watchable_id = $1 ORDER BY u.login", [issueId])).map((r) => r.login);
    const relationsOf = async (issueId: number) =>
      (await sql('SELECT issue_from_id, issue_to_id, relation_type, delay FROM issue_relations WHERE issue_from_id = $1 OR issue_to_id = $1 ORDER BY id', [issueId])).map((r) => ({
        from: Number(r.issue_from_id),
        to: Number(r.issue_to_id),
        type: r.relation_type,
        delay: r.delay === null ? null : Number(r.delay),
      }));

    before(async () => {
      await acme.users([
        ['jsmith', 'John', 'Smith'],
        ['dlopper', 'Dave', 'Lopper'],
        ['rhill', 'Robert', 'Hill'],
        ['outsider', 'Otto', 'Outsider'],
      ]);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([
        ['eCookbook', 'ecookbook', true],
        ['Secret', 'secret', false],
      ]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['secret', 'jsmith', 'Manager'],
      ]);
      // Reporters may edit their own notes here (Redmine's default does not give it).
      await sql("UPDATE roles SET permissions = permissions || '[\"edit_own_issue_notes\"]'::jsonb WHERE id = $1", [id('Reporter')]);
      const field = async (columns: Record<string, unknown>, roles: readonly string[] = []) => {
        const names = Object.keys(columns);
        const [row] = await sql(
          `INSERT INTO custom_fields (${names.join(', ')}, is_for_all, position) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}, true, 1) RETURNING id`,
          Object.values(columns),
        );
        ids[String(columns.name)] = Number(row?.id);
        await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers', [id(String(columns.name))]);
        for (const role of roles) {
          await sql('INSERT INTO custom_fields_roles (custom_field_id, role_id) VALUES ($1, $2)', [id(String(columns.name)), id(role)]);
        }
      };
      await field({ type: 'IssueCustomField', name: 'Browser', field_format: 'string', visible: true });
      await field({ type: 'IssueCustomField', name: 'Cost centre', field_format: 'string', visible: false }, ['Manager']);
      await field({ type: 'IssueCustomField', name: 'Reviewer', field_format: 'user', visible: true });

      const png = await upload('jsmith', 'screenshot.png', PNG);
      const txt = await upload('jsmith', 'notes.txt', 'plain words');
      ids.parent = await createIssue('jsmith', 'ecookbook', {
        tracker_id: id('Bug'),
        subject: 'Parent issue',
        description: 'The first description',
        custom_fields: [
          { id: id('Browser'), value: 'Firefox' },
          { id: id('Cost centre'), value: 'CC-42' },
          { id: id('Reviewer'), value: String(id('dlopper')) },
        ],
        uploads: [
          { token: png.token, filename: 'screenshot.png', content_type: 'image/png' },
          { token: txt.token, filename: 'notes.txt', content_type: 'text/plain' },
        ],
      });
      ids.png = png.id;
      ids.txt = txt.id;
      ids.child = await createIssue('jsmith', 'ecookbook', { tracker_id: id('Feature'), subject: 'Child task', parent_issue_id: id('parent'), assigned_to_id: id('dlopper') });
      ids.other = await createIssue('jsmith', 'ecookbook', { tracker_id: id('Bug'), subject: 'Blocked one' });
      const relation = await call('POST', `/issues/${id('parent')}/relations.json`, 'jsmith', { relation: { issue_to_id: id('other'), relation_type: 'blocks' } });
      assert.equal(relation.statusCode, 201, relation.body);
      await updateIssue('jsmith', id('parent'), { status_id: id('In Progress'), assigned_to_id: id('rhill'), notes: 'First *note*' });
      await updateIssue('jsmith', id('parent'), { notes: 'Secret note', private_notes: true });
      const log = await upload('jsmith', 'log.txt', 'a log');
      await updateIssue('jsmith', id('parent'), {
        description: 'The second description',
        custom_fields: [{ id: id('Cost centre'), value: 'CC-43' }],
        uploads: [{ token: log.token, filename: 'log.txt' }],
      });
      ids.log = log.id;
      await sql("UPDATE issues SET created_on = created_on - interval '2 days' WHERE id = $1", [id('parent')]);
      ids.secretIssue = await createIssue('jsmith', 'secret', { tracker_id: id('Bug'), subject: 'Hidden work' });
      await updateIssue('jsmith', id('secretIssue'), { notes: 'hidden note', description: 'changed' });
      const secretPng = await upload('jsmith', 'secret.png', PNG);
      await updateIssue('jsmith', id('secretIssue'), { uploads: [{ token: secretPng.token, filename: 'secret.png' }] });
      ids.secretPng = secretPng.id;
    });

    test('an issue with custom fields, attachments, relations, subtasks and journals shows all of them', async () => {
      const html = await okPage('jsmith', `/issues/${id('parent')}`);
      const text = textOf(html);
      assert.match(html, /<h2 class="inline-flex">Bug #\d+<\/h2>/);
      assert.match(html, new RegExp(`<div class="issue tracker-${id('Bug')} status-${id('In Progress')} [^"]*details" id="issue-${id('parent')}"`));
      assert.match(text, /Parent issue/);
      assert.match(text, /Added by John Smith 2 days ago\. Updated less than 1 minute ago\./);
      assert.match(html, new RegExp(`<a href="/users/${id('jsmith')}" class="user active">John Smith</a>`));
      // Attributes in Redmine's two columns.
      assert.match(text, /Status: In Progress/);
      assert.match(text, /Assignee: Robert Hill/);
      assert.match(html, /<table class="progress progress-0"/);
      assert.match(text, /Browser: Firefox/);
      assert.match(text, /Cost centre: CC-43/);
      assert.match(text, /Reviewer: Dave Lopper/);
      // Description and attachments, a thumbnail for the image only.
      assert.match(elementById(html, 'issue_description_wiki'), /The second description/);
      const attachments = html.slice(html.indexOf('<div class="attachments">'));
      for (const name of ['screenshot.png', 'notes.txt', 'log.txt']) {
        assert.match(attachments, new RegExp(`>${name.replace('.', '\\.')}</a>`));
      }
      assert.match(html, new RegExp(`<img src="/attachments/thumbnail/${id('png')}" width="100" alt="screenshot.png"`));
      assert.doesNotMatch(html, new RegExp(`/attachments/thumbnail/${id('txt')}"`));
      // Subtasks and relations.
      const tree = elementById(html, 'issue_tree');
      assert.match(textOf(tree), new RegExp(`Feature #${id('child')}: Child task New Dave Lopper`));
      assert.match(tree, new RegExp(`/projects/ecookbook/issues/new\\?issue%5Bparent_issue_id%5D=${id('parent')}`));
      const relations = elementById(html, 'relations');
      assert.match(textOf(relations), new RegExp(`Blocks Bug #${id('other')}: Blocked one New`));
      assert.match(relations, /id="new-relation-form"/);
      // The history, in order, with the private note marked for its reader.
      const history = elementById(html, 'history');
      const changes = [...history.matchAll(/<div id="change-(\d+)" class="([^"]+)"/g)].map((m) => ({ id: Number(m[1]), classes: m[2] }));
      assert.ok(changes.length >= 4, history);
      assert.deepEqual(changes.map((c) => c.id), [...changes.map((c) => c.id)].sort((a, b) => a - b));
      assert.match(history, /<div id="note-1" class="note">/);
      assert.ok(changes.some((c) => (c.classes ?? '').includes('private-notes')));
      assert.match(history, /<em>note<\/em>|<strong>note<\/strong>|\*note\*/);
      assert.match(textOf(history), /Secret note/);
      assert.match(textOf(history), /Private notes/);
      // Actions: edit, log time, watch, copy, delete; watchers in the sidebar.
      const menu = html.slice(html.indexOf('<div class="contextual">'), html.indexOf('<h2'));
      assert.match(menu, new RegExp(`href="/issues/${id('parent')}/edit"`));
      assert.match(menu, new RegExp(`href="/issues/${id('parent')}/time_entries/new"`));
      assert.match(menu, new RegExp(`action="/watchers/watch\\?object_type=issue&amp;object_id=${id('parent')}"`));
      assert.match(menu, new RegExp(`href="/projects/ecookbook/issues/${id('parent')}/copy"`));
      assert.match(menu, new RegExp(`action="/issues/${id('parent')}/delete"`));
      assert.match(html, /<div id="watchers">/);
      assert.match(html, /<title>Bug #\d+: Parent issue - /);
    });

    test('journal details are worded as Redmine words them', async () => {
      const text = textOf(elementById(await okPage('jsmith', `/issues/${id('parent')}`), 'history'));
      assert.match(text, /Status changed from New to In Progress/);
      assert.match(text, /Assignee set to Robert Hill/);
      assert.match(text, /Description updated \(diff\)/);
      assert.match(text, /Cost centre changed from CC-42 to CC-43/);
      assert.match(text, /File log\.txt added/);
      assert.match(text, new RegExp(`Blocks Bug #${id('other')}: Blocked one added`));
      assert.match(text, /Updated by John Smith less than 1 minute ago/);
      const other = textOf(elementById(await okPage('jsmith', `/issues/${id('other')}`), 'history'));
      assert.match(other, new RegExp(`Blocked by Bug #${id('parent')}: Parent issue added`));
    });

    test('the description diff is a line diff of the change', async () => {
      const html = await okPage('jsmith', `/issues/${id('parent')}`);
      const link = /href="(\/journals\/\d+\/diff\?detail_id=\d+)"/.exec(html)?.[1];
      assert.ok(link);
      const diff = await okPage('jsmith', link.replace(/&amp;/g, '&'));
      assert.match(diff, /<del class="diff_out">The first description<\/del>/);
      assert.match(diff, /<ins class="diff_in">The second description<\/ins>/);
      // Anyone who sees the issue sees its changes (a non-member on a public project too).
      assert.equal((await page('outsider', link.replace(/&amp;/g, '&'))).statusCode, 200);
    });

    test('a private note is hidden from a user without view_private_notes; a field restricted to a role from other roles', async () => {
      const reporter = await okPage('rhill', `/issues/${id('parent')}`);
      assert.doesNotMatch(reporter, /Secret note/);
      assert.doesNotMatch(reporter, /Cost centre/);
      assert.doesNotMatch(reporter, /CC-4[23]/);
      assert.match(textOf(reporter), /First note|First \*note\*|First note/);
      assert.match(textOf(reporter), /Browser: Firefox/);
      // The note numbers stay those of the whole history.
      const reporterNotes = [...reporter.matchAll(/id="note-(\d+)"/g)].map((m) => Number(m[1]));
      const managerNotes = [...(await okPage('jsmith', `/issues/${id('parent')}`)).matchAll(/id="note-(\d+)"/g)].map((m) => Number(m[1]));
      assert.ok(reporterNotes.every((n) => managerNotes.includes(n)));
      assert.ok(reporterNotes.length < managerNotes.length);
      const developer = await okPage('dlopper', `/issues/${id('parent')}`);
      assert.match(developer, /Secret note/);
      assert.doesNotMatch(developer, /Cost centre/);
      // Nobody but the manager may watch-manage, relate… Reporter sees no relation form nor delete.
      assert.doesNotMatch(reporter, /id="new-relation-form"/);
      assert.doesNotMatch(reporter, new RegExp(`action="/issues/${id('parent')}/delete"`));
    });

    test('history tabs are links that work without JavaScript; comments in reverse order by preference', async () => {
      const notes = await okPage('jsmith', `/issues/${id('parent')}?tab=notes`);
      assert.match(notes, /<div id="history" class="tab-notes">/);
      assert.match(notes, /<a href="[^"]*\?tab=notes#history" id="tab-notes" class="selected"/);
      assert.match(await okPage('jsmith', `/issues/${id('parent')}?tab=properties`), /<div id="history" class="tab-properties">/);
      assert.match(await okPage('jsmith', `/issues/${id('parent')}?tab=bogus`), /<div id="history" class="tab-history">/);
      await sql(`UPDATE user_preferences SET others = others || '{"comments_sorting": "desc"}'::jsonb WHERE user_id = $1`, [id('dlopper')]);
      try {
        const html = await okPage('dlopper', `/issues/${id('parent')}`);
        const order = [...html.matchAll(/<div id="change-(\d+)"/g)].map((m) => Number(m[1]));
        assert.deepEqual(order, [...order].sort((a, b) => b - a));
        assert.ok(order.length > 1);
      } finally {
        await sql(`UPDATE user_preferences SET others = others - 'comments_sorting' WHERE user_id = $1`, [id('dlopper')]);
      }
    });

    test('a note is edited by its author; another user is refused and nothing is stored; empty notes delete it', async () => {
      await updateIssue('rhill', id('parent'), { notes: 'Robert was here' });
      const journalId = await journalWithNotes(id('parent'), 'Robert was here');
      const shown = await okPage('rhill', `/issues/${id('parent')}`);
      assert.match(shown, new RegExp(`href="/journals/${journalId}/edit"`));
      assert.match(shown, new RegExp(`href="/issues/${id('parent')}/edit\\?quote_journal=${journalId}"[^>]*data-quote="Robert was here"`));
      // Another reporter's page shows no edit link for it; the developer may neither.
      assert.doesNotMatch(await okPage('dlopper', `/issues/${id('parent')}`), new RegExp(`/journals/${journalId}/edit`));
      const form = await okPage('rhill', `/journals/${journalId}/edit`);
      assert.match(form, new RegExp(`<form id="journal-${journalId}-form" method="post" action="/journals/${journalId}">`));
      assert.match(form, />Robert was here<\/textarea>/);
      assert.doesNotMatch(form, /journal\[private_notes\]/, 'a reporter may not set notes private');

      const refused = await post('dlopper', `/journals/${journalId}`, { 'journal[notes]': 'Hijacked' });
      assert.equal(refused.statusCode, 403);
      assert.equal((await page('dlopper', `/journals/${journalId}/edit`)).statusCode, 403);
      assert.equal((await sql('SELECT notes FROM journals WHERE id = $1', [journalId]))[0]?.notes, 'Robert was here');

      const saved = await post('rhill', `/journals/${journalId}`, { 'journal[notes]': 'Robert was here, edited' });
      assert.equal(saved.statusCode, 302);
      assert.equal(saved.headers.location, `/issues/${id('parent')}#change-${journalId}`);
      const [row] = await sql('SELECT notes, updated_by_id FROM journals WHERE id = $1', [journalId]);
      assert.equal(row?.notes, 'Robert was here, edited');
      assert.equal(Number(row?.updated_by_id), id('rhill'));
      assert.match(textOf(await okPage('jsmith', `/issues/${id('parent')}`)), /Robert was here, edited/);

      // A manager may make it private (set_notes_private), then the reporter's own note stays theirs.
      const privately = await post('jsmith', `/journals/${journalId}`, { 'journal[private_notes]': '1' });
      assert.equal(privately.statusCode, 302);
      assert.equal((await sql('SELECT private_notes FROM journals WHERE id = $1', [journalId]))[0]?.private_notes, true);

      const removed = await post('rhill', `/journals/${journalId}`, { 'journal[notes]': '' });
      assert.equal(removed.statusCode, 302);
      assert.equal((await sql('SELECT id FROM journals WHERE id = $1', [journalId])).length, 0);
    });

    test('watch and unwatch store the watcher; adding and removing watchers needs their permissions', async () => {
      const watch = await post('rhill', `/watchers/watch?object_type=issue&object_id=${id('parent')}`);
      assert.equal(watch.statusCode, 303, watch.body);
      assert.deepEqual(await watcherLogins(id('parent')), ['rhill']);
      assert.match(await okPage('rhill', `/issues/${id('parent')}`), /action="\/watchers\/unwatch\?object_type=issue&amp;object_id=\d+"/);
      assert.equal((await post('rhill', `/watchers/unwatch?object_type=issue&object_id=${id('parent')}`)).statusCode, 303);
      assert.deepEqual(await watcherLogins(id('parent')), []);

      const shown = await okPage('jsmith', `/issues/${id('parent')}`);
      assert.match(shown, /<select id="watcher_user_ids" name="watcher\[user_ids\]\[\]" multiple/);
      const added = await post('jsmith', `/issues/${id('parent')}/watchers`, { 'watcher[user_ids][]': [String(id('dlopper')), String(id('rhill'))] });
      assert.equal(added.statusCode, 302);
      assert.deepEqual(await watcherLogins(id('parent')), ['dlopper', 'rhill']);
      const sidebar = elementById(await okPage('jsmith', `/issues/${id('parent')}`), 'watchers');
      assert.match(textOf(sidebar), /Watchers \(2\)/);
      assert.match(sidebar, new RegExp(`action="/issues/${id('parent')}/watchers/${id('dlopper')}/delete"`));

      assert.equal((await post('rhill', `/issues/${id('parent')}/watchers`, { 'watcher[user_ids][]': [String(id('jsmith'))] })).statusCode, 403);
      assert.equal((await post('rhill', `/issues/${id('parent')}/watchers/${id('dlopper')}/delete`)).statusCode, 403);
      assert.deepEqual(await watcherLogins(id('parent')), ['dlopper', 'rhill']);

      assert.equal((await post('jsmith', `/issues/${id('parent')}/watchers/${id('dlopper')}/delete`)).statusCode, 302);
      assert.deepEqual(await watcherLogins(id('parent')), ['rhill']);
    });

    test('relations are added and removed through the form; a refusal shows the form again and stores nothing', async () => {
      const target = await createIssue('jsmith', 'ecookbook', { tracker_id: id('Bug'), subject: 'Follower', start_date: '2030-01-01' });
      const before = await relationsOf(target);
      const refused = await post('jsmith', `/issues/${id('other')}/relations`, { 'relation[relation_type]': 'precedes', 'relation[issue_to_id]': '999999', 'relation[delay]': '2' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /<details class="new-relation" open="">|<details class="new-relation" open>/);
      assert.match(refused.body, /id="errorExplanation"/);
      assert.match(refused.body, /name="relation\[issue_to_id\]" size="10" value="999999"/);
      assert.match(refused.body, /<option value="precedes" selected/);

      assert.equal((await post('rhill', `/issues/${id('other')}/relations`, { 'relation[relation_type]': 'relates', 'relation[issue_to_id]': String(target) })).statusCode, 403);
      assert.deepEqual(await relationsOf(target), before);

      const added = await post('jsmith', `/issues/${id('other')}/relations`, { 'relation[relation_type]': 'precedes', 'relation[issue_to_id]': `#${target}`, 'relation[delay]': '2' });
      assert.equal(added.statusCode, 302, added.body);
      assert.equal(added.headers.location, `/issues/${id('other')}#relations`);
      assert.deepEqual(await relationsOf(target), [{ from: id('other'), to: target, type: 'precedes', delay: 2 }]);
      const relationId = Number((await sql('SELECT id FROM issue_relations WHERE issue_from_id = $1 AND issue_to_id = $2', [id('other'), target]))[0]?.id);
      const relations = textOf(elementById(await okPage('jsmith', `/issues/${target}`), 'relations'));
      assert.match(relations, new RegExp(`Follows \\(2 days\\) Bug #${id('other')}: Blocked one`));

      assert.equal((await post('rhill', `/relations/${relationId}/delete`, { issue_id: String(target) })).statusCode, 403);
      assert.equal((await relationsOf(target)).length, 1);
      const removed = await post('jsmith', `/relations/${relationId}/delete`, { issue_id: String(target) });
      assert.equal(removed.statusCode, 302);
      assert.equal(removed.headers.location, `/issues/${target}#relations`);
      assert.deepEqual(await relationsOf(target), []);
    });

    test('thumbnails and attachment pages: images only, for those who may see the attachment', async () => {
      const thumbnail = await page('rhill', `/attachments/thumbnail/${id('png')}`);
      assert.equal(thumbnail.statusCode, 200);
      assert.equal(thumbnail.headers['content-type'], 'image/png');
      assert.deepEqual(thumbnail.rawPayload, PNG);
      assert.equal((await page('rhill', `/attachments/thumbnail/${id('png')}/200`)).statusCode, 200);
      assert.equal((await page('rhill', `/attachments/thumbnail/${id('txt')}`)).statusCode, 404);
      assert.equal((await page('jsmith', `/attachments/thumbnail/${id('secretPng')}`)).statusCode, 200);
      assert.equal((await page('outsider', `/attachments/thumbnail/${id('secretPng')}`)).statusCode, 404);

      const shown = await okPage('rhill', `/attachments/${id('png')}`);
      assert.match(shown, /<h2>screenshot\.png<\/h2>/);
      assert.match(shown, new RegExp(`<img src="/attachments/download/${id('png')}/screenshot.png"`));
      const text = await okPage('rhill', `/attachments/${id('txt')}`);
      assert.match(text, new RegExp(`href="/attachments/download/${id('txt')}/notes.txt"`));
      assert.doesNotMatch(text, /<img /);
      assert.equal((await page('outsider', `/attachments/${id('secretPng')}`)).statusCode, 404);
      // The download route stays.
      assert.equal((await page('rhill', `/attachments/download/${id('txt')}/notes.txt`)).body, 'plain words');
    });

    test('a user who cannot see the issue is refused on every route, and nothing is stored', async () => {
      const issueId = id('secretIssue');
      const journalId = await journalWithNotes(issueId, 'hidden note');
      const detailId = Number((await sql("SELECT id FROM journal_details WHERE journal_id = $1 AND prop_key = 'description'", [journalId]))[0]?.id);
      const sibling = await createIssue('jsmith', 'secret', { tracker_id: id('Bug'), subject: 'Hidden sibling' });
      const related = await call('POST', `/issues/${issueId}/relations.json`, 'admin', { relation: { issue_to_id: sibling, relation_type: 'relates' } });
      assert.equal(related.statusCode, 201, related.body);
      const relationId = related.json<{ relation: { id: number } }>().relation.id;
      const snapshot = async () => ({
        journals: await sql("SELECT id, notes, private_notes FROM journals WHERE journalized_type = 'Issue' AND journalized_id = $1 ORDER BY id", [issueId]),
        watchers: await watcherLogins(issueId),
        relations: await relationsOf(issueId),
      });
      const stored = await snapshot();
      assert.equal((await okPage('jsmith', `/issues/${issueId}`)).includes('Hidden work'), true);

      for (const login of ['outsider', 'rhill']) {
        const browser = await as(login);
        const send = (url: string, form: Readonly<Record<string, string | readonly string[]>> = {}) => post(login, url, form);
        const refusals: [string, LightMyRequestResponse][] = [
          [`GET /issues/${issueId}`, await browser.request('GET', `/issues/${issueId}`)],
          [`GET /issues/${issueId}?tab=notes`, await browser.request('GET', `/issues/${issueId}?tab=notes`)],
          ['GET /journals/:id/edit', await browser.request('GET', `/journals/${journalId}/edit`)],
          ['GET /journals/:id/diff', await browser.request('GET', `/journals/${journalId}/diff?detail_id=${detailId}`)],
          ['POST /journals/:id', await send(`/journals/${journalId}`, { 'journal[notes]': 'x' })],
          ['POST /issues/:id/relations', await send(`/issues/${issueId}/relations`, { 'relation[issue_to_id]': String(id('parent')) })],
          ['POST /relations/:id/delete', await send(`/relations/${relationId}/delete`)],
          ['POST /issues/:id/watchers', await send(`/issues/${issueId}/watchers`, { 'watcher[user_ids][]': [String(id(login))] })],
          ['POST /issues/:id/watchers/:user/delete', await send(`/issues/${issueId}/watchers/${id('jsmith')}/delete`)],
          ['POST /watchers/watch', await send(`/watchers/watch?object_type=issue&object_id=${issueId}`)],
          ['GET /attachments/:id', await browser.request('GET', `/attachments/${id('secretPng')}`)],
          ['GET /attachments/thumbnail/:id', await browser.request('GET', `/attachments/thumbnail/${id('secretPng')}`)],
        ];
        for (const [route, answer] of refusals) {
          assert.ok([403, 404].includes(answer.statusCode), `${login} ${route}: ${answer.statusCode}`);
          assert.doesNotMatch(answer.body, /Hidden work|hidden note/, `${login} ${route}`);
        }
      }
      assert.deepEqual(await snapshot(), stored);
      // Unknown issues are 404; anonymous visitors are sent to sign in.
      assert.equal((await page('jsmith', '/issues/999999')).statusCode, 404);
      const anonymous = await acme.server.app.inject({ method: 'GET', url: `/issues/${issueId}`, headers: { host: 'acme.localhost' } });
      assert.equal(anonymous.statusCode, 302);
      assert.match(String(anonymous.headers.location), /^\/login\?back_url=/);
    });
  });
}
