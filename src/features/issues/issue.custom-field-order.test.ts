import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Actor } from '#src/domain/authorization.ts';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { customFieldOrder, customFieldShownIn, customFieldSortKeys } from './issue.custom-field-order.ts';
import { issueOrder } from './issue.query.ts';

const field = (overrides: Partial<CustomFieldDef>): CustomFieldDef =>
  ({ id: 5, name: 'F', type: 'IssueCustomField', fieldFormat: 'string', multiple: false, visible: true, roleIds: [], ...overrides }) as CustomFieldDef;

const actor = (memberRoles: [number, { id: number }[]][], isAdmin = false) => ({ isAdmin, memberRoles: new Map(memberRoles) }) as unknown as Actor;

test('each format sorts by a fixed expression: numbers cast, dates checked, lists by value; several values do not sort', () => {
  const [numeric] = customFieldOrder(field({ fieldFormat: 'int' }), undefined) ?? [];
  assert.match(numeric ?? '', /CAST\(cv\.value AS numeric\)/);
  assert.match(numeric ?? '', /cv\.custom_field_id = 5 /);
  assert.match(customFieldOrder(field({ fieldFormat: 'date' }), undefined)?.[0] ?? '', /cv\.value ~ '\^\[0-9\]\{4\}/);
  assert.match(customFieldOrder(field({ fieldFormat: 'list' }), undefined)?.[0] ?? '', /^COALESCE\(/);
  assert.equal(customFieldOrder(field({ fieldFormat: 'user' }), undefined)?.length, 3);
  assert.equal(customFieldOrder(field({ fieldFormat: 'list', multiple: true }), undefined), undefined);
  assert.equal(customFieldOrder(field({ fieldFormat: 'attachment' }), undefined), undefined);
});

test('a field seen by some roles only sorts by its values in the projects where the actor holds one', () => {
  const hidden = field({ fieldFormat: 'int', visible: false, roleIds: [7] });
  assert.equal(customFieldShownIn(actor([[3, [{ id: 7 }]], [4, [{ id: 8 }]]]), hidden), 'i.project_id IN (3)');
  assert.equal(customFieldShownIn(actor([[4, [{ id: 8 }]]]), hidden), 'FALSE');
  assert.equal(customFieldShownIn(actor([], true), hidden), undefined);
  assert.match(customFieldOrder(hidden, 'FALSE')?.[0] ?? '', /^\(CASE WHEN FALSE THEN/);
});

test('issueOrder takes cf_N keys only from the allow-list it is given', () => {
  const keys = customFieldSortKeys(actor([]), [field({ id: 5, fieldFormat: 'int' })]);
  const orderSql = (sort: string) => new PgDialect().sqlToQuery(issueOrder({ sort }, { customFields: keys })).sql;
  assert.match(orderSql('cf_5:desc'), /END\) DESC, i\.id DESC$/);
  assert.equal(orderSql('cf_6'), 'i.id DESC');
  assert.equal(orderSql('cf_5;DROP TABLE issues'), 'i.id DESC');
});
