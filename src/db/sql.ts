/** Composed SQL (drizzle's `sql` template) run on either engine as one parameterised statement. */
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql as sqlTag, type SQL } from 'drizzle-orm';
import type { Queryable } from './database.ts';

const dialect = new PgDialect();

export async function runSql<Row>(db: Queryable, query: SQL): Promise<Row[]> {
  const { sql, params } = dialect.sqlToQuery(query);
  return db.query<Row>(sql, params);
}

/** The statement text (parameters as $n) and its parameters. */
export function compileSql(query: SQL): { sql: string; params: unknown[] } {
  return dialect.sqlToQuery(query);
}

/** The statement text of composed SQL (parameters as $n), e.g. to see which aliases it names. */
export function sqlText(query: SQL): string {
  return dialect.sqlToQuery(query).sql;
}

/**
 * `query` compiled once into flat text and parameters, for a condition that goes into several
 * statements: composing a deep tree of fragments again for each is what costs, not the text.
 */
export function flattened(query: SQL): SQL {
  const { sql, params } = dialect.sqlToQuery(query);
  // Compiled text names its parameters $1…$n and holds no other `$n`: values never go into the text.
  const pieces = sql.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  pieces.forEach((piece, i) => {
    chunks.push(i % 2 === 0 ? sqlTag.raw(piece) : sqlTag`${params[Number(piece) - 1]}`);
  });
  return sqlTag.join(chunks);
}

/** `(1, 2, 3)` for `IN`; an empty list is `(-1)` (no row has that id), since `NOT IN (NULL)` would exclude all. */
export function idList(ids: readonly number[]): SQL {
  return ids.length === 0 ? sqlTag`(-1)` : sqlTag`(${sqlTag.join(ids.map((id) => sqlTag`${id}`), sqlTag`, `)})`;
}
