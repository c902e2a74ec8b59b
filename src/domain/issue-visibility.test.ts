/** Issue visibility as a matrix: role issues_visibility × private flag × author/assignee/group × trackers. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROJECT_STATUS, type Actor, type ProjectAccess, type RoleGrant } from './authorization.ts';
import { canViewIssue, canViewPrivateNote, type IssueFacts } from './issue-visibility.ts';

const project: ProjectAccess = { id: 1, isPublic: true, status: PROJECT_STATUS.active, enabledModules: new Set(['issue_tracking']) };
const privateProject: ProjectAccess = { ...project, id: 2, isPublic: false };

const role = (issuesVisibility: RoleGrant['issuesVisibility'], extra: Partial<RoleGrant> = {}): RoleGrant => ({
  id: 10,
  builtin: 0,
  permissions: ['view_issues'],
  issuesVisibility,
  ...extra,
});
const nonMember: RoleGrant = { id: 1, builtin: 1, permissions: ['view_issues'], issuesVisibility: 'default' };
const anonymous: RoleGrant = { id: 2, builtin: 2, permissions: ['view_issues'], issuesVisibility: 'default' };

const actor = (userId: number | undefined, roles: RoleGrant[] = [], isAdmin = false, groupIds: number[] = []): Actor => ({
  userId,
  isAdmin,
  groupIds: new Set(groupIds),
  memberRoles: new Map(roles.length > 0 ? [[1, roles], [2, roles]] : []),
  nonMemberRole: nonMember,
  anonymousRole: anonymous,
});

const USER = 7;
const GROUP = 70;
const issue = (over: Partial<IssueFacts> = {}): IssueFacts => ({ trackerId: 1, authorId: 99, assignedToId: null, isPrivate: false, ...over });

describe('canViewIssue', () => {
  const cases: [string, Actor, ProjectAccess, IssueFacts, boolean][] = [
    ['all: a private issue of someone else', actor(USER, [role('all')]), project, issue({ isPrivate: true }), true],
    ['default: a public issue', actor(USER, [role('default')]), project, issue(), true],
    ['default: a private issue of someone else', actor(USER, [role('default')]), project, issue({ isPrivate: true }), false],
    ['default: a private issue the user wrote', actor(USER, [role('default')]), project, issue({ isPrivate: true, authorId: USER }), true],
    ['default: a private issue assigned to the user', actor(USER, [role('default')]), project, issue({ isPrivate: true, assignedToId: USER }), true],
    ['default: a private issue assigned to the user\'s group', actor(USER, [role('default')], false, [GROUP]), project, issue({ isPrivate: true, assignedToId: GROUP }), true],
    ['own: someone else\'s public issue', actor(USER, [role('own')]), project, issue(), false],
    ['own: the user\'s own issue', actor(USER, [role('own')]), project, issue({ authorId: USER }), true],
    ['two roles: the wider one wins', actor(USER, [role('own'), role('all', { id: 11 })]), project, issue({ isPrivate: true }), true],
    ['tracker-limited role: another tracker', actor(USER, [role('all', { trackerLimits: new Map([['view_issues', [2]]]) })]), project, issue(), false],
    ['tracker-limited role: its tracker', actor(USER, [role('all', { trackerLimits: new Map([['view_issues', [1]]]) })]), project, issue(), true],
    ['a role without view_issues', actor(USER, [role('all', { permissions: [] })]), project, issue(), false],
    ['non-member on a public project: public issues', actor(USER), project, issue(), true],
    ['non-member on a public project: private issues', actor(USER), project, issue({ isPrivate: true }), false],
    ['non-member on a private project', actor(USER), privateProject, issue(), false],
    ['anonymous: public issue of a public project', actor(undefined), project, issue(), true],
    ['anonymous: private issue', actor(undefined), project, issue({ isPrivate: true }), false],
    ['admin: anything', actor(1, [], true), privateProject, issue({ isPrivate: true }), true],
  ];
  for (const [name, who, where, what, expected] of cases) {
    test(name, () => assert.equal(canViewIssue(who, where, what), expected));
  }
});

describe('canViewPrivateNote', () => {
  test('with view_private_notes, or for the note\'s own author', () => {
    const reader = actor(USER, [role('all', { permissions: ['view_issues', 'view_private_notes'] })]);
    const other = actor(USER, [role('all')]);
    assert.equal(canViewPrivateNote(reader, project, 99), true);
    assert.equal(canViewPrivateNote(other, project, 99), false);
    assert.equal(canViewPrivateNote(other, project, USER), true);
    assert.equal(canViewPrivateNote(actor(undefined), project, 99), false);
  });
});
