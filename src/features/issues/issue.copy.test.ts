import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clearDisabledFields } from './issue.copy-subtasks.ts';
import { copyOptionsOf, withCopiedCustomValues } from './issue.copy.ts';
import { issueInputOf } from './issue.input.ts';
import type { Draft } from './issue.plan.ts';

test('copy parameters: top level first, else inside issue; absent or null copy_from is no copy', () => {
  assert.equal(issueInputOf({ issue: { subject: 'x' } }).input.copy, undefined);
  assert.equal(issueInputOf({ copy_from: null, issue: {} }).input.copy, undefined);
  assert.deepEqual(issueInputOf({ copy_from: 5, link_copy: '1', issue: { copy_from: 6, copy_attachments: true } }).input.copy, {
    copyFrom: '5',
    linkCopy: true,
    copyAttachments: true,
    copySubtasks: false,
  });
  // Redmine copies subtasks when copy_subtasks is present at all; a plain no is honoured here.
  const subtasks = (value: unknown) => issueInputOf({ copy_from: '1', copy_subtasks: value as string }).input.copy?.copySubtasks;
  assert.deepEqual(['1', 'true', 'yes', '', '0', 'false', false].map(subtasks), [true, true, true, false, false, false, false]);
  // An empty copy_from is still a copy (of nothing: a 404), as Redmine reads it.
  assert.equal(issueInputOf({ copy_from: '' }).input.copy?.copyFrom, '');
});

test('link and attachments: the setting decides unless it is "ask"', () => {
  const params = { copyFrom: '1', linkCopy: true, copyAttachments: false, copySubtasks: true };
  assert.deepEqual(copyOptionsOf({ link_copied_issue: 'ask', copy_attachments_on_issue_copy: 'ask' }, params), { link: true, attachments: false, subtasks: true });
  assert.deepEqual(copyOptionsOf({ link_copied_issue: 'no', copy_attachments_on_issue_copy: 'yes' }, params), { link: false, attachments: true, subtasks: true });
});

test('copied custom values fill the fields the request leaves out; the request wins', () => {
  const copied = new Map([
    [1, ['a']],
    [2, ['x', 'y']],
    [3, ['c']],
  ]);
  assert.deepEqual(withCopiedCustomValues({ subject: 's', custom_field_values: { '3': 'mine' }, custom_fields: [{ id: 1, value: 'b' }] }, copied), {
    subject: 's',
    custom_field_values: { '2': ['x', 'y'], '3': 'mine' },
    custom_fields: [{ id: 1, value: 'b' }],
  });
  const raw = { subject: 's' };
  assert.equal(withCopiedCustomValues(raw, new Map()), raw);
});

test('fields the tracker disables are emptied, priority and done ratio fall back to defaults', () => {
  const draft: Draft = {
    project_id: 1, tracker_id: 1, status_id: 1, priority_id: 9, subject: 's', description: 'd', category_id: 2, fixed_version_id: 3,
    assigned_to_id: 4, author_id: 5, parent_id: 6, start_date: '2026-01-01', due_date: '2026-01-02', done_ratio: 40, estimated_hours: 2, is_private: false,
  };
  // Bits: assigned_to_id 0, parent_issue_id 3, done_ratio 7, priority_id 9.
  clearDisabledFields(draft, { id: 1, name: 'Bug', default_status_id: 1, fields_bits: 1 | (1 << 3) | (1 << 7) | (1 << 9), private_by_default: false }, [
    { id: 7, position: 1, is_default: false },
    { id: 8, position: 2, is_default: true },
  ]);
  assert.deepEqual([draft.assigned_to_id, draft.parent_id, draft.done_ratio, draft.priority_id, draft.category_id, draft.description], [null, null, 0, 8, 2, 'd']);
});
