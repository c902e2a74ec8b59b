/**
 * The project sections that come from other features (§6.2): `issue_categories`,
 * `issue_custom_fields`, `time_entry_activities` includes, the show-only default version and
 * assignee, and the writable `issue_custom_field_ids`, `default_version_id`, `default_assigned_to_id`.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;

for (const { engine, skip } of await engineCases()) {
  describe(`project sections over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql } = acme;
    const show = async (include: string) => {
      const answer = await call('GET', `/projects/sections.json?include=${include}`, 'admin');
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ project: Json }>().project;
    };

    before(async () => {
      await acme.projects([['Sections', 'sections']]);
    });

    test('includes: categories by name, issue custom fields for all or enabled here, active activities', async () => {
      const [project] = await sql("SELECT id FROM projects WHERE identifier = 'sections'");
      const projectId = Number(project?.id);
      const [b] = await sql("INSERT INTO issue_categories (project_id, name) VALUES ($1, 'Beta') RETURNING id", [projectId]);
      const [a] = await sql("INSERT INTO issue_categories (project_id, name) VALUES ($1, 'Alpha') RETURNING id", [projectId]);
      const [forAll] = await sql("INSERT INTO custom_fields (type, name, field_format, is_for_all, position) VALUES ('IssueCustomField', 'Everywhere', 'string', true, 1) RETURNING id");
      const [chosen] = await sql("INSERT INTO custom_fields (type, name, field_format, is_for_all, position) VALUES ('IssueCustomField', 'Chosen', 'string', false, 2) RETURNING id");
      const shown = await show('issue_categories,issue_custom_fields,time_entry_activities');
      assert.deepEqual(shown.issue_categories, [{ id: Number(a?.id), name: 'Alpha' }, { id: Number(b?.id), name: 'Beta' }]);
      assert.deepEqual(shown.issue_custom_fields, [{ id: Number(forAll?.id), name: 'Everywhere' }]);
      assert.deepEqual((shown.time_entry_activities as Json[]).map((t) => t.name), ['Design', 'Development']);

      const update = await call('PUT', '/projects/sections.json', 'admin', { project: { issue_custom_field_ids: [Number(chosen?.id)] } });
      assert.equal(update.statusCode, 204, update.body);
      assert.deepEqual((await show('issue_custom_fields')).issue_custom_fields, [
        { id: Number(forAll?.id), name: 'Everywhere' },
        { id: Number(chosen?.id), name: 'Chosen' },
      ]);
      const refused = await call('PUT', '/projects/sections.json', 'admin', { project: { issue_custom_field_ids: [999999] } });
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json<{ errors: string[] }>().errors, ['Issue custom fields is invalid']);
      // Not asked for: no key at all.
      assert.equal('issue_categories' in (await show('')), false);
    });

    test('default version and assignee: set, shown on show only, validated', async () => {
      const [project] = await sql("SELECT id FROM projects WHERE identifier = 'sections'");
      const projectId = Number(project?.id);
      const [version] = await sql("INSERT INTO versions (project_id, name, status, sharing, created_on, updated_on) VALUES ($1, '1.0', 'open', 'none', now(), now()) RETURNING id", [projectId]);
      const [admin] = await sql("SELECT id FROM users WHERE login = 'admin'");
      const [role] = await sql("SELECT id FROM roles WHERE name = 'Developer'");
      const membership = await call('POST', '/projects/sections/memberships.json', 'admin', { membership: { user_id: Number(admin?.id), role_ids: [Number(role?.id)] } });
      assert.equal(membership.statusCode, 201, membership.body);
      const bad = await call('PUT', '/projects/sections.json', 'admin', { project: { default_version_id: 999999, default_assigned_to_id: 999999 } });
      assert.deepEqual(bad.json<{ errors: string[] }>().errors, ['Default version is not included in the list', 'Default assignee is invalid']);
      const update = await call('PUT', '/projects/sections.json', 'admin', { project: { default_version_id: Number(version?.id), default_assigned_to_id: Number(admin?.id) } });
      assert.equal(update.statusCode, 204, update.body);
      const shown = await show('');
      assert.deepEqual(shown.default_version, { id: Number(version?.id), name: '1.0' });
      assert.deepEqual(shown.default_assignee, { id: Number(admin?.id), name: 'Redmine Admin' });
      const listed = (await call('GET', '/projects.json', 'admin')).json<{ projects: Json[] }>().projects.find((p) => p.identifier === 'sections');
      assert.equal(listed && 'default_version' in listed, false);
      // A new issue of the project gets both.
      const issue = await call('POST', '/projects/sections/issues.json', 'admin', { issue: { subject: 'Defaults' } });
      assert.equal(issue.statusCode, 201, issue.body);
      const created = issue.json<{ issue: Json }>().issue;
      assert.deepEqual(created.fixed_version, { id: Number(version?.id), name: '1.0' });
      assert.deepEqual((created.assigned_to as Json | undefined)?.id, Number(admin?.id));
    });
  });
}
