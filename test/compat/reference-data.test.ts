/** Trackers, issue statuses, enumerations and roles over the REST API, field by field (§6.13–6.17). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

for (const { engine, skip } of await engineCases()) {
  describe(`reference data over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const auth = { authorization: 'Basic ' + Buffer.from('admin:admin-password').toString('base64') };
    const get = (url: string) => acme.server.app.inject({ method: 'GET', url, headers: { host: 'acme.localhost', ...auth } });

    test('GET /trackers.json', async () => {
      const answer = await get('/trackers.json');
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
      const { trackers } = answer.json<{ trackers: Record<string, unknown>[] }>();
      assert.deepEqual(Object.keys(answer.json<object>()), ['trackers'], 'no meta');
      assert.deepEqual(trackers.map((t) => t.name), ['Bug', 'Feature', 'Support']);
      const [bug] = trackers;
      assert.deepEqual(Object.keys(bug ?? {}), ['id', 'name', 'default_status', 'description', 'enabled_standard_fields']);
      assert.deepEqual((bug?.default_status as { name: string }).name, 'New');
      assert.deepEqual(bug?.enabled_standard_fields, [
        'assigned_to_id', 'category_id', 'fixed_version_id', 'parent_issue_id', 'start_date', 'due_date', 'estimated_hours', 'done_ratio', 'description', 'priority_id',
      ]);
      const xml = (await get('/trackers.xml')).body;
      assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><trackers type="array"><tracker><id>\d+<\/id><name>Bug<\/name><default_status id="\d+" name="New"\/><description\/><enabled_standard_fields type="array"><field>assigned_to_id<\/field>/);
    });

    test('GET /issue_statuses.json', async () => {
      const { issue_statuses } = (await get('/issue_statuses.json')).json<{ issue_statuses: { name: string; is_closed: boolean }[] }>();
      assert.deepEqual(
        issue_statuses.map((s) => [s.name, s.is_closed]),
        [['New', false], ['In Progress', false], ['Resolved', false], ['Feedback', false], ['Closed', true], ['Rejected', true]],
      );
      assert.deepEqual(Object.keys(issue_statuses[0] ?? {}), ['id', 'name', 'is_closed', 'description']);
    });

    test('GET /enumerations/:type.json, unknown types 404', async () => {
      const priorities = (await get('/enumerations/issue_priorities.json')).json<{ issue_priorities: Record<string, unknown>[] }>().issue_priorities;
      assert.deepEqual(priorities.map((p) => [p.name, p.is_default, p.active]), [
        ['Low', false, true], ['Normal', true, true], ['High', false, true], ['Urgent', false, true], ['Immediate', false, true],
      ]);
      const activities = (await get('/enumerations/time_entry_activities.json')).json<{ time_entry_activities: { name: string }[] }>();
      assert.deepEqual(activities.time_entry_activities.map((a) => a.name), ['Design', 'Development']);
      assert.match((await get('/enumerations/document_categories.xml')).body, /<document_categories type="array"><document_category><id>/);
      const unknown = await get('/enumerations/colours.json');
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.body, '');
    });

    test('GET /roles.json lists givable roles; /roles/:id.json shows any role', async () => {
      const { roles } = (await get('/roles.json')).json<{ roles: { id: number; name: string }[] }>();
      assert.deepEqual(roles.map((r) => r.name), ['Manager', 'Developer', 'Reporter']);
      assert.deepEqual(Object.keys(roles[0] ?? {}), ['id', 'name']);
      const developer = (await get(`/roles/${roles[1]?.id}.json`)).json<{ role: Record<string, unknown> }>().role;
      assert.deepEqual(Object.keys(developer), ['id', 'name', 'assignable', 'issues_visibility', 'time_entries_visibility', 'users_visibility', 'permissions']);
      assert.equal(developer.assignable, true);
      assert.ok((developer.permissions as string[]).includes('add_issues'));
      assert.ok(!(developer.permissions as string[]).includes('manage_members'));
      assert.equal((await get('/roles/1.json')).json<{ role: { name: string } }>().role.name, 'Non member');
      for (const id of ['99999', 'abc', '1e3']) {
        assert.equal((await get(`/roles/${id}.json`)).statusCode, 404, id);
      }
      assert.match((await get(`/roles/${roles[0]?.id}.xml`)).body, /<permissions type="array"><permission>[a-z_]+<\/permission>/);
    });
  });
}
