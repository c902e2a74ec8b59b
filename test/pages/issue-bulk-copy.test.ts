/**
 * Bulk copy, custom values and moves of the bulk edit form, and sorting the issue list (and the REST
 * list) by custom fields: the context menu's "Copy" of several issues, the copy form's options, the
 * copies stored with their attributes, subtasks, watchers and relations; custom values changed and
 * cleared; issues moved to another project where the user may add issues; per-issue failures listed;
 * refused users writing nothing; and numeric, date and list orders with the field's visibility.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedInBrowsers } from './signed-in.ts';

const qs = (pairs: readonly (readonly [string, string | number])[]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
const rowIds = (html: string) => [...html.matchAll(/<tr id="issue-(\d+)"/g)].map((m) => Number(m[1]));

const COPIER = ['view_issues', 'add_issues', 'edit_issues', 'copy_issues', 'add_issue_watchers', 'view_issue_watchers', 'manage_subtasks', 'manage_issue_relations'];

for (const { engine, skip } of await pageEngineCases()) {
  describe(`bulk copy, custom values, moves and custom-field sort (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const issue: Record<string, number> = {};
    const cf: Record<string, number> = {};
    const { as } = signedInBrowsers(() => acme.server.app);
    const create = async (key: string, project: string, fields: Record<string, unknown>) => {
      const answer = await call('POST', `/projects/${project}/issues.json`, 'admin', { issue: fields });
      assert.equal(answer.statusCode, 201, answer.body);
      issue[key] = answer.json<{ issue: { id: number } }>().issue.id;
    };
    const field = async (name: string, format: string, extra: { possible?: string[]; visible?: boolean; roles?: string[] } = {}) => {
      const [row] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, possible_values, is_for_all, is_filter, visible, position)
         VALUES ('IssueCustomField', $1, $2, $3::jsonb, true, true, $4, 1) RETURNING id`,
        [name, format, extra.possible ? JSON.stringify(extra.possible) : null, extra.visible ?? true],
      );
      cf[name] = Number(row?.id);
      await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers', [cf[name]]);
      for (const role of extra.roles ?? []) {
        await sql('INSERT INTO custom_fields_roles (custom_field_id, role_id) VALUES ($1, $2)', [cf[name], id(role)]);
      }
    };
    const valueOf = async (issueId: number, name: string) =>
      (await sql("SELECT value FROM custom_values WHERE customized_type = 'Issue' AND customized_id = $1 AND custom_field_id = $2 ORDER BY id", [issueId, cf[name]])).map((r) => r.value);
    const issueCount = async () => Number((await sql('SELECT count(*)::int AS n FROM issues'))[0]?.n);

    before(async () => {
      await acme.users(['mgr', 'dev', 'watcher']);
      for (const [name, permissions] of [
        ['Copier', COPIER],
        ['Editor', ['view_issues', 'edit_issues']],
        ['Looker', ['view_issues']],
      ] as const) {
        await sql('INSERT INTO roles (name, position, builtin, permissions) VALUES ($1, 30, 0, $2::jsonb)', [name, JSON.stringify(permissions)]);
      }
      await acme.referenceIds();
      await acme.projects([
        ['Alpha', 'alpha', false],
        ['Beta', 'beta', false],
      ]);
      await acme.members([
        ['alpha', 'mgr', 'Copier'],
        ['beta', 'mgr', 'Copier'],
        ['alpha', 'dev', 'Editor'],
        ['beta', 'dev', 'Looker'],
        ['alpha', 'watcher', 'Looker'],
        ['beta', 'watcher', 'Looker'],
      ]);
      await field('Platform', 'list', { possible: ['Linux', 'Windows', 'Mac'] });
      await field('Size', 'int');
      await field('Deadline', 'date');
      await field('Secret', 'int', { visible: false, roles: ['Copier'] });
      const values = (platform: string, size: string, deadline: string, secret: string) => [
        { id: cf.Platform, value: platform },
        { id: cf.Size, value: size },
        { id: cf.Deadline, value: deadline },
        { id: cf.Secret, value: secret },
      ];
      await create('a1', 'alpha', { tracker_id: id('Bug'), subject: 'Parent one', priority_id: id('priority Low'), custom_fields: values('Windows', '9', '2026-03-01', '3'), watcher_user_ids: [id('watcher')] });
      await create('a2', 'alpha', { tracker_id: id('Bug'), subject: 'Second', start_date: '2026-01-01', due_date: '2026-01-10', custom_fields: values('Linux', '100', '2025-12-31', '1') });
      await create('a3', 'alpha', { tracker_id: id('Bug'), subject: 'Third', custom_fields: values('Mac', '10', '2026-01-15', '2') });
      await create('c1', 'alpha', { tracker_id: id('Bug'), subject: 'Child of one', parent_issue_id: issue.a1 });
      await acme.setting('link_copied_issue', 'ask');
      // Copies linked to issues of another project need cross-project relations (else Redmine skips the link).
      await acme.setting('cross_project_issue_relations', '1');
    });

    test('the context menu of several issues offers Copy, to the bulk edit form in copy mode', async () => {
      const mgr = await as('mgr');
      const menu = await mgr.get(`/issues/context_menu?${qs([['ids[]', issue.a1!], ['ids[]', issue.a2!]])}`);
      assert.equal(menu.statusCode, 200);
      assert.match(menu.body, new RegExp(`href="/issues/bulk_edit\\?ids\\[\\]=${issue.a1}&amp;ids\\[\\]=${issue.a2}&amp;copy=1" class="icon icon-copy"`));
      const dev = await as('dev');
      assert.doesNotMatch((await dev.get(`/issues/context_menu?${qs([['ids[]', issue.a1!], ['ids[]', issue.a2!]])}`)).body, /icon-copy/, 'no copy_issues');

      const form = await mgr.get(`/issues/bulk_edit?${qs([['ids[]', issue.a1!], ['ids[]', issue.a2!], ['copy', 1]])}`);
      assert.equal(form.statusCode, 200, form.body.slice(0, 500));
      assert.match(form.body, /<input type="hidden" name="copy" value="1"\/>/);
      assert.match(form.body, new RegExp(`<option value="${id('beta')}">Beta</option>`));
      assert.match(form.body, /name="link_copy" id="link_copy" value="1" checked/);
      assert.match(form.body, /name="copy_subtasks" id="copy_subtasks" value="1" checked/);
      assert.match(form.body, /name="copy_watchers" id="copy_watchers" value="1" checked/);
      assert.match(form.body, />Copy and follow</);
      assert.doesNotMatch(form.body, /id="issue_status_id"/, 'copies get their default status');
      assert.match(form.body, new RegExp(`<select id="issue_custom_field_values_${cf.Platform}" name="issue\\[custom_field_values\\]\\[${cf.Platform}\\]"><option value(="")? selected>\\(No change\\)</option><option value="__none__">none</option><option value="Linux">`));
      assert.equal((await dev.get(`/issues/bulk_edit?${qs([['ids[]', issue.a1!], ['copy', 1]])}`)).statusCode, 403);
    });

    test('a bulk copy stores copies with their attributes, subtasks, watchers and links, in the target project', async () => {
      const mgr = await as('mgr');
      const before = await issueCount();
      const copied = await mgr.post('/issues/bulk_update', {
        'ids[]': [String(issue.a1), String(issue.c1), String(issue.a2)],
        copy: '1',
        'issue[project_id]': String(id('beta')),
        'issue[priority_id]': String(id('priority High')),
        [`issue[custom_field_values][${cf.Size}]`]: '42',
        link_copy: ['0', '1'],
        copy_subtasks: ['0', '1'],
        copy_watchers: ['0', '1'],
        back_url: '/projects/alpha/issues',
      });
      assert.equal(copied.statusCode, 303, copied.body.slice(0, 2000));
      assert.equal(copied.headers.location, '/projects/alpha/issues');
      // a1 with its child (selected too, copied once, with its parent) and a2.
      assert.equal(await issueCount(), before + 3);
      const copies = await sql('SELECT id, subject, project_id, priority_id, parent_id, status_id, author_id FROM issues WHERE id > $1 ORDER BY id', [issue.c1]);
      assert.deepEqual(copies.map((c) => [c.subject, c.project_id]), [['Parent one', id('beta')], ['Child of one', id('beta')], ['Second', id('beta')]]);
      const [p1, child, s2] = copies;
      assert.equal(s2?.priority_id, id('priority High'));
      assert.equal(p1?.priority_id, child?.priority_id, 'a parent takes its priority from its subtasks (parent_issue_priority: derived)');
      assert.equal(child?.parent_id, p1?.id);
      assert.equal(p1?.status_id, id('New'));
      assert.equal(p1?.author_id, id('mgr'));
      assert.deepEqual(await valueOf(Number(p1?.id), 'Size'), ['42']);
      assert.deepEqual(await valueOf(Number(p1?.id), 'Platform'), ['Windows'], 'the source values are kept');
      assert.deepEqual(await valueOf(Number(s2?.id), 'Deadline'), ['2025-12-31']);
      const watchers = await sql("SELECT user_id FROM watchers WHERE watchable_type = 'Issue' AND watchable_id = $1", [p1?.id]);
      assert.deepEqual(watchers.map((w) => w.user_id), [id('watcher')]);
      const links = await sql("SELECT issue_from_id, issue_to_id FROM issue_relations WHERE relation_type = 'copied_to' ORDER BY issue_from_id");
      assert.deepEqual(links.map((l) => [l.issue_from_id, l.issue_to_id]), [[issue.a1, p1?.id], [issue.a2, s2?.id], [issue.c1, child?.id]]);
      // The sources are unchanged.
      assert.equal((await sql('SELECT project_id FROM issues WHERE id = $1', [issue.a1]))[0]?.project_id, id('alpha'));
      const flash = await mgr.get('/projects/alpha/issues');
      assert.match(flash.body, /Successful update\./);

      // "Copy and follow" of one issue, without watchers or a link: to the copy.
      const followed = await mgr.post('/issues/bulk_update', { 'ids[]': [String(issue.a3)], copy: '1', link_copy: '0', copy_watchers: '0', follow: '1' });
      assert.equal(followed.statusCode, 303, followed.body.slice(0, 1000));
      const [third] = await sql("SELECT id, project_id FROM issues WHERE subject = 'Third' ORDER BY id DESC LIMIT 1");
      assert.equal(followed.headers.location, `/issues/${Number(third?.id)}`);
      assert.equal(third?.project_id, id('alpha'));
      assert.equal((await sql('SELECT count(*)::int AS n FROM issue_relations WHERE issue_to_id = $1', [third?.id]))[0]?.n, 0);

      // Several copies all in one project: "and follow" goes to that project's list.
      const toBeta = await mgr.post('/issues/bulk_update', { 'ids[]': [String(issue.a2), String(issue.a3)], copy: '1', 'issue[project_id]': String(id('beta')), follow: '1' });
      assert.equal(toBeta.headers.location, '/projects/beta/issues');

      // Without copy_issues, or without add_issues in the target: refused, nothing stored.
      const count = await issueCount();
      const dev = await as('dev');
      assert.equal((await dev.post('/issues/bulk_update', { 'ids[]': [String(issue.a2)], copy: '1' })).statusCode, 403);
      await sql('UPDATE roles SET permissions = $1::jsonb WHERE name = $2', [JSON.stringify([...COPIER.filter((p) => p !== 'add_issues')]), 'Looker']);
      await sql('UPDATE roles SET permissions = $1::jsonb WHERE name = $2', [JSON.stringify(['view_issues', 'edit_issues', 'copy_issues', 'add_issues']), 'Editor']);
      const refusedTarget = await dev.post('/issues/bulk_update', { 'ids[]': [String(issue.a2)], copy: '1', 'issue[project_id]': String(id('beta')) });
      assert.equal(refusedTarget.statusCode, 403);
      await sql('UPDATE roles SET permissions = $1::jsonb WHERE name = $2', [JSON.stringify(['view_issues']), 'Looker']);
      await sql('UPDATE roles SET permissions = $1::jsonb WHERE name = $2', [JSON.stringify(['view_issues', 'edit_issues']), 'Editor']);
      assert.equal(await issueCount(), count);
    });

    test('bulk edit changes and clears custom values common to the issues, with journals', async () => {
      const dev = await as('dev');
      const form = await dev.get(`/issues/bulk_edit?${qs([['ids[]', issue.a2!], ['ids[]', issue.a3!]])}`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, new RegExp(`<label for="issue_custom_field_values_${cf.Size}">Size</label><input type="text" id="issue_custom_field_values_${cf.Size}"`));
      assert.doesNotMatch(form.body, new RegExp(`issue_custom_field_values_${cf.Secret}`), 'a field the user does not see');
      assert.doesNotMatch(form.body, /id="issue_project_id"/, 'no project to move to without add_issues');
      const updated = await dev.post('/issues/bulk_update', {
        'ids[]': [String(issue.a2), String(issue.a3)],
        [`issue[custom_field_values][${cf.Platform}]`]: 'Linux',
        [`issue[custom_field_values][${cf.Deadline}]`]: '__none__',
        [`issue[custom_field_values][${cf.Size}]`]: '',
      });
      assert.equal(updated.statusCode, 303, updated.body.slice(0, 2000));
      assert.deepEqual(await valueOf(issue.a3!, 'Platform'), ['Linux']);
      assert.deepEqual(await valueOf(issue.a3!, 'Deadline'), ['']);
      assert.deepEqual(await valueOf(issue.a3!, 'Size'), ['10'], 'blank is no change');
      assert.deepEqual(await valueOf(issue.a2!, 'Size'), ['100']);
      const details = await sql(
        "SELECT d.prop_key, d.old_value, d.value FROM journal_details d JOIN journals j ON j.id = d.journal_id WHERE j.journalized_id = $1 AND d.property = 'cf' ORDER BY d.prop_key",
        [issue.a3],
      );
      assert.deepEqual(
        details.map((d) => [Number(d.prop_key), d.old_value, d.value]).sort((a, b) => Number(a[0]) - Number(b[0])),
        [[cf.Platform, 'Mac', 'Linux'], [cf.Deadline, '2026-01-15', '']].sort((a, b) => Number(a[0]) - Number(b[0])),
      );
      // An invalid value fails each issue, listed as Redmine lists them; nothing is stored.
      const invalid = await dev.post('/issues/bulk_update', { 'ids[]': [String(issue.a2), String(issue.a3)], [`issue[custom_field_values][${cf.Size}]`]: 'many' });
      assert.equal(invalid.statusCode, 422);
      assert.match(invalid.body, new RegExp(`Failed to save 2 issue\\(s\\) on 2 selected: #${issue.a2}, #${issue.a3}`));
      assert.match(invalid.body, new RegExp(`#${issue.a2}: Size is not a number`));
      assert.deepEqual(await valueOf(issue.a2!, 'Size'), ['100']);
    });

    test('bulk edit moves issues to a project where the user may add issues; others are listed or refused', async () => {
      const mgr = await as('mgr');
      const form = await mgr.post('/issues/bulk_edit', { 'ids[]': [String(issue.a2), String(issue.a3)], 'issue[project_id]': String(id('beta')) });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, new RegExp(`<option value="${id('beta')}" selected>Beta</option>`));
      assert.match(form.body, />Move and follow</);
      // a2 cannot take a start date after its due date: it stays, a3 moves.
      const moved = await mgr.post('/issues/bulk_update', {
        'ids[]': [String(issue.a2), String(issue.a3)],
        'issue[project_id]': String(id('beta')),
        'issue[start_date]': '2026-02-01',
      });
      assert.equal(moved.statusCode, 422, moved.body.slice(0, 500));
      assert.match(moved.body, new RegExp(`Failed to save 1 issue\\(s\\) on 2 selected: #${issue.a2}`));
      const rows = await sql('SELECT id, project_id, start_date::text AS start_date FROM issues WHERE id IN ($1, $2) ORDER BY id', [issue.a2, issue.a3]);
      assert.deepEqual(rows.map((r) => [r.project_id, r.start_date]), [[id('alpha'), '2026-01-01'], [id('beta'), '2026-02-01']]);
      const [journal] = await sql("SELECT d.old_value, d.value FROM journal_details d JOIN journals j ON j.id = d.journal_id WHERE j.journalized_id = $1 AND d.prop_key = 'project_id'", [issue.a3]);
      assert.deepEqual(journal, { old_value: String(id('alpha')), value: String(id('beta')) });
      // "Move and follow" to the list of the one project.
      const followed = await mgr.post('/issues/bulk_update', { 'ids[]': [String(issue.a3)], 'issue[project_id]': String(id('alpha')), follow: '1' });
      assert.equal(followed.statusCode, 303);
      assert.equal(followed.headers.location, `/issues/${issue.a3}`);
      // A user without add_issues in the target: the project is not changed (Redmine's safe attributes), nothing written.
      const dev = await as('dev');
      const journals = Number((await sql("SELECT count(*)::int AS n FROM journals WHERE journalized_type = 'Issue' AND journalized_id = $1", [issue.a2]))[0]?.n);
      await dev.post('/issues/bulk_update', { 'ids[]': [String(issue.a2)], 'issue[project_id]': String(id('beta')) });
      assert.equal((await sql('SELECT project_id FROM issues WHERE id = $1', [issue.a2]))[0]?.project_id, id('alpha'));
      assert.equal(Number((await sql("SELECT count(*)::int AS n FROM journals WHERE journalized_type = 'Issue' AND journalized_id = $1", [issue.a2]))[0]?.n), journals);
    });

    test('the list and the REST list sort by custom fields: numbers, dates and lists, visibility respected', async () => {
      const list = async (login: string, sort: string) => {
        const page = await (await as(login)).get(`/projects/alpha/issues?${qs([['set_filter', 1], ['f[]', 'subject'], ['op[subject]', '!~'], ['v[subject][]', 'Child'], ['sort', sort], ['c[]', 'subject'], ['c[]', `cf_${cf.Size}`]])}`);
        assert.equal(page.statusCode, 200, page.body.slice(0, 500));
        return rowIds(page.body).filter((n) => [issue.a1, issue.a2, issue.a3].includes(n));
      };
      // Size: a1 9, a2 100, a3 10 — numbers, not text ("9" > "100").
      assert.deepEqual(await list('mgr', `cf_${cf.Size}`), [issue.a1, issue.a3, issue.a2]);
      assert.deepEqual(await list('mgr', `cf_${cf.Size}:desc`), [issue.a2, issue.a3, issue.a1]);
      const page = await (await as('mgr')).get(`/projects/alpha/issues?${qs([['set_filter', 1], ['sort', `cf_${cf.Size}`], ['c[]', `cf_${cf.Size}`]])}`);
      assert.match(page.body, new RegExp(`<th class="cf_${cf.Size}"[^>]*><a href="[^"]*sort=cf_${cf.Size}%3Adesc`));
      // Deadline: a1 2026-03-01, a2 2025-12-31, a3 none (cleared above).
      await sql("UPDATE custom_values SET value = '2025-12-31' WHERE customized_type = 'Issue' AND customized_id = $1 AND custom_field_id = $2", [issue.a2, cf.Deadline]);
      assert.deepEqual(await list('mgr', `cf_${cf.Deadline}:desc,id`), [issue.a3, issue.a1, issue.a2], 'no value first in a descending order, as PostgreSQL puts NULLs');
      // Platform: by value (a1 Windows, a2 Linux, a3 Linux).
      assert.deepEqual(await list('mgr', `cf_${cf.Platform},id`), [issue.a2, issue.a3, issue.a1]);
      // Secret (seen by Copier members only): mgr sorts by it; dev does not see it, the key is ignored.
      assert.deepEqual(await list('mgr', `cf_${cf.Secret}`), [issue.a2, issue.a3, issue.a1]);
      assert.deepEqual(await list('dev', `cf_${cf.Secret}`), [issue.a3, issue.a2, issue.a1]);
      // The REST list sorts the same way; a bogus key is ignored.
      const api = await call('GET', `/projects/alpha/issues.json?sort=cf_${cf.Size}:desc&status_id=*`, 'mgr');
      assert.equal(api.statusCode, 200, api.body);
      const apiIds = api.json<{ issues: { id: number }[] }>().issues.map((i) => i.id).filter((n) => [issue.a1, issue.a2, issue.a3].includes(n));
      assert.deepEqual(apiIds, [issue.a2, issue.a3, issue.a1]);
      assert.equal((await call('GET', '/issues.json?sort=cf_1;DROP TABLE issues', 'mgr')).statusCode, 200);
      void ids;
    });
  });
}
