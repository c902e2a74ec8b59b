/** Composed SQL (drizzle's `sql` template) run on either engine as one parameterised statement. */
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type { Queryable } from './database.ts';

const dialect = new PgDialect();

export async function runSql<Row>(db: Queryable, query: SQL): Promise<Row[]> {
  const { sql, params } = dialect.sqlToQuery(query);
  return db.query<Row>(sql, params);
}
