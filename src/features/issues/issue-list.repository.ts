/**
 * SQL of the issue list page beyond its rows (those are issue.repository.ts's selectIssuePage): the
 * count and totals of each group, and of the whole list, in one statement.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { flattened, runSql } from '#src/db/sql.ts';
import { fromFor } from './issue.repository.ts';

export interface GroupTotals {
  /** The group's value as text (null: issues without one); undefined for an ungrouped list. */
  readonly value: string | null;
  readonly count: number;
  /** Column name → sum. */
  readonly totals: ReadonlyMap<string, number>;
}

/**
 * Counts and totals of the issues meeting `condition`, per value of `group` (or one line for all).
 * `totals` are SQL expressions over `i`, summed.
 */
export async function selectGroupTotals(
  db: Queryable,
  condition: SQL,
  group: SQL | undefined,
  totals: readonly { readonly name: string; readonly expression: SQL }[],
): Promise<GroupTotals[]> {
  const where = flattened(condition);
  const sums = totals.map((t, i) => sql`, coalesce(sum(${t.expression}), 0)::float8 AS ${sql.raw(`t${i}`)}`);
  const rows = await runSql<{ g: string | null; n: number } & Record<string, unknown>>(
    db,
    group
      ? sql`SELECT (${group})::text AS g, count(*)::int AS n${sql.join(sums, sql``)} ${fromFor(where, group)} WHERE ${where} GROUP BY 1`
      : sql`SELECT NULL::text AS g, count(*)::int AS n${sql.join(sums, sql``)} ${fromFor(where)} WHERE ${where}`,
  );
  return rows.map((row) => ({
    value: row.g ?? null,
    count: Number(row.n),
    totals: new Map(totals.map((t, i) => [t.name, Number(row[`t${i}`] ?? 0)])),
  }));
}

/** The group value (as selectGroupTotals writes it) of each issue among `ids`. */
export async function selectGroupValues(db: Queryable, ids: readonly number[], group: SQL): Promise<Map<number, string | null>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await runSql<{ id: number; g: string | null }>(
    db,
    sql`SELECT i.id, (${group})::text AS g ${fromFor(group)} WHERE i.id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`,
  );
  return new Map(rows.map((row) => [Number(row.id), row.g]));
}

/**
 * The ids of the first `limit` issues meeting `condition` in the list's order (the issue page's
 * previous/next links): one statement, with only the joins the filters and the sort need.
 */
export async function selectIssueIds(db: Queryable, condition: SQL, order: SQL, limit: number): Promise<number[]> {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new Error(`limit ${limit} is not a count`);
  }
  const where = flattened(condition);
  const orderBy = flattened(order);
  const rows = await runSql<{ id: number }>(db, sql`SELECT i.id ${fromFor(where, orderBy)} WHERE ${where} ORDER BY ${orderBy} LIMIT ${sql.raw(String(limit))}`);
  return rows.map((r) => Number(r.id));
}
