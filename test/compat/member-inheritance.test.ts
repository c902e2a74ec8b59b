/**
 * Members inherited from a parent project (§6.2, §6.3; Redmine's Project#inherit_members): a
 * subproject created with `inherit_members` gets its parent's memberships (users, groups, and what
 * group users hold through their group) marked inherited, and passes them down to its own inheriting
 * subprojects; turning `inherit_members` off or on, or moving the project to another parent,
 * re-computes them. Inherited memberships show `inherited: true` roles and cannot be deleted, nor
 * their inherited roles taken away. Only who may manage members may change `inherit_members`.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { acmeWorld } from '../support/acme-world.ts';
import { engineCases } from '../support/engines.ts';

type Json = Record<string, unknown>;
type Role = { id: number; name: string; inherited?: true };
type Membership = { id: number; project: Json; user?: Json; group?: Json; roles: Role[] };

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const PRINCIPALS = [...USERS, 'Team'];

for (const { engine, skip } of await engineCases()) {
  describe(`members inherited from the parent project (${engine})`, { skip }, () => {
    const acme = acmeWorld(engine);
    const { call, sql, id, ids } = acme;

    const membershipsIn = async (project: string) => {
      const answer = await call('GET', `/projects/${project}/memberships.json?limit=100`, 'admin');
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ memberships: Membership[] }>().memberships;
    };
    const membershipOf = async (project: string, principal: string) => (await membershipsIn(project)).find((m) => (m.user ?? m.group)?.id === id(principal));
    /** Each membership as `principal: Role, Role*` (* inherited), in list order. */
    const summary = async (project: string) => {
      const names = new Map(PRINCIPALS.map((name) => [id(name), name]));
      return (await membershipsIn(project)).map((m) => {
        const principal = names.get(Number((m.user ?? m.group)?.id)) ?? '?';
        return `${principal}: ${m.roles.map((r) => `${r.name}${r.inherited ? '*' : ''}`).join(', ')}`;
      });
    };
    const newProject = async (as: string, project: Json) => {
      const answer = await call('POST', '/projects.json', as, { project });
      assert.equal(answer.statusCode, 201, answer.body);
      const created = answer.json<{ project: { id: number; inherit_members: boolean } }>().project;
      ids[String(project.identifier)] = created.id;
      return created;
    };
    const update = async (project: string, attributes: Json, as = 'admin') => {
      const answer = await call('PUT', `/projects/${project}.json`, as, { project: attributes });
      assert.equal(answer.statusCode, 204, answer.body);
    };
    const inheritsMembers = async (project: string) =>
      (await call('GET', `/projects/${project}.json`, 'admin')).json<{ project: { inherit_members: boolean } }>().project.inherit_members;
    const orphans = async () =>
      Number((await sql('SELECT count(*)::int AS n FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_roles mr WHERE mr.member_id = m.id)'))[0]?.n);

    before(async () => {
      await acme.users(USERS);
      await acme.setting('login_required', '0');
      await acme.referenceIds();
      await acme.group('Team', ['alice']);
      await acme.projects([['Parent', 'parent', true], ['Other', 'other', true]]);
      await acme.members([
        ['parent', 'bob', 'Manager'],
        ['parent', 'Team', 'Developer'],
        ['other', 'carol', 'Reporter'],
      ]);
      // A role that may edit projects but not manage their members.
      const [editor] = await sql(
        `INSERT INTO roles (name, position, builtin, permissions) VALUES ('Editor', 100, 0, '["view_project", "edit_project", "add_subprojects"]'::jsonb) RETURNING id`,
      );
      ids.Editor = Number(editor?.id);
    });

    test('POST /projects with inherit_members: the parent’s users, groups and group users, roles marked inherited', async () => {
      const created = await newProject('admin', { name: 'Child', identifier: 'child', parent_id: id('parent'), inherit_members: true });
      assert.equal(created.inherit_members, true);
      assert.deepEqual(await summary('child'), ['bob: Manager*', 'Team: Developer*', 'alice: Developer*']);
      const bob = await membershipOf('child', 'bob');
      assert.deepEqual(bob, {
        id: bob?.id,
        project: { id: id('child'), name: 'Child' },
        user: { id: id('bob'), name: 'bob User' },
        roles: [{ id: id('Manager'), name: 'Manager', inherited: true }],
      });
      assert.deepEqual((await membershipOf('child', 'Team'))?.group, { id: id('Team'), name: 'Team' });
      // Each row points at the parent's row it copies: alice's at her own (group-given) row in the
      // parent, not at the group's row in the child.
      const sources = await sql(
        `SELECT u.login AS login, u.lastname AS name, sm.project_id AS from_project, su.id AS from_principal
           FROM member_roles mr JOIN members m ON m.id = mr.member_id JOIN users u ON u.id = m.user_id
           JOIN member_roles src ON src.id = mr.inherited_from JOIN members sm ON sm.id = src.member_id JOIN users su ON su.id = sm.user_id
          WHERE m.project_id = $1 ORDER BY mr.id`,
        [id('child')],
      );
      assert.deepEqual(
        sources.map((r) => [r.login || r.name, Number(r.from_project), Number(r.from_principal)]),
        [
          ['bob', id('parent'), id('bob')],
          ['Team', id('parent'), id('Team')],
          ['alice', id('parent'), id('alice')],
        ],
      );
      await newProject('admin', { name: 'Plain child', identifier: 'plain-child', parent_id: id('parent') });
      assert.deepEqual(await summary('plain-child'), [], 'without inherit_members, nothing');
      await newProject('admin', { name: 'Root inheriting', identifier: 'root-inheriting', inherit_members: true });
      assert.deepEqual(await summary('root-inheriting'), [], 'without a parent, nothing');
    });

    test('inheritance goes down through subprojects that inherit; later parent members follow', async () => {
      await newProject('admin', { name: 'Grandchild', identifier: 'grandchild', parent_id: id('child'), inherit_members: '1' });
      assert.deepEqual(await summary('grandchild'), ['bob: Manager*', 'Team: Developer*', 'alice: Developer*']);
      await acme.members([['parent', 'dave', 'Reporter']]);
      assert.deepEqual(await summary('child'), ['bob: Manager*', 'Team: Developer*', 'alice: Developer*', 'dave: Reporter*']);
      assert.deepEqual(await summary('grandchild'), ['bob: Manager*', 'Team: Developer*', 'alice: Developer*', 'dave: Reporter*']);
      assert.deepEqual(await summary('plain-child'), []);
    });

    test('an inherited membership cannot be deleted (bare 422); its inherited roles stay through PUT', async () => {
      const bob = await membershipOf('child', 'bob');
      assert.ok(bob);
      for (const format of ['json', 'xml']) {
        const refused = await call('DELETE', `/memberships/${bob.id}.${format}`, 'admin');
        assert.equal(refused.statusCode, 422, format);
        assert.equal(refused.body, '');
      }
      const alice = await membershipOf('child', 'alice');
      assert.equal((await call('DELETE', `/memberships/${alice?.id}.json`, 'admin')).statusCode, 422);
      // Nothing given: the inherited role is kept, the membership is unchanged.
      assert.equal((await call('PUT', `/memberships/${bob.id}.json`, 'admin', { membership: { role_ids: [] } })).statusCode, 204);
      assert.deepEqual((await membershipOf('child', 'bob'))?.roles, [{ id: id('Manager'), name: 'Manager', inherited: true }]);
      // An own role is added beside it, and passed down; the membership still cannot be deleted.
      assert.equal((await call('PUT', `/memberships/${bob.id}.json`, 'admin', { membership: { role_ids: [id('Reporter')] } })).statusCode, 204);
      assert.deepEqual((await membershipOf('child', 'bob'))?.roles.map((r) => `${r.name}${r.inherited ? '*' : ''}`), ['Manager*', 'Reporter']);
      assert.equal((await call('DELETE', `/memberships/${bob.id}.json`, 'admin')).statusCode, 422);
      assert.deepEqual((await membershipOf('grandchild', 'bob'))?.roles.map((r) => `${r.name}${r.inherited ? '*' : ''}`), ['Manager*', 'Reporter*']);
      assert.deepEqual(await summary('parent'), ['bob: Manager', 'Team: Developer', 'alice: Developer*', 'dave: Reporter'], 'the parent is untouched');
    });

    test('PUT inherit_members=false: the inherited roles go, here and below; emptied memberships go, own roles stay', async () => {
      await update('child', { inherit_members: false });
      assert.equal(await inheritsMembers('child'), false);
      assert.deepEqual(await summary('child'), ['bob: Reporter']);
      assert.deepEqual(await summary('grandchild'), ['bob: Reporter*'], 'the grandchild inherits from the child only');
      assert.equal(await orphans(), 0);
      const bob = await membershipOf('child', 'bob');
      assert.equal((await call('DELETE', `/memberships/${bob?.id}.json`, 'admin')).statusCode, 204, 'no inherited role left: deletable');
      assert.deepEqual(await summary('grandchild'), []);
      assert.equal((await call('POST', '/projects/child/memberships.json', 'admin', { membership: { user_id: id('bob'), role_ids: [id('Reporter')] } })).statusCode, 201);
      assert.equal((await call('PUT', '/projects/child.json', 'admin', { project: { inherit_members: false } })).statusCode, 204, 'no change, nothing to do');
      assert.deepEqual(await summary('child'), ['bob: Reporter']);
    });

    test('PUT inherit_members=true: the parent’s memberships come back, merged with own roles, and reach inheriting subprojects', async () => {
      await update('child', { inherit_members: '1' });
      assert.equal(await inheritsMembers('child'), true);
      assert.deepEqual(await summary('child'), ['bob: Reporter, Manager*', 'Team: Developer*', 'alice: Developer*', 'dave: Reporter*']);
      assert.deepEqual(await summary('grandchild'), ['bob: Reporter*, Manager*', 'Team: Developer*', 'alice: Developer*', 'dave: Reporter*']);
      // Turned on again while on: no duplicates.
      await update('child', { inherit_members: true, name: 'Child' });
      assert.deepEqual(await summary('child'), ['bob: Reporter, Manager*', 'Team: Developer*', 'alice: Developer*', 'dave: Reporter*']);
    });

    test('PUT parent_id: the old parent’s memberships go, the new parent’s come; to the top, none; and back', async () => {
      await update('child', { parent_id: id('other') });
      assert.deepEqual(await summary('child'), ['bob: Reporter', 'carol: Reporter*']);
      assert.deepEqual(await summary('grandchild'), ['bob: Reporter*', 'carol: Reporter*']);
      assert.equal(await orphans(), 0);
      await update('child', { parent_id: '' });
      assert.deepEqual(await summary('child'), ['bob: Reporter']);
      assert.deepEqual(await summary('grandchild'), ['bob: Reporter*']);
      await update('child', { parent_id: id('parent') });
      assert.deepEqual(await summary('child'), ['bob: Reporter, Manager*', 'Team: Developer*', 'alice: Developer*', 'dave: Reporter*']);
      assert.deepEqual(await summary('grandchild'), ['bob: Reporter*, Manager*', 'Team: Developer*', 'alice: Developer*', 'dave: Reporter*']);
      // Moving a subproject that does not inherit changes nothing of its members.
      await update('plain-child', { parent_id: id('other') });
      assert.deepEqual(await summary('plain-child'), []);
      // A root project that inherits, moved under a parent, starts inheriting.
      await update('root-inheriting', { parent_id: id('other') });
      assert.deepEqual(await summary('root-inheriting'), ['carol: Reporter*']);
      // The moved grandchild leaves the child: it inherits from its new parent only.
      await update('grandchild', { parent_id: id('other') });
      assert.deepEqual(await summary('grandchild'), ['carol: Reporter*']);
      assert.equal(await orphans(), 0);
    });

    test('a user joining the group after inheritance gets its roles in the subprojects too', async () => {
      assert.equal((await call('POST', `/groups/${id('Team')}/users.json`, 'admin', { user_id: id('erin') })).statusCode, 204);
      assert.deepEqual((await membershipOf('child', 'erin'))?.roles.map((r) => `${r.name}${r.inherited ? '*' : ''}`), ['Developer*', 'Developer*']);
      await update('child', { inherit_members: false });
      assert.equal(await membershipOf('child', 'erin'), undefined, 'both rows came from the parent, directly or through the group’s inherited row');
      assert.equal(await orphans(), 0);
      await update('child', { inherit_members: true });
      assert.deepEqual((await membershipOf('child', 'erin'))?.roles.map((r) => `${r.name}${r.inherited ? '*' : ''}`), ['Developer*']);
    });

    test('a non-administrator creating an inheriting subproject gets only the inherited roles (no default role on top)', async () => {
      await newProject('bob', { name: 'Bob’s child', identifier: 'bobs-child', parent_id: id('parent'), inherit_members: true });
      assert.deepEqual(await summary('bobs-child'), ['bob: Manager*', 'Team: Developer*', 'alice: Developer*', 'dave: Reporter*', 'erin: Developer*']);
      await newProject('bob', { name: 'Bob’s own', identifier: 'bobs-own', parent_id: id('parent') });
      assert.deepEqual(await summary('bobs-own'), ['bob: Manager'], 'the first givable role when new_project_user_role_id is blank');
    });

    test('only who may manage members changes inherit_members; others have it ignored', async () => {
      await newProject('admin', { name: 'Edited', identifier: 'edited', parent_id: id('parent') });
      await acme.members([['edited', 'erin', 'Editor']]);
      await update('edited', { inherit_members: true }, 'erin');
      assert.equal(await inheritsMembers('edited'), false);
      assert.deepEqual(await summary('edited'), ['erin: Editor']);
      // A creator whose default role cannot manage members creates without inheritance.
      await acme.setting('new_project_user_role_id', String(id('Editor')));
      await acme.members([['parent', 'frank', 'Editor']]);
      const created = await newProject('frank', { name: 'Frank’s child', identifier: 'franks-child', parent_id: id('parent'), inherit_members: true });
      assert.equal(created.inherit_members, false);
      assert.deepEqual(await summary('franks-child'), ['frank: Editor']);
      await acme.setting('new_project_user_role_id', '');
      await update('edited', { inherit_members: true });
      assert.equal(await inheritsMembers('edited'), true);
      assert.deepEqual(await summary('edited'), [
        'erin: Editor, Developer*',
        'bob: Manager*',
        'Team: Developer*',
        'alice: Developer*',
        'dave: Reporter*',
        'frank: Editor*',
      ]);
    });
  });
}
