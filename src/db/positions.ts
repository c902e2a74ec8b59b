/**
 * Redmine's acts_as_positioned in SQL: lists ordered by a `position` column inside a scope (all
 * trackers, the givable roles, the custom fields of one class, the enumerations of one type). A new
 * row goes last; a moved row takes its new place and the rows between shift by one; a removed row
 * leaves no gap. Positions are renumbered 1…n after a move, which also mends lists imported with
 * gaps or ties.
 */
import type { Queryable } from './database.ts';

/** The tables that carry a position. Table names are never taken from input. */
export type PositionedTable = 'roles' | 'trackers' | 'issue_statuses' | 'custom_fields' | 'enumerations';

/** One list: the table and the condition (with its parameters) that selects the list's rows. */
export interface PositionScope {
  readonly table: PositionedTable;
  /** A condition on the table's columns, e.g. `builtin = 0` or `type = $1`; `$n` refer to `params`. */
  readonly where: string;
  readonly params: readonly unknown[];
}

/** Shifts the `$n` of a scope's condition after `offset` parameters of the surrounding statement. */
function scopeCondition(scope: PositionScope, offset: number): string {
  return scope.where.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}

/** The position a new row of the list takes: after the last one. */
export async function nextPosition(db: Queryable, scope: PositionScope): Promise<number> {
  const [row] = await db.query<{ next: number }>(
    `SELECT COALESCE(MAX(position), 0) + 1 AS next FROM ${scope.table} WHERE ${scopeCondition(scope, 0)}`,
    [...scope.params],
  );
  return Number(row?.next ?? 1);
}

/** Renumbers the list 1…n in its order (position, then id). */
async function renumber(db: Queryable, scope: PositionScope): Promise<void> {
  await db.query(
    `UPDATE ${scope.table} t SET position = n.rn
       FROM (SELECT id, row_number() OVER (ORDER BY position NULLS LAST, id) AS rn FROM ${scope.table} WHERE ${scopeCondition(scope, 0)}) n
      WHERE t.id = n.id AND t.position IS DISTINCT FROM n.rn`,
    [...scope.params],
  );
}

/**
 * Moves the row to position `to` (clamped to the list): the rows it passes shift by one towards the
 * place it left.
 */
export async function moveToPosition(db: Queryable, scope: PositionScope, id: number, to: number): Promise<void> {
  const [row] = await db.query<{ position: number | null; count: number }>(
    `SELECT position, (SELECT COUNT(*) FROM ${scope.table} WHERE ${scopeCondition(scope, 1)})::int AS count FROM ${scope.table} WHERE id = $1`,
    [id, ...scope.params],
  );
  if (!row) {
    return;
  }
  const target = Math.max(1, Math.min(to, row.count));
  const from = row.position;
  if (from === target) {
    return;
  }
  if (from === null) {
    await db.query(`UPDATE ${scope.table} SET position = position + 1 WHERE id <> $1 AND position >= $2 AND ${scopeCondition(scope, 2)}`, [id, target, ...scope.params]);
  } else {
    const [low, high, offset] = from < target ? [from, target, -1] : [target, from, 1];
    await db.query(
      `UPDATE ${scope.table} SET position = position + $4 WHERE id <> $1 AND position BETWEEN $2 AND $3 AND ${scopeCondition(scope, 4)}`,
      [id, low, high, offset, ...scope.params],
    );
  }
  await db.query(`UPDATE ${scope.table} SET position = $2 WHERE id = $1`, [id, target]);
  await renumber(db, scope);
}

/** Closes the gap a removed row left (call after deleting it). */
export async function closePositionGap(db: Queryable, scope: PositionScope): Promise<void> {
  await renumber(db, scope);
}
