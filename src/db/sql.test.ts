import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { users } from './schema/accounts.ts';
import { compileSql, flattened, idList } from './sql.ts';

const drizzle = new PgDialect();
const same = (query: ReturnType<typeof sql>) => {
  const { sql: text, params } = drizzle.sqlToQuery(query);
  assert.deepEqual(compileSql(query), { sql: text, params });
};

test('templates compile as Drizzle compiles them: text, nesting, values, lists, raw pieces', () => {
  const when = new Date('2026-11-26T00:00:00Z');
  const inner = sql`a = ${1} AND b IN ${idList([2, 3])}`;
  same(sql`SELECT ${sql.raw('x, y')} FROM t WHERE ${inner} AND (c = ${"it's"} OR d IS ${null}) AND e > ${when} AND f = ${true}`);
  same(sql`SELECT 1 WHERE z IN ${[4, sql`${5}`, 'six']} AND ${sql.join([sql`p = ${7}`, sql`q = ${8}`], sql` OR `)}`);
  same(sql`SELECT ${undefined} 1`);
  same(sql`SELECT ${flattened(sql`k = ${9} AND l = ${'ten'}`)} AND m = ${11}`);
  same(idList([]));
});

test('what the walk does not know goes to Drizzle: columns, tables, inlined parameters', () => {
  assert.deepEqual(compileSql(sql`SELECT ${users.login} FROM ${users} WHERE ${users.id} = ${1}`), drizzle.sqlToQuery(sql`SELECT ${users.login} FROM ${users} WHERE ${users.id} = ${1}`));
  const inlined = sql`SELECT ${'x'}`.inlineParams();
  assert.deepEqual(compileSql(inlined), drizzle.sqlToQuery(inlined));
  assert.equal(compileSql(inlined).params.length, 0);
});
