/** Which roles an actor may give, and when a membership may be removed (Redmine's managed_roles, deletable?). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor, ProjectAccess } from '#src/domain/authorization.ts';
import { canManageMembers, canViewMemberships, isDeletableMembership, managedRoleIds } from './membership.policy.ts';
import type { RoleRow } from './membership.repository.ts';

const project: ProjectAccess = { id: 1, isPublic: true, status: 1, enabledModules: new Set() };
const roles: RoleRow[] = [
  { id: 1, builtin: 0, permissions: ['manage_members'], allRolesManaged: true, managedRoleIds: [] },
  { id: 2, builtin: 0, permissions: ['view_issues'], allRolesManaged: false, managedRoleIds: [1] },
  { id: 3, builtin: 0, permissions: ['manage_members'], allRolesManaged: false, managedRoleIds: [2] },
  { id: 4, builtin: 1, permissions: [], allRolesManaged: true, managedRoleIds: [] },
  { id: 5, builtin: 2, permissions: [], allRolesManaged: true, managedRoleIds: [] },
  { id: 6, builtin: 0, permissions: ['manage_members'], allRolesManaged: false, managedRoleIds: [3, 6] },
  { id: 7, builtin: 0, permissions: ['manage_members'], allRolesManaged: false, managedRoleIds: [] },
];
const grant = (id: number) => {
  const role = roles.find((r) => r.id === id);
  assert.ok(role);
  return { id, builtin: role.builtin, permissions: role.permissions };
};
const actor = (roleIds: number[], isAdmin = false): Actor => ({
  userId: isAdmin ? 1 : 2,
  isAdmin,
  groupIds: new Set(),
  memberRoles: new Map(roleIds.length > 0 ? [[project.id, roleIds.map(grant)]] : []),
  nonMemberRole: grant(4),
  anonymousRole: grant(5),
});

describe('membership policy', () => {
  test('administrators and all-roles managers give every givable role', () => {
    assert.deepEqual([...managedRoleIds(actor([], true), project, roles)], [1, 2, 3, 6, 7]);
    assert.deepEqual([...managedRoleIds(actor([1]), project, roles)], [1, 2, 3, 6, 7]);
    assert.deepEqual([...managedRoleIds(actor([1, 3]), project, roles)], [1, 2, 3, 6, 7], 'one role managing all is enough');
  });

  test('a managing role without all_roles_managed gives exactly its managed roles; several give the union', () => {
    assert.deepEqual([...managedRoleIds(actor([3]), project, roles)], [2]);
    assert.deepEqual([...managedRoleIds(actor([6]), project, roles)], [3, 6]);
    assert.deepEqual([...managedRoleIds(actor([3, 6]), project, roles)].toSorted(), [2, 3, 6]);
    assert.deepEqual([...managedRoleIds(actor([7]), project, roles)], [], 'an empty list manages nothing');
  });

  test('managed roles count only through roles that have manage_members, held in this project', () => {
    assert.deepEqual([...managedRoleIds(actor([2]), project, roles)], [], 'role 2 lists role 1 but cannot manage members');
    assert.deepEqual([...managedRoleIds(actor([2, 3]), project, roles)], [2]);
    assert.deepEqual([...managedRoleIds(actor([]), project, roles)], []);
    assert.deepEqual([...managedRoleIds(actor([3]), { ...project, id: 2 }, roles)], [], 'roles held in another project');
  });

  test('members are visible to anyone seeing the project; managing needs manage_members', () => {
    assert.equal(canViewMemberships(actor([]), project), true);
    assert.equal(canManageMembers(actor([]), project), false);
    assert.equal(canManageMembers(actor([2]), project), false);
    assert.equal(canManageMembers(actor([1]), project), true);
    assert.equal(canManageMembers(actor([1]), { ...project, status: 5 }), false, 'closed projects are read-only');
  });

  test('a membership with an inherited role, or a role the actor does not manage, stays', () => {
    const managed = new Set([1, 2]);
    assert.equal(isDeletableMembership([{ id: 10, roleId: 2, inheritedFrom: null }], managed), true);
    assert.equal(isDeletableMembership([{ id: 10, roleId: 2, inheritedFrom: null }, { id: 11, roleId: 1, inheritedFrom: 7 }], managed), false);
    assert.equal(isDeletableMembership([{ id: 10, roleId: 3, inheritedFrom: null }], managed), false);
  });
});
