/**
 * Drizzle queries built once per handle and then only run. Building a query (walking its columns
 * and conditions into SQL text) cost more than the round trip for the few statements every request
 * makes (settings, the API key's user); a prepared query keeps the text and takes its values as
 * placeholders.
 */
import type { Orm } from './database.ts';

/** `build(orm)` once per Drizzle handle (a database's, or a transaction's while it lasts). */
export function preparedPerHandle<Query>(build: (orm: Orm) => Query): (orm: Orm) => Query {
  const built = new WeakMap<Orm, Query>();
  return (orm) => {
    let query = built.get(orm);
    if (query === undefined) {
      query = build(orm);
      built.set(orm, query);
    }
    return query;
  };
}
