import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedStatuses, fieldRules, transitionTargets, type StatusRow, type WorkflowRow } from './issue.workflow.ts';

const transition = (role_id: number, old_status_id: number, new_status_id: number, extra: Partial<WorkflowRow> = {}): WorkflowRow => ({
  type: 'WorkflowTransition',
  role_id,
  old_status_id,
  new_status_id,
  author: false,
  assignee: false,
  field_name: null,
  rule: null,
  ...extra,
});
const permission = (role_id: number, old_status_id: number, field_name: string, rule: string): WorkflowRow => ({
  type: 'WorkflowPermission',
  role_id,
  old_status_id,
  new_status_id: 0,
  author: false,
  assignee: false,
  field_name,
  rule,
});
const statuses: StatusRow[] = [
  { id: 1, name: 'New', is_closed: false, position: 1, default_done_ratio: null },
  { id: 2, name: 'Assigned', is_closed: false, position: 2, default_done_ratio: null },
  { id: 5, name: 'Closed', is_closed: true, position: 5, default_done_ratio: null },
];

test('author and assignee transitions apply only to the author and the assignee', () => {
  const rows = [transition(1, 1, 2), transition(1, 1, 5, { author: true }), transition(1, 2, 5, { assignee: true })];
  const base = { fromStatusId: 1, roleIds: new Set([1]), isAuthor: false, isAssignee: false };
  assert.deepEqual([...transitionTargets(rows, base)], [2]);
  assert.deepEqual([...transitionTargets(rows, { ...base, isAuthor: true })].sort(), [2, 5]);
  assert.deepEqual([...transitionTargets(rows, { ...base, fromStatusId: 2, isAssignee: true })], [5]);
  assert.deepEqual([...transitionTargets(rows, { ...base, roleIds: new Set([9]) })], []);
});

test('allowed statuses add the current one, the default for a new issue, and respect closable/reopenable', () => {
  const rows = [transition(1, 1, 2), transition(1, 1, 5)];
  const q = { fromStatusId: 1, initialStatusId: 1, roleIds: new Set([1]), isAuthor: false, isAssignee: false, statuses, defaultStatusId: 1, closable: true, reopenable: true };
  assert.deepEqual(allowedStatuses(rows, q).map((s) => s.id), [1, 2, 5]);
  assert.deepEqual(allowedStatuses(rows, { ...q, closable: false }).map((s) => s.id), [1, 2]);
  assert.deepEqual(allowedStatuses(rows, { ...q, reopenable: false }).map((s) => s.id), [5]);
  assert.deepEqual(allowedStatuses([], { ...q, fromStatusId: undefined, initialStatusId: undefined }).map((s) => s.id), [1]);
  assert.deepEqual(allowedStatuses([], q).map((s) => s.id), []);
});

test('a field rule holds only when every role has one; mixed rules mean required', () => {
  const rows = [permission(1, 1, 'due_date', 'readonly'), permission(2, 1, 'due_date', 'readonly'), permission(1, 1, 'subject', 'readonly'), permission(1, 1, '3', 'required'), permission(2, 1, '3', 'readonly')];
  const rules = fieldRules(rows, [1, 2], 1);
  assert.equal(rules.get('due_date'), 'readonly');
  assert.equal(rules.get('subject'), undefined);
  assert.equal(rules.get('3'), 'required');
  assert.equal(fieldRules(rows, [1, 2], 2).size, 0);
  // A custom field visible only to role 1 is read-only for role 2.
  const hidden = fieldRules([permission(1, 1, 'due_date', 'readonly'), permission(2, 1, 'due_date', 'readonly'), permission(2, 1, '7', 'readonly')], [1, 2], 1, new Map([[7, [2]]]));
  assert.equal(hidden.get('7'), 'readonly');
});
