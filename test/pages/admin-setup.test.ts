/**
 * The administration setup pages — roles and the permissions report, trackers, issue statuses,
 * enumerations — through the whole app: only administrators get in (nothing is written for anyone
 * else), what they save is what the REST API and the permission engine use afterwards, and records
 * still in use are not deleted. Workflows and custom fields: admin-setup-workflows.test.ts.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedIn, type SignedIn } from './signed-in.ts';

type Form = Record<string, string | readonly string[]>;

for (const { engine, skip } of await pageEngineCases()) {
  describe(`administration setup pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id } = acme;
    let admin: SignedIn;
    let jsmith: SignedIn;

    /** Everything these pages may write, as one text. */
    const configuration = async () =>
      JSON.stringify(
        await sql(`SELECT (SELECT json_agg(r ORDER BY id) FROM roles r) AS roles, (SELECT json_agg(t ORDER BY id) FROM trackers t) AS trackers,
                          (SELECT json_agg(s ORDER BY id) FROM issue_statuses s) AS statuses, (SELECT json_agg(e ORDER BY id) FROM enumerations e) AS enumerations,
                          (SELECT count(*) FROM workflows) AS workflows, (SELECT json_agg(f ORDER BY id) FROM custom_fields f) AS fields,
                          (SELECT json_agg(i ORDER BY id) FROM issues i) AS issues`),
      );
    const createIssue = async (issue: Record<string, unknown>, as = 'admin') => {
      const answer = await call('POST', '/issues.json', as, { issue: { project_id: 'ecookbook', subject: 'Something', ...issue } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };
    const roleRow = async (name: string) => (await sql('SELECT * FROM roles WHERE name = $1', [name]))[0];
    const saved = (answer: { statusCode: number; headers: Record<string, unknown>; body: string }, location: string) => {
      assert.equal(answer.statusCode, 303, answer.body);
      assert.equal(answer.headers.location, location);
    };

    before(async () => {
      await acme.users(['jsmith', 'rhill']);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true]]);
      await acme.members([['ecookbook', 'jsmith', 'Developer']]);
      admin = await signedIn(acme.server.app, 'admin');
      jsmith = await signedIn(acme.server.app, 'jsmith');
    });

    test('non-administrators get 403 on every page and form, and nothing is written; anonymous visitors are sent to sign in', async () => {
      await createIssue({ subject: 'In use' });
      const before = await configuration();
      const pages = [
        '/roles', '/roles/new', `/roles/new?copy=${id('Manager')}`, `/roles/${id('Manager')}/edit`, '/roles/permissions',
        '/trackers', '/trackers/new', `/trackers/${id('Bug')}/edit`, '/trackers/fields',
        '/issue_statuses', '/issue_statuses/new', `/issue_statuses/${id('New')}/edit`,
        '/workflows', '/workflows/edit', `/workflows/edit?role_id[]=${id('Developer')}&tracker_id[]=${id('Bug')}`, '/workflows/permissions', '/workflows/copy',
        '/custom_fields', '/custom_fields/new', '/custom_fields/new?type=IssueCustomField',
        '/enumerations', '/enumerations/new?type=IssuePriority', `/enumerations/${id('priority Low')}/edit`,
      ];
      for (const url of pages) {
        assert.equal((await jsmith.request('GET', url)).statusCode, 403, url);
      }
      const forms: Array<[string, Form]> = [
        ['/roles', { 'role[name]': 'Hacker', 'role[permissions][]': ['view_issues'] }],
        [`/roles/${id('Developer')}`, { 'role[permissions][]': ['manage_members'] }],
        [`/roles/${id('Reporter')}/delete`, {}],
        ['/roles/permissions', { [`permissions[${id('Developer')}][]`]: [''] }],
        ['/trackers', { 'tracker[name]': 'Hack', 'tracker[default_status_id]': String(id('New')) }],
        [`/trackers/${id('Support')}`, { 'tracker[name]': 'Hacked' }],
        [`/trackers/${id('Support')}/delete`, {}],
        ['/trackers/fields', { [`trackers[${id('Bug')}][core_fields][]`]: [''] }],
        ['/issue_statuses', { 'issue_status[name]': 'Hack' }],
        [`/issue_statuses/${id('Rejected')}`, { 'issue_status[is_closed]': '0' }],
        [`/issue_statuses/${id('Rejected')}/delete`, {}],
        ['/issue_statuses/update_issue_done_ratio', {}],
        ['/workflows/edit', { 'role_id[]': [String(id('Developer'))], 'tracker_id[]': [String(id('Bug'))], [`transitions[${id('New')}][${id('Closed')}][always]`]: '0' }],
        ['/workflows/permissions', { 'role_id[]': [String(id('Developer'))], 'tracker_id[]': [String(id('Bug'))], [`permissions[${id('New')}][due_date]`]: 'required' }],
        ['/workflows/copy', { source_tracker_id: String(id('Bug')), source_role_id: 'any', 'target_tracker_ids[]': [String(id('Feature'))], 'target_role_ids[]': [String(id('Developer'))] }],
        ['/custom_fields', { type: 'IssueCustomField', 'custom_field[field_format]': 'string', 'custom_field[name]': 'Hack' }],
        ['/enumerations', { 'enumeration[type]': 'IssuePriority', 'enumeration[name]': 'Hack' }],
        [`/enumerations/${id('priority Low')}`, { 'enumeration[name]': 'Hacked' }],
        [`/enumerations/${id('priority Low')}/delete`, {}],
      ];
      for (const [url, form] of forms) {
        assert.equal((await jsmith.post(url, form)).statusCode, 403, url);
      }
      assert.equal(await configuration(), before, 'nothing was written');
      const anonymous = await acme.server.app.inject({ method: 'GET', url: '/roles', headers: { host: 'acme.localhost' } });
      assert.equal(anonymous.statusCode, 302);
      assert.equal(anonymous.headers.location, '/login?back_url=%2Froles');
    });

    test('a role created with permissions grants exactly those to its members through the API; its form edits them', async () => {
      const form = await admin.request('GET', `/roles/new?copy=${id('Reporter')}`);
      assert.equal(form.statusCode, 200, form.body);
      assert.match(form.body, /<nav id="admin-menu"/);
      assert.match(form.body, /name="role\[permissions\]\[\]" value="view_issues" id="role_permissions_view_issues" checked/);
      assert.match(form.body, /<legend>.*Issue tracking<\/legend>/);
      assert.match(form.body, /name="role\[permissions_tracker_ids\]\[view_issues\]\[\]"/);

      const developerRules = Number((await sql('SELECT count(*)::int AS n FROM workflows WHERE role_id = $1', [id('Developer')]))[0]?.n);
      saved(
        await admin.post('/roles', {
          'role[name]': 'Tester',
          'role[assignable]': ['0', '1'],
          'role[issues_visibility]': 'all',
          'role[users_visibility]': 'all',
          'role[time_entries_visibility]': 'own',
          'role[all_roles_managed]': '0',
          'role[managed_role_ids][]': [String(id('Reporter')), ''],
          'role[permissions][]': ['view_issues', 'add_issues', 'manage_members', 'not_a_permission', ''],
          copy_workflow_from: String(id('Developer')),
        }),
        '/roles',
      );
      const tester = await roleRow('Tester');
      assert.deepEqual(tester?.permissions, ['manage_members', 'view_issues', 'add_issues']);
      assert.equal(tester?.time_entries_visibility, 'own');
      assert.equal(tester?.all_roles_managed, false);
      assert.deepEqual(await sql('SELECT managed_role_id FROM roles_managed_roles WHERE role_id = $1', [tester?.id]), [{ managed_role_id: id('Reporter') }]);
      assert.equal(Number((await sql('SELECT count(*)::int AS n FROM workflows WHERE role_id = $1', [tester?.id]))[0]?.n), developerRules, 'the workflow was copied');
      const testerId = Number(tester?.id);
      const listed = await call('GET', '/roles.json', 'admin');
      assert.ok(listed.json<{ roles: { name: string }[] }>().roles.some((r) => r.name === 'Tester'));
      assert.equal((await admin.request('GET', '/roles')).body.includes(`href="/roles/${testerId}/edit"`), true);

      // A member with the role may add issues but not edit them.
      assert.equal((await call('POST', '/projects/ecookbook/memberships.json', 'admin', { membership: { user_id: id('rhill'), role_ids: [testerId] } })).statusCode, 201);
      const issueId = await createIssue({ subject: 'By a tester' }, 'rhill');
      assert.equal((await call('PUT', `/issues/${issueId}.json`, 'rhill', { issue: { subject: 'Edited' } })).statusCode, 403);

      // Granting edit_issues on the edit form lets them edit.
      const edit = await admin.request('GET', `/roles/${testerId}/edit`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /value="Tester"/);
      saved(await admin.post(`/roles/${testerId}`, { 'role[name]': 'Tester', 'role[permissions][]': ['view_issues', 'add_issues', 'edit_issues', ''] }), '/roles');
      assert.equal((await call('PUT', `/issues/${issueId}.json`, 'rhill', { issue: { subject: 'Edited' } })).statusCode, 204);

      // Viewing limited to the Feature tracker: the Bug issue is gone for them.
      saved(
        await admin.post(`/roles/${testerId}`, {
          'role[permissions_all_trackers][view_issues]': ['0'],
          'role[permissions_tracker_ids][view_issues][]': [String(id('Feature')), ''],
        }),
        '/roles',
      );
      assert.deepEqual((await roleRow('Tester'))?.settings, {
        permissions_all_trackers: { view_issues: '0' },
        permissions_tracker_ids: { view_issues: [String(id('Feature'))] },
      });
      assert.notEqual((await call('GET', `/issues/${issueId}.json`, 'rhill')).statusCode, 200);
    });

    test('roles are validated like Redmine, reordered, and not deleted while members hold them', async () => {
      const count = async () => Number((await sql('SELECT count(*)::int AS n FROM roles'))[0]?.n);
      const before = await count();
      const blank = await admin.post('/roles', { 'role[name]': '  ', 'role[permissions][]': ['view_issues'] });
      assert.equal(blank.statusCode, 422);
      assert.match(blank.body, /id="errorExplanation"/);
      assert.match(blank.body, /Name cannot be blank/);
      assert.equal((await admin.post('/roles', { 'role[name]': 'Manager' })).statusCode, 422);
      assert.equal(await count(), before);

      const refused = await admin.post(`/roles/${id('Developer')}/delete`);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /This role is in use and cannot be deleted\..*eCookbook/);
      assert.ok(await roleRow('Developer'));
      assert.equal((await admin.post(`/roles/${id('Non member')}/delete`)).statusCode, 422, 'built-in roles stay');

      saved(await admin.post('/roles', { 'role[name]': 'Temporary' }), '/roles');
      const temporary = Number((await roleRow('Temporary'))?.id);
      saved(await admin.post(`/roles/${temporary}`, { 'role[position]': '1' }), '/roles');
      const order = await sql('SELECT name FROM roles WHERE builtin = 0 ORDER BY position');
      assert.deepEqual(order.map((r) => r.name), ['Temporary', 'Manager', 'Developer', 'Reporter', 'Tester']);
      saved(await admin.post(`/roles/${temporary}/delete`), '/roles');
      assert.equal(await roleRow('Temporary'), undefined);
      assert.deepEqual((await sql('SELECT position FROM roles WHERE builtin = 0 ORDER BY position')).map((r) => r.position), [1, 2, 3, 4]);
      assert.equal((await admin.request('GET', '/roles/99999/edit')).statusCode, 404);
    });

    test('the permissions report shows every role × permission and saves the roles it was sent', async () => {
      const page = await admin.request('GET', '/roles/permissions');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, new RegExp(`name="permissions\\[${id('Manager')}\\]\\[\\]" value="manage_members"`));
      assert.doesNotMatch(page.body, new RegExp(`name="permissions\\[${id('Anonymous')}\\]\\[\\]" value="manage_members"`), 'Anonymous cannot hold members-only permissions');
      const manager = (await roleRow('Manager'))?.permissions;
      saved(
        await admin.post('/roles/permissions', {
          [`permissions[${id('Reporter')}][]`]: ['', 'view_news', 'view_issues', 'add_issues'],
          [`permissions[${id('Non member')}][]`]: ['', 'manage_members', 'view_issues'],
        }),
        '/roles',
      );
      assert.deepEqual((await roleRow('Reporter'))?.permissions, ['view_issues', 'add_issues', 'view_news']);
      assert.deepEqual((await roleRow('Non member'))?.permissions, ['view_issues'], 'a members-only permission is not given to Non member');
      assert.deepEqual((await roleRow('Manager'))?.permissions, manager, 'a role not sent is left alone');
      const filtered = await admin.request('GET', `/roles/permissions?ids[]=${id('Reporter')}`);
      assert.doesNotMatch(filtered.body, new RegExp(`name="permissions\\[${id('Manager')}\\]\\[\\]"`));
    });

    test('trackers: create with a copied workflow and standard fields; a disabled field is gone from the API; delete refused while issues use it', async () => {
      const all = ['assigned_to_id', 'category_id', 'fixed_version_id', 'parent_issue_id', 'start_date', 'due_date', 'estimated_hours', 'done_ratio', 'description', 'priority_id'];
      saved(
        await admin.post('/trackers', {
          'tracker[name]': 'Task',
          'tracker[default_status_id]': String(id('In Progress')),
          'tracker[is_in_roadmap]': ['0', '1'],
          'tracker[description]': 'Small work',
          'tracker[core_fields][]': ['assigned_to_id', 'due_date', 'description', 'priority_id', ''],
          'tracker[project_ids][]': [String(id('ecookbook')), ''],
          copy_workflow_from: String(id('Bug')),
        }),
        '/trackers',
      );
      const [task] = await sql("SELECT * FROM trackers WHERE name = 'Task'");
      const taskId = Number(task?.id);
      const rules = async (trackerId: number) => Number((await sql('SELECT count(*)::int AS n FROM workflows WHERE tracker_id = $1', [trackerId]))[0]?.n);
      assert.equal(await rules(taskId), await rules(id('Bug')));
      assert.deepEqual(await sql('SELECT project_id FROM projects_trackers WHERE tracker_id = $1', [taskId]), [{ project_id: id('ecookbook') }]);
      const trackers = (await call('GET', '/trackers.json', 'jsmith')).json<{ trackers: Array<{ name: string; description: string; default_status: { name: string }; enabled_standard_fields: string[] }> }>().trackers;
      const shown = trackers.find((t) => t.name === 'Task');
      assert.deepEqual(shown?.enabled_standard_fields, ['assigned_to_id', 'due_date', 'description', 'priority_id']);
      assert.equal(shown?.default_status.name, 'In Progress');
      assert.equal(shown?.description, 'Small work');

      // Disabling "Estimated time" on Bug: the API ignores it from then on.
      const issueId = await createIssue({ subject: 'Estimate me', tracker_id: id('Bug') });
      saved(await admin.post(`/trackers/${id('Bug')}`, { 'tracker[core_fields][]': [...all.filter((f) => f !== 'estimated_hours'), ''] }), '/trackers');
      const bug = (await call('GET', '/trackers.json', 'admin')).json<{ trackers: Array<{ name: string; enabled_standard_fields: string[] }> }>().trackers.find((t) => t.name === 'Bug');
      assert.ok(!bug?.enabled_standard_fields.includes('estimated_hours'));
      assert.equal((await call('PUT', `/issues/${issueId}.json`, 'admin', { issue: { estimated_hours: 3 } })).statusCode, 204);
      assert.equal((await sql('SELECT estimated_hours FROM issues WHERE id = $1', [issueId]))[0]?.estimated_hours, null);

      assert.equal((await admin.post('/trackers', { 'tracker[name]': 'Bug', 'tracker[default_status_id]': String(id('New')) })).statusCode, 422);
      const refused = await admin.post(`/trackers/${id('Bug')}/delete`);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /This tracker has issues and cannot be deleted\..*eCookbook/);
      assert.equal((await sql('SELECT count(*)::int AS n FROM trackers WHERE id = $1', [id('Bug')]))[0]?.n, 1);
      saved(await admin.post(`/trackers/${taskId}/delete`), '/trackers');
      assert.equal(await rules(taskId), 0);
      assert.equal((await admin.request('GET', '/trackers/fields')).statusCode, 200);
    });

    test('issue statuses: create, closing dates issues, delete refused while used, done ratios from statuses', async () => {
      saved(await admin.post('/issue_statuses', { 'issue_status[name]': 'Verified', 'issue_status[is_closed]': ['0'] }), '/issue_statuses');
      const [verified] = await sql("SELECT * FROM issue_statuses WHERE name = 'Verified'");
      assert.equal(verified?.position, 7);
      const verifiedId = Number(verified?.id);
      assert.equal((await admin.post('/issue_statuses', { 'issue_status[name]': 'Verified' })).statusCode, 422);
      const statuses = (await call('GET', '/issue_statuses.json', 'jsmith')).json<{ issue_statuses: { name: string }[] }>().issue_statuses;
      assert.equal(statuses.at(-1)?.name, 'Verified');

      const issueId = await createIssue({ subject: 'To verify' });
      await sql('UPDATE issues SET status_id = $1 WHERE id = $2', [verifiedId, issueId]);
      saved(await admin.post(`/issue_statuses/${verifiedId}`, { 'issue_status[is_closed]': ['0', '1'] }), '/issue_statuses');
      assert.notEqual((await sql('SELECT closed_on FROM issues WHERE id = $1', [issueId]))[0]?.closed_on, null, 'a status becoming closed dates its issues');

      const inUse = await admin.post(`/issue_statuses/${verifiedId}/delete`);
      assert.equal(inUse.statusCode, 422);
      assert.match(inUse.body, /The issue status cannot be deleted.*eCookbook/);
      await sql('UPDATE issues SET status_id = $1 WHERE id = $2', [id('Resolved'), issueId]);
      await sql('UPDATE trackers SET default_status_id = $1 WHERE id = $2', [verifiedId, id('Support')]);
      const isDefault = await admin.post(`/issue_statuses/${verifiedId}/delete`);
      assert.equal(isDefault.statusCode, 422);
      assert.match(isDefault.body, /it is the default status of: Support/);
      await sql('UPDATE trackers SET default_status_id = $1 WHERE id = $2', [id('New'), id('Support')]);
      saved(await admin.post(`/issue_statuses/${verifiedId}/delete`), '/issue_statuses');
      assert.equal((await sql("SELECT count(*)::int AS n FROM issue_statuses WHERE name = 'Verified'"))[0]?.n, 0);

      // Done ratios follow the status only when the setting says so.
      saved(await admin.post('/issue_statuses/update_issue_done_ratio'), '/issue_statuses');
      await acme.setting('issue_done_ratio', 'issue_status');
      assert.match((await admin.request('GET', `/issue_statuses/${id('Resolved')}/edit`)).body, /name="issue_status\[default_done_ratio\]"/);
      saved(await admin.post(`/issue_statuses/${id('Resolved')}`, { 'issue_status[default_done_ratio]': '90' }), '/issue_statuses');
      assert.equal((await sql('SELECT done_ratio FROM issues WHERE id = $1', [issueId]))[0]?.done_ratio, 0);
      saved(await admin.post('/issue_statuses/update_issue_done_ratio'), '/issue_statuses');
      assert.equal((await sql('SELECT done_ratio FROM issues WHERE id = $1', [issueId]))[0]?.done_ratio, 90);
      assert.equal((await admin.post(`/issue_statuses/${id('Resolved')}`, { 'issue_status[default_done_ratio]': '150' })).statusCode, 422);
      await acme.setting('issue_done_ratio', 'issue_field');
    });

    test('enumerations: a new default priority, and deleting a used one moves its issues to another', async () => {
      assert.equal((await admin.request('GET', '/enumerations')).statusCode, 200);
      saved(await admin.post('/enumerations', { 'enumeration[type]': 'IssuePriority', 'enumeration[name]': 'Critical', 'enumeration[active]': ['0', '1'], 'enumeration[is_default]': ['0', '1'] }), '/enumerations');
      const priorities = (await call('GET', '/enumerations/issue_priorities.json', 'jsmith')).json<{ issue_priorities: { id: number; name: string; is_default: boolean }[] }>().issue_priorities;
      assert.deepEqual(priorities.filter((p) => p.is_default).map((p) => p.name), ['Critical']);
      const critical = Number(priorities.find((p) => p.name === 'Critical')?.id);
      assert.equal((await sql('SELECT position_name FROM enumerations WHERE id = $1', [critical]))[0]?.position_name, 'default');
      assert.equal((await admin.post('/enumerations', { 'enumeration[type]': 'IssuePriority', 'enumeration[name]': 'Critical' })).statusCode, 422);

      const issueId = await createIssue({ subject: 'Urgent thing', priority_id: critical });
      const question = await admin.post(`/enumerations/${critical}/delete`);
      assert.equal(question.statusCode, 200);
      assert.match(question.body, /name="reassign_to_id"/);
      assert.match(question.body, /1 objects are assigned to the value “Critical”/);
      assert.equal((await sql('SELECT count(*)::int AS n FROM enumerations WHERE id = $1', [critical]))[0]?.n, 1, 'not deleted without a reassignment');
      saved(await admin.post(`/enumerations/${critical}/delete`, { reassign_to_id: String(id('priority High')) }), '/enumerations');
      assert.equal((await sql('SELECT count(*)::int AS n FROM enumerations WHERE id = $1', [critical]))[0]?.n, 0);
      assert.equal((await sql('SELECT priority_id FROM issues WHERE id = $1', [issueId]))[0]?.priority_id, id('priority High'));

      saved(await admin.post(`/enumerations/${id('priority Normal')}`, { 'enumeration[is_default]': ['0', '1'] }), '/enumerations');
      saved(await admin.post(`/enumerations/${id('priority Low')}`, { 'enumeration[position]': '3' }), '/enumerations');
      const order = await sql("SELECT name, position FROM enumerations WHERE type = 'IssuePriority' ORDER BY position");
      assert.deepEqual(order.map((r) => r.name), ['Normal', 'High', 'Low', 'Urgent', 'Immediate']);
      assert.deepEqual(order.map((r) => r.position), [1, 2, 3, 4, 5]);
    });
  });
}
