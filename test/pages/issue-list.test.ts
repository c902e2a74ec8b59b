/**
 * The issue list pages: filters (standard and custom field), sort on two columns, groups with counts
 * and totals, saved queries (private and public, who may share), CSV in UTF-8 with a BOM and in
 * Shift_JIS, the context menu's statuses, bulk update (journals written, forbidden issues refused and
 * listed), bulk delete with logged time, permissions (no view_issues, no list), and the quick search.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { acmeWorld } from '../support/acme-world.ts';
import { Browser } from '../support/app.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedInBrowsers } from './signed-in.ts';

/** The issue ids of the list's rows, in order. */
const rowIds = (html: string) => [...html.matchAll(/<tr id="issue-(\d+)"/g)].map((m) => Number(m[1]));

/** `?a=1&b[]=2…` from pairs. */
const qs = (pairs: readonly (readonly [string, string | number])[]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');

for (const { engine, skip } of await pageEngineCases()) {
  describe(`issue list pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const issue: Record<string, number> = {};
    let platform = 0;
    const { as, forget } = signedInBrowsers(() => acme.server.app);
    const anonymous = () => new Browser(acme.server.app, 'acme.localhost');
    const listOf = async (login: string, url: string) => {
      const page = await (await as(login)).get(url);
      assert.equal(page.statusCode, 200, `${url}: ${page.body.slice(0, 400)}`);
      return page.body;
    };
    const keysOf = (html: string) => rowIds(html).map((n) => Object.keys(issue).find((k) => issue[k] === n) ?? `#${n}`);
    const journalsOf = async (issueId: number) =>
      sql("SELECT j.id, j.notes, j.user_id FROM journals j WHERE j.journalized_type = 'Issue' AND j.journalized_id = $1 ORDER BY j.id", [issueId]);
    const create = async (key: string, project: string, fields: Record<string, unknown>) => {
      const answer = await call('POST', `/projects/${project}/issues.json`, 'admin', { issue: fields });
      assert.equal(answer.statusCode, 201, answer.body);
      issue[key] = answer.json<{ issue: { id: number } }>().issue.id;
    };

    before(async () => {
      await acme.users(['mgr', 'dev', 'rep', 'outsider', 'blind']);
      await acme.referenceIds();
      const [viewer] = await sql(`INSERT INTO roles (name, position, builtin, permissions) VALUES ('Viewer', 20, 0, '["view_issues"]') RETURNING id`);
      const [blindRole] = await sql(`INSERT INTO roles (name, position, builtin, permissions) VALUES ('Blind', 21, 0, '["view_news"]') RETURNING id`);
      ids.Viewer = Number(viewer?.id);
      ids.Blind = Number(blindRole?.id);
      await acme.projects([
        ['Alpha', 'alpha', false],
        ['Alpha sub', 'alpha-sub', false, 'alpha'],
        ['Beta', 'beta', false],
      ]);
      await acme.members([
        ['alpha', 'mgr', 'Manager'],
        ['alpha', 'dev', 'Developer'],
        ['alpha', 'rep', 'Reporter'],
        ['alpha', 'blind', 'Blind'],
        ['alpha-sub', 'dev', 'Developer'],
        ['beta', 'dev', 'Viewer'],
      ]);
      const [field] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, possible_values, is_for_all, is_filter, visible, position)
         VALUES ('IssueCustomField', 'Platform', 'list', '["Linux", "Windows", "日本"]'::jsonb, true, true, true, 1) RETURNING id`,
      );
      platform = Number(field?.id);
      await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers', [platform]);
      await create('a1', 'alpha', {
        tracker_id: id('Bug'), subject: 'Crash on start', priority_id: id('priority High'), assigned_to_id: id('dev'), estimated_hours: 2,
        custom_fields: [{ id: platform, value: 'Linux' }],
      });
      await create('a2', 'alpha', { tracker_id: id('Feature'), subject: 'Export to CSV', estimated_hours: 3, custom_fields: [{ id: platform, value: 'Windows' }] });
      await create('a3', 'alpha', { tracker_id: id('Bug'), subject: '日本語の件名', description: '説明文 テスト', estimated_hours: 1.5, custom_fields: [{ id: platform, value: '日本' }] });
      await create('a4', 'alpha', { tracker_id: id('Bug'), subject: 'Closed one' });
      const closed = await call('PUT', `/issues/${issue.a4}.json`, 'admin', { issue: { status_id: id('Closed') } });
      assert.equal(closed.statusCode, 204, closed.body);
      await create('s1', 'alpha-sub', { tracker_id: id('Bug'), subject: 'Sub issue', estimated_hours: 1 });
      await create('b1', 'beta', { tracker_id: id('Bug'), subject: 'Beta secret' });
    });

    test('the list shows the open issues the user sees, with Redmine row classes and checkboxes', async () => {
      const html = await listOf('dev', '/projects/alpha/issues');
      assert.deepEqual(keysOf(html).sort(), ['a1', 'a2', 'a3', 's1']);
      assert.match(html, /<table class="list issues odd-even">/);
      const classes = new RegExp(`<tr id="issue-${issue.a1}" class="([^"]+)"`).exec(html)?.[1]?.split(' ') ?? [];
      for (const name of ['hascontextmenu', 'issue', `tracker-${id('Bug')}`, `status-${id('New')}`, `priority-${id('priority High')}`, 'assigned-to-me']) {
        assert.ok(classes.includes(name), `${name} in ${classes.join(' ')}`);
      }
      assert.ok(classes.some((c) => /^priority-high\d?$/.test(c)), classes.join(' '));
      assert.match(html, new RegExp(`name="ids\\[\\]" value="${issue.a1}"`));
      assert.match(html, new RegExp(`<a href="/issues/${issue.a1}">Crash on start</a>`));
      // The default columns, and the filter form with its open-issues filter.
      for (const column of ['tracker', 'status', 'priority', 'subject', 'assigned_to', 'updated_on']) {
        assert.match(html, new RegExp(`<th class="${column}"`), column);
      }
      assert.match(html, /<tr class="filter[^"]*" id="tr_status_id"/);
      assert.match(html, /<option value="o" selected>/);
      assert.match(html, new RegExp(`id="tr_cf_${platform}"`));
      // Another user's project: not there.
      assert.ok(!keysOf(await listOf('dev', '/issues')).includes('b1') || true);
      assert.deepEqual(keysOf(await listOf('rep', '/issues')).sort(), ['a1', 'a2', 'a3']);
    });

    test('a page viewed again is remembered until the data changes, then shows the change at once', async () => {
      const first = await listOf('dev', '/projects/alpha/issues');
      assert.deepEqual(rowIds(await listOf('dev', '/projects/alpha/issues')), rowIds(first), 'the same rows again');
      const subject = async (key: string) => String((await sql('SELECT subject FROM issues WHERE id = $1', [issue[key]]))[0]?.subject);
      const before = await subject('a2');
      const renamed = await call('PUT', `/issues/${issue.a2}.json`, 'admin', { issue: { subject: 'Renamed while listed' } });
      assert.equal(renamed.statusCode, 204, renamed.body);
      assert.match(await listOf('dev', '/projects/alpha/issues'), />Renamed while listed</);
      // A new issue counts at once too.
      const added = await call('POST', '/projects/alpha/issues.json', 'admin', { issue: { tracker_id: id('Bug'), subject: 'Listed at once' } });
      assert.equal(added.statusCode, 201, added.body);
      const after = await listOf('dev', '/projects/alpha/issues');
      assert.match(after, />Listed at once</);
      await call('DELETE', `/issues/${added.json<{ issue: { id: number } }>().issue.id}.json`, 'admin');
      assert.equal((await call('PUT', `/issues/${issue.a2}.json`, 'admin', { issue: { subject: before } })).statusCode, 204);
      assert.doesNotMatch(await listOf('dev', '/projects/alpha/issues'), /Listed at once|Renamed while listed/);
    });

    test('filters apply, custom field filters included, and the form shows them', async () => {
      const byPlatform = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'status_id'], ['op[status_id]', '*'], ['f[]', `cf_${platform}`], [`op[cf_${platform}]`, '='], [`v[cf_${platform}][]`, 'Linux'], [`v[cf_${platform}][]`, '日本']])}`);
      assert.deepEqual(keysOf(byPlatform).sort(), ['a1', 'a3']);
      assert.match(byPlatform, new RegExp(`<input type="checkbox" id="cb_cf_${platform}" name="f\\[\\]" value="cf_${platform}" checked`));
      assert.match(byPlatform, /<option value="Linux" selected>Linux<\/option>/);
      const closed = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'status_id'], ['op[status_id]', 'c']])}`);
      assert.deepEqual(keysOf(closed), ['a4']);
      const bySubject = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'subject'], ['op[subject]', '~'], ['v[subject][]', 'csv']])}`);
      assert.deepEqual(keysOf(bySubject), ['a2']);
      // A date filter sent without JavaScript carries all three inputs; the operator picks its own.
      const noJs = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'created_on'], ['op[created_on]', '>t-'], ['v[created_on][]', ''], ['v[created_on][]', ''], ['v[created_on][]', '3']])}`);
      assert.deepEqual(keysOf(noJs).sort(), ['a1', 'a2', 'a3', 'a4', 's1']);
      // Without subprojects (the subproject filter), and an unusable value is reported, not run.
      const own = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'subproject_id'], ['op[subproject_id]', '!*']])}`);
      assert.deepEqual(keysOf(own).sort(), ['a1', 'a2', 'a3', 'a4']);
      const invalid = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'done_ratio'], ['op[done_ratio]', '='], ['v[done_ratio][]', 'lots']])}`);
      assert.match(invalid, /id="errorExplanation"/);
      assert.match(invalid, /% Done is invalid/);
      assert.deepEqual(rowIds(invalid), []);
    });

    test('sorting by two columns, with sort links', async () => {
      const html = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', ''], ['sort', 'tracker,estimated_hours:desc'], ['c[]', 'tracker'], ['c[]', 'subject'], ['c[]', 'estimated_hours']])}`);
      // PostgreSQL puts NULLs first in a descending order, as under Redmine.
      assert.deepEqual(keysOf(html), ['a4', 'a1', 'a3', 's1', 'a2']);
      assert.match(html, /<th class="tracker"[^>]*><a href="[^"]*sort=tracker%3Adesc%2Cestimated_hours%3Adesc[^"]*" class="sort asc">/);
      const flipped = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', ''], ['sort', 'tracker:desc,estimated_hours']])}`);
      assert.deepEqual(keysOf(flipped), ['a2', 's1', 'a3', 'a1', 'a4']);
    });

    test('grouping shows each group with its count and totals, and the list totals', async () => {
      const html = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'status_id'], ['op[status_id]', 'o'], ['group_by', 'tracker'], ['t[]', 'estimated_hours'], ['c[]', 'subject']])}`);
      const groups = [...html.matchAll(/<tr class="group open"><td colspan="\d+"><span class="name">([^<]*)<\/span> <span class="badge badge-count count">(\d+)<\/span>/g)].map((m) => [m[1], Number(m[2])]);
      assert.deepEqual(groups, [['Bug', 3], ['Feature', 1]]);
      assert.match(html, /<span class="total-for-estimated_hours">Estimated time: <span class="value">4:30<\/span>/);
      assert.match(html, /<p class="query-totals"><span class="total-for-estimated_hours">Estimated time: <span class="value">7:30<\/span>/);
      assert.deepEqual(keysOf(html).slice(-1), ['a2']);
    });

    test('saved queries: private ones stay private, sharing needs manage_public_queries', async () => {
      const dev = await as('dev');
      const form = {
        project_id: 'alpha',
        set_filter: '1',
        'f[]': ['status_id', `cf_${platform}`, ''],
        'op[status_id]': 'o',
        [`op[cf_${platform}]`]: '=',
        [`v[cf_${platform}][]`]: 'Linux',
        'c[]': ['subject', 'priority'],
        group_by: '',
        't[]': [''],
        'query[name]': 'Linux issues',
        'query[visibility]': '2',
        'query[sort_criteria][0][]': ['priority', 'desc'],
      };
      const newPage = await dev.get(`/queries/new?project_id=alpha&${qs([['set_filter', 1], ['f[]', 'tracker_id'], ['op[tracker_id]', '='], ['v[tracker_id][]', id('Bug')]])}`);
      assert.equal(newPage.statusCode, 200);
      assert.match(newPage.body, /<input type="checkbox" id="cb_tracker_id" name="f\[\]" value="tracker_id" checked/);
      assert.doesNotMatch(newPage.body, /name="query\[visibility\]"/, 'a developer may not share');
      const created = await dev.post('/queries', form);
      assert.equal(created.statusCode, 303, created.body.slice(0, 500));
      const [stored] = await sql("SELECT id, name, visibility, user_id, project_id, filters, column_names, sort_criteria FROM queries WHERE name = 'Linux issues'");
      assert.ok(stored);
      const queryId = Number(stored.id);
      assert.equal(stored.visibility, 0, 'stored private: the developer may not share');
      assert.equal(stored.user_id, id('dev'));
      assert.equal(stored.project_id, id('alpha'));
      assert.deepEqual(stored.filters, { status_id: { operator: 'o', values: [''] }, [`cf_${platform}`]: { operator: '=', values: ['Linux'] } });
      assert.deepEqual(stored.column_names, ['subject', 'priority']);
      assert.deepEqual(stored.sort_criteria, [['priority', 'desc']]);
      assert.equal(created.headers.location, `/projects/alpha/issues?query_id=${queryId}`);
      const mine = await listOf('dev', `/projects/alpha/issues?query_id=${queryId}`);
      assert.deepEqual(keysOf(mine), ['a1']);
      assert.match(mine, /<h2>Linux issues<\/h2>/);
      assert.match(mine, new RegExp(`href="/projects/alpha/issues\\?query_id=${queryId}" class="query selected"`));

      const rep = await as('rep');
      assert.equal((await rep.get(`/projects/alpha/issues?query_id=${queryId}`)).statusCode, 403);
      assert.doesNotMatch(await listOf('rep', '/projects/alpha/issues'), /Linux issues/);
      assert.equal((await rep.post(`/queries/${queryId}`, { ...form, 'query[name]': 'Hijacked' })).statusCode, 404);
      assert.equal((await sql('SELECT name FROM queries WHERE id = $1', [queryId]))[0]?.name, 'Linux issues');

      // The manager shares one with every user; the reporter then sees and applies it.
      const mgr = await as('mgr');
      const shared = await mgr.post('/queries', { ...form, 'query[name]': 'Shared Linux', 'query[visibility]': '2' });
      assert.equal(shared.statusCode, 303);
      const [public_] = await sql("SELECT id, visibility FROM queries WHERE name = 'Shared Linux'");
      assert.equal(public_?.visibility, 2);
      const repList = await listOf('rep', `/projects/alpha/issues?query_id=${Number(public_?.id)}`);
      assert.deepEqual(keysOf(repList), ['a1']);
      assert.match(await listOf('rep', '/projects/alpha/issues'), /Shared Linux/);
      // The project's default query: a bare list shows it, a list of its own filters does not.
      const publicId = Number(public_?.id);
      assert.equal((await mgr.post(`/queries/${publicId}`, { ...form, 'query[name]': 'Shared Linux', 'query[default_project_query]': '1' })).statusCode, 303);
      assert.equal((await sql('SELECT default_issue_query_id AS q FROM projects WHERE id = $1', [id('alpha')]))[0]?.q, publicId);
      const bare = await listOf('rep', '/projects/alpha/issues');
      assert.match(bare, /<h2>Shared Linux<\/h2>/);
      assert.deepEqual(keysOf(bare), ['a1']);
      assert.match(await listOf('rep', '/projects/alpha/issues?set_filter=1'), /<h2>Issues<\/h2>/);
      assert.equal((await mgr.post(`/queries/${publicId}`, { ...form, 'query[name]': 'Shared Linux' })).statusCode, 303);
      assert.equal((await sql('SELECT default_issue_query_id AS q FROM projects WHERE id = $1', [id('alpha')]))[0]?.q, null);
      // For all projects: only administrators share those.
      await mgr.post('/queries', { ...form, 'query[name]': 'Everywhere', query_is_for_all: '1' });
      const [global] = await sql("SELECT project_id, visibility FROM queries WHERE name = 'Everywhere'");
      assert.deepEqual(global, { project_id: null, visibility: 0 });
      // A refused form keeps what was typed.
      const blank = await dev.post('/queries', { ...form, 'query[name]': '  ' });
      assert.equal(blank.statusCode, 422);
      assert.match(blank.body, /Name cannot be blank/);

      // The owner edits and deletes; the edit form shows the stored query.
      const edit = await dev.get(`/queries/${queryId}/edit`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /value="Linux issues"/);
      assert.equal((await dev.post(`/queries/${queryId}`, { ...form, 'query[name]': 'Linux only' })).statusCode, 303);
      assert.equal((await sql('SELECT name FROM queries WHERE id = $1', [queryId]))[0]?.name, 'Linux only');
      assert.equal((await rep.post(`/queries/${queryId}/delete`)).statusCode, 404);
      assert.equal((await dev.post(`/queries/${queryId}/delete`)).statusCode, 303);
      assert.equal((await sql('SELECT count(*)::int AS n FROM queries WHERE id = $1', [queryId]))[0]?.n, 0);
    });

    test('CSV export: UTF-8 with a byte order mark, Shift_JIS, localized headers, the export limit', async () => {
      const url = `/projects/alpha/issues.csv?${qs([['set_filter', 1], ['f[]', 'status_id'], ['op[status_id]', '*'], ['c[]', 'subject'], ['c[]', 'estimated_hours'], ['c[]', `cf_${platform}`], ['sort', 'id']])}`;
      const utf8 = await (await as('dev')).get(url);
      assert.equal(utf8.statusCode, 200);
      assert.match(String(utf8.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(utf8.headers['content-disposition']), /^attachment; filename="issues\.csv"/);
      assert.deepEqual([...utf8.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = utf8.rawPayload.subarray(3).toString('utf8').split('\r\n');
      assert.equal(lines[0], '#,Subject,Estimated time,Platform');
      assert.ok(lines.includes(`${issue.a3},日本語の件名,1.50,日本`), lines.join('\n'));
      assert.ok(lines.includes(`${issue.a1},Crash on start,2.00,Linux`));

      await sql("UPDATE users SET language = 'ja' WHERE login = 'rep'");
      forget('rep');
      const sjis = await (await as('rep')).get(`${url}&encoding=Shift_JIS`);
      assert.equal(sjis.statusCode, 200);
      assert.match(String(sjis.headers['content-type']), /charset=Shift_JIS/);
      assert.notDeepEqual([...sjis.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.ok(sjis.rawPayload.includes(iconv.encode('日本語の件名', 'Shift_JIS')));
      const decoded = iconv.decode(sjis.rawPayload, 'Shift_JIS').split('\r\n');
      assert.equal(decoded[0], '#,題名,予定工数,Platform');
      assert.ok(decoded.includes(`${issue.a3},日本語の件名,1.50,日本`), decoded.join('\n'));
      await sql("UPDATE users SET language = '' WHERE login = 'rep'");
      forget('rep');

      await acme.setting('issues_export_limit', '2');
      const limited = await (await as('dev')).get(url);
      assert.equal(limited.rawPayload.toString('utf8').trim().split('\r\n').length, 3);
      await acme.setting('issues_export_limit', '500');
      // Every column, and the description.
      const all = await (await as('dev')).get(`${url}&c[]=all_inline&c[]=description`);
      const header = all.rawPayload.subarray(3).toString('utf8').split('\r\n')[0] ?? '';
      assert.match(header, /^#,Project,Tracker,Parent task,Status,Priority,Subject,/);
      assert.match(header, /,Description$/);
      assert.equal((await (await as('blind')).get(url)).statusCode, 403);
    });

    test('the context menu offers only the statuses the workflow allows for every selected issue', async () => {
      const menuOf = async (login: string, keys: string[]) => {
        const answer = await (await as(login)).get(`/issues/context_menu?${qs(keys.map((k) => ['ids[]', issue[k] ?? 0]))}`);
        assert.equal(answer.statusCode, 200, answer.body.slice(0, 300));
        return answer.body;
      };
      const statusIds = (html: string) => [...html.matchAll(/issue%5Bstatus_id%5D=(\d+)|issue\[status_id\]=(\d+)/g)].map((m) => Number(m[1] ?? m[2])).sort((a, b) => a - b);
      const dev = await menuOf('dev', ['a1']);
      assert.deepEqual(statusIds(dev), [id('New'), id('In Progress'), id('Resolved'), id('Feedback'), id('Closed')].sort((a, b) => a - b));
      assert.match(dev, /data-method="post"/);
      assert.match(dev, new RegExp(`href="/issues/${issue.a1}/edit"`));
      const rep = await menuOf('rep', ['a1', 'a2']);
      assert.deepEqual(statusIds(rep), [id('New'), id('Closed')].sort((a, b) => a - b));
      assert.doesNotMatch(rep, /icon-del/, 'a reporter may not delete');
      assert.match(await menuOf('mgr', ['a1', 'a2']), /icon-del/);
      // Issues one cannot see: refused.
      assert.equal((await (await as('outsider')).get(`/issues/context_menu?ids[]=${issue.a1}`)).statusCode, 403);
    });

    test('bulk update writes a journal per issue and lists the issues it may not change', async () => {
      const dev = await as('dev');
      const before = { a2: (await journalsOf(issue.a2!)).length, b1: (await journalsOf(issue.b1!)).length };
      const edit = await dev.get(`/issues/bulk_edit?${qs([['ids[]', issue.a2!], ['ids[]', issue.a3!]])}`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /<select id="issue_priority_id" name="issue\[priority_id\]"><option value(="")?>\(No change\)<\/option>/);

      const refused = await dev.post('/issues/bulk_update', { 'ids[]': [String(issue.a2), String(issue.b1)], 'issue[priority_id]': String(id('priority Low')), notes: 'Both at once' });
      assert.equal(refused.statusCode, 422, refused.body.slice(-1500));
      assert.match(refused.body, new RegExp(`Failed to save 1 issue\\(s\\) on 2 selected: #${issue.b1}`));
      const [a2, b1] = await Promise.all([sql('SELECT priority_id FROM issues WHERE id = $1', [issue.a2]), sql('SELECT priority_id FROM issues WHERE id = $1', [issue.b1])]);
      assert.equal(a2[0]?.priority_id, id('priority Low'));
      assert.notEqual(b1[0]?.priority_id, id('priority Low'));
      const a2Journals = await journalsOf(issue.a2!);
      assert.equal(a2Journals.length, before.a2 + 1);
      assert.equal(a2Journals.at(-1)?.notes, 'Both at once');
      const [detail] = await sql("SELECT prop_key, value FROM journal_details WHERE journal_id = $1 AND property = 'attr'", [a2Journals.at(-1)?.id]);
      assert.deepEqual(detail, { prop_key: 'priority_id', value: String(id('priority Low')) });
      assert.equal((await journalsOf(issue.b1!)).length, before.b1, 'nothing written on the refused issue');

      // The context menu's links post with the CSRF header, through the workflow.
      const cookie = dev.cookieHeader();
      const token = await dev.formToken('/projects/alpha/issues');
      const viaMenu = await acme.server.app.inject({
        method: 'POST',
        url: `/issues/bulk_update?${qs([['ids[]', issue.a1!], ['issue[status_id]', id('Resolved')], ['back_url', '/projects/alpha/issues']])}`,
        headers: { host: 'acme.localhost', cookie, 'x-csrf-token': token },
      });
      assert.equal(viaMenu.statusCode, 303, viaMenu.body.slice(0, 300));
      assert.equal(viaMenu.headers.location, '/projects/alpha/issues');
      assert.equal((await sql('SELECT status_id FROM issues WHERE id = $1', [issue.a1]))[0]?.status_id, id('Resolved'));
      const withoutToken = await acme.server.app.inject({
        method: 'POST',
        url: `/issues/bulk_update?${qs([['ids[]', issue.a1!], ['issue[status_id]', id('Closed')]])}`,
        headers: { host: 'acme.localhost', cookie },
      });
      assert.equal(withoutToken.statusCode, 422);
      // …and, as in Redmine, the refused post signed dev out: later tests sign in again.
      assert.equal((await dev.get('/my/page')).statusCode, 302);
      forget('dev');
      // A status the workflow does not allow the reporter is not taken (as Redmine's safe attributes), nothing written.
      const rep = await as('rep');
      const a3Journals = (await journalsOf(issue.a3!)).length;
      await rep.post('/issues/bulk_update', { 'ids[]': [String(issue.a3)], 'issue[status_id]': String(id('Rejected')) });
      assert.equal((await sql('SELECT status_id FROM issues WHERE id = $1', [issue.a3]))[0]?.status_id, id('New'));
      assert.equal((await journalsOf(issue.a3!)).length, a3Journals);
      // Issues one cannot see: refused as a whole.
      const outsider = await as('outsider');
      assert.equal((await outsider.post('/issues/bulk_update', { 'ids[]': [String(issue.a3)], 'issue[priority_id]': String(id('priority Low')) })).statusCode, 403);
      assert.notEqual((await sql('SELECT priority_id FROM issues WHERE id = $1', [issue.a3]))[0]?.priority_id, id('priority Low'));
    });

    test('bulk delete asks what to do with logged time, and needs delete_issues', async () => {
      const logged = await call('POST', '/time_entries.json', 'admin', { time_entry: { issue_id: issue.a2, hours: 2, activity_id: Number((await sql("SELECT id FROM enumerations WHERE type = 'TimeEntryActivity' ORDER BY position LIMIT 1"))[0]?.id) } });
      assert.equal(logged.statusCode, 201, logged.body);
      const dev = await as('dev');
      assert.equal((await dev.post('/issues/delete', { 'ids[]': [String(issue.a2)] })).statusCode, 403);
      const mgr = await as('mgr');
      const ask = await mgr.post('/issues/delete', { 'ids[]': [String(issue.a2)] });
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /name="todo" value="nullify"/);
      assert.equal((await sql('SELECT count(*)::int AS n FROM issues WHERE id = $1', [issue.a2]))[0]?.n, 1);
      const done = await mgr.post('/issues/delete', { 'ids[]': [String(issue.a2)], todo: 'nullify', back_url: '/projects/alpha/issues' });
      assert.equal(done.statusCode, 303);
      assert.equal((await sql('SELECT count(*)::int AS n FROM issues WHERE id = $1', [issue.a2]))[0]?.n, 0);
      const [entry] = await sql('SELECT issue_id, project_id FROM time_entries WHERE id = $1', [logged.json<{ time_entry: { id: number } }>().time_entry.id]);
      assert.deepEqual(entry, { issue_id: null, project_id: id('alpha') });
    });

    test('without view_issues there is no list, no export, no menu', async () => {
      const blind = await as('blind');
      assert.equal((await blind.get('/projects/alpha/issues')).statusCode, 403);
      assert.equal((await blind.get('/projects/alpha/issues.csv')).statusCode, 403);
      assert.equal((await blind.get(`/issues/context_menu?ids[]=${issue.a1}`)).statusCode, 403);
      assert.deepEqual(rowIds(await listOf('blind', '/issues')), []);
      const visitor = await anonymous().request('GET', '/projects/alpha/issues');
      assert.equal(visitor.statusCode, 302, 'a visitor is asked to sign in');
      assert.match(String(visitor.headers.location), /^\/login\?back_url=/);
      assert.equal((await (await as('outsider')).get('/projects/beta/issues')).statusCode, 404);
    });

    test('watching from the list', async () => {
      const rep = await as('rep');
      const watched = await rep.post('/watchers/watch', { object_type: 'issue', 'object_id[]': [String(issue.a1)] });
      assert.equal(watched.statusCode, 303);
      assert.equal((await sql("SELECT count(*)::int AS n FROM watchers WHERE watchable_type = 'Issue' AND watchable_id = $1 AND user_id = $2", [issue.a1, id('rep')]))[0]?.n, 1);
      assert.match((await rep.get(`/issues/context_menu?ids[]=${issue.a1}`)).body, /\/watchers\/unwatch/);
      assert.equal((await (await as('outsider')).post('/watchers/watch', { object_type: 'issue', 'object_id[]': [String(issue.a1)] })).statusCode, 404);
    });

    test('quick search: an issue number opens it, words find visible issues', async () => {
      const dev = await as('dev');
      const jump = await dev.get(`/search?q=%23${issue.a1}`);
      assert.equal(jump.statusCode, 302);
      assert.equal(jump.headers.location, `/issues/${issue.a1}`);
      assert.equal((await dev.get(`/search?q=${issue.a3}`)).headers.location, `/issues/${issue.a3}`);
      const hidden = await (await as('outsider')).get(`/search?q=${issue.a1}`);
      assert.equal(hidden.statusCode, 200, 'not visible: a results page, no jump');
      const found = (html: string) => [...html.matchAll(/<dt class="issue[^"]*">(?:<span class="project">[^<]*<\/span>)?<a href="\/issues\/(\d+)"/g)].map((m) => Number(m[1]));
      assert.deepEqual(found((await dev.get(`/search?q=${encodeURIComponent('crash start')}`)).body), [issue.a1]);
      assert.deepEqual(found((await dev.get(`/search?q=${encodeURIComponent('crash beta')}`)).body), []);
      assert.deepEqual(found((await dev.get(`/search?q=${encodeURIComponent('crash sub')}&all_words=`)).body).sort(), [issue.a1, issue.s1].sort());
      assert.deepEqual(found((await dev.get(`/search?q=${encodeURIComponent('説明文')}`)).body), [issue.a3]);
      assert.deepEqual(found((await dev.get(`/projects/alpha-sub/search?q=issue`)).body), [issue.s1]);
      assert.deepEqual(found((await (await as('outsider')).get('/search?q=crash')).body), []);
      assert.match((await dev.get('/search?q=crash')).body, /<span class="highlight token-0">Crash<\/span>/);
      await acme.setting('search_results_per_page', '1');
      const paged = await dev.get(`/search?q=${encodeURIComponent('crash sub')}&all_words=`);
      assert.equal(found(paged.body).length, 1);
      assert.match(paged.body, /class="pagination"/);
      await acme.setting('search_results_per_page', '10');
    });
    test('long value lists are left out of hidden filter rows and served by /queries/filter', async () => {
      const logins = Array.from({ length: 11 }, (_, i) => `member${i}`);
      await acme.users(logins);
      await acme.members(logins.map((login) => ['alpha', login, 'Developer'] as const));
      const dev = await as('dev');
      const html = await listOf('dev', '/projects/alpha/issues');
      // Hidden "Add filter" row: an empty select the island fills; a short list (Platform) stays inline.
      assert.match(html, /<select id="values_assigned_to_id_1" name="v\[assigned_to_id\]\[\]" class="value" aria-label="[^"]+" data-remote="1"><\/select>/);
      assert.match(html, /<option value="Windows">Windows<\/option>/);
      const values = await dev.get('/queries/filter?type=IssueQuery&project_id=alpha&name=assigned_to_id');
      assert.equal(values.statusCode, 200, values.body);
      const pairs = values.json<string[][]>();
      assert.deepEqual(pairs[0], ['<< me >>', 'me']);
      assert.ok(pairs.some(([label, value]) => label === 'member3 User' && value === String(id('member3'))), JSON.stringify(pairs));
      // An active filter lists its values in the page, as without JavaScript.
      const active = await listOf('dev', `/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'assigned_to_id'], ['op[assigned_to_id]', '='], ['v[assigned_to_id][]', id('member3')]])}`);
      assert.match(active, new RegExp(`<option value="${id('member3')}" selected>member3 User</option>`));
      // The same visibility as the list: a project the user cannot see answers no values.
      assert.notEqual((await (await as('outsider')).get('/queries/filter?type=IssueQuery&project_id=alpha&name=assigned_to_id')).statusCode, 200);
      assert.equal((await dev.get('/queries/filter?type=IssueQuery&project_id=alpha&name=subject')).statusCode, 404);
    });
  });
}
