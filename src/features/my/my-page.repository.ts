/** The SQL My page adds to the issue list's: this week's issues of the user's projects. */
import { sql, type SQL } from 'drizzle-orm';
import { idList } from '#src/db/sql.ts';

/**
 * Issues (over `issues i`) of the projects the user is a member of that start or end between the two
 * days (Redmine's calendar block); visibility is the caller's.
 */
export function weekIssuesCondition(projectIds: readonly number[], first: string, last: string): SQL {
  if (projectIds.length === 0) {
    return sql`FALSE`;
  }
  return sql`(i.project_id IN ${idList(projectIds)}
              AND ((i.start_date >= ${first}::date AND i.start_date <= ${last}::date)
                OR (i.due_date >= ${first}::date AND i.due_date <= ${last}::date)))`;
}
