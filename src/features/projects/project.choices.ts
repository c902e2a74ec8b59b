/**
 * Every project as a nested list for administration pickers (the projects a tracker or an issue
 * custom field is enabled on): Redmine's `render_project_nested_lists(Project.all)`. Projects being
 * deleted are left out; archived and closed ones are there, as in Redmine.
 */
import type { Queryable } from '#src/db/database.ts';

export interface ProjectChoice {
  readonly id: number;
  readonly name: string;
  /** 0 for a root project, 1 for its subprojects… */
  readonly depth: number;
}

/** Projects in tree order (lft), each with its depth in the tree. */
export async function listProjectChoices(db: Queryable): Promise<ProjectChoice[]> {
  const rows = await db.query<{ id: number; name: string; depth: number }>(
    `SELECT p.id, p.name,
            (SELECT COUNT(*) FROM projects a WHERE a.lft < p.lft AND a.rgt > p.rgt AND a.status <> 10)::int AS depth
       FROM projects p WHERE p.status <> 10 ORDER BY p.lft, p.id`,
  );
  return rows;
}
