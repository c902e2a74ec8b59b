/**
 * Issue categories over the REST API (§6.16): shape (JSON and XML), create with its path Location,
 * validation and the assignee check, update, delete with or without reassignment, permissions.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { categoryOfProject, projectCategoryRefs } from '#src/features/issue-categories/index.ts';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Category = { id: number; project: { id: number; name: string }; name: string; assigned_to?: { id: number; name: string } };

for (const { engine, skip } of await engineCases()) {
  describe(`issue categories over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, ids, id, setting, withDb } = acme;
    const create = async (project: string, category: Json, as = 'admin') => {
      const answer = await call('POST', `/projects/${project}/issue_categories.json`, as, { issue_category: category });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ issue_category: Category }>().issue_category;
    };
    const show = async (categoryId: number, as = 'admin') => {
      const answer = await call('GET', `/issue_categories/${categoryId}.json`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ issue_category: Category }>().issue_category;
    };
    const categoryCount = async () => Number((await sql('SELECT count(*)::int AS n FROM issue_categories'))[0]?.n);
    /** An issue written directly: creating issues is the issues feature's business. */
    const insertIssue = async (project: string, categoryId: number) => {
      const [row] = await sql(
        `INSERT INTO issues (tracker_id, project_id, subject, status_id, priority_id, author_id, category_id, created_on, updated_on)
         VALUES ((SELECT min(id) FROM trackers), $1, 'An issue', (SELECT min(id) FROM issue_statuses),
                 (SELECT min(id) FROM enumerations WHERE type = 'IssuePriority'), $2, $3, now(), now()) RETURNING id`,
        [id(project), id('admin'), categoryId],
      );
      return Number(row?.id);
    };
    const categoryOfIssue = async (issueId: number) => (await sql('SELECT category_id FROM issues WHERE id = $1', [issueId]))[0]?.category_id;

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'rhill', 'outsider', 'locked']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.group('Team');
      await acme.projects([['eCookbook', 'ecookbook', true], ['Other', 'other', true], ['Secret', 'secret', false]]);
      await acme.members([
        ['ecookbook', 'jsmith', 'Manager'],
        ['ecookbook', 'dlopper', 'Developer'],
        ['ecookbook', 'rhill', 'Reporter'],
        ['ecookbook', 'locked', 'Developer'],
        ['ecookbook', 'Team', 'Developer'],
        ['secret', 'jsmith', 'Manager'],
      ]);
      await acme.lock('locked');
    });

    test('create: 201, Location is a path, the representation field by field', async () => {
      const answer = await call('POST', '/projects/ecookbook/issue_categories.json', 'jsmith', { issue_category: { name: 'Recipes', assigned_to_id: id('dlopper') } });
      assert.equal(answer.statusCode, 201, answer.body);
      const category = answer.json<{ issue_category: Category }>().issue_category;
      ids.Recipes = category.id;
      assert.equal(answer.headers.location, `/issue_categories/${category.id}`);
      assert.deepEqual(Object.keys(category), ['id', 'project', 'name', 'assigned_to']);
      assert.deepEqual(category, {
        id: category.id,
        project: { id: id('ecookbook'), name: 'eCookbook' },
        name: 'Recipes',
        assigned_to: { id: id('dlopper'), name: 'dlopper User' },
      });
      assert.deepEqual(await sql('SELECT project_id, name, assigned_to_id FROM issue_categories WHERE id = $1', [category.id]), [
        { project_id: id('ecookbook'), name: 'Recipes', assigned_to_id: id('dlopper') },
      ]);
      // Without an assignee the key is left out altogether.
      const plain = await create('ecookbook', { name: 'Appliances' });
      ids.Appliances = plain.id;
      assert.deepEqual(Object.keys(plain), ['id', 'project', 'name']);
      const xml = await call('POST', '/projects/ecookbook/issue_categories.xml', 'jsmith', '<issue_category><name>Cutlery</name></issue_category>', 'application/xml');
      assert.equal(xml.statusCode, 201, xml.body);
      const cutlery = Number((await sql("SELECT id FROM issue_categories WHERE name = 'Cutlery'"))[0]?.id);
      ids.Cutlery = cutlery;
      assert.equal(xml.headers.location, `/issue_categories/${cutlery}`);
      assert.equal(xml.body, `<?xml version="1.0" encoding="UTF-8"?><issue_category><id>${cutlery}</id><project id="${id('ecookbook')}" name="eCookbook"/><name>Cutlery</name></issue_category>`);
      const form = await call('POST', '/projects/ecookbook/issue_categories.json', 'jsmith', `issue_category[name]=Baking&issue_category[assigned_to_id]=${id('jsmith')}`, 'application/x-www-form-urlencoded');
      assert.equal(form.statusCode, 201, form.body);
      ids.Baking = form.json<{ issue_category: Category }>().issue_category.id;
    });

    test('list: by name, total_count only; show; JSON and XML', async () => {
      const answer = await call('GET', '/projects/ecookbook/issue_categories.json?limit=1&offset=2', 'rhill');
      assert.equal(answer.statusCode, 200);
      const body = answer.json<{ issue_categories: Category[]; total_count: number }>();
      assert.deepEqual(Object.keys(body), ['issue_categories', 'total_count']);
      assert.deepEqual(body.issue_categories.map((c) => c.name), ['Appliances', 'Baking', 'Cutlery', 'Recipes']);
      assert.equal(body.total_count, 4);
      assert.deepEqual(body.issue_categories[1], {
        id: id('Baking'),
        project: { id: id('ecookbook'), name: 'eCookbook' },
        name: 'Baking',
        assigned_to: { id: id('jsmith'), name: 'jsmith User' },
      });
      const xml = await call('GET', `/projects/${id('ecookbook')}/issue_categories.xml`, 'rhill');
      assert.equal(xml.statusCode, 200);
      assert.ok(
        xml.body.startsWith(
          `<?xml version="1.0" encoding="UTF-8"?><issue_categories type="array" total_count="4"><issue_category><id>${id('Appliances')}</id>` +
            `<project id="${id('ecookbook')}" name="eCookbook"/><name>Appliances</name></issue_category><issue_category><id>${id('Baking')}</id>` +
            `<project id="${id('ecookbook')}" name="eCookbook"/><name>Baking</name><assigned_to id="${id('jsmith')}" name="jsmith User"/></issue_category>`,
        ),
        xml.body,
      );
      assert.deepEqual(await show(id('Recipes'), 'rhill'), body.issue_categories[3]);
      const one = await call('GET', `/issue_categories/${id('Recipes')}.xml`, 'rhill');
      assert.equal(
        one.body,
        `<?xml version="1.0" encoding="UTF-8"?><issue_category><id>${id('Recipes')}</id><project id="${id('ecookbook')}" name="eCookbook"/>` +
          `<name>Recipes</name><assigned_to id="${id('dlopper')}" name="dlopper User"/></issue_category>`,
      );
      assert.deepEqual((await call('GET', '/projects/other/issue_categories.json', 'outsider')).json<object>(), { issue_categories: [], total_count: 0 });
      for (const path of ['/issue_categories/99999.json', '/issue_categories/abc.json', '/issue_categories/-1.xml', '/projects/nope/issue_categories.json']) {
        const missing = await call('GET', path, 'admin');
        assert.equal(missing.statusCode, 404, path);
        assert.equal(missing.body, '', path);
      }
    });

    test('helpers for issues: a category of the project with its assignee; the project’s categories by name', async () => {
      await withDb(async (db) => {
        assert.deepEqual(await categoryOfProject(db, id('ecookbook'), id('Recipes')), { id: id('Recipes'), assignedToId: id('dlopper') });
        assert.deepEqual(await categoryOfProject(db, id('ecookbook'), id('Appliances')), { id: id('Appliances'), assignedToId: null });
        assert.equal(await categoryOfProject(db, id('other'), id('Recipes')), undefined);
        assert.equal(await categoryOfProject(db, id('ecookbook'), 99999), undefined);
        assert.deepEqual((await projectCategoryRefs(db, id('ecookbook'))).map((c) => c.name), ['Appliances', 'Baking', 'Cutlery', 'Recipes']);
      });
    });

    test('validation: Redmine messages, the assignee must be assignable in the project, nothing is written', async () => {
      const before = await categoryCount();
      const cases: [unknown, string[]][] = [
        [{ issue_category: { name: '' } }, ['Name cannot be blank']],
        [{ issue_category: { name: ' ' } }, ['Name cannot be blank']],
        [{}, ['Name cannot be blank']],
        [{ issue_category: { name: 'Recipes' } }, ['Name has already been taken']],
        [{ issue_category: { name: 'x'.repeat(61) } }, ['Name is too long (maximum is 60 characters)']],
        [{ issue_category: { name: 'New', assigned_to_id: id('outsider') } }, ['Assignee is invalid']],
        [{ issue_category: { name: 'New', assigned_to_id: id('locked') } }, ['Assignee is invalid']],
        [{ issue_category: { name: 'New', assigned_to_id: id('Team') } }, ['Assignee is invalid']],
        [{ issue_category: { name: 'New', assigned_to_id: 99999 } }, ['Assignee is invalid']],
        [{ issue_category: { name: 'New', assigned_to_id: 'abc' } }, ['Assignee is invalid']],
        [{ issue_category: { name: '', assigned_to_id: id('outsider') } }, ['Name cannot be blank', 'Assignee is invalid']],
      ];
      for (const [body, errors] of cases) {
        const answer = await call('POST', '/projects/ecookbook/issue_categories.json', 'admin', body);
        assert.equal(answer.statusCode, 422, JSON.stringify(body));
        assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors, JSON.stringify(body));
      }
      const xml = await call('POST', '/projects/ecookbook/issue_categories.xml', 'admin', { issue_category: { name: '' } });
      assert.equal(xml.statusCode, 422);
      assert.equal(xml.body, '<?xml version="1.0" encoding="UTF-8"?><errors type="array"><error>Name cannot be blank</error></errors>');
      // A member whose only role is not assignable cannot be the assignee either.
      await sql('UPDATE roles SET assignable = false WHERE id = $1', [id('Reporter')]);
      try {
        const answer = await call('POST', '/projects/ecookbook/issue_categories.json', 'admin', { issue_category: { name: 'New', assigned_to_id: id('rhill') } });
        assert.deepEqual([answer.statusCode, answer.json<{ errors: string[] }>().errors], [422, ['Assignee is invalid']]);
      } finally {
        await sql('UPDATE roles SET assignable = true WHERE id = $1', [id('Reporter')]);
      }
      assert.equal(await categoryCount(), before);
      // Names: unique per project, case-sensitively; 60 characters, counted as characters, are fine.
      const elsewhere = await create('other', { name: 'Recipes' });
      assert.equal(elsewhere.project.id, id('other'));
      const lower = await create('ecookbook', { name: 'recipes', assigned_to_id: '' });
      assert.deepEqual(Object.keys(lower), ['id', 'project', 'name']);
      const long = await create('ecookbook', { name: 'é'.repeat(60) });
      for (const category of [elsewhere, lower, long]) {
        assert.equal((await call('DELETE', `/issue_categories/${category.id}.json`, 'admin')).statusCode, 204);
      }
    });

    test('a group may be the assignee when issue_group_assignment is on', async () => {
      await setting('issue_group_assignment', '1');
      try {
        const category = await create('ecookbook', { name: 'Group work', assigned_to_id: id('Team') });
        assert.deepEqual(category.assigned_to, { id: id('Team'), name: 'Team' });
        assert.equal((await call('DELETE', `/issue_categories/${category.id}.json`, 'admin')).statusCode, 204);
      } finally {
        await setting('issue_group_assignment', '0');
      }
    });

    test('markup and SQL in names are stored as sent and escaped only by the writers', async () => {
      const name = `<img src=x onerror="alert(1)">'; DELETE FROM issues;--`;
      const category = await create('ecookbook', { name });
      assert.deepEqual(await sql('SELECT name FROM issue_categories WHERE id = $1', [category.id]), [{ name }]);
      assert.equal((await show(category.id)).name, name);
      const xml = (await call('GET', `/issue_categories/${category.id}.xml`, 'admin')).body;
      assert.ok(xml.includes('<name>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&apos;; DELETE FROM issues;--</name>'), xml);
      assert.equal((await call('DELETE', `/issue_categories/${category.id}.json`, 'admin')).statusCode, 204);
    });

    test('update: 204 with an empty body; rename, change and clear the assignee; 422 on invalid input', async () => {
      const categoryId = id('Appliances');
      const put = await call('PUT', `/issue_categories/${categoryId}.json`, 'jsmith', { issue_category: { name: 'Kitchen', assigned_to_id: id('jsmith') } });
      assert.equal(put.statusCode, 204);
      assert.equal(put.body, '');
      assert.deepEqual(await show(categoryId), { id: categoryId, project: { id: id('ecookbook'), name: 'eCookbook' }, name: 'Kitchen', assigned_to: { id: id('jsmith'), name: 'jsmith User' } });
      const patch = await call('PATCH', `/issue_categories/${categoryId}.xml`, 'jsmith', '<issue_category><assigned_to_id></assigned_to_id></issue_category>', 'application/xml');
      assert.equal(patch.statusCode, 204, patch.body);
      assert.deepEqual(await show(categoryId), { id: categoryId, project: { id: id('ecookbook'), name: 'eCookbook' }, name: 'Kitchen' });
      for (const [body, errors] of [
        [{ issue_category: { name: 'Recipes' } }, ['Name has already been taken']],
        [{ issue_category: { name: '' } }, ['Name cannot be blank']],
        [{ issue_category: { assigned_to_id: id('outsider') } }, ['Assignee is invalid']],
      ] as const) {
        const answer = await call('PUT', `/issue_categories/${categoryId}.json`, 'jsmith', body);
        assert.equal(answer.statusCode, 422, JSON.stringify(body));
        assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors);
      }
      assert.equal((await show(categoryId)).name, 'Kitchen');
      // An assignee that is no longer assignable stays while other attributes change.
      await sql('UPDATE issue_categories SET assigned_to_id = $2 WHERE id = $1', [categoryId, id('locked')]);
      assert.equal((await call('PUT', `/issue_categories/${categoryId}.json`, 'jsmith', { issue_category: { name: 'Appliances' } })).statusCode, 204);
      assert.deepEqual(await sql('SELECT name, assigned_to_id FROM issue_categories WHERE id = $1', [categoryId]), [{ name: 'Appliances', assigned_to_id: id('locked') }]);
      assert.equal((await call('PUT', `/issue_categories/${categoryId}.json`, 'jsmith', { issue_category: { assigned_to_id: null } })).statusCode, 204);
      assert.equal((await call('PUT', `/issue_categories/${categoryId}.json`, 'jsmith', {})).statusCode, 204);
      assert.deepEqual(await sql('SELECT name, assigned_to_id FROM issue_categories WHERE id = $1', [categoryId]), [{ name: 'Appliances', assigned_to_id: null }]);
    });

    test('delete: 204; issues lose the category, or move to reassign_to_id when it is a category of the same project', async () => {
      const first = await insertIssue('ecookbook', id('Cutlery'));
      const second = await insertIssue('ecookbook', id('Cutlery'));
      const deleted = await call('DELETE', `/issue_categories/${id('Cutlery')}.json?reassign_to_id=${id('Baking')}`, 'jsmith');
      assert.equal(deleted.statusCode, 204);
      assert.equal(deleted.body, '');
      assert.deepEqual([await categoryOfIssue(first), await categoryOfIssue(second)], [id('Baking'), id('Baking')]);
      assert.equal((await call('GET', `/issue_categories/${id('Cutlery')}.json`, 'admin')).statusCode, 404);
      // A category of another project is no target: the issues are left without a category.
      const foreign = await create('other', { name: 'Foreign' });
      const third = await insertIssue('ecookbook', id('Baking'));
      assert.equal((await call('DELETE', `/issue_categories/${id('Baking')}.xml`, 'jsmith', { reassign_to_id: foreign.id })).statusCode, 204);
      assert.deepEqual([await categoryOfIssue(first), await categoryOfIssue(third)], [null, null]);
      // `todo` other than reassign means: just remove the category from the issues.
      const fourth = await insertIssue('ecookbook', id('Recipes'));
      const nullify = await call('DELETE', `/issue_categories/${id('Recipes')}.json?todo=nullify&reassign_to_id=${id('Appliances')}`, 'jsmith');
      assert.equal(nullify.statusCode, 204);
      assert.equal(await categoryOfIssue(fourth), null);
      assert.equal((await call('DELETE', '/issue_categories/abc.json', 'admin')).statusCode, 404);
      assert.equal((await call('DELETE', `/issue_categories/${id('Recipes')}.json`, 'admin')).statusCode, 404);
    });

    test('permissions: view_issues to read, manage_categories to write (403), 401 for anonymous writes, 404 for private projects', async () => {
      const categoryId = id('Appliances');
      const secret = await create('secret', { name: 'Hidden' });
      // rhill is a Reporter: reads yes, writes no.
      assert.equal((await call('GET', `/issue_categories/${categoryId}.json`, 'rhill')).statusCode, 200);
      assert.equal((await call('POST', '/projects/ecookbook/issue_categories.json', 'rhill', { issue_category: { name: 'Nope' } })).statusCode, 403);
      assert.equal((await call('PUT', `/issue_categories/${categoryId}.json`, 'rhill', { issue_category: { name: 'Nope' } })).statusCode, 403);
      assert.equal((await call('DELETE', `/issue_categories/${categoryId}.json`, 'rhill')).statusCode, 403);
      // Developers manage categories (Redmine's default roles).
      assert.equal((await call('PUT', `/issue_categories/${categoryId}.json`, 'dlopper', { issue_category: { name: 'Appliances' } })).statusCode, 204);
      // Reading needs view_issues or manage_categories.
      await sql("UPDATE roles SET permissions = (SELECT jsonb_agg(p) FROM jsonb_array_elements_text(permissions::jsonb) p WHERE p <> 'view_issues') WHERE id = $1", [id('Developer')]);
      await sql("UPDATE roles SET permissions = (SELECT jsonb_agg(p) FROM jsonb_array_elements_text(permissions::jsonb) p WHERE p <> 'view_issues') WHERE builtin = 1");
      try {
        assert.equal((await call('GET', '/projects/ecookbook/issue_categories.json', 'dlopper')).statusCode, 200);
        assert.equal((await call('GET', '/projects/ecookbook/issue_categories.json', 'outsider')).statusCode, 403);
      } finally {
        await sql("UPDATE roles SET permissions = permissions::jsonb || '[\"view_issues\"]'::jsonb WHERE id = $1 OR builtin = 1", [id('Developer')]);
      }
      // A private project is invisible to strangers: 404 whatever the verb.
      for (const [method, path] of [
        ['GET', '/projects/secret/issue_categories.json'],
        ['POST', '/projects/secret/issue_categories.json'],
        ['GET', `/issue_categories/${secret.id}.json`],
        ['PUT', `/issue_categories/${secret.id}.json`],
        ['DELETE', `/issue_categories/${secret.id}.json`],
      ] as const) {
        const body = method === 'POST' || method === 'PUT' ? { issue_category: { name: 'Nope' } } : undefined;
        assert.equal((await call(method, path, 'outsider', body)).statusCode, 404, `${method} ${path}`);
      }
      assert.equal((await call('GET', `/issue_categories/${secret.id}.json`, 'jsmith')).statusCode, 200);
      // Anonymous: reads of public projects are allowed, writes ask for credentials.
      assert.equal((await call('GET', '/projects/ecookbook/issue_categories.json', undefined)).statusCode, 200);
      const anonymous = await call('POST', '/projects/ecookbook/issue_categories.json', undefined, { issue_category: { name: 'Nope' } });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="Redmine API"');
      assert.equal((await call('DELETE', `/issue_categories/${categoryId}.json`, undefined)).statusCode, 401);
      await setting('login_required', '1');
      try {
        assert.equal((await call('GET', `/issue_categories/${categoryId}.json`, undefined)).statusCode, 401);
      } finally {
        await setting('login_required', '0');
      }
      // A closed project's categories are read-only, even for administrators.
      assert.equal((await call('PUT', '/projects/ecookbook/close.json', 'admin')).statusCode, 204);
      try {
        assert.equal((await call('GET', `/issue_categories/${categoryId}.json`, 'rhill')).statusCode, 200);
        assert.equal((await call('PUT', `/issue_categories/${categoryId}.json`, 'admin', { issue_category: { name: 'Closed' } })).statusCode, 403);
        assert.equal((await call('POST', '/projects/ecookbook/issue_categories.json', 'admin', { issue_category: { name: 'Closed' } })).statusCode, 403);
      } finally {
        assert.equal((await call('PUT', '/projects/ecookbook/reopen.json', 'admin')).statusCode, 204);
      }
      assert.equal((await sql("SELECT count(*)::int AS n FROM issue_categories WHERE name IN ('Nope', 'Closed')"))[0]?.n, 0);
    });
  });
}
