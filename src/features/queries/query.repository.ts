/** All SQL on saved queries (Redmine's Query and its queries_roles). */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import type { QueryFilters, QueryOptions, QuerySortCriteria } from '#src/db/schema/core-tracker.ts';
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
  name: string;
  type: string | null;
  project_id: number | null;
  user_id: number;
  visibility: number;
  filters: QueryFilters | null;
  column_names: string[] | null;
  sort_criteria: QuerySortCriteria | null;
  group_by: string | null;
  options: QueryOptions | null;
  description: string | null;
  role_ids: number[];
}

const SAVED_COLUMNS = sql`q.id, q.name, q.type, q.project_id, q.user_id, coalesce(q.visibility, 0) AS visibility, q.filters, q.column_names,
  q.sort_criteria, q.group_by, q.options, q.description,
  coalesce((SELECT array_agg(qr.role_id ORDER BY qr.role_id) FROM queries_roles qr WHERE qr.query_id = q.id), '{}') AS role_ids`;

/** The saved query with this id if it is of all projects or of `projectId` (Redmine's
 *  `where(project_id: nil).or(where(project_id: @project))` before `find`). */
export async function selectSavedQuery(db: Queryable, id: number, type: string, projectId: number | undefined): Promise<SavedQueryRow | undefined> {
  const [row] = await runSql<SavedQueryRow>(
    db,
    sql`SELECT ${SAVED_COLUMNS}
          FROM queries q
         WHERE q.id = ${id} AND q.type = ${type} AND (q.project_id IS NULL OR q.project_id = ${projectId ?? -1})`,
  );
  return row;
}

/** The saved query with this id and type, whatever its project (the edit and delete pages find it so). */
export async function selectSavedQueryById(db: Queryable, id: number, type: string): Promise<SavedQueryRow | undefined> {
  const [row] = await runSql<SavedQueryRow>(db, sql`SELECT ${SAVED_COLUMNS} FROM queries q WHERE q.id = ${id} AND q.type = ${type}`);
  return row;
}

export interface SidebarQueryRow {
  id: number;
  name: string;
  user_id: number;
  visibility: number;
}

/**
 * The queries meeting `condition` that are global or of `projectId` (Redmine's global_or_on_project;
 * only global ones without a project), by name.
 */
export async function selectQueriesOfProject(db: Queryable, condition: SQL, projectId: number | undefined): Promise<SidebarQueryRow[]> {
  return runSql<SidebarQueryRow>(
    db,
    sql`SELECT q.id, q.name, q.user_id, coalesce(q.visibility, 0) AS visibility
          FROM queries q LEFT JOIN projects p ON p.id = q.project_id
         WHERE ${condition} AND (q.project_id IS NULL OR q.project_id = ${projectId ?? -1})
         ORDER BY lower(q.name), q.id`,
  );
}

/** The columns of a saved query a save writes. */
export interface QueryValues {
  readonly type: string;
  readonly name: string;
  readonly projectId: number | null;
  readonly userId: number;
  readonly visibility: number;
  readonly filters: QueryFilters;
  readonly columnNames: readonly string[] | null;
  readonly sortCriteria: QuerySortCriteria;
  readonly groupBy: string | null;
  readonly options: QueryOptions;
}

function valuesOf(v: QueryValues): unknown[] {
  return [
    v.type,
    v.name,
    v.projectId,
    v.userId,
    v.visibility,
    JSON.stringify(v.filters),
    v.columnNames === null ? null : JSON.stringify(v.columnNames),
    JSON.stringify(v.sortCriteria),
    v.groupBy,
    JSON.stringify(v.options),
  ];
}

export async function insertQuery(db: Queryable, values: QueryValues): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO queries (type, name, project_id, user_id, visibility, filters, column_names, sort_criteria, group_by, options)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10::jsonb) RETURNING id`,
    valuesOf(values),
  );
  return Number(row?.id);
}

/** Rewrites a saved query; its owner and type stay. */
export async function updateQueryRow(db: Queryable, id: number, values: QueryValues): Promise<void> {
  const [, name, projectId, , visibility, filters, columnNames, sortCriteria, groupBy, options] = valuesOf(values);
  await db.query(
    `UPDATE queries SET name = $2, project_id = $3, visibility = $4, filters = $5::jsonb, column_names = $6::jsonb,
            sort_criteria = $7::jsonb, group_by = $8, options = $9::jsonb
      WHERE id = $1`,
    [id, name, projectId, visibility, filters, columnNames, sortCriteria, groupBy, options],
  );
}

export async function replaceQueryRoles(db: Queryable, queryId: number, roleIds: readonly number[]): Promise<void> {
  await db.query('DELETE FROM queries_roles WHERE query_id = $1', [queryId]);
  if (roleIds.length > 0) {
    await db.query('INSERT INTO queries_roles (query_id, role_id) SELECT $1, r.id FROM roles r WHERE r.id = ANY($2::int[])', [queryId, [...roleIds]]);
  }
}

export async function deleteQueryRow(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM queries WHERE id = $1', [id]);
}

/** The project's default issue query (Redmine's Project#default_issue_query_id), or null. */
export async function selectProjectDefaultQueryId(db: Queryable, projectId: number): Promise<number | null> {
  const [row] = await db.query<{ id: number | null }>('SELECT default_issue_query_id AS id FROM projects WHERE id = $1', [projectId]);
  return row?.id ?? null;
}

/** Makes the query the project's default, or (queryId null) clears it when it is `previousId`. */
export async function setProjectDefaultQuery(db: Queryable, projectId: number, queryId: number | null, previousId?: number): Promise<void> {
  if (queryId !== null) {
    await db.query('UPDATE projects SET default_issue_query_id = $2 WHERE id = $1', [projectId, queryId]);
  } else {
    await db.query('UPDATE projects SET default_issue_query_id = NULL WHERE id = $1 AND default_issue_query_id = $2', [projectId, previousId ?? -1]);
  }
}

/** Givable roles (for "visible to these roles"), by position. */
export async function selectGivableRoles(db: Queryable): Promise<{ id: number; name: string }[]> {
  return db.query('SELECT id, name FROM roles WHERE builtin = 0 ORDER BY position, id');
}
