/**
 * A published Redmine client from npm (`redmine-ts`, axios underneath) driven against a real
 * listening Kanri, unchanged: the client only knows a base URL and credentials. The tenant is the
 * deployment's default one, so `http://127.0.0.1:<port>` reaches it without a `*.localhost` resolver.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Redmine } from 'redmine-ts';
import { startTestApp, tenantSql, type TestApp } from '../support/app.ts';
import { kanri } from '../support/cli.ts';
import { createTestEnvironment, engineCases, type TestEnvironment } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Issue = { id: number; subject: string; status: { id: number; name: string }; custom_fields?: Json[]; journals?: Json[]; attachments?: Json[] };

for (const { engine, skip } of await engineCases()) {
  describe(`a third-party Redmine client (redmine-ts) against Kanri (${engine})`, { skip }, () => {
    let env: TestEnvironment;
    let server: TestApp;
    let baseUrl: string;
    let client: Redmine;
    const sql = tenantSql(() => server);
    let fieldId = 0;

    before(async () => {
      env = await createTestEnvironment(engine);
      const created = await kanri(env.env, ['tenant', 'create', 'acme', '--admin-email', 'admin@acme.test', '--rest-api', '--admin-password-file', '-'], 'admin-password\n');
      assert.equal(created.code, 0, created.err);
      server = await startTestApp({ ...env.env, DEFAULT_TENANT: 'acme' });
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
      const [field] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, possible_values, is_required, is_for_all, is_filter, visible, position)
         VALUES ('IssueCustomField', 'Database', 'list', '["MySQL", "PostgreSQL"]', false, true, true, true, 1) RETURNING id`,
      );
      fieldId = Number(field?.id);
      await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers', [fieldId]);
      // The client signs in with login and password first, then with the key it reads from /users/current.
      const withPassword = new Redmine(baseUrl, { username: 'admin', password: 'admin-password' });
      const current = (await withPassword.getUser('current')) as { user: { api_key?: string } };
      assert.match(current.user.api_key ?? '', /^[0-9a-f]{40}$/);
      client = new Redmine(baseUrl, { apiKey: current.user.api_key ?? '' });
    });

    after(async () => {
      await server?.close();
      await env?.cleanup();
    });

    test('create a project and issues with custom fields, move them through the workflow, add notes, attach a file, list and paginate', async () => {
      const { project } = (await client.createProject({ name: 'Client project', identifier: 'client-project' })) as { project: { id: number } };
      assert.ok(project.id > 0);

      const ids: number[] = [];
      for (let n = 1; n <= 7; n++) {
        const { issue } = (await client.createIssue({
          project_id: project.id,
          subject: `Issue ${n}`,
          custom_fields: [{ id: fieldId, value: n % 2 === 0 ? 'PostgreSQL' : 'MySQL' }],
        })) as { issue: Issue };
        assert.deepEqual(issue.custom_fields, [{ id: fieldId, name: 'Database', value: n % 2 === 0 ? 'PostgreSQL' : 'MySQL' }]);
        ids.push(issue.id);
      }
      const first = ids[0] ?? 0;

      const statuses = (await client.listIssueStatuses()) as { issue_statuses: { id: number; name: string }[] };
      const inProgress = statuses.issue_statuses.find((s) => s.name === 'In Progress');
      assert.ok(inProgress);
      await client.updateIssue(first, { status_id: inProgress.id, notes: 'Started' });

      const upload = (await client.uploadFile(Buffer.from('log line 1\nlog line 2\n'))) as { upload: { token: string } };
      assert.match(upload.upload.token, /^\d+\./);
      await client.updateIssue(first, { notes: 'Log attached', uploads: [{ token: upload.upload.token, filename: 'server.log', content_type: 'text/plain' }] });

      const { issue } = (await client.getIssue(first, { include: 'journals,attachments' } as never)) as { issue: Issue };
      assert.equal(issue.status.name, 'In Progress');
      assert.deepEqual(issue.journals?.map((j) => j.notes), ['Started', 'Log attached']);
      assert.deepEqual(issue.attachments?.map((a) => [a.filename, a.filesize]), [['server.log', 22]]);

      const filtered = (await client.listIssues({ project_id: project.id, [`cf_${fieldId}`]: 'PostgreSQL', sort: 'id' })) as { issues: Issue[]; total_count: number };
      assert.deepEqual(filtered.issues.map((i) => i.subject), ['Issue 2', 'Issue 4', 'Issue 6']);
      assert.equal(filtered.total_count, 3);

      const open = (await client.listIssues({ project_id: project.id, status_id: 'open', sort: 'id', limit: 3, offset: 3 } as never)) as { issues: Issue[]; total_count: number; offset: number; limit: number };
      assert.deepEqual([open.total_count, open.offset, open.limit], [7, 3, 3]);
      assert.deepEqual(open.issues.map((i) => i.subject), ['Issue 4', 'Issue 5', 'Issue 6']);
    });
  });
}
