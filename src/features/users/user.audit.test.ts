import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditSource } from '#src/features/audit/index.ts';
import { userChangeEntries, userCreatedEntries } from './user.audit.ts';
import type { UserRow } from './user.repository.ts';

const source: AuditSource = { actorId: 1, actorName: 'admin', ip: '203.0.113.7', userAgent: 'Agent' };
const user: UserRow = {
  id: 5,
  login: 'jsmith',
  firstname: 'John',
  lastname: 'Smith',
  admin: false,
  status: 1,
  language: 'en',
  mustChangePasswd: false,
  lastLoginOn: null,
  createdOn: null,
  updatedOn: null,
  passwdChangedOn: null,
  twofaScheme: null,
  mail: 'jsmith@acme.test',
  mailNotification: 'only_my_events',
  hideMail: true,
};
const now = new Date();
const events = (changes: Parameters<typeof userChangeEntries>[2], mail?: string) =>
  userChangeEntries(source, user, changes, mail).map((entry) => [entry.event, entry.details ?? {}]);

test('status changes are lock, unlock and activate', () => {
  assert.deepEqual(events({ status: 3, updatedOn: now }), [['user.lock', { status: { from: 'active', to: 'locked' } }]]);
  assert.deepEqual(userChangeEntries(source, { ...user, status: 3 }, { status: 1, updatedOn: now }, undefined)[0]?.event, 'user.unlock');
  assert.deepEqual(userChangeEntries(source, { ...user, status: 2 }, { status: 1, updatedOn: now }, undefined)[0]?.event, 'user.activate');
  assert.deepEqual(events({ status: 2, updatedOn: now }), [['user.update', { status: { from: 'active', to: 'registered' } }]]);
});

test('the administrator flag is granted or revoked; other attributes are one update with old → new', () => {
  assert.deepEqual(events({ admin: true, firstname: 'Jon', lastname: 'Smith', updatedOn: now }, 'JSMITH@acme.test'), [
    ['admin.grant', {}],
    ['user.update', { firstname: { from: 'John', to: 'Jon' } }],
  ]);
  assert.deepEqual(userChangeEntries(source, { ...user, admin: true }, { admin: false, updatedOn: now }, undefined)[0]?.event, 'admin.revoke');
  assert.deepEqual(events({ updatedOn: now, hashedPassword: 'x' }, 'new@acme.test'), [['user.update', { mail: { from: 'jsmith@acme.test', to: 'new@acme.test' } }]]);
  assert.deepEqual(events({ login: 'jsmith', updatedOn: now }), []);
});

test('a created administrator is also a grant', () => {
  assert.deepEqual(userCreatedEntries(source, { ...user, admin: true }).map((entry) => entry.event), ['user.create', 'admin.grant']);
  assert.deepEqual(userCreatedEntries(source, user).map((entry) => entry.event), ['user.create']);
});
