/**
 * The workflow editor and the custom field pages through the whole app: a transition removed here is
 * refused by the issue API, author-only transitions, a field made required here is enforced by the
 * issue service, copying rules, and a custom field created here is offered (and validated) on issues
 * of its trackers and projects.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedIn, type SignedIn } from './signed-in.ts';

type CustomValue = { id: number; name: string; value: string | null };

for (const { engine, skip } of await pageEngineCases()) {
  describe(`workflow and custom field pages (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id } = acme;
    let admin: SignedIn;

    const createIssue = async (issue: Record<string, unknown>, as = 'admin') => {
      const answer = await call('POST', '/issues.json', as, { issue: { project_id: 'ecookbook', subject: 'Something', tracker_id: id('Bug'), ...issue } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: { id: number } }>().issue.id;
    };
    const statusOf = async (issueId: number) => Number((await sql('SELECT status_id FROM issues WHERE id = $1', [issueId]))[0]?.status_id);
    const transitions = async (roleId: number, trackerId: number, extra = '') =>
      sql(`SELECT old_status_id, new_status_id, author, assignee FROM workflows WHERE type = 'WorkflowTransition' AND role_id = $1 AND tracker_id = $2 ${extra} ORDER BY old_status_id, new_status_id`, [roleId, trackerId]);
    const chosen = () => ({ 'role_id[]': [String(id('Developer'))], 'tracker_id[]': [String(id('Bug'))], used_statuses_only: '1' });
    const editUrl = () => `/workflows/edit?role_id%5B%5D=${id('Developer')}&tracker_id%5B%5D=${id('Bug')}&used_statuses_only=1`;

    before(async () => {
      await acme.users(['jsmith', 'dlopper']);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true], ['Other', 'other', true]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Developer'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['other', 'jsmith', 'Developer'],
      ]);
      admin = await signedIn(acme.server.app, 'admin');
    });

    test('the summary and the transition matrix show what is stored', async () => {
      const summary = await admin.request('GET', '/workflows');
      assert.equal(summary.statusCode, 200, summary.body);
      assert.match(summary.body, new RegExp(`href="/workflows/edit\\?role_id\\[\\]=${id('Developer')}&amp;tracker_id\\[\\]=${id('Bug')}"[^>]*>13<`));
      const page = await admin.request('GET', editUrl());
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, new RegExp(`name="transitions\\[${id('New')}\\]\\[${id('Resolved')}\\]\\[always\\]" value="1" checked`));
      assert.doesNotMatch(page.body, new RegExp(`name="transitions\\[${id('New')}\\]\\[${id('Rejected')}\\]\\[always\\]" value="1" checked`));
      assert.match(page.body, /class="list workflows transitions transitions-author"/);
      const both = await admin.request('GET', `/workflows/edit?role_id[]=${id('Developer')}&role_id[]=${id('Manager')}&tracker_id[]=${id('Bug')}`);
      assert.match(both.body, new RegExp(`<select name="transitions\\[${id('New')}\\]\\[${id('Rejected')}\\]\\[always\\]"`), 'roles that differ show "no change"');
    });

    test('a transition removed here is refused by the issue API; an author-only one is allowed to the author only', async () => {
      const resolvable = await createIssue({ subject: 'Resolve me' }, 'jsmith');
      const response = await admin.post('/workflows/edit', {
        ...chosen(),
        [`transitions[${id('New')}][${id('Resolved')}][always]`]: ['0'],
        [`transitions[${id('New')}][${id('Rejected')}][author]`]: ['0', '1'],
        [`transitions[${id('New')}][${id('Closed')}][always]`]: 'no_change',
      });
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(response.headers.location, editUrl());
      const rows = await transitions(id('Developer'), id('Bug'), `AND old_status_id = ${id('New')}`);
      assert.deepEqual(
        rows.map((r) => [r.new_status_id, r.author, r.assignee]),
        [[id('In Progress'), false, false], [id('Feedback'), false, false], [id('Closed'), false, false], [id('Rejected'), true, false]].sort((a, b) => Number(a[0]) - Number(b[0])),
      );
      // Other trackers keep New → Resolved.
      assert.equal((await transitions(id('Developer'), id('Feature'), `AND old_status_id = ${id('New')} AND new_status_id = ${id('Resolved')}`)).length, 1);

      assert.equal((await call('PUT', `/issues/${resolvable}.json`, 'jsmith', { issue: { status_id: id('Resolved') } })).statusCode, 204);
      assert.equal(await statusOf(resolvable), id('New'), 'New → Resolved is no longer allowed');
      const allowed = (await call('GET', `/issues/${resolvable}.json?include=allowed_statuses`, 'dlopper')).json<{ issue: { allowed_statuses: { name: string }[] } }>().issue.allowed_statuses;
      assert.deepEqual(allowed.map((s) => s.name), ['New', 'In Progress', 'Feedback', 'Closed']);
      await call('PUT', `/issues/${resolvable}.json`, 'dlopper', { issue: { status_id: id('Rejected') } });
      assert.equal(await statusOf(resolvable), id('New'), 'dlopper is not the author');
      await call('PUT', `/issues/${resolvable}.json`, 'jsmith', { issue: { status_id: id('Rejected') } });
      assert.equal(await statusOf(resolvable), id('Rejected'), 'jsmith wrote it');
    });

    test('a field made required here is enforced by the issue service; read-only fields are ignored', async () => {
      const page = await admin.request('GET', `/workflows/permissions?role_id[]=${id('Developer')}&tracker_id[]=${id('Bug')}`);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, new RegExp(`name="permissions\\[${id('New')}\\]\\[due_date\\]"`));
      assert.doesNotMatch(page.body, new RegExp(`name="permissions\\[${id('New')}\\]\\[subject\\]"[^>]*>(?:(?!</select>)[\\s\\S])*value="required"`), 'always-required fields offer read-only only');
      const response = await admin.post('/workflows/permissions', {
        ...chosen(),
        [`permissions[${id('New')}][due_date]`]: 'required',
        [`permissions[${id('New')}][start_date]`]: 'readonly',
        [`permissions[${id('New')}][subject]`]: 'required',
        [`permissions[${id('New')}][nonsense]`]: 'required',
      });
      assert.equal(response.statusCode, 303, response.body);
      const rules = await sql("SELECT field_name, rule FROM workflows WHERE type = 'WorkflowPermission' AND role_id = $1 AND tracker_id = $2 ORDER BY field_name", [id('Developer'), id('Bug')]);
      assert.deepEqual(rules, [{ field_name: 'due_date', rule: 'required' }, { field_name: 'start_date', rule: 'readonly' }]);

      const issueId = await createIssue({ subject: 'Dated', due_date: '2030-01-31' }, 'admin');
      await sql('UPDATE issues SET due_date = NULL WHERE id = $1', [issueId]);
      const refused = await call('PUT', `/issues/${issueId}.json`, 'jsmith', { issue: { subject: 'Still no due date' } });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.deepEqual(refused.json<{ errors: string[] }>().errors, ['Due date cannot be blank']);
      const startedOn = (await sql('SELECT start_date::text AS d FROM issues WHERE id = $1', [issueId]))[0]?.d;
      assert.equal((await call('PUT', `/issues/${issueId}.json`, 'jsmith', { issue: { due_date: '2030-02-01', start_date: '2030-01-01' } })).statusCode, 204);
      const [stored] = await sql('SELECT due_date::text AS due, start_date::text AS start FROM issues WHERE id = $1', [issueId]);
      assert.deepEqual([stored?.due, stored?.start], ['2030-02-01', startedOn], 'the read-only start date is left as it was');

      const shown = await admin.request('GET', `/workflows/permissions?role_id[]=${id('Developer')}&tracker_id[]=${id('Bug')}`);
      assert.match(shown.body, /<td class="required"/);
      await admin.post('/workflows/permissions', { ...chosen(), [`permissions[${id('New')}][due_date]`]: '', [`permissions[${id('New')}][start_date]`]: 'no_change' });
      assert.deepEqual(
        await sql("SELECT field_name FROM workflows WHERE type = 'WorkflowPermission' AND role_id = $1 AND tracker_id = $2", [id('Developer'), id('Bug')]),
        [{ field_name: 'start_date' }],
      );
    });

    test('copying a workflow replaces the targets’ rules; a missing source or target is refused', async () => {
      assert.equal((await admin.request('GET', '/workflows/copy')).statusCode, 200);
      const missing = await admin.post('/workflows/copy', { source_tracker_id: '', source_role_id: 'any', 'target_tracker_ids[]': [String(id('Feature'))], 'target_role_ids[]': [String(id('Reporter'))] });
      assert.equal(missing.statusCode, 422);
      assert.match(missing.body, /Please choose a source tracker or role/);
      const noTarget = await admin.post('/workflows/copy', { source_tracker_id: String(id('Bug')), source_role_id: String(id('Developer')) });
      assert.equal(noTarget.statusCode, 422);
      const copied = await admin.post('/workflows/copy', {
        source_tracker_id: String(id('Bug')),
        source_role_id: String(id('Developer')),
        'target_tracker_ids[]': [String(id('Feature'))],
        'target_role_ids[]': [String(id('Reporter'))],
      });
      assert.equal(copied.statusCode, 303, copied.body);
      const shape = (rows: Record<string, unknown>[]) => rows.map((r) => [r.old_status_id, r.new_status_id, r.author, r.assignee]);
      assert.deepEqual(shape(await transitions(id('Reporter'), id('Feature'))), shape(await transitions(id('Developer'), id('Bug'))));
    });

    test('a list custom field created here is offered on issues of its trackers and projects, with its values checked', async () => {
      const chooser = await admin.request('GET', '/custom_fields/new');
      assert.equal(chooser.statusCode, 200);
      assert.match(chooser.body, /name="type" value="IssueCustomField" checked/);
      const form = await admin.request('GET', '/custom_fields/new?type=IssueCustomField&custom_field%5Bfield_format%5D=list');
      assert.equal(form.statusCode, 200, form.body);
      assert.match(form.body, /name="custom_field\[possible_values\]"/);
      assert.match(form.body, /<input type="hidden" name="custom_field\[field_format\]" value="list"/);

      const fields = async () => Number((await sql('SELECT count(*)::int AS n FROM custom_fields'))[0]?.n);
      const base = {
        type: 'IssueCustomField',
        'custom_field[field_format]': 'list',
        'custom_field[name]': 'Platform',
        'custom_field[is_for_all]': ['0'],
        'custom_field[project_ids][]': [String(id('ecookbook')), ''],
        'custom_field[tracker_ids][]': [String(id('Bug')), ''],
        'custom_field[visible]': '1',
        'custom_field[is_filter]': ['0', '1'],
        'custom_field[edit_tag_style]': 'check_box',
      };
      const noValues = await admin.post('/custom_fields', { ...base, 'custom_field[possible_values]': '\n \n' });
      assert.equal(noValues.statusCode, 422);
      assert.match(noValues.body, /Possible values cannot be blank/);
      const badDefault = await admin.post('/custom_fields', { ...base, 'custom_field[possible_values]': 'Linux\nMac', 'custom_field[default_value]': 'BSD' });
      assert.equal(badDefault.statusCode, 422);
      assert.match(badDefault.body, /Default value is not included in the list/);
      assert.equal(await fields(), 0);

      const created = await admin.post('/custom_fields', { ...base, 'custom_field[possible_values]': 'Linux\r\nMac\r\n\r\nWindows ', 'custom_field[default_value]': 'Mac' });
      assert.equal(created.statusCode, 303, created.body);
      assert.equal(created.headers.location, '/custom_fields?tab=IssueCustomField');
      const [field] = await sql('SELECT * FROM custom_fields');
      const fieldId = Number(field?.id);
      assert.deepEqual(field?.possible_values, ['Linux', 'Mac', 'Windows']);
      assert.equal(field?.is_filter, true);
      assert.deepEqual(field?.format_store, { edit_tag_style: 'check_box' });
      assert.match((await admin.request('GET', '/custom_fields')).body, /Platform/);

      const bugIssue = await createIssue({ subject: 'On a platform' }, 'jsmith');
      const valueOf = async (issueId: number, as = 'jsmith') =>
        (await call('GET', `/issues/${issueId}.json`, as)).json<{ issue: { custom_fields?: CustomValue[] } }>().issue.custom_fields?.find((f) => f.id === fieldId);
      assert.equal((await valueOf(bugIssue))?.value, 'Mac', 'the default value');
      const featureIssue = await createIssue({ subject: 'Not a bug', tracker_id: id('Feature') }, 'jsmith');
      assert.equal(await valueOf(featureIssue), undefined, 'not on other trackers');
      const elsewhere = await createIssue({ subject: 'Elsewhere', project_id: 'other' }, 'jsmith');
      assert.equal(await valueOf(elsewhere), undefined, 'not on other projects');
      const refused = await call('PUT', `/issues/${bugIssue}.json`, 'jsmith', { issue: { custom_fields: [{ id: fieldId, value: 'BSD' }] } });
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json<{ errors: string[] }>().errors, ['Platform is not included in the list']);
      assert.equal((await call('PUT', `/issues/${bugIssue}.json`, 'jsmith', { issue: { custom_fields: [{ id: fieldId, value: 'Linux' }] } })).statusCode, 204);
      assert.equal((await valueOf(bugIssue))?.value, 'Linux');
      const api = (await call('GET', '/custom_fields.json', 'admin')).json<{ custom_fields: Array<{ id: number; trackers: { name: string }[] }> }>().custom_fields;
      assert.deepEqual(api.find((f) => f.id === fieldId)?.trackers.map((t) => t.name), ['Bug']);

      // Visible to Managers only: Developers no longer see it.
      const edited = await admin.post(`/custom_fields/${fieldId}`, { 'custom_field[visible]': '0', 'custom_field[role_ids][]': [String(id('Manager')), ''], 'custom_field[field_format]': 'string' });
      assert.equal(edited.statusCode, 303, edited.body);
      assert.equal((await sql('SELECT field_format FROM custom_fields WHERE id = $1', [fieldId]))[0]?.field_format, 'list', 'the format never changes');
      assert.equal(await valueOf(bugIssue), undefined);
      assert.equal((await valueOf(bugIssue, 'admin'))?.value, 'Linux');

      assert.equal((await admin.post(`/custom_fields/${fieldId}/delete`)).statusCode, 303);
      assert.equal(await fields(), 0);
      assert.equal((await sql('SELECT count(*)::int AS n FROM custom_values WHERE custom_field_id = $1', [fieldId]))[0]?.n, 0);
    });

    test('custom fields of other classes: their own options, names unique per class', async () => {
      const created = await admin.post('/custom_fields', {
        type: 'UserCustomField',
        'custom_field[field_format]': 'string',
        'custom_field[name]': 'Nickname',
        'custom_field[regexp]': '^[a-z]+$',
        'custom_field[min_length]': '2',
        'custom_field[max_length]': '12',
        'custom_field[visible]': ['0'],
        'custom_field[editable]': ['0', '1'],
        'custom_field[tracker_ids][]': [String(id('Bug'))],
        'custom_field[default_value]': 'x',
      });
      assert.equal(created.statusCode, 422, 'the default value is too short');
      assert.match(created.body, /Default value is too short \(minimum is 2 characters\)/);
      const ok = await admin.post('/custom_fields', {
        type: 'UserCustomField',
        'custom_field[field_format]': 'string',
        'custom_field[name]': 'Nickname',
        'custom_field[regexp]': '^[a-z]+$',
        'custom_field[visible]': ['0'],
        'custom_field[tracker_ids][]': [String(id('Bug'))],
        continue: '1',
      });
      assert.equal(ok.statusCode, 303, ok.body);
      assert.equal(ok.headers.location, '/custom_fields/new?type=UserCustomField');
      const [field] = await sql("SELECT * FROM custom_fields WHERE name = 'Nickname'");
      assert.equal(field?.visible, false);
      assert.deepEqual(await sql('SELECT * FROM custom_fields_trackers WHERE custom_field_id = $1', [field?.id]), [], 'user fields have no trackers');
      assert.equal((await admin.post('/custom_fields', { type: 'UserCustomField', 'custom_field[field_format]': 'int', 'custom_field[name]': 'Nickname' })).statusCode, 422);
      assert.equal((await admin.post('/custom_fields', { type: 'GroupCustomField', 'custom_field[field_format]': 'user', 'custom_field[name]': 'Nickname' })).statusCode, 422, 'no user format for groups');
      assert.equal((await admin.post('/custom_fields', { type: 'GroupCustomField', 'custom_field[field_format]': 'bool', 'custom_field[name]': 'Nickname' })).statusCode, 303);
      assert.equal((await admin.request('GET', `/custom_fields/${Number(field?.id)}/edit`)).statusCode, 200);
      assert.match((await admin.request('GET', '/custom_fields?tab=GroupCustomField')).body, /id="tab-GroupCustomField" class="selected"/);
    });
  });
}
