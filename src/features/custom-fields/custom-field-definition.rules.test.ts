import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customFieldInputOf, applyCustomFieldInput } from './custom-field-definition.input.ts';
import { customFieldErrors, formatsFor, newCustomFieldDraft, normalizedDraft } from './custom-field-definition.rules.ts';

const draftOf = (type: Parameters<typeof newCustomFieldDraft>[0], form: Record<string, unknown>) =>
  normalizedDraft(applyCustomFieldInput(newCustomFieldDraft(type, 'string'), customFieldInputOf({ custom_field: form as Record<string, string> })));

test('Redmine’s messages: name, format, possible values, regular expression, default value', () => {
  assert.deepEqual(customFieldErrors(draftOf('IssueCustomField', { name: ' ', field_format: 'list' }), { nameTaken: false }), ['Name cannot be blank', 'Possible values cannot be blank']);
  assert.deepEqual(customFieldErrors(draftOf('IssueCustomField', { name: 'A', field_format: 'list', possible_values: 'x\ny', default_value: 'z' }), { nameTaken: true }), [
    'Name has already been taken',
    'Default value is not included in the list',
  ]);
  assert.deepEqual(customFieldErrors(draftOf('IssueCustomField', { name: 'A', regexp: '[' }), { nameTaken: false }), ['Regular expression is invalid']);
  assert.deepEqual(customFieldErrors(draftOf('IssueCustomField', { name: 'A', field_format: 'int', default_value: 'x' }), { nameTaken: false }), ['Default value is not a number']);
  assert.deepEqual(customFieldErrors(draftOf('GroupCustomField', { name: 'A', field_format: 'user' }), { nameTaken: false }), ['Format is not included in the list']);
  assert.deepEqual(customFieldErrors(draftOf('IssueCustomField', { name: 'A'.repeat(31) }), { nameTaken: false }), ['Name is too long (maximum is 30 characters)']);
});

test('options a class or format does not have are reset before saving', () => {
  const draft = draftOf('UserCustomField', { name: 'A', field_format: 'date', multiple: '1', searchable: '1', regexp: 'x', tracker_ids: ['1'], is_for_all: '1', visible: '0', role_ids: ['3'] });
  assert.equal(draft.multiple, false);
  assert.equal(draft.searchable, false);
  assert.equal(draft.regexp, '');
  assert.deepEqual([draft.tracker_ids, draft.is_for_all, draft.visible, draft.role_ids], [[], false, false, []]);
  const issue = draftOf('IssueCustomField', { name: 'A', field_format: 'list', possible_values: 'a', multiple: '1', visible: '1', role_ids: ['3'] });
  assert.equal(issue.multiple, true);
  assert.deepEqual(issue.role_ids, [], 'a field visible to all has no roles');
  assert.ok(!formatsFor('UserCustomField').includes('version'));
  assert.ok(formatsFor('ProjectCustomField').includes('user'));
});

test('key/value lists: offered on every class, their default one of the active values; files: issue fields, no default, no filter', () => {
  assert.ok(formatsFor('GroupCustomField').includes('enumeration'));
  assert.ok(formatsFor('IssueCustomField').includes('attachment'));
  assert.ok(!formatsFor('TimeEntryCustomField').includes('attachment'), 'files are uploaded through the issue form only');
  const values = [
    { id: 4, name: 'Low', active: true },
    { id: 5, name: 'Old', active: false },
  ];
  const enumeration = (defaultValue: string) => ({ ...draftOf('IssueCustomField', { name: 'A', field_format: 'enumeration', default_value: defaultValue }), id: 1 });
  assert.deepEqual(customFieldErrors(enumeration('4'), { nameTaken: false, enumerations: values }), []);
  assert.deepEqual(customFieldErrors(enumeration('5'), { nameTaken: false, enumerations: values }), ['Default value is not included in the list']);
  const file = draftOf('IssueCustomField', { name: 'A', field_format: 'attachment', default_value: 'x', is_filter: '1', extensions_allowed: ' txt, png ' });
  assert.deepEqual([file.default_value, file.is_filter, file.format_store.extensions_allowed], [null, false, 'txt, png']);
  assert.deepEqual(customFieldErrors(file, { nameTaken: false }), []);
});
