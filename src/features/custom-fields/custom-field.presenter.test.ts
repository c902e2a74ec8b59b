/** The §1.5 custom_fields section and the §6.18 items, as JSON and XML. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resource, type ApiObject } from '#src/api/resource.ts';
import { writeJson, writeXml } from '#src/api/writers.ts';
import { customizedTypeOf, presentCustomField, presentCustomValues } from './custom-field.presenter.ts';
import type { CustomFieldDef } from './custom-field.repository.ts';

function field(overrides: Partial<CustomFieldDef> = {}): CustomFieldDef {
  return {
    id: 1, name: 'Database', type: 'IssueCustomField', fieldFormat: 'string', multiple: false, isRequired: false,
    defaultValue: null, possibleValues: [], regexp: '', minLength: null, maxLength: null, visible: true, roleIds: [],
    trackerIds: [], isForAll: true, editable: true, formatStore: {}, enumerations: [], isFilter: false, searchable: false,
    description: null, position: 1, ...overrides,
  };
}

/** The possible_values of a presented field, as JSON clients read them. */
const optionsOf = (item: ApiObject) => (JSON.parse(writeJson(resource('x', item))) as { x: { possible_values?: unknown } }).x.possible_values;

const fields = [
  field({ id: 1, name: 'Database' }),
  field({ id: 7, name: 'Platforms', fieldFormat: 'list', multiple: true }),
  field({ id: 9, name: 'Notes' }),
  field({ id: 10, name: 'Never set' }),
  field({ id: 11, name: 'Empty multi', fieldFormat: 'list', multiple: true }),
];
const values = new Map([[1, ['MySQL']], [7, ['Linux', '', 'Windows']], [9, ['']]]);

test('custom values: single as string (null when never stored), multiple as arrays of non-blank values', () => {
  assert.equal(
    writeJson(resource('issue', { custom_fields: presentCustomValues(fields, values) })),
    '{"issue":{"custom_fields":[{"id":1,"name":"Database","value":"MySQL"},' +
      '{"id":7,"name":"Platforms","multiple":true,"value":["Linux","Windows"]},' +
      '{"id":9,"name":"Notes","value":""},{"id":10,"name":"Never set","value":null},' +
      '{"id":11,"name":"Empty multi","multiple":true,"value":[]}]}}',
  );
  assert.equal(writeJson(resource('issue', { custom_fields: presentCustomValues(fields.slice(0, 1), undefined) })), '{"issue":{"custom_fields":[{"id":1,"name":"Database","value":null}]}}');
});

test('custom values in XML: attributes for id/name/multiple, typed value arrays, markup escaped', () => {
  const xml = writeXml(resource('issue', { custom_fields: presentCustomValues(fields.slice(0, 3), new Map([...values, [9, ['<b>&</b>']]])) }));
  assert.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?><issue><custom_fields type="array">' +
      '<custom_field id="1" name="Database"><value>MySQL</value></custom_field>' +
      '<custom_field id="7" name="Platforms" multiple="true"><value type="array"><value>Linux</value><value>Windows</value></value></custom_field>' +
      '<custom_field id="9" name="Notes"><value>&lt;b&gt;&amp;&lt;/b&gt;</value></custom_field>' +
      '</custom_fields></issue>',
  );
});

test('customized_type is the customized class, underscored', () => {
  assert.deepEqual(
    ['IssueCustomField', 'TimeEntryActivityCustomField', 'IssuePriorityCustomField', 'DocumentCategoryCustomField', 'UserCustomField', ''].map(customizedTypeOf),
    ['issue', 'time_entry_activity', 'issue_priority', 'document_category', 'user', undefined],
  );
});

test('a custom field item: Redmine 7.0 key order; options per format; projects and trackers for issue fields, roles where roles restrict', () => {
  const list = presentCustomField(
    field({ fieldFormat: 'list', possibleValues: ['MySQL', 'PostgreSQL'], isFilter: true, searchable: true, defaultValue: 'MySQL', description: 'Which one' }),
    { trackers: [{ id: 1, name: 'Bug' }], roles: [], projects: [{ id: 3, name: 'eCookbook' }] },
    [],
  );
  assert.equal(
    writeJson(resource('custom_field', list)),
    '{"custom_field":{"id":1,"name":"Database","description":"Which one","customized_type":"issue","field_format":"list",' +
      '"regexp":"","min_length":null,"max_length":null,"is_required":false,"is_for_all":true,"is_filter":true,"searchable":true,"multiple":false,' +
      '"default_value":"MySQL","visible":true,"editable":true,' +
      '"possible_values":[{"value":"MySQL","label":"MySQL"},{"value":"PostgreSQL","label":"PostgreSQL"}],' +
      '"projects":[{"id":3,"name":"eCookbook"}],"trackers":[{"id":1,"name":"Bug"}],"roles":[]}}',
  );
  // Date fields say how their default applies; fields of time entries, projects and versions list roles too.
  const date = presentCustomField(field({ type: 'TimeEntryCustomField', fieldFormat: 'date' }), { trackers: [], roles: [{ id: 4, name: 'Developer' }], projects: [] }, []);
  assert.equal(date.default_value_mode, 'fixed_date');
  assert.equal(date.projects, undefined);
  assert.equal(date.trackers, undefined);
  assert.ok(date.roles !== undefined, 'roles of a time entry field');
  assert.equal(presentCustomField(field({ fieldFormat: 'date', formatStore: { default_value_mode: 'current_date' } }), { trackers: [], roles: [], projects: [] }, []).default_value_mode, 'current_date');
  assert.equal(presentCustomField(field({ type: 'UserCustomField' }), { trackers: [], roles: [], projects: [] }, []).roles, undefined, 'user fields: no roles');
  const bool = presentCustomField(field({ type: 'UserCustomField', fieldFormat: 'bool' }), { trackers: [], roles: [], projects: [] }, []);
  assert.deepEqual(optionsOf(bool), [{ value: '1', label: 'Yes' }, { value: '0', label: 'No' }]);
  assert.equal(bool.trackers, undefined);
  assert.equal(bool.roles, undefined);
  const enumeration = presentCustomField(
    field({ fieldFormat: 'enumeration', enumerations: [{ id: 4, name: 'Low', active: true }, { id: 5, name: 'Gone', active: false }] }),
    { trackers: [], roles: [], projects: [] },
    [],
  );
  assert.deepEqual(optionsOf(enumeration), [{ value: '4', label: 'Low' }]);
  const version = presentCustomField(field({ fieldFormat: 'version', formatStore: { version_status: ['open', ''] } }), { trackers: [], roles: [], projects: [] }, [
    { id: 2, name: '1.0', status: 'open' },
    { id: 3, name: '0.9', status: 'closed' },
  ]);
  assert.deepEqual(optionsOf(version), [{ value: '2', label: '1.0' }]);
  for (const format of ['string', 'int', 'user', 'date']) {
    assert.equal(presentCustomField(field({ fieldFormat: format }), { trackers: [], roles: [], projects: [] }, []).possible_values, undefined, format);
  }
  assert.equal(presentCustomField(field({ fieldFormat: 'list' }), { trackers: [], roles: [], projects: [] }, []).possible_values, undefined, 'no options: omitted');
});
