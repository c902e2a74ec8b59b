/** The SQL of a user's profile page: how many of the user's issues the viewer sees. */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import { runSql } from '#src/db/sql.ts';

export interface IssueCounts {
  readonly assigned: { readonly open: number; readonly closed: number };
  readonly reported: { readonly open: number; readonly closed: number };
}

/** Open and closed issues assigned to and reported by the user, among those `visible` (over `issues i JOIN projects p`) admits. */
export async function selectIssueCounts(db: Queryable, userId: number, visible: SQL): Promise<IssueCounts> {
  const [row] = await runSql<Record<string, number>>(
    db,
    sql`SELECT count(*) FILTER (WHERE i.assigned_to_id = ${userId} AND NOT s.is_closed)::int AS assigned_open,
               count(*) FILTER (WHERE i.assigned_to_id = ${userId} AND s.is_closed)::int AS assigned_closed,
               count(*) FILTER (WHERE i.author_id = ${userId} AND NOT s.is_closed)::int AS reported_open,
               count(*) FILTER (WHERE i.author_id = ${userId} AND s.is_closed)::int AS reported_closed
          FROM issues i JOIN projects p ON p.id = i.project_id JOIN issue_statuses s ON s.id = i.status_id
         WHERE (i.assigned_to_id = ${userId} OR i.author_id = ${userId}) AND ${visible}`,
  );
  const n = (key: string) => Number(row?.[key] ?? 0);
  return { assigned: { open: n('assigned_open'), closed: n('assigned_closed') }, reported: { open: n('reported_open'), closed: n('reported_closed') } };
}
