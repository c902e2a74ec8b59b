/** Parsing and validating `cf_N` filter expressions, and the SQL they make (values bound, never inlined). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Actor, RoleGrant } from '#src/domain/authorization.ts';
import { customFieldCondition, filterErrors, parseShortFilter, searchTokensOf } from './custom-field.filter.ts';
import type { CustomFieldDef } from './custom-field.repository.ts';

test('short form: the operator is the longest-sorting prefix; values split on |', () => {
  assert.deepEqual(parseShortFilter('list_optional', 'MySQL'), { operator: '=', values: ['MySQL'] });
  assert.deepEqual(parseShortFilter('list_optional', 'a|b'), { operator: '=', values: ['a', 'b'] });
  assert.deepEqual(parseShortFilter('list_optional', '!a|b'), { operator: '!', values: ['a', 'b'] });
  assert.deepEqual(parseShortFilter('list_optional', '!*'), { operator: '!*', values: [''] });
  assert.deepEqual(parseShortFilter('list_optional', '*'), { operator: '*', values: [''] });
  assert.deepEqual(parseShortFilter('string', '~foo'), { operator: '~', values: ['foo'] });
  assert.deepEqual(parseShortFilter('string', '*~a b'), { operator: '*~', values: ['a b'] });
  assert.deepEqual(parseShortFilter('string', '!~x'), { operator: '!~', values: ['x'] });
  assert.deepEqual(parseShortFilter('text', 'plain'), { operator: '=', values: ['plain'] }, '= is not a text operator: invalid later');
  assert.deepEqual(parseShortFilter('integer', '>=5'), { operator: '>=', values: ['5'] });
  assert.deepEqual(parseShortFilter('integer', '><1|9'), { operator: '><', values: ['1', '9'] });
  assert.deepEqual(parseShortFilter('integer', '-5'), { operator: '=', values: ['-5'] });
  assert.deepEqual(parseShortFilter('date', '><t-3'), { operator: '><t-', values: ['3'] });
  assert.deepEqual(parseShortFilter('date', 't'), { operator: 't', values: [''] });
  assert.deepEqual(parseShortFilter('date', '2024-01-01'), { operator: '=', values: ['2024-01-01'] });
  assert.deepEqual(parseShortFilter('list_optional', ''), { operator: '=', values: [] });
  assert.deepEqual(parseShortFilter('list_optional', 'a||'), { operator: '=', values: ['a'] }, 'Ruby split drops trailing blanks');
});

test('validation: "is invalid" for malformed values or operators, "cannot be blank" for missing ones', () => {
  assert.deepEqual(filterErrors('integer', { operator: '=', values: ['1,2'] }), []);
  assert.deepEqual(filterErrors('integer', { operator: '=', values: ['abc'] }), ['is invalid']);
  assert.deepEqual(filterErrors('float', { operator: '>=', values: ['1.5'] }), []);
  assert.deepEqual(filterErrors('float', { operator: '>=', values: ['1e5'] }), ['is invalid']);
  assert.deepEqual(filterErrors('date', { operator: '=', values: ['2024-02-30'] }), ['is invalid']);
  assert.deepEqual(filterErrors('date', { operator: '>=', values: ['2024-02-01T10:00:00Z'] }), []);
  assert.deepEqual(filterErrors('date', { operator: '>t-', values: ['x'] }), ['is invalid']);
  assert.deepEqual(filterErrors('date', { operator: 'w', values: [''] }), []);
  assert.deepEqual(filterErrors('list_optional', { operator: '=', values: [] }), ['cannot be blank']);
  assert.deepEqual(filterErrors('string', { operator: '~', values: [''] }), ['cannot be blank']);
  assert.deepEqual(filterErrors('text', { operator: '=', values: ['x'] }), ['is invalid']);
  assert.deepEqual(filterErrors('list_optional', { operator: '!*', values: [''] }), []);
});

test('search tokens: words and quoted phrases, 2+ characters (1 for Han), at most 5', () => {
  assert.deepEqual(searchTokensOf('crash "out of memory" a'), ['crash', 'out of memory']);
  assert.deepEqual(searchTokensOf('x'), ['x'], 'no usable token: the whole value');
  assert.deepEqual(searchTokensOf('漢 b'), ['漢']);
  assert.deepEqual(searchTokensOf('aa bb cc dd ee ff'), ['aa', 'bb', 'cc', 'dd', 'ee']);
});

test('conditions bind every value as a parameter', () => {
  const dialect = new PgDialect();
  const role = (id: number, builtin = 0): RoleGrant => ({ id, builtin, permissions: [] });
  const actor: Actor = { userId: 5, isAdmin: false, groupIds: new Set(), memberRoles: new Map([[10, [role(3)]]]), nonMemberRole: role(1, 1), anonymousRole: role(2, 2) };
  const field = { id: 4, fieldFormat: 'string', visible: false, roleIds: [3], isForAll: false } as CustomFieldDef;
  const hostile = "x'); DROP TABLE issues;--";
  const { sql: text, params } = dialect.sqlToQuery(customFieldCondition(field, 'string', { operator: '=', values: [hostile] }, actor, '2024-01-10'));
  assert.ok(!text.includes('DROP'), text);
  assert.ok(params.includes(hostile));
  assert.match(text, /i\.project_id IN \(\$\d+\)/, 'hidden field: only in projects where the actor holds a role of the field');
  const like = dialect.sqlToQuery(customFieldCondition(field, 'string', { operator: '~', values: ['50%_off'] }, actor, '2024-01-10'));
  assert.ok(like.params.includes('%50\\%\\_off%'), 'LIKE wildcards in the value are escaped');
});
