import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor, ProjectAccess, RoleGrant } from '#src/domain/authorization.ts';
import { isQueryVisible, QUERY_VISIBILITY, type QueryFacts } from './query.policy.ts';

const role = (id: number, permissions: string[], builtin = 0): RoleGrant => ({ id, builtin, permissions });
const nonMember = role(1, ['view_issues'], 1);
const anonymous = role(2, ['view_issues'], 2);
const developer = role(3, ['view_issues']);
const reporter = role(4, ['view_issues']);
const actor = (userId: number | undefined, memberRoles: [number, RoleGrant[]][] = [], isAdmin = false): Actor => ({
  userId,
  isAdmin,
  groupIds: new Set(),
  memberRoles: new Map(memberRoles),
  nonMemberRole: nonMember,
  anonymousRole: anonymous,
});
const project = (id: number, isPublic = true): ProjectAccess => ({ id, isPublic, status: 1, enabledModules: new Set(['issue_tracking']) });
const query = (extra: Partial<QueryFacts>): QueryFacts => ({ type: 'IssueQuery', visibility: QUERY_VISIBILITY.public, userId: 10, roleIds: [], project: undefined, ...extra });

test('public queries: everyone who may view issues of their project', () => {
  assert.equal(isQueryVisible(actor(undefined), query({})), true);
  assert.equal(isQueryVisible(actor(20), query({ project: project(5) })), true);
  assert.equal(isQueryVisible(actor(20), query({ project: project(5, false) })), false);
  assert.equal(isQueryVisible(actor(20, [[5, [developer]]]), query({ project: project(5, false) })), true);
});

test('private queries: their owner (and administrators)', () => {
  const mine = query({ visibility: QUERY_VISIBILITY.private, userId: 10 });
  assert.equal(isQueryVisible(actor(10), mine), true);
  assert.equal(isQueryVisible(actor(20), mine), false);
  assert.equal(isQueryVisible(actor(undefined), mine), false);
  assert.equal(isQueryVisible(actor(30, [], true), mine), true);
});

test('role queries: a role the user holds in the project, or anywhere for a global query', () => {
  const forDevelopers = query({ visibility: QUERY_VISIBILITY.roles, roleIds: [developer.id], project: project(5) });
  assert.equal(isQueryVisible(actor(20, [[5, [developer]]]), forDevelopers), true);
  assert.equal(isQueryVisible(actor(20, [[5, [reporter]]]), forDevelopers), false);
  assert.equal(isQueryVisible(actor(20, [[6, [developer]]]), forDevelopers), false);
  const global = query({ visibility: QUERY_VISIBILITY.roles, roleIds: [developer.id] });
  assert.equal(isQueryVisible(actor(20, [[6, [developer]]]), global), true);
  assert.equal(isQueryVisible(actor(20), global), false);
});

test('other kinds: their own permission; administrator-only kinds', () => {
  assert.equal(isQueryVisible(actor(20), query({ type: 'UserQuery' })), false);
  assert.equal(isQueryVisible(actor(20, [], true), query({ type: 'UserQuery' })), true);
  assert.equal(isQueryVisible(actor(20), query({ type: 'NoSuchQuery' })), false);
});
