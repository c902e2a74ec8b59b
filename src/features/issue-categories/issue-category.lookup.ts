/**
 * Category reads for other features: whether a category belongs to a project (issues validate
 * category_id and take its assignee as default), and a project's categories for includes. Plain reads
 * on any Queryable, so a caller can ask inside its own transaction.
 */
import type { Queryable } from '#src/db/database.ts';
import { selectProjectCategories, selectProjectCategory } from './issue-category.repository.ts';

/** The category if it belongs to the project, with its assignee (a user or group id, or null). */
export async function categoryOfProject(db: Queryable, projectId: number, categoryId: number): Promise<{ id: number; assignedToId: number | null } | undefined> {
  return selectProjectCategory(db, projectId, categoryId);
}

/** The project's categories as `{id, name}`, by name (projects' `include=issue_categories`). */
export async function projectCategoryRefs(db: Queryable, projectId: number): Promise<{ id: number; name: string }[]> {
  return (await selectProjectCategories(db, projectId)).map((c) => ({ id: c.id, name: c.name }));
}
