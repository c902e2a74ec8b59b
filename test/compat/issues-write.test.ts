/**
 * Issue writes over the REST API (§6.1.3, §6.22): create with defaults and validation, update through
 * the workflow with journals, notes and private notes, optimistic locking, subtasks and roll-ups,
 * delete, journal edits — and refusals that write nothing.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Ref = { id: number; name?: string };
type Detail = { property: string; name: string; old_value: string | null; new_value: string | null };
type Journal = { id: number; user?: Ref; notes: string; private_notes: boolean; details: Detail[]; updated_by?: Ref };
type Issue = Json & {
  id: number;
  status: Ref & { is_closed: boolean };
  tracker: Ref;
  priority: Ref;
  project: Ref;
  journals?: Journal[];
  children?: Json[];
  allowed_statuses?: Ref[];
};

for (const { engine, skip } of await engineCases()) {
  describe(`issue writes over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id } = acme;
    const issueCount = async () => Number((await sql('SELECT count(*)::int AS n FROM issues'))[0]?.n);
    const journalCount = async () => Number((await sql('SELECT count(*)::int AS n FROM journals'))[0]?.n);
    const create = async (issue: Json, as = 'admin') => {
      const answer = await call('POST', '/issues.json', as, { issue: { project_id: 'ecookbook', ...issue } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: Issue }>().issue;
    };
    const show = async (issueId: number, include = '', as = 'admin') => {
      const answer = await call('GET', `/issues/${issueId}.json${include ? `?include=${include}` : ''}`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ issue: Issue }>().issue;
    };
    const update = async (issueId: number, issue: Json, as = 'admin', expected = 204) => {
      const answer = await call('PUT', `/issues/${issueId}.json`, as, { issue });
      assert.equal(answer.statusCode, expected, answer.body);
      return answer;
    };
    const refused = async (issue: Json, errors: string[], as = 'admin') => {
      const [issuesBefore, journalsBefore] = [await issueCount(), await journalCount()];
      const answer = await call('POST', '/issues.json', as, { issue: { project_id: 'ecookbook', subject: 'Valid', ...issue } });
      assert.equal(answer.statusCode, 422, answer.body);
      assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors);
      assert.equal(await issueCount(), issuesBefore);
      assert.equal(await journalCount(), journalsBefore);
    };

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'rhill', 'outsider']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true], ['Secret', 'secret', false], ['Other', 'other', true]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['secret', 'jsmith', 'Manager'],
      ]);
      const [category] = await sql("INSERT INTO issue_categories (project_id, name, assigned_to_id) VALUES ($1, 'Recipes', $2) RETURNING id", [id('ecookbook'), id('dlopper')]);
      ids.Recipes = Number(category?.id);
      const [foreign] = await sql("INSERT INTO issue_categories (project_id, name) VALUES ($1, 'Elsewhere') RETURNING id", [id('other')]);
      ids.Elsewhere = Number(foreign?.id);
    });

    test('a create with only a subject gets Redmine defaults and answers 201 with Location and the issue', async () => {
      const answer = await call('POST', '/issues.json', 'jsmith', { issue: { project_id: 'ecookbook', subject: 'Cannot print recipes' } });
      assert.equal(answer.statusCode, 201, answer.body);
      const issue = answer.json<{ issue: Issue }>().issue;
      assert.match(answer.headers.location ?? '', new RegExp(`^http://acme\\.localhost(:\\d+)?/issues/${issue.id}$`));
      assert.deepEqual(issue.project, { id: id('ecookbook'), name: 'eCookbook' });
      assert.deepEqual(issue.tracker, { id: id('Bug'), name: 'Bug' });
      assert.deepEqual(issue.status, { id: id('New'), name: 'New', is_closed: false });
      assert.deepEqual(issue.priority, { id: id('priority Normal'), name: 'Normal' });
      assert.deepEqual(issue.author, { id: id('jsmith'), name: 'jsmith User' });
      assert.equal(issue.subject, 'Cannot print recipes');
      assert.equal(issue.description, null);
      assert.equal(issue.start_date, new Date().toISOString().slice(0, 10));
      assert.equal(issue.due_date, null);
      assert.equal(issue.done_ratio, 0);
      assert.equal(issue.is_private, false);
      assert.equal(issue.estimated_hours, null);
      assert.equal(issue.closed_on, null);
      assert.equal('assigned_to' in issue, false);
      assert.match(String(issue.created_on), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(issue.created_on, issue.updated_on);
    });

    test('a create takes every writable attribute, and the category gives its default assignee', async () => {
      const issue = await create({
        tracker_id: id('Feature'),
        priority_id: id('priority High'),
        subject: 'Full',
        description: 'Some <b>text</b>',
        category_id: id('Recipes'),
        start_date: '2026-01-10',
        due_date: '2026-01-20',
        done_ratio: 30,
        estimated_hours: '2:30',
        is_private: true,
      });
      assert.deepEqual(issue.tracker, { id: id('Feature'), name: 'Feature' });
      assert.deepEqual(issue.priority, { id: id('priority High'), name: 'High' });
      assert.deepEqual(issue.category, { id: id('Recipes'), name: 'Recipes' });
      assert.deepEqual(issue.assigned_to, { id: id('dlopper'), name: 'dlopper User' });
      assert.equal(issue.description, 'Some <b>text</b>');
      assert.deepEqual([issue.start_date, issue.due_date, issue.done_ratio, issue.estimated_hours, issue.is_private], ['2026-01-10', '2026-01-20', 30, 2.5, true]);
    });

    test('a create in XML answers XML', async () => {
      const answer = await acme.server.app.inject({
        method: 'POST',
        url: '/projects/ecookbook/issues.xml',
        headers: { host: 'acme.localhost', authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}`, 'content-type': 'application/xml' },
        payload: '<?xml version="1.0"?><issue><subject>From XML</subject><assigned_to_id>me</assigned_to_id></issue>',
      });
      assert.equal(answer.statusCode, 201, answer.body);
      assert.match(answer.headers['content-type'] ?? '', /^application\/xml/);
      assert.match(answer.body, /<issue><id>\d+<\/id><project id="\d+" name="eCookbook"\/>/);
      assert.match(answer.body, /<subject>From XML<\/subject>/);
      assert.match(answer.body, /<assigned_to id="\d+" name="Redmine Admin"\/>|<assigned_to id="\d+" name="[^"]*"\/>/);
    });

    test('estimated hours as Redmine’s String#to_hours reads them; blank or spaces clear; other text is 422', async () => {
      const issue = await create({ subject: 'Estimated', estimated_hours: '1h 30m' });
      assert.equal(issue.estimated_hours, 1.5);
      await update(issue.id, { estimated_hours: '2 hours' });
      assert.equal((await show(issue.id)).estimated_hours, 2);
      await update(issue.id, { estimated_hours: '0:45' });
      assert.equal((await show(issue.id)).estimated_hours, 0.75);
      const refusedUpdate = await update(issue.id, { estimated_hours: '30 minutes' }, 'admin', 422);
      assert.deepEqual(refusedUpdate.json<{ errors: string[] }>().errors, ['Estimated time is invalid']);
      await update(issue.id, { estimated_hours: '   ' });
      assert.equal((await show(issue.id)).estimated_hours, null);
    });

    test('bad input is a 422 with Redmine messages and writes nothing', async () => {
      await refused({ subject: '' }, ['Subject cannot be blank']);
      await refused({ subject: 'x'.repeat(256) }, ['Subject is too long (maximum is 255 characters)']);
      await refused({ project_id: 'nope' }, ['Project cannot be blank']);
      await refused({ project_id: 'secret' }, ['Project cannot be blank'], 'rhill');
      await refused({ assigned_to_id: id('outsider') }, ['Assignee is invalid']);
      await refused({ start_date: '2026-02-10', due_date: '2026-02-01' }, ['Due date must be greater than start date']);
      await refused({ done_ratio: 150 }, ['% Done is not included in the list']);
      await refused({ estimated_hours: 'abc' }, ['Estimated time is invalid']);
      await refused({ estimated_hours: -1 }, ['Estimated time is invalid']);
      await refused({ start_date: '2026-02-30' }, ['Start date is not a valid date']);
      await refused({ category_id: id('Elsewhere') }, ['Category is not included in the list']);
      await refused({ fixed_version_id: 999999 }, ['Target version is not included in the list']);
      await refused({ parent_issue_id: 'abc' }, ['Parent task is invalid']);
      await refused({ parent_issue_id: 999999 }, ['Parent task is invalid']);
      await refused({ tracker_id: 'Bug' }, ['Tracker is invalid']);
      await refused({ priority_id: 999999 }, ['Priority cannot be blank']);
      await refused({ subject: ['an', 'array'] }, ['Subject is invalid']);
      await refused({ is_private: 'maybe' }, ['Private is invalid']);
    });

    test('values that look like SQL or HTML are stored verbatim', async () => {
      const subject = "'; DROP TABLE issues; -- <script>alert(1)</script>";
      const issue = await create({ subject, description: '" OR 1=1 --' });
      assert.equal((await show(issue.id)).subject, subject);
      assert.ok((await issueCount()) > 0);
    });

    test('an unparsable body is a 400 and an unknown issue a 404', async () => {
      const bad = await acme.server.app.inject({
        method: 'POST',
        url: '/issues.json',
        headers: { host: 'acme.localhost', authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}`, 'content-type': 'application/json' },
        payload: '{"issue": {"subject": ',
      });
      assert.equal(bad.statusCode, 400);
      assert.equal((await call('PUT', '/issues/999999.json', 'admin', { issue: { subject: 'x' } })).statusCode, 404);
      assert.equal((await call('PUT', '/issues/abc.json', 'admin', { issue: { subject: 'x' } })).statusCode, 404);
      assert.equal((await call('DELETE', '/issues/999999.json', 'admin')).statusCode, 404);
    });

    test('a status change follows the workflow, and each change is a journal detail', async () => {
      const issue = await create({ subject: 'Workflow', assigned_to_id: id('dlopper') }, 'jsmith');
      // A Developer may not reopen to New from In Progress… but may move New → In Progress.
      await update(issue.id, { status_id: id('In Progress'), notes: 'Working on it', done_ratio: 20 }, 'dlopper');
      let shown = await show(issue.id, 'journals');
      assert.equal(shown.status.id, id('In Progress'));
      const journal = shown.journals?.at(-1);
      assert.equal(journal?.notes, 'Working on it');
      assert.deepEqual(journal?.user, { id: id('dlopper'), name: 'dlopper User' });
      assert.equal(journal?.private_notes, false);
      assert.deepEqual(journal?.details, [
        { property: 'attr', name: 'status_id', old_value: String(id('New')), new_value: String(id('In Progress')) },
        { property: 'attr', name: 'done_ratio', old_value: '0', new_value: '20' },
      ]);
      // A transition the workflow does not allow is ignored silently (still 204).
      await update(issue.id, { status_id: id('Rejected') }, 'dlopper');
      shown = await show(issue.id);
      assert.equal(shown.status.id, id('In Progress'));
      // An update with nothing to change is 204 and writes no journal.
      const before = await journalCount();
      await update(issue.id, { subject: 'Workflow' }, 'dlopper');
      assert.equal(await journalCount(), before);
      // Closing sets closed_on.
      await update(issue.id, { status_id: id('Closed') }, 'dlopper');
      shown = await show(issue.id);
      assert.equal(shown.status.is_closed, true);
      assert.match(String(shown.closed_on), /Z$/);
    });

    test('allowed_statuses lists the workflow targets with the current status', async () => {
      const issue = await create({ subject: 'Statuses' });
      const forDeveloper = (await show(issue.id, 'allowed_statuses', 'dlopper')).allowed_statuses?.map((s) => s.name);
      assert.deepEqual(forDeveloper, ['New', 'In Progress', 'Resolved', 'Feedback', 'Closed']);
      // Asked without edit rights too, as Redmine does: a Reporter's workflow closes from New.
      const forReporter = (await show(issue.id, 'allowed_statuses', 'rhill')).allowed_statuses?.map((s) => s.name);
      assert.deepEqual(forReporter, ['New', 'Closed']);
      const forOutsider = (await show(issue.id, 'allowed_statuses', 'outsider')).allowed_statuses;
      // Non member has no transitions in the default workflow.
      assert.deepEqual(forOutsider, []);
    });

    test('a reporter may add notes but not change attributes of an issue they did not write', async () => {
      const issue = await create({ subject: 'Reporter notes' });
      await update(issue.id, { subject: 'Renamed by reporter', notes: 'A comment' }, 'rhill');
      const shown = await show(issue.id, 'journals');
      assert.equal(shown.subject, 'Reporter notes');
      assert.deepEqual(shown.journals?.map((j) => [j.notes, j.details.length]), [['A comment', 0]]);
    });

    test('private notes are shown only to their author and to roles with view_private_notes', async () => {
      const issue = await create({ subject: 'Private notes' });
      await update(issue.id, { notes: 'Secret remark', private_notes: true, done_ratio: 10 }, 'dlopper');
      // The attribute change went to a public journal of its own (no half-private journal).
      const forDeveloper = (await show(issue.id, 'journals', 'dlopper')).journals ?? [];
      assert.deepEqual(forDeveloper.map((j) => [j.notes, j.private_notes, j.details.length]), [['', false, 1], ['Secret remark', true, 0]]);
      const forReporter = (await show(issue.id, 'journals', 'rhill')).journals ?? [];
      assert.deepEqual(forReporter.map((j) => [j.notes, j.private_notes]), [['', false]]);
      // A reporter cannot make notes private: the flag is ignored.
      await update(issue.id, { notes: 'Public anyway', private_notes: true }, 'rhill');
      const last = (await show(issue.id, 'journals', 'rhill')).journals?.at(-1);
      assert.deepEqual([last?.notes, last?.private_notes], ['Public anyway', false]);
    });

    test('a stale lock_version is a 422 and changes nothing', async () => {
      const issue = await create({ subject: 'Locked' });
      await update(issue.id, { subject: 'Locked 1', lock_version: 0 });
      const answer = await update(issue.id, { subject: 'Locked 2', lock_version: 0 }, 'admin', 422);
      assert.deepEqual(answer.json<{ errors: string[] }>().errors, ['The issue has been updated by an other user while you were editing it.']);
      assert.equal((await show(issue.id)).subject, 'Locked 1');
    });

    test('subtasks: the parent derives dates, priority and done ratio, and children are listed', async () => {
      const parent = await create({ subject: 'Parent', estimated_hours: 1 });
      const a = await create({ subject: 'Child A', parent_issue_id: parent.id, start_date: '2026-03-01', due_date: '2026-03-05', estimated_hours: 2, priority_id: id('priority Urgent') });
      const b = await create({ subject: 'Child B', parent_issue_id: `#${parent.id}`, start_date: '2026-03-03', due_date: '2026-03-10', estimated_hours: 6, done_ratio: 50 });
      // A's own priority is derived from its open child: Urgent comes up from the grandchild.
      const grandchild = await create({ subject: 'Grandchild', parent_issue_id: a.id, start_date: '2026-03-01', due_date: '2026-03-05', estimated_hours: 1, priority_id: id('priority Urgent') });
      let shown = await show(parent.id, 'children');
      assert.deepEqual([shown.start_date, shown.due_date], ['2026-03-01', '2026-03-10']);
      assert.deepEqual(shown.priority, { id: id('priority Urgent'), name: 'Urgent' });
      // Done ratio weighted by estimates: A (2h, 0%) and B (6h, 50%) → 37%.
      assert.equal(shown.done_ratio, 37);
      assert.equal(shown.total_estimated_hours, 10);
      assert.deepEqual(shown.children, [
        { id: a.id, tracker: { id: id('Bug'), name: 'Bug' }, subject: 'Child A', children: [{ id: grandchild.id, tracker: { id: id('Bug'), name: 'Bug' }, subject: 'Grandchild' }] },
        { id: b.id, tracker: { id: id('Bug'), name: 'Bug' }, subject: 'Child B' },
      ]);
      assert.deepEqual((await show(a.id)).parent, { id: parent.id });
      // A parent's derived attributes are not writable.
      await update(parent.id, { start_date: '2020-01-01', done_ratio: 99 });
      shown = await show(parent.id);
      assert.deepEqual([shown.start_date, shown.done_ratio], ['2026-03-01', 37]);
      // Making an issue its own descendant's child is refused.
      const cycle = await update(parent.id, { parent_issue_id: grandchild.id }, 'admin', 422);
      assert.deepEqual(cycle.json<{ errors: string[] }>().errors, ['Parent task is invalid']);
      // Moving B out: the parent re-derives from A alone.
      await update(b.id, { parent_issue_id: '' });
      shown = await show(parent.id);
      assert.deepEqual([shown.start_date, shown.due_date], ['2026-03-01', '2026-03-05']);
      assert.equal((await show(b.id)).parent, undefined);
      // Deleting the parent deletes its subtasks.
      assert.equal((await call('DELETE', `/issues/${parent.id}.json`, 'admin')).statusCode, 204);
      for (const gone of [parent.id, a.id, grandchild.id]) {
        assert.equal((await call('GET', `/issues/${gone}.json`, 'admin')).statusCode, 404);
      }
      assert.equal((await call('GET', `/issues/${b.id}.json`, 'admin')).statusCode, 200);
      const tree = await sql('SELECT root_id, lft, rgt FROM issues WHERE id = $1', [b.id]);
      assert.deepEqual(tree[0], { root_id: b.id, lft: 1, rgt: 2 });
    });

    test('moving an issue: add_issues in the target; subtasks, category by name and relations follow Redmine', async () => {
      const parent = await create({ subject: 'Mover', category_id: ids.Recipes });
      const child = await create({ subject: 'Mover child', parent_issue_id: parent.id });
      const other = await create({ subject: 'Related, stays' });
      assert.equal((await call('POST', `/issues/${parent.id}/relations.json`, 'admin', { relation: { issue_to_id: other.id, relation_type: 'relates' } })).statusCode, 201);
      // A manager of ecookbook who is no member of `other` (whose Non member role may not add issues there): the project stays.
      const [nonMember] = await sql('SELECT permissions FROM roles WHERE builtin = 1');
      await sql("UPDATE roles SET permissions = '[]' WHERE builtin = 1");
      await update(parent.id, { project_id: id('other') }, 'jsmith');
      assert.equal((await show(parent.id)).project.id, id('ecookbook'));
      await sql('UPDATE roles SET permissions = $1 WHERE builtin = 1', [JSON.stringify(nonMember?.permissions)]);

      await update(child.id, { category_id: ids.Recipes });
      const [sameName] = await sql("INSERT INTO issue_categories (project_id, name) VALUES ($1, 'Recipes') RETURNING id", [id('other')]);
      await update(parent.id, { project_id: id('other') });
      const moved = await show(parent.id, 'relations');
      assert.equal(moved.project.id, id('other'));
      assert.deepEqual(moved.category, { id: Number(sameName?.id), name: 'Recipes' }, 'the category of the same name there');
      assert.equal(moved.relations, undefined, 'cross-project relations are off by default');
      const movedChild = await show(child.id);
      assert.equal(movedChild.project.id, id('other'), 'the subtask follows');
      assert.deepEqual(movedChild.category, { id: Number(sameName?.id), name: 'Recipes' });
      assert.equal((await show(other.id)).project.id, id('ecookbook'));
    });

    test('permissions: invisible issues are 403, anonymous 401, no delete permission 403', async () => {
      const [secret] = await sql(
        `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, author_id, subject, lft, rgt, created_on, updated_on)
         VALUES ($1, $2, $3, $4, $5, 'Hidden', 1, 2, now(), now()) RETURNING id`,
        [id('secret'), id('Bug'), id('New'), id('priority Normal'), id('jsmith')],
      );
      const secretId = Number(secret?.id);
      assert.equal((await call('PUT', `/issues/${secretId}.json`, 'dlopper', { issue: { subject: 'x' } })).statusCode, 403);
      assert.equal((await call('DELETE', `/issues/${secretId}.json`, 'dlopper')).statusCode, 403);
      assert.equal((await call('POST', '/projects/secret/issues.json', 'dlopper', { issue: { subject: 'x' } })).statusCode, 404);
      const issue = await create({ subject: 'Not deletable' });
      assert.equal((await call('DELETE', `/issues/${issue.id}.json`, 'dlopper')).statusCode, 403);
      assert.equal((await call('PUT', `/issues/${issue.id}.json`, undefined, { issue: { subject: 'x' } })).statusCode, 401);
      assert.equal((await call('POST', '/issues.json', undefined, { issue: { project_id: 'ecookbook', subject: 'x' } })).statusCode, 401);
      assert.equal((await show(issue.id)).subject, 'Not deletable');
    });

    test('custom fields: values on create, required ones, a detail per change, and the cf_N filter', async () => {
      const [field] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, possible_values, is_required, is_for_all, is_filter, visible, position)
         VALUES ('IssueCustomField', 'Database', 'list', '["MySQL", "PostgreSQL", "Oracle"]', true, true, true, true, 1) RETURNING id`,
      );
      const fieldId = Number(field?.id);
      await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers', [fieldId]);
      await refused({ subject: 'No database' }, ['Database cannot be blank']);
      await refused({ custom_fields: [{ id: fieldId, value: 'DB2' }] }, ['Database is not included in the list']);
      const issue = await create({ subject: 'With a database', custom_fields: [{ id: fieldId, value: 'MySQL' }] });
      assert.deepEqual(issue.custom_fields, [{ id: fieldId, name: 'Database', value: 'MySQL' }]);
      await update(issue.id, { custom_field_values: { [fieldId]: 'PostgreSQL' } });
      const shown = await show(issue.id, 'journals');
      assert.deepEqual(shown.custom_fields, [{ id: fieldId, name: 'Database', value: 'PostgreSQL' }]);
      assert.deepEqual(shown.journals?.at(-1)?.details, [{ property: 'cf', name: String(fieldId), old_value: 'MySQL', new_value: 'PostgreSQL' }]);
      const listed = await call('GET', `/issues.json?cf_${fieldId}=PostgreSQL&status_id=*`, 'admin');
      assert.equal(listed.statusCode, 200, listed.body);
      assert.deepEqual(listed.json<{ issues: Issue[] }>().issues.map((i) => i.id), [issue.id]);
      await sql('DELETE FROM custom_fields WHERE id = $1', [fieldId]);
    });

    test('a custom field only some roles see: its value and its journal details are hidden from the others', async () => {
      const [field] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, is_for_all, visible, position)
         VALUES ('IssueCustomField', 'Cost', 'int', true, false, 2) RETURNING id`,
      );
      const fieldId = Number(field?.id);
      await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers', [fieldId]);
      await sql('INSERT INTO custom_fields_roles (custom_field_id, role_id) VALUES ($1, $2)', [fieldId, id('Manager')]);
      const issue = await create({ subject: 'Costly' });
      await update(issue.id, { custom_fields: [{ id: fieldId, value: '100' }], notes: 'Priced' }, 'jsmith');
      const forManager = await show(issue.id, 'journals', 'jsmith');
      assert.deepEqual(forManager.custom_fields, [{ id: fieldId, name: 'Cost', value: '100' }]);
      assert.deepEqual(forManager.journals?.at(-1)?.details, [{ property: 'cf', name: String(fieldId), old_value: null, new_value: '100' }]);
      const forDeveloper = await show(issue.id, 'journals', 'dlopper');
      assert.equal(forDeveloper.custom_fields, undefined);
      assert.deepEqual(forDeveloper.journals?.at(-1)?.details, []);
      assert.equal(forDeveloper.journals?.at(-1)?.notes, 'Priced');
      await sql('DELETE FROM custom_fields WHERE id = $1', [fieldId]);
    });

    test('journals: the author edits their note; others need edit_issue_notes; an emptied note is deleted', async () => {
      const issue = await create({ subject: 'Journal edits' });
      await update(issue.id, { notes: 'First version' }, 'rhill');
      const journalId = (await show(issue.id, 'journals')).journals?.[0]?.id ?? 0;
      assert.equal((await call('PUT', `/journals/${journalId}.json`, 'dlopper', { journal: { notes: 'Hijacked' } })).statusCode, 403);
      assert.equal((await call('PUT', `/journals/${journalId}.json`, 'jsmith', { journal: { notes: 'Edited by manager' } })).statusCode, 204);
      const journal = (await show(issue.id, 'journals')).journals?.[0];
      assert.equal(journal?.notes, 'Edited by manager');
      assert.deepEqual(journal?.updated_by, { id: id('jsmith'), name: 'jsmith User' });
      assert.equal((await call('PUT', '/journals/999999.json', 'jsmith', { journal: { notes: 'x' } })).statusCode, 404);
      assert.equal((await call('PUT', `/journals/${journalId}.json`, 'jsmith', { journal: { notes: '' } })).statusCode, 204);
      assert.deepEqual((await show(issue.id, 'journals')).journals, []);
    });
  });
}
