/** Composed SQL (drizzle's `sql` template) run on either engine as one parameterised statement. */
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type { Queryable } from './database.ts';

const dialect = new PgDialect();

export async function runSql<Row>(db: Queryable, query: SQL): Promise<Row[]> {
  const { sql, params } = dialect.sqlToQuery(query);
  return db.query<Row>(sql, params);
}

/** The statement text of composed SQL (parameters as $n), e.g. to see which aliases it names. */
export function sqlText(query: SQL): string {
  return dialect.sqlToQuery(query).sql;
}
