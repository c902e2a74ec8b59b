/**
 * Copying issues over the REST API (a create with `copy_from`, §6.1.3): what is copied and what the
 * request overrides, within a project and into another, attachments (sharing the stored file),
 * subtasks as a tree, watchers, the copied_to relation per setting and parameter, and refusals in
 * Redmine's order that write nothing.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { apiKeyOf } from '#src/features/account/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import type { HttpVerb } from '../support/app.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Ref = { id: number; name?: string };
type Detail = { property: string; name: string; old_value: string | null; new_value: string | null };
type Issue = Json & {
  id: number;
  project: Ref;
  tracker: Ref;
  status: Ref;
  priority: Ref;
  author: Ref;
  subject: string;
  parent?: Ref;
  journals?: { user: Ref; details: Detail[] }[];
  relations?: { issue_id: number; issue_to_id: number; relation_type: string }[];
  attachments?: { id: number; filename: string; content_url: string }[];
  watchers?: Ref[];
};

for (const { engine, skip } of await engineCases()) {
  describe(`issue copy over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { sql, ids, id, setting, withDb } = acme;
    // API keys rather than passwords: each password check costs a deliberately slow hash.
    const keys: Record<string, string> = {};
    const call = (method: HttpVerb, url: string, as: string | undefined, body?: unknown, contentType = 'application/json') =>
      acme.server.app.inject({
        method,
        url,
        headers: {
          host: 'acme.localhost',
          ...(as ? { 'x-redmine-api-key': keys[as] ?? 'no key' } : {}),
          ...(body !== undefined ? { 'content-type': contentType } : {}),
        },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    const create = async (issue: Json, as = 'admin') => {
      const answer = await call('POST', '/issues.json', as, { issue: { project_id: 'ecookbook', ...issue } });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue: Issue }>().issue.id;
    };
    const copy = async (body: Json, as = 'jsmith', url = '/issues.json') => {
      const answer = await call('POST', url, as, body);
      assert.equal(answer.statusCode, 201, answer.body);
      assert.match(answer.headers.location ?? '', /\/issues\/\d+$/);
      return answer.json<{ issue: Issue }>().issue;
    };
    const show = async (issueId: number, include = '') => {
      const answer = await call('GET', `/issues/${issueId}.json${include ? `?include=${include}` : ''}`, 'admin');
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ issue: Issue }>().issue;
    };
    const count = async (table: string) => Number((await sql(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);
    const TABLES = ['issues', 'journals', 'attachments', 'issue_relations', 'watchers', 'custom_values'];
    const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await count(t)] as const)));
    const uploaded = async (as: string, content: string, filename: string) => {
      const answer = await call('POST', `/uploads.json?filename=${filename}`, as, content, 'application/octet-stream');
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ upload: { token: string } }>().upload.token;
    };
    const download = async (contentUrl: string, as = 'jsmith') => {
      const answer = await call('GET', new URL(contentUrl).pathname, as);
      return { status: answer.statusCode, body: answer.body };
    };
    const watcherLogins = async (issueId: number) =>
      (
        await sql(
          "SELECT CASE WHEN u.type = 'Group' THEN u.lastname ELSE u.login END AS name FROM watchers w JOIN users u ON u.id = w.user_id WHERE w.watchable_type = 'Issue' AND w.watchable_id = $1",
          [issueId],
        )
      )
        .map((r) => String(r.name))
        .sort();
    const relationsOf = async (issueId: number) =>
      sql('SELECT issue_from_id, issue_to_id, relation_type FROM issue_relations WHERE issue_from_id = $1 OR issue_to_id = $1 ORDER BY id', [issueId]);
    /** The subtree under the issue: subject, parent subject, and nested-set numbers relative to its root. */
    const treeOf = async (issueId: number) =>
      sql(
        `SELECT i.subject, p.subject AS parent, i.lft - r.lft AS lft, i.rgt - r.lft AS rgt, i.root_id = r.root_id AS same_root, a.login AS author
           FROM issues r JOIN issues i ON i.root_id = r.root_id AND i.lft >= r.lft AND i.rgt <= r.rgt
           LEFT JOIN issues p ON p.id = i.parent_id JOIN users a ON a.id = i.author_id
          WHERE r.id = $1 ORDER BY i.lft`,
        [issueId],
      );

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'rhill', 'copier', 'dup', 'gone']);
      await setting('login_required', '0');
      await acme.referenceIds();
      await withDb(async (db) => {
        for (const login of ['admin', 'jsmith', 'dlopper', 'rhill', 'copier', 'dup']) {
          keys[login] = await apiKeyOf(db.orm, id(login), new Date());
        }
      });
      await acme.group('Team');
      const role = async (name: string, permissions: string[]) => {
        const [row] = await sql('INSERT INTO roles (name, position, builtin, permissions) VALUES ($1, 90, 0, $2::jsonb) RETURNING id', [name, JSON.stringify(permissions)]);
        ids[name] = Number(row?.id);
      };
      // Copier may copy but not add issues; Duplicator may both, but neither add watchers nor see others' private issues.
      await role('Copier', ['view_issues', 'copy_issues']);
      await role('Duplicator', ['view_issues', 'add_issues', 'copy_issues', 'view_issue_watchers']);
      await acme.projects([['eCookbook', 'ecookbook', true], ['Other', 'other', true], ['Secret', 'secret', false]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['ecookbook', 'gone', 'Reporter'],
        ['ecookbook', 'copier', 'Copier'],
        ['ecookbook', 'dup', 'Duplicator'],
        ['other', 'jsmith', 'Manager'],
        ['other', 'dup', 'Duplicator'],
        ['secret', 'jsmith', 'Manager'],
      ]);
      for (const [project, name] of [['ecookbook', 'Recipes'], ['other', 'Recipes'], ['ecookbook', 'Printing']] as const) {
        const [row] = await sql('INSERT INTO issue_categories (project_id, name) VALUES ($1, $2) RETURNING id', [id(project), name]);
        ids[`${project} ${name}`] = Number(row?.id);
      }
      for (const [name, status, sharing] of [['1.0', 'open', 'none'], ['Shared', 'open', 'system'], ['Old', 'closed', 'none']] as const) {
        const [row] = await sql("INSERT INTO versions (project_id, name, status, sharing, created_on, updated_on) VALUES ($1, $2, $3, $4, now(), now()) RETURNING id", [
          id('ecookbook'),
          name,
          status,
          sharing,
        ]);
        ids[name] = Number(row?.id);
      }
      const [field] = await sql(
        `INSERT INTO custom_fields (type, name, field_format, possible_values, is_for_all, visible, position)
         VALUES ('IssueCustomField', 'Database', 'list', '["MySQL", "PostgreSQL"]', true, true, 1) RETURNING id`,
      );
      ids.Database = Number(field?.id);
      await sql('INSERT INTO custom_fields_trackers (custom_field_id, tracker_id) SELECT $1, id FROM trackers', [id('Database')]);
      // New issues of the Feature tracker may start In Progress for Managers.
      await sql("INSERT INTO workflows (type, tracker_id, role_id, old_status_id, new_status_id) VALUES ('WorkflowTransition', $1, $2, 0, $3)", [
        id('Feature'),
        id('Manager'),
        id('In Progress'),
      ]);
    });

    const fullSource = (subject: string) =>
      create({
        subject,
        description: 'Steps to reproduce',
        tracker_id: id('Feature'),
        priority_id: id('priority High'),
        category_id: id('ecookbook Recipes'),
        fixed_version_id: id('1.0'),
        assigned_to_id: id('dlopper'),
        start_date: '2026-01-05',
        due_date: '2026-01-20',
        estimated_hours: 3.5,
        done_ratio: 30,
        is_private: true,
        custom_fields: [{ id: id('Database'), value: 'PostgreSQL' }],
      });

    test('a copy in the same project: the attributes and custom values, the default status, the copier as author, no journal', async () => {
      const sourceId = await fullSource('Original');
      await sql('UPDATE issues SET status_id = $1 WHERE id = $2', [id('In Progress'), sourceId]);
      const journals = await count('journals');
      const made = await copy({ copy_from: sourceId, issue: { project_id: 'ecookbook' } });
      assert.notEqual(made.id, sourceId);
      const shown = await show(made.id, 'journals,relations,attachments');
      const picked = Object.fromEntries(Object.entries(shown).filter(([key]) => !['id', 'created_on', 'updated_on', 'spent_hours', 'total_spent_hours'].includes(key)));
      assert.deepEqual(picked, {
        project: { id: id('ecookbook'), name: 'eCookbook' },
        tracker: { id: id('Feature'), name: 'Feature' },
        status: { id: id('New'), name: 'New', is_closed: false },
        priority: { id: id('priority High'), name: 'High' },
        author: { id: id('jsmith'), name: 'jsmith User' },
        assigned_to: { id: id('dlopper'), name: 'dlopper User' },
        category: { id: id('ecookbook Recipes'), name: 'Recipes' },
        fixed_version: { id: id('1.0'), name: '1.0' },
        subject: 'Original',
        description: 'Steps to reproduce',
        start_date: '2026-01-05',
        due_date: '2026-01-20',
        done_ratio: 30,
        is_private: true,
        estimated_hours: 3.5,
        total_estimated_hours: 3.5,
        custom_fields: [{ id: id('Database'), name: 'Database', value: 'PostgreSQL' }],
        closed_on: null,
        journals: [],
        attachments: [],
      });
      // Redmine writes no journal for a copy it does not link.
      assert.equal(await count('journals'), journals);
      assert.equal((await show(sourceId)).status.name, 'In Progress');
    });

    test('values in the request override the copied ones; a status the workflow allows is taken', async () => {
      const sourceId = await fullSource('To override');
      const made = await copy({
        copy_from: sourceId,
        issue: {
          project_id: 'ecookbook',
          subject: 'Overridden',
          priority_id: id('priority Low'),
          assigned_to_id: '',
          fixed_version_id: id('Shared'),
          status_id: id('In Progress'),
          custom_fields: [{ id: id('Database'), value: 'MySQL' }],
          is_private: false,
        },
      });
      assert.equal(made.subject, 'Overridden');
      assert.equal(made.priority.name, 'Low');
      assert.equal(made.assigned_to, undefined);
      assert.deepEqual(made.fixed_version, { id: id('Shared'), name: 'Shared' });
      assert.equal(made.status.name, 'In Progress');
      assert.deepEqual(made.custom_fields, [{ id: id('Database'), name: 'Database', value: 'MySQL' }]);
      assert.equal(made.is_private, false);
      assert.equal(made.description, 'Steps to reproduce');
      assert.deepEqual(made.category, { id: id('ecookbook Recipes'), name: 'Recipes' });
    });

    test('into another project: a category of the same name, a version only if shared there, an assignee only if assignable there, no parent across trees', async () => {
      const parentId = await create({ subject: 'Parent in eCookbook' });
      const sourceId = await fullSource('Travelling');
      await call('PUT', `/issues/${sourceId}.json`, 'admin', { issue: { parent_issue_id: parentId } });
      // Within the project the copy sits under the source's parent.
      assert.deepEqual((await copy({ copy_from: sourceId, issue: { project_id: 'ecookbook' } })).parent, { id: parentId });

      const viaPath = await copy({ copy_from: sourceId, issue: {} }, 'jsmith', '/projects/other/issues.json');
      assert.equal(viaPath.project.name, 'Other');
      assert.deepEqual(viaPath.category, { id: id('other Recipes'), name: 'Recipes' });
      assert.equal(viaPath.fixed_version, undefined, 'version 1.0 is not shared with Other');
      assert.equal(viaPath.assigned_to, undefined, 'dlopper is no member of Other');
      assert.equal(viaPath.parent, undefined, 'cross_project_subtasks "tree": Other is another tree');
      assert.equal(viaPath.tracker.name, 'Feature');
      assert.deepEqual(viaPath.custom_fields, [{ id: id('Database'), name: 'Database', value: 'PostgreSQL' }]);

      // By project_id; a shared version stays, a tracker Other lacks becomes its first; jsmith stays assignable.
      await sql('UPDATE issues SET fixed_version_id = $1, assigned_to_id = $2, category_id = $3 WHERE id = $4', [id('Shared'), id('jsmith'), id('ecookbook Printing'), sourceId]);
      await sql('DELETE FROM projects_trackers WHERE project_id = $1 AND tracker_id = $2', [id('other'), id('Feature')]);
      try {
        const viaBody = await copy({ copy_from: sourceId, issue: { project_id: id('other') } });
        assert.equal(viaBody.project.name, 'Other');
        assert.deepEqual(viaBody.fixed_version, { id: id('Shared'), name: 'Shared' });
        assert.deepEqual(viaBody.assigned_to, { id: id('jsmith'), name: 'jsmith User' });
        assert.equal(viaBody.category, undefined, 'Other has no category Printing');
        assert.equal(viaBody.tracker.name, 'Bug');
      } finally {
        await sql('INSERT INTO projects_trackers (project_id, tracker_id) VALUES ($1, $2)', [id('other'), id('Feature')]);
      }
    });

    test('a closed version is refused as Redmine refuses it, unless the request changes the version', async () => {
      const sourceId = await create({ subject: 'On an old version', fixed_version_id: id('1.0') });
      await sql('UPDATE issues SET fixed_version_id = $1 WHERE id = $2', [id('Old'), sourceId]);
      const before = await counts();
      const answer = await call('POST', '/issues.json', 'jsmith', { copy_from: sourceId, issue: { project_id: 'ecookbook' } });
      assert.equal(answer.statusCode, 422, answer.body);
      assert.deepEqual(answer.json<{ errors: string[] }>().errors, ['Target version is not included in the list']);
      assert.deepEqual(await counts(), before);
      assert.equal((await copy({ copy_from: sourceId, issue: { project_id: 'ecookbook', fixed_version_id: '' } })).fixed_version, undefined);
    });

    test('attachments: copied when asked, both downloadable, and deleting either keeps the other file', async () => {
      const sourceId = await create({ subject: 'With files', uploads: [{ token: await uploaded('jsmith', 'first file', 'one.txt'), description: 'The first' }] }, 'jsmith');
      const files = await count('attachments');
      // Setting "ask" (the default): only with copy_attachments.
      assert.deepEqual((await show((await copy({ copy_from: sourceId, issue: { project_id: 'ecookbook' } })).id, 'attachments')).attachments, []);
      const made = await copy({
        copy_from: sourceId,
        copy_attachments: '1',
        issue: { project_id: 'ecookbook', uploads: [{ token: await uploaded('jsmith', 'second file', 'two.txt') }] },
      });
      const [original] = (await show(sourceId, 'attachments')).attachments ?? [];
      const copied = (await show(made.id, 'attachments')).attachments ?? [];
      assert.deepEqual(
        copied.map((a) => [a.filename, a.id === original?.id]),
        [
          ['one.txt', false],
          ['two.txt', false],
        ],
      );
      // One more upload, one copied row.
      assert.equal(await count('attachments'), files + 2);
      const [copiedRow] = await sql('SELECT description, author_id, digest, disk_filename FROM attachments WHERE id = $1', [copied[0]?.id]);
      const [originalRow] = await sql('SELECT description, author_id, digest, disk_filename FROM attachments WHERE id = $1', [original?.id]);
      assert.deepEqual(copiedRow, originalRow);
      assert.deepEqual(await download(String(copied[0]?.content_url)), { status: 200, body: 'first file' });
      assert.deepEqual(await download(String(original?.content_url)), { status: 200, body: 'first file' });

      // Deleting the source's attachment, then the source itself, leaves the copy's file in place.
      assert.equal((await call('DELETE', `/attachments/${original?.id}.json`, 'jsmith')).statusCode, 204);
      assert.equal((await call('DELETE', `/issues/${sourceId}.json`, 'admin')).statusCode, 204);
      assert.deepEqual(await download(String(copied[0]?.content_url)), { status: 200, body: 'first file' });

      // A copy of the copy, then deleting the first copy: the second still has the bytes.
      const again = await copy({ copy_from: made.id, copy_attachments: 'true', issue: { project_id: 'ecookbook' } });
      assert.equal((await call('DELETE', `/issues/${made.id}.json`, 'admin')).statusCode, 204);
      const [kept] = (await show(again.id, 'attachments')).attachments ?? [];
      assert.deepEqual(await download(String(kept?.content_url)), { status: 200, body: 'first file' });
    });

    test('attachments: the setting copy_attachments_on_issue_copy decides when it is not "ask"', async () => {
      const sourceId = await create({ subject: 'Files by setting', uploads: [{ token: await uploaded('jsmith', 'bytes', 'three.txt') }] }, 'jsmith');
      const copiedNames = async (body: Json) =>
        ((await show((await copy({ copy_from: sourceId, ...body, issue: { project_id: 'ecookbook' } })).id, 'attachments')).attachments ?? []).map((a) => a.filename);
      await setting('copy_attachments_on_issue_copy', 'yes');
      assert.deepEqual(await copiedNames({}), ['three.txt']);
      await setting('copy_attachments_on_issue_copy', 'no');
      assert.deepEqual(await copiedNames({ copy_attachments: '1' }), []);
      await setting('copy_attachments_on_issue_copy', 'ask');
      assert.deepEqual(await copiedNames({ copy_attachments: '0' }), []);
    });

    test('subtasks: the tree is copied under the copy, parents first, skipping subtasks the user cannot see', async () => {
      const top = await create({ subject: 'Top' });
      const child = await create({ subject: 'Child', parent_issue_id: top, custom_fields: [{ id: id('Database'), value: 'MySQL' }] });
      await create({ subject: 'Grandchild', parent_issue_id: child, start_date: '2026-03-01', due_date: '2026-03-09' });
      await create({ subject: 'Private child', parent_issue_id: top, is_private: true });
      await create({ subject: 'Second child', parent_issue_id: top, assigned_to_id: id('dlopper') });

      // dup sees no private issue of others: that subtask is not copied.
      const made = await copy({ copy_from: top, copy_subtasks: '1', issue: { project_id: 'ecookbook', subject: 'Top copy' } }, 'dup');
      assert.deepEqual(await treeOf(made.id), [
        { subject: 'Top copy', parent: null, lft: 0, rgt: 7, same_root: true, author: 'dup' },
        { subject: 'Child', parent: 'Top copy', lft: 1, rgt: 4, same_root: true, author: 'dup' },
        { subject: 'Grandchild', parent: 'Child', lft: 2, rgt: 3, same_root: true, author: 'dup' },
        { subject: 'Second child', parent: 'Top copy', lft: 5, rgt: 6, same_root: true, author: 'dup' },
      ]);
      const children = await sql(
        `SELECT i.subject, i.assigned_to_id, i.status_id, cv.value FROM issues i
           LEFT JOIN custom_values cv ON cv.customized_type = 'Issue' AND cv.customized_id = i.id AND cv.custom_field_id = $2
          WHERE i.parent_id = $1 ORDER BY i.id`,
        [made.id, id('Database')],
      );
      assert.deepEqual(children, [
        { subject: 'Child', assigned_to_id: null, status_id: id('New'), value: 'MySQL' },
        { subject: 'Second child', assigned_to_id: id('dlopper'), status_id: id('New'), value: null },
      ]);
      // The parent derives its dates from the copied subtasks.
      const shown = await show(made.id, 'children');
      assert.deepEqual([shown.start_date, shown.due_date], ['2026-03-01', '2026-03-09']);

      // jsmith sees the private subtask; without copy_subtasks (or with "0") no subtask is copied.
      assert.equal((await treeOf((await copy({ copy_from: top, copy_subtasks: 'true', issue: { project_id: 'ecookbook' } })).id)).length, 5);
      assert.equal((await treeOf((await copy({ copy_from: top, issue: { project_id: 'ecookbook' } })).id)).length, 1);
      assert.equal((await treeOf((await copy({ copy_from: top, copy_subtasks: '0', issue: { project_id: 'ecookbook' } })).id)).length, 1);

      // Into another project, the subtasks follow the copy there.
      const moved = await copy({ copy_from: top, copy_subtasks: '1', issue: { project_id: 'other' } });
      const projects = await sql('SELECT DISTINCT project_id FROM issues WHERE root_id = (SELECT root_id FROM issues WHERE id = $1)', [moved.id]);
      assert.deepEqual(projects, [{ project_id: id('other') }]);
      assert.equal((await treeOf(moved.id)).length, 5);

      // A copy placed under the source itself copies the subtasks under it, and not itself again.
      const under = await copy({ copy_from: top, copy_subtasks: '1', issue: { project_id: 'ecookbook', subject: 'Under the top', parent_issue_id: top } });
      assert.deepEqual(
        (await treeOf(under.id)).map((row) => [row.subject, row.parent]),
        [
          ['Under the top', 'Top'],
          ['Child', 'Under the top'],
          ['Grandchild', 'Child'],
          ['Private child', 'Under the top'],
          ['Second child', 'Under the top'],
        ],
      );
    });

    test('watchers: the source’s active watchers for users who may add watchers; watcher_user_ids overrides them', async () => {
      const sourceId = await create({ subject: 'Watched', watcher_user_ids: [id('dlopper'), id('rhill'), id('gone'), id('Team')] });
      await acme.lock('gone');
      try {
        assert.deepEqual(await watcherLogins((await copy({ copy_from: sourceId, issue: { project_id: 'ecookbook' } })).id), ['Team', 'dlopper', 'rhill']);
        assert.deepEqual(await watcherLogins((await copy({ copy_from: sourceId, issue: { project_id: 'ecookbook', watcher_user_ids: [id('rhill')] } })).id), ['rhill']);
        assert.deepEqual(await watcherLogins((await copy({ copy_from: sourceId, issue: { project_id: 'ecookbook', watcher_user_ids: [''] } })).id), []);
        // The Duplicator role may not add watchers.
        assert.deepEqual(await watcherLogins((await copy({ copy_from: sourceId, issue: { project_id: 'ecookbook' } }, 'dup')).id), []);
      } finally {
        await sql('UPDATE users SET status = 1 WHERE id = $1', [id('gone')]);
      }
    });

    test('link_copy: a copied_to relation with a journal on both issues, as the setting link_copied_issue and the parameter say', async () => {
      const sourceId = await create({ subject: 'To link' });
      const linked = await copy({ copy_from: sourceId, link_copy: '1', issue: { project_id: 'ecookbook' } });
      const shown = await show(linked.id, 'relations,journals');
      assert.deepEqual(
        shown.relations?.map((r) => [r.issue_id, r.issue_to_id, r.relation_type]),
        [[sourceId, linked.id, 'copied_to']],
      );
      assert.deepEqual(shown.journals?.map((j) => [j.user.id, j.details]), [
        [id('jsmith'), [{ property: 'relation', name: 'copied_from', old_value: null, new_value: String(sourceId) }]],
      ]);
      assert.deepEqual((await show(sourceId, 'journals')).journals?.map((j) => [j.user.id, j.details]), [
        [id('jsmith'), [{ property: 'relation', name: 'copied_to', old_value: null, new_value: String(linked.id) }]],
      ]);

      const linkCount = async (body: Json, project = 'ecookbook') =>
        (await relationsOf((await copy({ copy_from: sourceId, ...body, issue: { project_id: project } })).id)).length;
      assert.equal(await linkCount({}), 0, 'ask, not asked');
      assert.equal(await linkCount({ link_copy: '0' }), 0);
      await setting('link_copied_issue', 'yes');
      assert.equal(await linkCount({}), 1);
      // Across projects only when cross-project relations are allowed.
      assert.equal(await linkCount({}, 'other'), 0);
      await setting('cross_project_issue_relations', '1');
      assert.equal(await linkCount({}, 'other'), 1);
      await setting('cross_project_issue_relations', '0');
      await setting('link_copied_issue', 'no');
      assert.equal(await linkCount({ link_copy: '1' }), 0);
      await setting('link_copied_issue', 'ask');

      // Each copied subtask is linked to its source too.
      const top = await create({ subject: 'Linked top' });
      const child = await create({ subject: 'Linked child', parent_issue_id: top });
      const made = await copy({ copy_from: top, link_copy: '1', copy_subtasks: '1', issue: { project_id: 'ecookbook' } });
      const [childCopy] = await sql('SELECT id FROM issues WHERE parent_id = $1', [made.id]);
      assert.deepEqual(await relationsOf(child), [{ issue_from_id: child, issue_to_id: Number(childCopy?.id), relation_type: 'copied_to' }]);
    });

    test('copy parameters inside `issue`, in the query string, and in an XML body', async () => {
      const sourceId = await create({ subject: 'Params' });
      assert.equal((await copy({ issue: { project_id: 'ecookbook', copy_from: String(sourceId), link_copy: '1' } })).subject, 'Params');
      const made = await copy({ issue: { project_id: 'ecookbook' } }, 'jsmith', `/issues.json?copy_from=${sourceId}&link_copy=1`);
      assert.equal(made.subject, 'Params');
      assert.equal((await relationsOf(sourceId)).length, 2);
      const xml = await call(
        'POST',
        '/issues.xml',
        'jsmith',
        `<?xml version="1.0"?><issue><project_id>ecookbook</project_id><copy_from>${sourceId}</copy_from><subject>From XML</subject></issue>`,
        'application/xml',
      );
      assert.equal(xml.statusCode, 201, xml.body);
      assert.match(xml.body, /<subject>From XML<\/subject>/);
    });

    test('refusals in Redmine’s order, each writing nothing: 404 for an unknown or invisible source, 403 without copy_issues or add_issues, 422 on validation', async () => {
      const sourceId = await create({ subject: 'Guarded', uploads: [{ token: await uploaded('jsmith', 'guarded', 'g.txt') }], watcher_user_ids: [id('rhill')] }, 'jsmith');
      await create({ subject: 'Guarded child', parent_issue_id: sourceId });
      const secretId = await create({ subject: 'Secret', project_id: 'secret' });
      const before = await counts();
      const refused = async (as: string | undefined, body: Json, status: number, url = '/issues.json') => {
        const answer = await call('POST', url, as, body);
        assert.equal(answer.statusCode, status, `${as} ${JSON.stringify(body)}: ${answer.body}`);
        assert.deepEqual(await counts(), before);
        return answer;
      };
      const issue = { project_id: 'ecookbook' };
      await refused('jsmith', { copy_from: 999999, issue }, 404);
      await refused('jsmith', { copy_from: 'abc', issue }, 404);
      await refused('jsmith', { copy_from: '', issue }, 404);
      await refused('dlopper', { copy_from: secretId, issue }, 404);
      await refused('dlopper', { copy_from: sourceId, issue }, 403);
      await refused('copier', { copy_from: sourceId, issue }, 403, '/projects/ecookbook/issues.json');
      await refused(undefined, { copy_from: sourceId, issue }, 401);
      // A project the user may not add issues to is no project, as in a plain create.
      const noProject = await refused('copier', { copy_from: sourceId, issue }, 422);
      assert.deepEqual(noProject.json<{ errors: string[] }>().errors, ['Project cannot be blank']);
      const blank = await refused('jsmith', { copy_from: sourceId, copy_attachments: '1', copy_subtasks: '1', link_copy: '1', issue: { ...issue, subject: '' } }, 422);
      assert.deepEqual(blank.json<{ errors: string[] }>().errors, ['Subject cannot be blank']);

      // Without a tracker in the request, the copy keeps the source's, which the user may have to be allowed to add.
      await sql(`UPDATE roles SET settings = $1::jsonb WHERE id = $2`, [
        JSON.stringify({ permissions_all_trackers: { add_issues: '0' }, permissions_tracker_ids: { add_issues: [String(id('Bug'))] } }),
        id('Duplicator'),
      ]);
      try {
        await sql('UPDATE issues SET tracker_id = $1 WHERE id = $2', [id('Feature'), sourceId]);
        const tracker = await refused('dup', { copy_from: sourceId, issue }, 422);
        assert.deepEqual(tracker.json<{ errors: string[] }>().errors, ['Tracker is invalid']);
        assert.equal((await copy({ copy_from: sourceId, issue: { ...issue, tracker_id: id('Bug') } }, 'dup')).tracker.name, 'Bug');
      } finally {
        await sql(`UPDATE roles SET settings = '{}'::jsonb WHERE id = $1`, [id('Duplicator')]);
      }
    });
  });
}
