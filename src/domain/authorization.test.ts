/** The permission engine as a matrix: roles × project visibility and status × actions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allowedTo, canViewProject, PROJECT_STATUS, type Actor, type ProjectAccess, type RoleGrant } from './authorization.ts';

const manager: RoleGrant = { id: 3, builtin: 0, permissions: ['view_issues', 'add_issues', 'edit_issues', 'manage_members', 'delete_issues', 'log_time', 'view_private_notes'] };
const reporter: RoleGrant = { id: 5, builtin: 0, permissions: ['view_issues', 'add_issues', 'add_issue_notes'] };
// Built-in roles may hold permissions they cannot use: `require` filters them out.
const nonMember: RoleGrant = { id: 1, builtin: 1, permissions: ['view_issues', 'add_issues', 'manage_members', 'log_time'] };
const anonymous: RoleGrant = { id: 2, builtin: 2, permissions: ['view_issues', 'log_time', 'view_private_notes'] };

const modules = new Set(['issue_tracking', 'time_tracking']);
const publicProject: ProjectAccess = { id: 1, isPublic: true, status: PROJECT_STATUS.active, enabledModules: modules };
const privateProject: ProjectAccess = { id: 2, isPublic: false, status: PROJECT_STATUS.active, enabledModules: modules };
const closedProject: ProjectAccess = { ...publicProject, id: 3, status: PROJECT_STATUS.closed };
const archivedProject: ProjectAccess = { ...publicProject, id: 4, status: PROJECT_STATUS.archived };
const noIssues: ProjectAccess = { ...publicProject, id: 5, enabledModules: new Set(['time_tracking']) };

function actor(userId: number | undefined, roles: Record<number, RoleGrant[]> = {}, isAdmin = false): Actor {
  return {
    userId,
    isAdmin,
    groupIds: new Set(),
    memberRoles: new Map(Object.entries(roles).map(([id, r]) => [Number(id), r])),
    nonMemberRole: nonMember,
    anonymousRole: anonymous,
  };
}

const admin = actor(1, {}, true);
const managerOfAll = actor(2, { 1: [manager], 2: [manager], 3: [manager], 4: [manager], 5: [manager] });
const reporterOfPrivate = actor(3, { 2: [reporter] });
const stranger = actor(4);
const nobody = actor(undefined);

describe('allowedTo', () => {
  const cases: [string, Actor, string, ProjectAccess, boolean][] = [
    ['admin anything on a private project', admin, 'delete_issues', privateProject, true],
    ['admin still bound by disabled modules', admin, 'view_issues', noIssues, false],
    ['admin nothing on an archived project', admin, 'view_issues', archivedProject, false],
    ['manager edits in a public project', managerOfAll, 'edit_issues', publicProject, true],
    ['manager manages members', managerOfAll, 'manage_members', privateProject, true],
    ['manager lacks a permission the role lacks', managerOfAll, 'manage_categories', publicProject, false],
    ['closed project: reads only', managerOfAll, 'view_issues', closedProject, true],
    ['closed project: no writes', managerOfAll, 'add_issues', closedProject, false],
    ['closed project: close_project is a read', managerOfAll, 'view_project', closedProject, true],
    ['module disabled', managerOfAll, 'view_issues', noIssues, false],
    ['module-less permissions ignore modules', managerOfAll, 'manage_members', noIssues, true],
    ['reporter adds issues in its project', reporterOfPrivate, 'add_issues', privateProject, true],
    ['reporter cannot edit', reporterOfPrivate, 'edit_issues', privateProject, false],
    ['reporter is a non-member of the public project', reporterOfPrivate, 'add_issues', publicProject, true],
    ['non-member nothing on a private project', stranger, 'view_issues', privateProject, false],
    ['non-member reads a public project', stranger, 'view_issues', publicProject, true],
    ['non-member role cannot use member-only permissions', stranger, 'manage_members', publicProject, false],
    ['non-member may log time (loggedin)', stranger, 'log_time', publicProject, true],
    ['anonymous reads a public project', nobody, 'view_issues', publicProject, true],
    ['anonymous cannot use loggedin permissions', nobody, 'log_time', publicProject, false],
    ['anonymous cannot use member permissions', nobody, 'view_private_notes', publicProject, false],
    ['anonymous nothing on a private project', nobody, 'view_issues', privateProject, false],
    ['public permissions need no grant', stranger, 'view_members', publicProject, true],
    ['unknown permission', admin, 'launch_rockets', publicProject, false],
  ];
  for (const [name, who, permission, project, expected] of cases) {
    test(name, () => assert.equal(allowedTo(who, permission, project), expected));
  }
});

describe('canViewProject', () => {
  test('public projects for everyone, private for members and admins, archived for admins', () => {
    assert.equal(canViewProject(nobody, publicProject), true);
    assert.equal(canViewProject(stranger, privateProject), false);
    assert.equal(canViewProject(reporterOfPrivate, privateProject), true);
    assert.equal(canViewProject(admin, privateProject), true);
    assert.equal(canViewProject(managerOfAll, archivedProject), false);
    assert.equal(canViewProject(admin, archivedProject), true);
  });
});
