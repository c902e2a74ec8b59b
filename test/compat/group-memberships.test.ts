/**
 * Groups and the memberships their users inherit (§6.3, §6.5): a group's project roles reach its
 * users (member_roles.inherited_from), users joining or leaving a group gain or lose them (Redmine's
 * Group#user_added / user_removed), changing or deleting the group's membership or the group itself
 * carries over; group create, update and delete; add and remove users with Redmine's answers; a
 * user's group_ids.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Role = { id: number; name: string; inherited?: true };
type Membership = { id: number; project: Json; user?: Json; group?: Json; roles: Role[] };

for (const { engine, skip } of await engineCases()) {
  describe(`groups and inherited memberships (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id, ids } = acme;

    const membershipsIn = async (project: string) => {
      const answer = await call('GET', `/projects/${project}/memberships.json?limit=100`, 'admin');
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ memberships: Membership[] }>().memberships;
    };
    const membershipOf = async (project: string, principal: string) => (await membershipsIn(project)).find((m) => (m.user ?? m.group)?.id === id(principal));
    /** The principal's roles in the project as `Name` or `Name*` (inherited), in member_roles order; undefined when no member. */
    const rolesOf = async (project: string, principal: string) => (await membershipOf(project, principal))?.roles.map((r) => `${r.name}${r.inherited ? '*' : ''}`);
    const usersOf = async (group: string) =>
      (await call('GET', `/groups/${id(group)}.json?include=users`, 'admin')).json<{ group: { users: Json[] } }>().group.users.map((u) => u.id);
    const orphans = async () =>
      Number((await sql('SELECT count(*)::int AS n FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_roles mr WHERE mr.member_id = m.id)'))[0]?.n);

    before(async () => {
      await acme.users(['alice', 'bob', 'carol', 'dave', 'erin']);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.group('Team', ['alice']);
      await acme.projects([['Alpha', 'alpha', true], ['Alpha child', 'alpha-child', true, 'alpha'], ['Beta', 'beta', true]]);
      await sql('UPDATE projects SET inherit_members = true WHERE id = $1', [id('alpha-child')]);
      await acme.members([
        ['alpha', 'Team', 'Developer'],
        ['beta', 'bob', 'Manager'],
        ['beta', 'Team', 'Reporter'],
      ]);
    });

    test('a group’s membership gives its users inherited roles, also in subprojects that inherit members', async () => {
      assert.deepEqual(await rolesOf('alpha', 'alice'), ['Developer*']);
      assert.deepEqual(await rolesOf('alpha-child', 'Team'), ['Developer*']);
      assert.deepEqual(await rolesOf('alpha-child', 'alice'), ['Developer*']);
      assert.deepEqual(await rolesOf('beta', 'alice'), ['Reporter*']);
    });

    test('POST /groups/:id/users: the user joins and inherits every membership of the group (204)', async () => {
      const answer = await call('POST', `/groups/${id('Team')}/users.json`, 'admin', { user_id: id('bob') });
      assert.equal(answer.statusCode, 204, answer.body);
      assert.equal(answer.body, '');
      assert.deepEqual(await usersOf('Team'), [id('alice'), id('bob')]);
      assert.deepEqual(await rolesOf('alpha', 'bob'), ['Developer*']);
      assert.deepEqual(await rolesOf('beta', 'bob'), ['Manager', 'Reporter*'], 'added beside the user’s own roles');
      // As Redmine's Group#user_added: once through the user's new role in the parent, once from the
      // group's own (inherited) membership in the subproject.
      assert.deepEqual(await rolesOf('alpha-child', 'bob'), ['Developer*', 'Developer*']);
    });

    test('adding users: those already in the group are skipped; none left is 422 "User is invalid"; XML and form bodies', async () => {
      const both = await call('POST', `/groups/${id('Team')}/users.json`, 'admin', { user_ids: [id('alice'), id('carol')] });
      assert.equal(both.statusCode, 204, both.body);
      assert.deepEqual(await usersOf('Team'), [id('alice'), id('bob'), id('carol')]);
      assert.deepEqual(await rolesOf('alpha', 'carol'), ['Developer*']);
      for (const userId of [id('alice'), 99999, id('Team'), 'abc']) {
        const refused = await call('POST', `/groups/${id('Team')}/users.json`, 'admin', { user_id: userId });
        assert.equal(refused.statusCode, 422, String(userId));
        assert.deepEqual(refused.json(), { errors: ['User is invalid'] });
      }
      const none = await call('POST', `/groups/${id('Team')}/users.xml`, 'admin', '<user_id>' + String(id('carol')) + '</user_id>', 'application/xml');
      assert.equal(none.statusCode, 422);
      assert.equal(none.body, '<?xml version="1.0" encoding="UTF-8"?><errors type="array"><error>User is invalid</error></errors>');
      const form = await call('POST', `/groups/${id('Team')}/users.json`, 'admin', `user_ids[]=${id('dave')}`, 'application/x-www-form-urlencoded');
      assert.equal(form.statusCode, 204, form.body);
      assert.deepEqual(await rolesOf('beta', 'dave'), ['Reporter*']);
    });

    test('group user changes are for administrators: 403, 401; unknown groups are 404', async () => {
      const path = `/groups/${id('Team')}/users`;
      assert.equal((await call('POST', `${path}.json`, 'alice', { user_id: id('erin') })).statusCode, 403);
      assert.equal((await call('POST', `${path}.json`, undefined, { user_id: id('erin') })).statusCode, 401);
      assert.equal((await call('DELETE', `${path}/${id('alice')}.json`, 'alice')).statusCode, 403);
      assert.equal((await call('POST', '/groups/99999/users.json', 'admin', { user_id: id('erin') })).statusCode, 404);
      assert.equal((await call('POST', `/groups/${id('erin')}/users.json`, 'admin', { user_id: id('erin') })).statusCode, 404, 'a user is no group');
      assert.equal((await call('DELETE', `/groups/99999/users/${id('alice')}.json`, 'admin')).statusCode, 404);
      assert.equal((await call('POST', '/groups.json', 'alice', { group: { name: 'Mine' } })).statusCode, 403);
      assert.equal((await call('PUT', `/groups/${id('Team')}.json`, 'alice', { group: { name: 'Mine' } })).statusCode, 403);
      assert.equal((await call('DELETE', `/groups/${id('Team')}.json`, 'alice')).statusCode, 403);
      assert.deepEqual(await usersOf('Team'), [id('alice'), id('bob'), id('carol'), id('dave')]);
    });

    test('DELETE /groups/:id/users/:user_id: the user leaves and loses what the group gave; emptied memberships go', async () => {
      const answer = await call('DELETE', `/groups/${id('Team')}/users/${id('bob')}.json`, 'admin');
      assert.equal(answer.statusCode, 204, answer.body);
      assert.equal(answer.body, '');
      assert.deepEqual(await usersOf('Team'), [id('alice'), id('carol'), id('dave')]);
      assert.equal(await rolesOf('alpha', 'bob'), undefined);
      assert.equal(await rolesOf('alpha-child', 'bob'), undefined);
      assert.deepEqual(await rolesOf('beta', 'bob'), ['Manager'], 'the user’s own role stays');
      assert.equal(await orphans(), 0);
      // Not in the group: nothing to do, still 204 (Redmine 6.0); no such user: 404.
      assert.equal((await call('DELETE', `/groups/${id('Team')}/users/${id('bob')}.xml`, 'admin')).statusCode, 204);
      assert.equal((await call('DELETE', `/groups/${id('Team')}/users/99999.json`, 'admin')).statusCode, 404);
      assert.equal((await call('DELETE', `/groups/${id('Team')}/users/abc.json`, 'admin')).statusCode, 404);
    });

    test('changing the group’s membership reaches its users; deleting it takes their inherited memberships along', async () => {
      const team = await membershipOf('alpha', 'Team');
      assert.ok(team);
      assert.equal((await call('PUT', `/memberships/${team.id}.json`, 'admin', { membership: { role_ids: [id('Developer'), id('Reporter')] } })).statusCode, 204);
      assert.deepEqual(await rolesOf('alpha', 'carol'), ['Developer*', 'Reporter*']);
      // carol joined after the membership was made: Developer twice there (see POST /groups/:id/users).
      assert.deepEqual(await rolesOf('alpha-child', 'carol'), ['Developer*', 'Developer*', 'Reporter*']);
      // A user with a role of their own in the project keeps the membership when the group's goes.
      const carol = await membershipOf('alpha', 'carol');
      assert.ok(carol);
      assert.equal((await call('PUT', `/memberships/${carol.id}.json`, 'admin', { membership: { role_ids: [id('Manager')] } })).statusCode, 204);
      assert.equal((await call('DELETE', `/memberships/${team.id}.json`, 'admin')).statusCode, 204);
      assert.deepEqual((await membershipsIn('alpha')).map((m) => (m.user ?? m.group)?.id), [id('carol')]);
      assert.deepEqual(await rolesOf('alpha', 'carol'), ['Manager']);
      assert.deepEqual(await rolesOf('alpha-child', 'carol'), ['Manager*']);
      assert.equal(await rolesOf('alpha-child', 'Team'), undefined);
      assert.equal(await orphans(), 0);
    });

    test('POST /groups: 201 with Location and the group; users given join; Redmine’s validation messages', async () => {
      const answer = await call('POST', '/groups.json', 'admin', { group: { name: 'Testers', user_ids: [id('erin'), id('bob')] } });
      assert.equal(answer.statusCode, 201, answer.body);
      const group = answer.json<{ group: Json }>().group;
      ids.Testers = Number(group.id);
      assert.equal(answer.headers.location, `http://acme.localhost/groups/${id('Testers')}`);
      assert.deepEqual(group, { id: id('Testers'), name: 'Testers' });
      assert.deepEqual(await usersOf('Testers'), [id('bob'), id('erin')]);
      const cases: [unknown, string[]][] = [
        [{ group: { name: '' } }, ['Name cannot be blank']],
        [{ group: { name: '  ' } }, ['Name cannot be blank']],
        [{}, ['Name cannot be blank']],
        [{ group: { name: 'team' } }, ['Name has already been taken']],
        [{ group: { name: 'x'.repeat(256) } }, ['Name is too long (maximum is 255 characters)']],
      ];
      for (const [body, errors] of cases) {
        const refused = await call('POST', '/groups.json', 'admin', body);
        assert.equal(refused.statusCode, 422, JSON.stringify(body));
        assert.deepEqual(refused.json(), { errors }, JSON.stringify(body));
      }
      assert.equal((await call('POST', '/groups.json', 'admin', { group: { name: 'Ghosts', user_ids: [99999] } })).statusCode, 404, 'Rails: user_ids names a missing record');
      assert.equal(Number((await sql("SELECT count(*)::int AS n FROM users WHERE type = 'Group'"))[0]?.n), 2);
    });

    test('PUT /groups/:id: rename; user_ids replaces the users, who gain or lose the group’s memberships', async () => {
      await acme.members([['beta', 'Testers', 'Developer']]);
      assert.deepEqual(await rolesOf('beta', 'erin'), ['Developer*']);
      const answer = await call('PUT', `/groups/${id('Testers')}.json`, 'admin', { group: { name: 'QA', user_ids: [id('erin'), id('alice')] } });
      assert.equal(answer.statusCode, 204, answer.body);
      assert.equal(answer.body, '');
      assert.deepEqual((await call('GET', `/groups/${id('Testers')}.json`, 'admin')).json(), { group: { id: id('Testers'), name: 'QA' } });
      assert.deepEqual(await usersOf('Testers'), [id('alice'), id('erin')]);
      assert.deepEqual(await rolesOf('beta', 'bob'), ['Manager'], 'bob left: the inherited Developer role went');
      assert.deepEqual(await rolesOf('beta', 'alice'), ['Reporter*', 'Developer*']);
      const refused = await call('PUT', `/groups/${id('Testers')}.json`, 'admin', { group: { name: 'Team', user_ids: [id('bob')] } });
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json(), { errors: ['Name has already been taken'] });
      assert.deepEqual(await usersOf('Testers'), [id('alice'), id('erin')], 'nothing written');
      assert.equal((await call('PUT', `/groups/${id('Testers')}.json`, 'admin', { group: { user_ids: [] } })).statusCode, 204);
      assert.deepEqual(await usersOf('Testers'), []);
      assert.deepEqual(await rolesOf('beta', 'alice'), ['Reporter*']);
      assert.equal(await rolesOf('beta', 'erin'), undefined);
      assert.equal((await call('PUT', '/groups/99999.json', 'admin', { group: { name: 'X' } })).statusCode, 404);
    });

    test('PUT /users/:id with group_ids: the user joins and leaves groups with their memberships; an unknown group is 404', async () => {
      const put = async (groupIds: unknown[]) => call('PUT', `/users/${id('erin')}.json`, 'admin', { user: { group_ids: groupIds } });
      assert.equal((await put([id('Team'), id('Testers')])).statusCode, 204);
      assert.deepEqual(await rolesOf('beta', 'erin'), ['Reporter*', 'Developer*']);
      assert.equal((await put([id('Testers')])).statusCode, 204);
      assert.deepEqual(await rolesOf('beta', 'erin'), ['Developer*']);
      for (const groupIds of [[99999], [id('alice')], ['abc']]) {
        assert.equal((await put(groupIds)).statusCode, 404, JSON.stringify(groupIds));
      }
      assert.deepEqual(await usersOf('Testers'), [id('erin')], 'nothing written');
      const groups = (await call('GET', `/users/${id('erin')}.json?include=groups`, 'admin')).json<{ user: { groups: Json[] } }>().user.groups;
      assert.deepEqual(groups, [{ id: id('Testers'), name: 'QA' }]);
      assert.equal((await put([])).statusCode, 204);
      assert.equal(await rolesOf('beta', 'erin'), undefined);
      assert.equal(await orphans(), 0);
    });

    test('DELETE /groups/:id: its memberships go with its users’ inherited ones; its assignments and watchers go', async () => {
      const [issue] = await sql(
        `INSERT INTO issues (project_id, tracker_id, status_id, priority_id, subject, author_id, assigned_to_id, created_on, updated_on, lft, rgt)
         VALUES ($1, (SELECT min(id) FROM trackers), (SELECT id FROM issue_statuses ORDER BY position LIMIT 1),
                 (SELECT id FROM enumerations WHERE type = 'IssuePriority' AND is_default), 'For the team', $2, $3, now(), now(), 1, 2) RETURNING id`,
        [id('beta'), id('admin'), id('Team')],
      );
      await sql("INSERT INTO watchers (watchable_type, watchable_id, user_id) VALUES ('Issue', $1, $2)", [issue?.id, id('Team')]);
      const answer = await call('DELETE', `/groups/${id('Team')}.json`, 'admin');
      assert.equal(answer.statusCode, 204, answer.body);
      assert.equal(answer.body, '');
      assert.equal((await call('GET', `/groups/${id('Team')}.json`, 'admin')).statusCode, 404);
      assert.deepEqual((await membershipsIn('beta')).map((m) => [(m.user ?? m.group)?.id, m.roles.map((r) => r.name)]), [
        [id('bob'), ['Manager']],
        [id('Testers'), ['Developer']],
      ]);
      assert.deepEqual(await sql('SELECT assigned_to_id FROM issues WHERE id = $1', [issue?.id]), [{ assigned_to_id: null }]);
      assert.deepEqual(await sql('SELECT id FROM watchers WHERE user_id = $1', [id('Team')]), []);
      assert.deepEqual(await sql('SELECT user_id FROM groups_users WHERE group_id = $1', [id('Team')]), []);
      assert.equal(await orphans(), 0);
      assert.equal((await call('DELETE', `/groups/${id('Team')}.json`, 'admin')).statusCode, 404);
    });
  });
}
