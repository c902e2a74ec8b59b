/** Project memberships over the REST API (§6.3): shape, paging, create for users and groups, update, delete, permissions. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Membership = { id: number; project: Json; user?: Json; group?: Json; roles: Json[] };


for (const { engine, skip } of await engineCases()) {
  describe(`project memberships over the REST API (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id } = acme;
    const create = async (project: string, membership: Json, as = 'admin') => {
      const answer = await call('POST', `/projects/${project}/memberships.json`, as, { membership });
      assert.equal(answer.statusCode, 201, answer.body);
      return answer.json<{ membership: Membership }>().membership;
    };
    const listOf = async (project: string, as = 'admin') => {
      const answer = await call('GET', `/projects/${project}/memberships.json?limit=100`, as);
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ memberships: Membership[] }>().memberships;
    };
    const membershipOf = async (project: string, principal: string) =>
      (await listOf(project)).find((m) => (m.user ?? m.group)?.id === id(principal));

    before(async () => {
      await acme.users(['jsmith', 'dlopper', 'rhill', 'locked']);
      await acme.setting('login_required', '0');
      await acme.lock('locked');
      await acme.group('Team', ['dlopper', 'locked']);
      await acme.referenceIds();
      await acme.projects([['eCookbook', 'ecookbook', true], ['Secret', 'secret', false]]);
    });

    test('create for a user: 201, Location, the representation; roles that cannot be given are dropped', async () => {
      const answer = await call('POST', '/projects/ecookbook/memberships.json', 'admin', {
        membership: { user_id: id('jsmith'), role_ids: [id('Manager'), id('Non member'), 99999] },
      });
      assert.equal(answer.statusCode, 201, answer.body);
      const membership = answer.json<{ membership: Membership }>().membership;
      assert.equal(answer.headers.location, `http://acme.localhost/memberships/${membership.id}`);
      assert.deepEqual(Object.keys(membership), ['id', 'project', 'user', 'roles']);
      assert.deepEqual(membership, {
        id: membership.id,
        project: { id: id('ecookbook'), name: 'eCookbook' },
        user: { id: id('jsmith'), name: 'jsmith User' },
        roles: [{ id: id('Manager'), name: 'Manager' }],
      });
    });

    test('create for a group: the group membership, and inherited memberships for its users', async () => {
      const membership = await create('ecookbook', { user_id: id('Team'), role_ids: [id('Developer')] });
      assert.deepEqual(Object.keys(membership), ['id', 'project', 'group', 'roles']);
      assert.deepEqual(membership.group, { id: id('Team'), name: 'Team' });
      assert.deepEqual(membership.roles, [{ id: id('Developer'), name: 'Developer' }]);
      for (const login of ['dlopper', 'locked']) {
        const inherited = await membershipOf('ecookbook', login);
        assert.deepEqual(inherited?.roles, [{ id: id('Developer'), name: 'Developer', inherited: true }], login);
      }
      // A user of the group is now a member: adding them directly is refused.
      const again = await call('POST', '/projects/ecookbook/memberships.json', 'admin', { membership: { user_id: id('dlopper'), role_ids: [id('Reporter')] } });
      assert.equal(again.statusCode, 422);
      assert.deepEqual(again.json<{ errors: string[] }>().errors, ['User has already been taken']);
    });

    test('validation errors are 422 with Redmine messages, and nothing is written', async () => {
      const before = (await sql('SELECT count(*)::int AS n FROM members'))[0]?.n;
      const cases: [unknown, string[]][] = [
        [{ membership: { role_ids: [id('Developer')] } }, ['User or Group cannot be blank']],
        [{ membership: { user_id: 99999, role_ids: [id('Developer')] } }, ['User or Group cannot be blank']],
        [{ membership: { user_id: id('rhill') } }, ['Role cannot be empty']],
        [{ membership: { user_id: id('rhill'), role_ids: [99999, id('Anonymous')] } }, ['Role cannot be empty']],
        [{ membership: { user_id: id('jsmith'), role_ids: [id('Developer')] } }, ['User has already been taken']],
        [{}, ['User or Group cannot be blank', 'Role cannot be empty']],
      ];
      for (const [body, errors] of cases) {
        const answer = await call('POST', '/projects/ecookbook/memberships.json', 'admin', body);
        assert.equal(answer.statusCode, 422, JSON.stringify(body));
        assert.deepEqual(answer.json<{ errors: string[] }>().errors, errors, JSON.stringify(body));
      }
      assert.equal((await sql('SELECT count(*)::int AS n FROM members'))[0]?.n, before);
    });

    test('user_ids adds several; the answer is the first', async () => {
      const membership = await create('secret', { user_ids: [id('rhill'), id('dlopper')], role_ids: [id('Reporter')] });
      assert.deepEqual(membership.user, { id: id('rhill'), name: 'rhill User' });
      assert.deepEqual((await listOf('secret')).map((m) => m.user?.id), [id('rhill'), id('dlopper')]);
    });

    test('list: ordered by id, locked users and groups included, paged with meta; XML', async () => {
      const all = await listOf('ecookbook');
      assert.deepEqual(all.map((m) => (m.user ?? m.group)?.id), [id('jsmith'), id('Team'), id('dlopper'), id('locked')]);
      const sorted = all.map((m) => m.id).toSorted((a, b) => a - b);
      assert.deepEqual(all.map((m) => m.id), sorted);
      const page = (await call('GET', '/projects/ecookbook/memberships.json?limit=2&offset=1', 'admin')).json<{ memberships: Membership[]; total_count: number; offset: number; limit: number }>();
      assert.deepEqual(Object.keys(page), ['memberships', 'total_count', 'offset', 'limit']);
      assert.deepEqual([page.memberships.map((m) => m.id), page.total_count, page.offset, page.limit], [sorted.slice(1, 3), 4, 1, 2]);
      const byNumber = (await call('GET', `/projects/${id('ecookbook')}/memberships.json?page=2&limit=3`, 'admin')).json<{ memberships: Membership[]; offset: number }>();
      assert.deepEqual([byNumber.memberships.map((m) => m.id), byNumber.offset], [sorted.slice(3), 3]);
      assert.deepEqual(Object.keys((await call('GET', '/projects/ecookbook/memberships.json?nometa=1', 'admin')).json<object>()), ['memberships']);
      const xml = (await call('GET', '/projects/ecookbook/memberships.xml?limit=1', 'admin')).body;
      assert.equal(
        xml,
        `<?xml version="1.0" encoding="UTF-8"?><memberships type="array" total_count="4" offset="0" limit="1"><membership><id>${sorted[0]}</id>` +
          `<project id="${id('ecookbook')}" name="eCookbook"/><user id="${id('jsmith')}" name="jsmith User"/>` +
          `<roles type="array"><role id="${id('Manager')}" name="Manager"/></roles></membership></memberships>`,
      );
      // Anyone who sees a public project sees its members (view_members is public).
      assert.equal((await call('GET', '/projects/ecookbook/memberships.json', undefined)).statusCode, 200);
    });

    test('show, JSON and XML (inherited roles are marked); unknown ids and invisible projects are 404', async () => {
      const dlopper = await membershipOf('ecookbook', 'dlopper');
      assert.ok(dlopper);
      const shown = await call('GET', `/memberships/${dlopper.id}.json`, 'jsmith');
      assert.equal(shown.statusCode, 200);
      assert.deepEqual(shown.json<{ membership: Membership }>().membership, dlopper);
      const xml = (await call('GET', `/memberships/${dlopper.id}.xml`, 'jsmith')).body;
      assert.equal(
        xml,
        `<?xml version="1.0" encoding="UTF-8"?><membership><id>${dlopper.id}</id><project id="${id('ecookbook')}" name="eCookbook"/>` +
          `<user id="${id('dlopper')}" name="dlopper User"/><roles type="array"><role id="${id('Developer')}" name="Developer" inherited="true"/></roles></membership>`,
      );
      assert.equal((await call('GET', '/memberships/99999.json', 'admin')).statusCode, 404);
      assert.equal((await call('GET', '/memberships/abc.json', 'admin')).statusCode, 404);
      assert.equal((await call('GET', '/projects/nope/memberships.json', 'admin')).statusCode, 404);
      const secret = await membershipOf('secret', 'rhill');
      assert.ok(secret);
      assert.equal((await call('GET', `/memberships/${secret.id}.json`, 'jsmith')).statusCode, 404);
      assert.equal((await call('GET', '/projects/secret/memberships.json', 'jsmith')).statusCode, 404);
      assert.equal((await call('PUT', `/memberships/${secret.id}.json`, 'jsmith', { membership: { role_ids: [id('Manager')] } })).statusCode, 404);
      assert.equal((await call('DELETE', `/memberships/${secret.id}.json`, 'jsmith')).statusCode, 404);
      // A member of the private project sees its members.
      assert.equal((await call('GET', `/memberships/${secret.id}.json`, 'rhill')).statusCode, 200);
    });

    test('writes need manage_members: 403 for a Developer, 401 for anonymous; a Manager may add members', async () => {
      const jsmith = await membershipOf('ecookbook', 'jsmith');
      assert.ok(jsmith);
      assert.equal((await call('POST', '/projects/ecookbook/memberships.json', 'dlopper', { membership: { user_id: id('rhill'), role_ids: [id('Reporter')] } })).statusCode, 403);
      assert.equal((await call('PUT', `/memberships/${jsmith.id}.json`, 'dlopper', { membership: { role_ids: [id('Reporter')] } })).statusCode, 403);
      assert.equal((await call('DELETE', `/memberships/${jsmith.id}.json`, 'dlopper')).statusCode, 403);
      const anonymous = await call('POST', '/projects/ecookbook/memberships.json', undefined, { membership: { user_id: id('rhill'), role_ids: [id('Reporter')] } });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.headers['www-authenticate'], 'Basic realm="Redmine API"');
      // jsmith is Manager of eCookbook (manage_members, all roles managed).
      const added = await create('ecookbook', { user_id: id('rhill'), role_ids: [id('Reporter')] }, 'jsmith');
      assert.deepEqual(added.roles, [{ id: id('Reporter'), name: 'Reporter' }]);
      assert.equal((await call('DELETE', `/memberships/${added.id}.json`, 'jsmith')).statusCode, 204);
    });

    test('update changes roles (204); a group’s new roles reach its users; no role left is 422', async () => {
      const team = await membershipOf('ecookbook', 'Team');
      assert.ok(team);
      const update = await call('PUT', `/memberships/${team.id}.json`, 'admin', { membership: { role_ids: [id('Developer'), id('Reporter')] } });
      assert.equal(update.statusCode, 204);
      assert.equal(update.body, '');
      assert.deepEqual((await membershipOf('ecookbook', 'Team'))?.roles.map((r) => r.name), ['Developer', 'Reporter']);
      assert.deepEqual((await membershipOf('ecookbook', 'dlopper'))?.roles, [
        { id: id('Developer'), name: 'Developer', inherited: true },
        { id: id('Reporter'), name: 'Reporter', inherited: true },
      ]);
      const patch = await call('PATCH', `/memberships/${team.id}.xml`, 'admin', `<membership><role_ids type="array"><role_id>${id('Reporter')}</role_id></role_ids></membership>`, 'application/xml');
      assert.equal(patch.statusCode, 204, patch.body);
      assert.deepEqual((await membershipOf('ecookbook', 'locked'))?.roles.map((r) => r.name), ['Reporter']);
      for (const roleIds of [[], [99999]]) {
        const empty = await call('PUT', `/memberships/${team.id}.json`, 'admin', { membership: { role_ids: roleIds } });
        assert.equal(empty.statusCode, 422);
        assert.deepEqual(empty.json<{ errors: string[] }>().errors, ['Role cannot be empty']);
      }
      assert.deepEqual((await membershipOf('ecookbook', 'Team'))?.roles.map((r) => r.name), ['Reporter']);
      // Inherited roles stay whatever the update says; own roles are added beside them.
      const dlopper = await membershipOf('ecookbook', 'dlopper');
      assert.ok(dlopper);
      assert.equal((await call('PUT', `/memberships/${dlopper.id}.json`, 'admin', { membership: { role_ids: [id('Manager')] } })).statusCode, 204);
      assert.deepEqual((await membershipOf('ecookbook', 'dlopper'))?.roles, [
        { id: id('Reporter'), name: 'Reporter', inherited: true },
        { id: id('Manager'), name: 'Manager' },
      ]);
      assert.equal((await call('PUT', `/memberships/${dlopper.id}.json`, 'admin', { membership: { role_ids: [] } })).statusCode, 204);
      assert.deepEqual((await membershipOf('ecookbook', 'dlopper'))?.roles.map((r) => r.name), ['Reporter']);
    });

    test('delete: 204; an inherited membership is 422 with no body; the group takes its inherited memberships along', async () => {
      const dlopper = await membershipOf('ecookbook', 'dlopper');
      assert.ok(dlopper);
      const refused = await call('DELETE', `/memberships/${dlopper.id}.json`, 'admin');
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.body, '');
      const team = await membershipOf('ecookbook', 'Team');
      assert.ok(team);
      const deleted = await call('DELETE', `/memberships/${team.id}.json`, 'admin');
      assert.equal(deleted.statusCode, 204);
      assert.equal(deleted.body, '');
      assert.equal((await call('GET', `/memberships/${team.id}.json`, 'admin')).statusCode, 404);
      assert.equal((await call('GET', `/memberships/${dlopper.id}.json`, 'admin')).statusCode, 404);
      assert.deepEqual((await listOf('ecookbook')).map((m) => m.user?.id), [id('jsmith')]);
      assert.equal((await sql('SELECT count(*)::int AS n FROM member_roles WHERE inherited_from IS NOT NULL'))[0]?.n, 0);
      const jsmith = await membershipOf('ecookbook', 'jsmith');
      assert.ok(jsmith);
      assert.equal((await call('DELETE', `/memberships/${jsmith.id}.xml`, 'admin')).statusCode, 204);
      assert.deepEqual(await listOf('ecookbook'), []);
    });

    test('subprojects that inherit members get the parent’s memberships', async () => {
      // Written directly: creating a subproject through the API is the projects feature's business.
      await sql(
        "INSERT INTO projects (name, identifier, is_public, parent_id, inherit_members, status, created_on, updated_on) VALUES ('Child', 'child', true, $1, true, 1, now(), now())",
        [id('ecookbook')],
      );
      const team = await create('ecookbook', { user_id: id('Team'), role_ids: [id('Developer')] });
      const inChild = await listOf('child');
      assert.deepEqual(inChild.map((m) => [(m.user ?? m.group)?.id, m.roles]), [
        [id('dlopper'), [{ id: id('Developer'), name: 'Developer', inherited: true }]],
        [id('locked'), [{ id: id('Developer'), name: 'Developer', inherited: true }]],
        [id('Team'), [{ id: id('Developer'), name: 'Developer', inherited: true }]],
      ]);
      assert.equal((await call('DELETE', `/memberships/${team.id}.json`, 'admin')).statusCode, 204);
      assert.deepEqual(await listOf('child'), []);
    });

    test('a managing role without all_roles_managed gives and takes only its managed roles (roles_managed_roles)', async () => {
      const [lead] = await sql(`INSERT INTO roles (name, position, builtin, permissions, all_roles_managed) VALUES ('Lead', 99, 0, '["manage_members"]', false) RETURNING id`);
      const leadId = Number(lead?.id);
      await sql('INSERT INTO roles_managed_roles (role_id, managed_role_id) VALUES ($1, $2)', [leadId, id('Reporter')]);
      const rhill = await membershipOf('secret', 'rhill');
      assert.ok(rhill);
      assert.equal((await call('PUT', `/memberships/${rhill.id}.json`, 'admin', { membership: { role_ids: [id('Reporter'), leadId] } })).statusCode, 204);

      const added = await create('secret', { user_id: id('jsmith'), role_ids: [id('Developer'), id('Reporter')] }, 'rhill');
      assert.deepEqual(added.roles, [{ id: id('Reporter'), name: 'Reporter' }], 'Developer is not Lead’s to give');
      const refused = await call('POST', '/projects/secret/memberships.json', 'rhill', { membership: { user_id: id('locked'), role_ids: [id('Developer')] } });
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json<{ errors: string[] }>().errors, ['Role cannot be empty']);
      // Roles it does not manage stay on a membership it changes, and keep it from being deleted.
      assert.equal((await call('PUT', `/memberships/${added.id}.json`, 'admin', { membership: { role_ids: [id('Reporter'), id('Developer')] } })).statusCode, 204);
      assert.equal((await call('PUT', `/memberships/${added.id}.json`, 'rhill', { membership: { role_ids: [] } })).statusCode, 204);
      assert.deepEqual((await membershipOf('secret', 'jsmith'))?.roles.map((r) => r.name), ['Developer']);
      const kept = await call('DELETE', `/memberships/${added.id}.json`, 'rhill');
      assert.equal(kept.statusCode, 422);
      assert.equal(kept.body, '');
      const dlopper = await membershipOf('secret', 'dlopper');
      assert.ok(dlopper);
      assert.equal((await call('DELETE', `/memberships/${dlopper.id}.json`, 'rhill')).statusCode, 204, 'a Reporter membership is Lead’s to remove');
      // all_roles_managed wins over the list.
      await sql('UPDATE roles SET all_roles_managed = true WHERE id = $1', [leadId]);
      const any = await create('secret', { user_id: id('locked'), role_ids: [id('Developer')] }, 'rhill');
      assert.deepEqual(any.roles, [{ id: id('Developer'), name: 'Developer' }]);
    });
  });
}
