/** Projects over the REST API (§6.2): every route, the field-by-field shape, permissions, bad input. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;

for (const { engine, skip } of await engineCases()) {
  describe(`projects over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql } = acme;

    before(async () => {
      await acme.users(['jsmith', 'dlopper']);
      await acme.setting('login_required', '0');
    });

    test('an administrator creates a project: 201, Location, the show representation', async () => {
      const answer = await call('POST', '/projects.json', 'admin', { project: { name: 'eCookbook', identifier: 'ecookbook', description: 'Recipes', is_public: true } });
      assert.equal(answer.statusCode, 201, answer.body);
      const project = answer.json<{ project: Json }>().project;
      assert.equal(answer.headers.location, `http://acme.localhost/projects/${String(project.id)}`);
      assert.deepEqual(Object.keys(project), ['id', 'name', 'identifier', 'description', 'homepage', 'status', 'is_public', 'inherit_members', 'created_on', 'updated_on']);
      assert.deepEqual([project.name, project.identifier, project.description, project.homepage, project.status, project.is_public], ['eCookbook', 'ecookbook', 'Recipes', '', 1, true]);
      assert.match(String(project.created_on), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    test('validation errors are 422 with Redmine messages, and nothing is written', async () => {
      const cases: [unknown, string[]][] = [
        [{ project: { identifier: 'x1' } }, ['Name cannot be blank']],
        [{ project: { name: 'X' } }, ['Identifier cannot be blank']],
        [{ project: { name: 'X', identifier: 'Bad Id' } }, ['Identifier is invalid']],
        [{ project: { name: 'X', identifier: '123' } }, ['Identifier is invalid']],
        [{ project: { name: 'X', identifier: 'ecookbook' } }, ['Identifier has already been taken']],
        [{ project: { name: 'X', identifier: 'x'.repeat(101) } }, ['Identifier is too long (maximum is 100 characters)']],
        [{ project: { name: 'X', identifier: 'sub', parent_id: 99999 } }, ['Subproject of is invalid']],
        [{}, ['Name cannot be blank', 'Identifier cannot be blank']],
      ];
      for (const [body, errors] of cases) {
        const answer = await call('POST', '/projects.json', 'admin', body);
        assert.equal(answer.statusCode, 422, JSON.stringify(body));
        assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors);
      }
      const xml = await call('POST', '/projects.xml', 'admin', '<project><name>X</name></project>', 'application/xml');
      assert.equal(xml.statusCode, 422);
      assert.equal(xml.body, '<?xml version="1.0" encoding="UTF-8"?><errors type="array"><error>Identifier cannot be blank</error></errors>');
      assert.equal((await sql('SELECT count(*)::int AS n FROM projects'))[0]?.n, 1);
    });

    test('unparsable bodies are 400 and write nothing; values that look like SQL or HTML are just text', async () => {
      assert.equal((await call('POST', '/projects.json', 'admin', '{"project": {"name": ')).statusCode, 400);
      assert.equal((await call('POST', '/projects.xml', 'admin', '<project><name>x</project>', 'application/xml')).statusCode, 400);
      assert.equal((await call('POST', '/projects.xml', 'admin', '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><project><name>&x;</name></project>', 'application/xml')).statusCode, 400);
      const tricky = await call('POST', '/projects.json', 'admin', { project: { name: "Robert'); DROP TABLE projects;--<script>", identifier: 'tricky' } });
      assert.equal(tricky.statusCode, 201);
      assert.equal(tricky.json<{ project: Json }>().project.name, "Robert'); DROP TABLE projects;--<script>");
      assert.equal((await call('DELETE', '/projects/tricky.json', 'admin')).statusCode, 204);
    });

    test('form-encoded bodies in bracket notation work as in Redmine', async () => {
      const answer = await call('POST', '/projects.json', 'admin', 'project[name]=Form&project[identifier]=form-made&project[enabled_module_names][]=wiki&project[tracker_ids][]=1', 'application/x-www-form-urlencoded');
      assert.equal(answer.statusCode, 201, answer.body);
      const shown = (await call('GET', '/projects/form-made.json?include=enabled_modules,trackers', 'admin')).json<{ project: Json }>().project;
      assert.deepEqual((shown.enabled_modules as Json[]).map((m) => m.name), ['wiki']);
      assert.equal(shown.trackers, undefined, 'no issue tracking module: trackers are not shown');
      assert.equal((await call('DELETE', '/projects/form-made.json', 'admin')).statusCode, 204);
    });

    test('subprojects, list order, paging and meta', async () => {
      const parent = (await call('GET', '/projects/ecookbook.json', 'admin')).json<{ project: Json }>().project;
      for (const [name, identifier] of [['Zeta', 'zeta'], ['Alpha', 'alpha']]) {
        const created = await call('POST', '/projects.json', 'admin', { project: { name, identifier, parent_id: parent.id } });
        assert.equal(created.statusCode, 201, created.body);
        assert.deepEqual(created.json<{ project: Json }>().project.parent, { id: parent.id, name: 'eCookbook' });
      }
      const list = (await call('GET', '/projects.json', 'admin')).json<{ projects: Json[]; total_count: number; offset: number; limit: number }>();
      assert.deepEqual(list.projects.map((p) => p.identifier), ['ecookbook', 'alpha', 'zeta'], 'tree order, children by name');
      assert.deepEqual([list.total_count, list.offset, list.limit], [3, 0, 25]);
      const paged = (await call('GET', '/projects.json?limit=1&offset=1', 'admin')).json<{ projects: Json[]; offset: number; limit: number }>();
      assert.deepEqual([paged.projects.map((p) => p.identifier), paged.offset, paged.limit], [['alpha'], 1, 1]);
      assert.equal((await call('GET', '/projects.json?limit=500&page=2', 'admin')).json<{ limit: number; offset: number }>().limit, 100);
      assert.deepEqual(Object.keys((await call('GET', '/projects.json?nometa=1', 'admin')).json<object>()), ['projects']);
      assert.deepEqual((await call('GET', `/projects.json?parent_id=${String(parent.id)}`, 'admin')).json<{ projects: Json[] }>().projects.map((p) => p.identifier), ['alpha', 'zeta']);
      const xml = (await call('GET', '/projects.xml?limit=2', 'admin')).body;
      assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><projects type="array" total_count="3" offset="0" limit="2"><project><id>/);
    });

    test('private projects are invisible to non-members; members see them', async () => {
      const created = await call('POST', '/projects.json', 'admin', { project: { name: 'Secret', identifier: 'secret', is_public: false } });
      const secretId = Number(created.json<{ project: Json }>().project.id);
      assert.equal((await call('GET', '/projects/secret.json', 'jsmith')).statusCode, 404);
      assert.equal((await call('GET', '/projects/secret.json', undefined)).statusCode, 404);
      assert.ok(!(await call('GET', '/projects.json', 'jsmith')).json<{ projects: Json[] }>().projects.some((p) => p.identifier === 'secret'));

      const [user] = await sql("SELECT id FROM users WHERE login = 'jsmith'");
      const [role] = await sql("SELECT id FROM roles WHERE name = 'Developer'");
      const [member] = await sql('INSERT INTO members (user_id, project_id, created_on) VALUES ($1, $2, now()) RETURNING id', [user?.id, secretId]);
      await sql('INSERT INTO member_roles (member_id, role_id) VALUES ($1, $2)', [member?.id, role?.id]);
      assert.equal((await call('GET', '/projects/secret.json', 'jsmith')).statusCode, 200);
      assert.deepEqual((await call('GET', '/projects.json?id=mine', 'jsmith')).json<{ projects: Json[] }>().projects.map((p) => p.identifier), ['secret']);
      // A Developer may not edit the project, nor archive it.
      assert.equal((await call('PUT', '/projects/secret.json', 'jsmith', { project: { name: 'Mine now' } })).statusCode, 403);
      assert.equal((await call('PUT', '/projects/secret/archive.json', 'jsmith')).statusCode, 403);
      // Anonymous callers may not create projects; logged users without add_project may not either.
      assert.equal((await call('POST', '/projects.json', undefined, { project: { name: 'A', identifier: 'anon' } })).statusCode, 401);
      assert.equal((await call('POST', '/projects.json', 'dlopper', { project: { name: 'D', identifier: 'dlopper-own' } })).statusCode, 403);
    });

    test('update is 204 and keeps the identifier; close, reopen, archive, unarchive, delete', async () => {
      const update = await call('PUT', '/projects/ecookbook.json', 'admin', { project: { name: 'eCookbook 2', identifier: 'changed', homepage: 'https://example.net/' } });
      assert.equal(update.statusCode, 204);
      assert.equal(update.body, '');
      assert.equal(update.headers['content-type'], undefined);
      const shown = (await call('GET', '/projects/ecookbook.json', 'admin')).json<{ project: Json }>().project;
      assert.deepEqual([shown.name, shown.identifier, shown.homepage], ['eCookbook 2', 'ecookbook', 'https://example.net/']);

      assert.equal((await call('PUT', '/projects/ecookbook/close.json', 'admin')).statusCode, 204);
      const statuses = async () => (await call('GET', '/projects.json?status=1|5', 'admin')).json<{ projects: Json[] }>().projects.map((p) => [p.identifier, p.status]);
      assert.deepEqual((await statuses()).filter(([id]) => id !== 'secret'), [['ecookbook', 5], ['alpha', 5], ['zeta', 5]], 'closing closes the subtree');
      assert.equal((await call('POST', '/projects/ecookbook/reopen.json', 'admin')).statusCode, 204);

      assert.equal((await call('PUT', '/projects/zeta/archive.json', 'admin')).statusCode, 204);
      assert.equal((await call('GET', '/projects/zeta.json', 'admin')).statusCode, 403);
      assert.ok(!(await statuses()).some(([id]) => id === 'zeta'), 'archived projects are never listed');
      assert.equal((await call('PUT', '/projects/zeta/unarchive.json', 'admin')).statusCode, 204);
      assert.equal((await call('GET', '/projects/zeta.json', 'admin')).statusCode, 200);

      assert.equal((await call('DELETE', '/projects/zeta.json', 'admin')).statusCode, 204);
      assert.equal((await call('GET', '/projects/zeta.json', 'admin')).statusCode, 404);
      assert.equal((await call('GET', '/projects/99999.json', 'admin')).statusCode, 404);
    });
  });
}
