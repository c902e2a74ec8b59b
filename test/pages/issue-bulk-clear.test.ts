/**
 * The bulk edit form's "Clear" checkboxes (parent task, start date, due date, estimated time, typed custom values)
 * clearing the field on every selected issue with journal details; and Redmine's warning that a move
 * or a tracker change deletes custom values the issues then no longer have, which the update does; and
 * "Private" and "Private notes", offered only to who may set them on every selected issue.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { pageEngineCases } from '../support/engines.ts';
import { signedInBrowsers } from './signed-in.ts';

const MOVER = ['view_issues', 'add_issues', 'edit_issues', 'manage_subtasks'];

for (const { engine, skip } of await pageEngineCases()) {
  describe(`bulk edit: clearing fields and the warning about deleted values (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id } = acme;
    const issue: Record<string, number> = {};
    const cf: Record<string, number> = {};
    const { as } = signedInBrowsers(() => acme.server.app);
    const create = async (key: string, fields: Record<string, unknown>) => {
      const answer = await call('POST', '/projects/alpha/issues.json', 'admin', { issue: fields });
      assert.equal(answer.statusCode, 201, answer.body);
      issue[key] = answer.json<{ issue: { id: number } }>().issue.id;
    };
    /** A text field, on every tracker or on `trackers`, for all projects or only `projects`. */
    const field = async (name: string, scope: { trackers?: string[]; projects?: string[]; visible?: boolean } = {}) => {
      const [row] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, is_for_all, visible, position)
         VALUES ('IssueCustomField', $1, 'string', $2, $3, $4) RETURNING id`,
        [name, scope.projects === undefined, scope.visible ?? true, Object.keys(cf).length + 1],
      );
      cf[name] = Number(row?.id);
      if (scope.trackers) {
        for (const tracker of scope.trackers) {
          await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) VALUES ($1, $2)', [cf[name], id(tracker)]);
        }
      } else {
        await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers', [cf[name]]);
      }
      for (const project of scope.projects ?? []) {
        await sql('INSERT INTO custom_fields_projects (custom_field_id, project_id) VALUES ($1, $2)', [cf[name], id(project)]);
      }
    };
    const valuesOf = async (issueId: number) =>
      Object.fromEntries(
        (await sql("SELECT custom_field_id, value FROM custom_values WHERE customized_type = 'Issue' AND customized_id = $1 ORDER BY id", [issueId])).map((r) => [Number(r.custom_field_id), r.value]),
      );
    const detailsOf = async (issueId: number, property: string) =>
      (
        await sql(
          'SELECT d.prop_key, d.old_value, d.value FROM journal_details d JOIN journals j ON j.id = d.journal_id WHERE j.journalized_id = $1 AND d.property = $2 ORDER BY d.prop_key',
          [issueId, property],
        )
      ).map((d) => [String(d.prop_key), d.old_value, d.value]);

    before(async () => {
      await acme.users(['mover', 'keeper']);
      await sql('INSERT INTO roles (name, position, builtin, permissions) VALUES ($1, 30, 0, $2::jsonb)', ['Mover', JSON.stringify(MOVER)]);
      await sql('INSERT INTO roles (name, position, builtin, permissions) VALUES ($1, 31, 0, $2::jsonb)', ['Keeper', JSON.stringify([...MOVER, 'set_issues_private', 'set_notes_private'])]);
      await acme.referenceIds();
      await acme.projects([
        ['Alpha', 'alpha', false],
        ['Beta', 'beta', false],
      ]);
      await acme.members([
        ['alpha', 'mover', 'Mover'],
        ['beta', 'mover', 'Mover'],
        ['alpha', 'keeper', 'Keeper'],
      ]);
      await field('Everywhere');
      await field('Alpha only', { projects: ['alpha'] });
      await field('Bugs only', { trackers: ['Bug'] });
      await field('Hidden', { projects: ['alpha'], visible: false });
      const values = (text: string) => ['Everywhere', 'Alpha only', 'Bugs only', 'Hidden'].map((name) => ({ id: cf[name], value: `${text} ${name}` }));
      await create('parent', { tracker_id: id('Bug'), subject: 'Parent' });
      await create('a1', { tracker_id: id('Bug'), subject: 'One', parent_issue_id: issue.parent, start_date: '2026-01-05', due_date: '2026-01-20', estimated_hours: 3, assigned_to_id: id('mover'), custom_fields: values('one') });
      await create('a2', { tracker_id: id('Bug'), subject: 'Two', start_date: '2026-02-01', estimated_hours: 1.5, custom_fields: values('two') });
      // No value for "Alpha only": it is counted on a1 and a2 only.
      await create('a3', { tracker_id: id('Bug'), subject: 'Three', custom_fields: [{ id: cf.Everywhere, value: 'three' }] });
    });

    test('the Clear checkboxes clear the parent task, dates, estimated time and typed custom values on every issue, journalled', async () => {
      const mover = await as('mover');
      const ids = [String(issue.a1), String(issue.a2)];
      const form = await mover.post('/issues/bulk_edit', { 'ids[]': ids });
      assert.equal(form.statusCode, 200, form.body.slice(0, 500));
      for (const name of ['parent_issue_id', 'start_date', 'due_date', 'estimated_hours']) {
        assert.match(form.body, new RegExp(`<input type="checkbox" name="issue\\[${name}\\]" value="none" data-disables="#issue_${name}"/> Clear`));
      }
      assert.match(form.body, new RegExp(`name="issue\\[custom_field_values\\]\\[${cf.Everywhere}\\]" value="__none__" data-disables="#issue_custom_field_values_${cf.Everywhere}"/> Clear`));
      assert.match(form.body, /<option value="none">nobody<\/option>/, 'the assignee is cleared with "nobody"');
      assert.match(form.body, /<script src="\/javascripts\/bulk-edit-[0-9a-f]+\.js"/);
      assert.match(form.body, /<select id="issue_project_id" name="issue\[project_id\]" data-refresh-form>/);

      // As a browser without script sends them: the field, then the checked box of the same name (which wins).
      const updated = await mover.post('/issues/bulk_update', {
        'ids[]': ids,
        'issue[parent_issue_id]': ['', 'none'],
        'issue[start_date]': ['2026-03-01', 'none'],
        'issue[due_date]': ['', 'none'],
        'issue[estimated_hours]': 'none',
        'issue[assigned_to_id]': 'none',
        [`issue[custom_field_values][${cf.Everywhere}]`]: ['', '__none__'],
      });
      assert.equal(updated.statusCode, 303, updated.body.slice(0, 2000));
      const rows = await sql('SELECT id, parent_id, start_date, due_date, estimated_hours, assigned_to_id FROM issues WHERE id IN ($1, $2) ORDER BY id', [issue.a1, issue.a2]);
      assert.deepEqual(
        rows.map((r) => [r.parent_id, r.start_date, r.due_date, r.estimated_hours, r.assigned_to_id]),
        [
          [null, null, null, null, null],
          [null, null, null, null, null],
        ],
      );
      assert.deepEqual(await detailsOf(issue.a1!, 'attr'), [
        ['assigned_to_id', String(id('mover')), null],
        ['due_date', '2026-01-20', null],
        ['estimated_hours', '3.0', null],
        ['parent_id', String(issue.parent), null],
        ['start_date', '2026-01-05', null],
      ]);
      assert.deepEqual(await detailsOf(issue.a2!, 'attr'), [
        ['estimated_hours', '1.5', null],
        ['start_date', '2026-02-01', null],
      ]);
      assert.deepEqual(await detailsOf(issue.a2!, 'cf'), [[String(cf.Everywhere), 'two Everywhere', '']]);
      assert.equal((await valuesOf(issue.a1!))[cf.Everywhere!], '');
      assert.equal((await valuesOf(issue.a1!))[cf['Alpha only']!], 'one Alpha only', 'fields left at "(No change)" keep their values');

      // A form shown again keeps the box checked and the field empty.
      const again = await mover.post('/issues/bulk_edit', { 'ids[]': ids, 'issue[due_date]': 'none' });
      assert.match(again.body, /<input type="date" id="issue_due_date" name="issue\[due_date\]" value(="")?\/> <label class="inline"><input type="checkbox" name="issue\[due_date\]" value="none" checked/);
    });

    test('the form warns when the target project or tracker deletes custom values, naming the visible fields, and the move deletes them', async () => {
      const mover = await as('mover');
      const ids = [String(issue.a1), String(issue.a2), String(issue.a3)];
      const plain = await mover.post('/issues/bulk_edit', { 'ids[]': ids });
      assert.equal(plain.statusCode, 200);
      assert.doesNotMatch(plain.body, /bulk-dropped-values|automatic deletion/, 'no warning without a move');
      // Feature keeps every field but "Bugs only"; staying in Alpha, the others stay.
      const sameProject = await mover.post('/issues/bulk_edit', { 'ids[]': ids, 'issue[project_id]': String(id('alpha')) });
      assert.doesNotMatch(sameProject.body, /automatic deletion/, 'the issues are already there');

      const moving = await mover.post('/issues/bulk_edit', { 'ids[]': ids, 'issue[project_id]': String(id('beta')) });
      assert.equal(moving.statusCode, 200);
      const warning = /<div class="flash warning" id="bulk-dropped-values">(.*?)<\/div>/s.exec(moving.body)?.[1] ?? '';
      assert.equal(warning, 'Changes will result in the automatic deletion of values from one or more fields on the selected objects:<br/><span>Alpha only (2)</span>');
      assert.doesNotMatch(moving.body, /Hidden \(/, 'a field the user does not see is not named');

      const retracked = await mover.post('/issues/bulk_edit', { 'ids[]': ids, 'issue[tracker_id]': String(id('Feature')) });
      assert.match(retracked.body, /automatic deletion of values[^<]*:<br\/><span>Bugs only \(2\)<\/span><\/div>/);
      const both = await mover.post('/issues/bulk_edit', { 'ids[]': ids, 'issue[project_id]': String(id('beta')), 'issue[tracker_id]': String(id('Feature')) });
      assert.match(both.body, /<span>Alpha only \(2\)<\/span>, <span>Bugs only \(2\)<\/span>/);

      // The move deletes them (journalled), and keeps the others.
      const moved = await mover.post('/issues/bulk_update', { 'ids[]': [String(issue.a1)], 'issue[project_id]': String(id('beta')) });
      assert.equal(moved.statusCode, 303, moved.body.slice(0, 2000));
      const values = await valuesOf(issue.a1!);
      assert.equal(values[cf['Alpha only']!] ?? '', '');
      assert.equal(values[cf.Hidden!] ?? '', '', 'a field the user does not see goes too, as in Redmine');
      assert.equal(values[cf['Bugs only']!], 'one Bugs only');
      const cfDetails = await detailsOf(issue.a1!, 'cf');
      assert.deepEqual(
        cfDetails.filter(([key]) => key === String(cf['Alpha only'])),
        [[String(cf['Alpha only']), 'one Alpha only', null]],
      );
      const mixed = await mover.post('/issues/bulk_edit', { 'ids[]': [String(issue.a1), String(issue.a2)] });
      assert.equal(mixed.statusCode, 200);
      assert.match(mixed.body, /id="issue_start_date"/);
      assert.doesNotMatch(mixed.body, /issue_parent_issue_id/, 'issues of several projects: no parent task, as in Redmine');
    });

    test('"Private" and "Private notes" are offered to who may set them on every issue, and the update sets them', async () => {
      await create('p1', { tracker_id: id('Feature'), subject: 'Private one' });
      await create('p2', { tracker_id: id('Feature'), subject: 'Private two' });
      const ids = [String(issue.p1), String(issue.p2)];
      const privacy = async (issueId: number) => (await sql('SELECT is_private FROM issues WHERE id = $1', [issueId]))[0]?.is_private;

      const mover = await as('mover');
      const plain = (await mover.post('/issues/bulk_edit', { 'ids[]': ids })).body;
      assert.doesNotMatch(plain, /name="issue\[is_private\]"/);
      assert.doesNotMatch(plain, /name="issue\[private_notes\]"/);
      // Posted anyway, it is not taken (the update checks each issue).
      assert.equal((await mover.post('/issues/bulk_update', { 'ids[]': ids, 'issue[is_private]': '1' })).statusCode, 303);
      assert.deepEqual([await privacy(issue.p1!), await privacy(issue.p2!)], [false, false]);

      const keeper = await as('keeper');
      const form = (await keeper.post('/issues/bulk_edit', { 'ids[]': ids })).body;
      assert.match(form, /<select id="issue_is_private" name="issue\[is_private\]"><option value>\(No change\)<\/option><option value="1">Yes<\/option><option value="0">No<\/option>/);
      assert.match(form, /<input type="checkbox" id="issue_private_notes" name="issue\[private_notes\]" value="1"/);
      const updated = await keeper.post('/issues/bulk_update', { 'ids[]': ids, 'issue[is_private]': '1', 'issue[private_notes]': '1', notes: 'Between us' });
      assert.equal(updated.statusCode, 303, updated.body.slice(0, 500));
      assert.deepEqual([await privacy(issue.p1!), await privacy(issue.p2!)], [true, true]);
      for (const issueId of [issue.p1!, issue.p2!]) {
        const notes = await sql("SELECT private_notes FROM journals WHERE journalized_id = $1 AND notes = 'Between us'", [issueId]);
        assert.deepEqual(notes.map((n) => n.private_notes), [true], 'the notes are private');
      }
    });
  });
}
