/** Reading custom values from request bodies, who sees a field, and the journal details of a change. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBody } from '#src/api/params.ts';
import type { Actor, RoleGrant } from '#src/domain/authorization.ts';
import type { CustomFieldDef } from './custom-field.repository.ts';
import { customFieldInputOf, customFieldVisibleTo, customValueChanges, humanFieldName } from './custom-value.rules.ts';

const issueOf = (contentType: string, body: string) => parseBody(contentType, body).issue as Parameters<typeof customFieldInputOf>[0];

describe('customFieldInputOf: the custom values of a create/update body', () => {
  test('custom_fields array: ids and values coerced to strings, arrays kept, entries without id or value ignored', () => {
    const input = customFieldInputOf({
      custom_fields: [
        { id: 1, value: 'MySQL' },
        { id: '2', value: 52 },
        { id: 3, value: true },
        { id: 7, value: ['Linux', 'Windows'] },
        { id: 8, value: null },
        { id: 9 },
        { value: 'orphan' },
        { id: 'x', value: 'bad id' },
      ],
    });
    assert.deepEqual(input, new Map<number, string | string[]>([[1, 'MySQL'], [2, '52'], [3, 'true'], [7, ['Linux', 'Windows']], [8, '']]));
  });

  test('custom_field_values map; the array wins on a clash; neither → undefined', () => {
    assert.deepEqual(customFieldInputOf({ custom_field_values: { '1': 'x', '7': ['a', 'b'], bad: 'y' } }), new Map<number, string | string[]>([[1, 'x'], [7, ['a', 'b']]]));
    assert.deepEqual(
      customFieldInputOf({ custom_field_values: { '1': 'map', '2': 'two' }, custom_fields: [{ id: 1, value: 'array' }] }),
      new Map([[1, 'array'], [2, 'two']]),
    );
    assert.equal(customFieldInputOf({ subject: 'x' }), undefined);
    assert.deepEqual(customFieldInputOf({ custom_fields: [] }), new Map(), 'present but empty: submitted');
  });

  test('XML bodies: typed arrays, multiple values, empty values', () => {
    const xml = '<issue><custom_fields type="array">' +
      '<custom_field id="1" name="Database"><value>PostgreSQL</value></custom_field>' +
      '<custom_field id="7" name="Platforms" multiple="true"><value type="array"><value>Linux</value><value>Mac</value></value></custom_field>' +
      '<custom_field id="8"><value/></custom_field>' +
      '</custom_fields></issue>';
    assert.deepEqual(customFieldInputOf(issueOf('application/xml', xml)), new Map<number, string | string[]>([[1, 'PostgreSQL'], [7, ['Linux', 'Mac']], [8, '']]));
    const single = '<issue><custom_fields><custom_field id="1"><value>x</value></custom_field></custom_fields></issue>';
    assert.deepEqual(customFieldInputOf(issueOf('application/xml', single)), new Map([[1, 'x']]), 'without type="array"');
  });

  test('form bodies in bracket notation', () => {
    const form = 'issue[custom_fields][][id]=1&issue[custom_fields][][value]=a&issue[custom_fields][][id]=2&issue[custom_fields][][value]=b' +
      '&issue[custom_field_values][7][]=x&issue[custom_field_values][7][]=y';
    assert.deepEqual(customFieldInputOf(issueOf('application/x-www-form-urlencoded', form)), new Map<number, string | string[]>([[7, ['x', 'y']], [1, 'a'], [2, 'b']]));
  });
});

describe('customValueChanges: journal details', () => {
  test('single value: one detail old → new; none when equal or both blank', () => {
    assert.deepEqual(customValueChanges(1, false, ['MySQL'], ['PostgreSQL']), [{ fieldId: 1, oldValue: 'MySQL', newValue: 'PostgreSQL' }]);
    assert.deepEqual(customValueChanges(1, false, undefined, ['125']), [{ fieldId: 1, oldValue: null, newValue: '125' }]);
    assert.deepEqual(customValueChanges(1, false, [''], ['x']), [{ fieldId: 1, oldValue: '', newValue: 'x' }]);
    assert.deepEqual(customValueChanges(1, false, ['x'], ['']), [{ fieldId: 1, oldValue: 'x', newValue: '' }]);
    assert.deepEqual(customValueChanges(1, false, ['x'], ['x']), []);
    assert.deepEqual(customValueChanges(1, false, undefined, ['']), []);
    assert.deepEqual(customValueChanges(1, false, [], ['']), []);
  });

  test('multiple values: one detail per removed and per added value, blanks ignored', () => {
    assert.deepEqual(customValueChanges(7, true, ['Linux', 'Windows'], ['Windows', 'Mac']), [
      { fieldId: 7, oldValue: 'Linux', newValue: null },
      { fieldId: 7, oldValue: null, newValue: 'Mac' },
    ]);
    assert.deepEqual(customValueChanges(7, true, [''], ['a', 'b']), [
      { fieldId: 7, oldValue: null, newValue: 'a' },
      { fieldId: 7, oldValue: null, newValue: 'b' },
    ]);
    assert.deepEqual(customValueChanges(7, true, ['a'], ['']), [{ fieldId: 7, oldValue: 'a', newValue: null }]);
    assert.deepEqual(customValueChanges(7, true, ['b', 'a'], ['a', 'b']), [], 'order alone is no change');
  });
});

describe('customFieldVisibleTo (CustomField#visible_by?)', () => {
  const role = (id: number, builtin = 0): RoleGrant => ({ id, builtin, permissions: [] });
  const actor = (overrides: Partial<Actor> = {}): Actor => ({
    userId: 5,
    isAdmin: false,
    groupIds: new Set(),
    memberRoles: new Map([[10, [role(3)]], [11, [role(4)]]]),
    nonMemberRole: role(1, 1),
    anonymousRole: role(2, 2),
    ...overrides,
  });
  const hidden = { visible: false, roleIds: [3] } as CustomFieldDef;

  test('visible fields to everyone, hidden ones to administrators and the roles named', () => {
    assert.equal(customFieldVisibleTo({ ...hidden, visible: true }, actor({ userId: undefined, memberRoles: new Map() }), 10), true);
    assert.equal(customFieldVisibleTo(hidden, actor(), 10), true);
    assert.equal(customFieldVisibleTo(hidden, actor(), 11), false, 'another role in that project');
    assert.equal(customFieldVisibleTo(hidden, actor(), 12), false, 'not a member');
    assert.equal(customFieldVisibleTo(hidden, actor({ isAdmin: true, memberRoles: new Map() }), 12), true);
  });

  test('with the project: the Non member role counts on a public project', () => {
    const project = { id: 12, isPublic: true, status: 1, enabledModules: new Set(['issue_tracking']) };
    assert.equal(customFieldVisibleTo({ ...hidden, roleIds: [1] }, actor(), 12, project), true);
    assert.equal(customFieldVisibleTo({ ...hidden, roleIds: [1] }, actor(), 12, { ...project, isPublic: false }), false);
  });
});

test('humanFieldName: the field name as Rails prints it before a validation message', () => {
  assert.equal(humanFieldName('Database'), 'Database');
  assert.equal(humanFieldName('kx Stage'), 'Kx stage');
  assert.equal(humanFieldName('Budget_EUR'), 'Budget eur');
  assert.equal(humanFieldName('_owner_id'), 'Owner');
  assert.equal(humanFieldName('v1.2 Release'), '2 release', 'only the part after the last dot (Rails reads a dotted name as a namespace)');
  assert.equal(humanFieldName('Überprüfung OK'), 'Überprüfung ok', 'non-ASCII letters keep their case');
  assert.equal(humanFieldName('優先度'), '優先度');
});
