/** Composed SQL (drizzle's `sql` template) run on either engine as one parameterised statement. */
import { PgDialect } from 'drizzle-orm/pg-core';
import { SQL, sql as sqlTag, StringChunk } from 'drizzle-orm';
import type { Orm, Queryable } from './database.ts';

const dialect = new PgDialect();

interface Compiled {
  sql: string;
  params: unknown[];
}

/**
 * What the `sql` templates of this code base are made of: text, nested templates, values (each a
 * `$n` parameter) and lists of values (`($1, $2)`). Drizzle's general compiler checks every piece
 * against every kind of thing a query builder can hold, and cost a fifth of a list request's CPU;
 * this walk gives the same text and parameters for these, and hands anything else (columns, tables,
 * placeholders, inlined parameters) back to Drizzle.
 */
function compileTemplate(query: SQL): Compiled | undefined {
  const params: unknown[] = [];
  let text = '';
  const value = (chunk: unknown): boolean => {
    if (chunk === null || chunk instanceof Date || (typeof chunk !== 'object' && typeof chunk !== 'function')) {
      params.push(chunk);
      text += `$${params.length}`;
      return true;
    }
    return false;
  };
  const walk = (chunks: readonly unknown[]): boolean => {
    for (const chunk of chunks) {
      if (chunk instanceof StringChunk) {
        text += chunk.value.join('');
      } else if (chunk instanceof SQL) {
        if ((chunk as unknown as { shouldInlineParams: boolean }).shouldInlineParams || !walk(chunk.queryChunks)) {
          return false;
        }
      } else if (Array.isArray(chunk)) {
        text += '(';
        for (const [i, item] of chunk.entries()) {
          if (i > 0) {
            text += ', ';
          }
          if (!walk([item])) {
            return false;
          }
        }
        text += ')';
      } else if (chunk !== undefined && !value(chunk)) {
        return false;
      }
    }
    return true;
  };
  return walk([query]) ? { sql: text, params } : undefined;
}

/** The statement text (parameters as $n) and its parameters. */
export function compileSql(query: SQL): Compiled {
  return compileTemplate(query) ?? dialect.sqlToQuery(query);
}

export async function runSql<Row>(db: Queryable, query: SQL): Promise<Row[]> {
  const { sql, params } = compileSql(query);
  return db.query<Row>(sql, params);
}

/** The statement text of composed SQL (parameters as $n), e.g. to see which aliases it names. */
export function sqlText(query: SQL): string {
  return compileSql(query).sql;
}

/**
 * `query` compiled once into flat text and parameters, for a condition that goes into several
 * statements: composing a deep tree of fragments again for each is what costs, not the text.
 */
export function flattened(query: SQL): SQL {
  const { sql, params } = compileSql(query);
  // Compiled text names its parameters $1…$n and holds no other `$n`: values never go into the text.
  const pieces = sql.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  pieces.forEach((piece, i) => {
    chunks.push(i % 2 === 0 ? sqlTag.raw(piece) : sqlTag`${params[Number(piece) - 1]}`);
  });
  return sqlTag.join(chunks);
}

/**
 * A `timestamp` column (UTC by convention) as text in the API's form (`2006-07-19T17:12:21Z`), so no
 * driver applies the process's time zone; presenters pass it on with `isoTime`.
 */
export function isoTimestamp(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}

/** `(1, 2, 3)` for `IN`; an empty list is `(-1)` (no row has that id), since `NOT IN (NULL)` would exclude all. */
export function idList(ids: readonly number[]): SQL {
  return ids.length === 0 ? sqlTag`(-1)` : sqlTag`(${sqlTag.join(ids.map((id) => sqlTag`${id}`), sqlTag`, `)})`;
}

/**
 * A Drizzle handle, or a transaction Drizzle opened, as a `Queryable`: code written on plain SQL (the
 * audit trail) then writes inside that transaction. `$n` in `text` are parameters, as in `query`.
 */
export function queryableOf(orm: Orm): Queryable {
  return {
    async query<Row>(text: string, params: unknown[] = []) {
      const pieces = text.split(/\$(\d+)/);
      const query = sqlTag.join(pieces.map((piece, i) => (i % 2 === 0 ? sqlTag.raw(piece) : sqlTag`${params[Number(piece) - 1]}`)));
      // Both drivers answer with a result whose `rows` are plain objects.
      const result = (await orm.execute(query)) as { rows: Row[] };
      return result.rows;
    },
    async exec(text: string) {
      await orm.execute(sqlTag.raw(text));
    },
  };
}
