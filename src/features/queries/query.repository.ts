/** All SQL on saved queries (Redmine's Query and its queries_roles). */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import type { QueryFilters, QuerySortCriteria } from '#src/db/schema/core-tracker.ts';
import { runSql } from '#src/db/sql.ts';

export interface QueryListRow {
  id: number;
  name: string;
  visibility: number;
  project_id: number | null;
}

/** A page of the queries meeting `condition` (over `queries q LEFT JOIN projects p`), by name. */
export async function selectQueryPage(
  db: Queryable,
  condition: SQL,
  page: { offset: number; limit: number },
): Promise<{ rows: QueryListRow[]; total: number }> {
  const from = sql`FROM queries q LEFT JOIN projects p ON p.id = q.project_id WHERE ${condition}`;
  const [rows, totals] = await Promise.all([
    runSql<QueryListRow>(db, sql`SELECT q.id, q.name, coalesce(q.visibility, 0) AS visibility, q.project_id ${from}
      ORDER BY q.name, q.id LIMIT ${page.limit} OFFSET ${page.offset}`),
    runSql<{ n: number }>(db, sql`SELECT count(*)::int AS n ${from}`),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

export interface SavedQueryRow {
  id: number;
  type: string | null;
  project_id: number | null;
  user_id: number;
  visibility: number;
  filters: QueryFilters | null;
  sort_criteria: QuerySortCriteria | null;
  group_by: string | null;
  role_ids: number[];
}

/** The saved query with this id if it is of all projects or of `projectId` (Redmine's
 *  `where(project_id: nil).or(where(project_id: @project))` before `find`). */
export async function selectSavedQuery(db: Queryable, id: number, type: string, projectId: number | undefined): Promise<SavedQueryRow | undefined> {
  const [row] = await runSql<SavedQueryRow>(
    db,
    sql`SELECT q.id, q.type, q.project_id, q.user_id, coalesce(q.visibility, 0) AS visibility, q.filters, q.sort_criteria, q.group_by,
               coalesce((SELECT array_agg(qr.role_id ORDER BY qr.role_id) FROM queries_roles qr WHERE qr.query_id = q.id), '{}') AS role_ids
          FROM queries q
         WHERE q.id = ${id} AND q.type = ${type} AND (q.project_id IS NULL OR q.project_id = ${projectId ?? -1})`,
  );
  return row;
}
