/** All SQL on issue categories: a project's categories, one category, assignability of its assignee, writes. */
import type { Queryable } from '#src/db/database.ts';

/** A category with what its representation shows. */
export interface CategoryRow {
  id: number;
  project_id: number;
  project_name: string;
  name: string;
  assigned_to_id: number | null;
  /** Null when the assignee no longer exists. */
  assigned_to_name: string | null;
}

/** Redmine's default user format (firstname lastname); groups show their name. */
const PRINCIPAL_NAME = "CASE WHEN u.type = 'Group' THEN u.lastname ELSE trim(u.firstname || ' ' || u.lastname) END";

const SELECT = `SELECT c.id, c.project_id, p.name AS project_name, c.name, c.assigned_to_id, ${PRINCIPAL_NAME} AS assigned_to_name
  FROM issue_categories c
  JOIN projects p ON p.id = c.project_id
  LEFT JOIN users u ON u.id = c.assigned_to_id`;

/** The project's categories by name, as Redmine's `project.issue_categories` orders them. */
export async function selectProjectCategories(db: Queryable, projectId: number): Promise<CategoryRow[]> {
  return db.query<CategoryRow>(`${SELECT} WHERE c.project_id = $1 ORDER BY c.name, c.id`, [projectId]);
}

export async function selectCategory(db: Queryable, id: number): Promise<CategoryRow | undefined> {
  const [row] = await db.query<CategoryRow>(`${SELECT} WHERE c.id = $1`, [id]);
  return row;
}

/** The category if it belongs to the project, with its assignee. */
export async function selectProjectCategory(db: Queryable, projectId: number, categoryId: number): Promise<{ id: number; assignedToId: number | null } | undefined> {
  const [row] = await db.query<{ id: number; assigned_to_id: number | null }>(
    'SELECT id, assigned_to_id FROM issue_categories WHERE id = $1 AND project_id = $2',
    [categoryId, projectId],
  );
  return row ? { id: Number(row.id), assignedToId: row.assigned_to_id } : undefined;
}

/** How many issues are in the category (whoever may see them: the question is about all of them). */
export async function countCategoryIssues(db: Queryable, id: number): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM issues WHERE category_id = $1', [id]);
  return Number(row?.n ?? 0);
}

/** Redmine's name uniqueness: per project, case-sensitive, the category itself excepted. */
export async function isCategoryNameTaken(db: Queryable, projectId: number, name: string, exceptId: number | undefined): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM issue_categories WHERE project_id = $1 AND name = $2 AND id <> $3 LIMIT 1', [projectId, name, exceptId ?? -1]);
  return rows.length > 0;
}

/**
 * Is the principal one the project's issues may be assigned to (Project#assignable_users): an active
 * user, or group when group assignment is on, holding an assignable role in the project.
 */
export async function isAssignableInProject(db: Queryable, projectId: number, principalId: number, withGroups: boolean): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM members m
       JOIN member_roles mr ON mr.member_id = m.id
       JOIN roles r ON r.id = mr.role_id AND r.assignable
       JOIN users u ON u.id = m.user_id
      WHERE m.project_id = $1 AND m.user_id = $2 AND u.status = 1 AND (u.type = 'User' OR ($3 AND u.type = 'Group'))
      LIMIT 1`,
    [projectId, principalId, withGroups],
  );
  return rows.length > 0;
}

export async function insertCategory(db: Queryable, projectId: number, name: string, assignedToId: number | null): Promise<number> {
  const [row] = await db.query<{ id: number }>('INSERT INTO issue_categories (project_id, name, assigned_to_id) VALUES ($1, $2, $3) RETURNING id', [
    projectId,
    name,
    assignedToId,
  ]);
  if (!row) {
    throw new Error('insert returned no issue category');
  }
  return Number(row.id);
}

export async function updateCategoryRow(db: Queryable, id: number, name: string, assignedToId: number | null): Promise<void> {
  await db.query('UPDATE issue_categories SET name = $2, assigned_to_id = $3 WHERE id = $1', [id, name, assignedToId]);
}

/**
 * Deletes the category. Its issues move to `reassignTo` when given, else lose their category (the
 * FK's ON DELETE SET NULL); neither is an issue change with a journal, as in Redmine (update_all).
 */
export async function deleteCategoryRow(db: Queryable, id: number, reassignTo: number | undefined): Promise<void> {
  if (reassignTo !== undefined) {
    await db.query('UPDATE issues SET category_id = $2 WHERE category_id = $1', [id, reassignTo]);
  }
  await db.query('DELETE FROM issue_categories WHERE id = $1', [id]);
}
