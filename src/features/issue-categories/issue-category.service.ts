/**
 * Issue category use cases: list, show, create, update, delete (moving the issues to another category
 * of the project, or leaving them without one). Reads need `view_issues` or `manage_categories`,
 * writes `manage_categories`; the project must be visible (404 otherwise, as for projects).
 */
import type { Queryable } from '#src/db/database.ts';
import type { Actor, ProjectAccess } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { getVisibleProject, loadProjectAccess, type ProjectContext, type ProjectRow } from '#src/features/projects/index.ts';
import { canManageCategories, canViewCategories, categoryErrors } from './issue-category.policy.ts';
import {
  countCategoryIssues,
  deleteCategoryRow,
  insertCategory,
  isAssignableInProject,
  isCategoryNameTaken,
  selectCategory,
  selectProjectCategories,
  selectProjectCategory,
  updateCategoryRow,
  type CategoryRow,
} from './issue-category.repository.ts';

export type CategoryContext = ProjectContext;

/** Writable category attributes (Redmine's safe_attributes); absent = unchanged. */
export interface CategoryInput {
  name?: string | null | undefined;
  /** `assigned_to_id`: null clears it; an id that is no assignable principal is refused. */
  assignedToId?: number | null | undefined;
}

export interface CategoryDeletion {
  /** `reassign_to_id`: a category of the same project to move the issues to; others are ignored. */
  reassignToId?: number | undefined;
}

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

async function accessOf(ctx: CategoryContext, project: ProjectRow): Promise<ProjectAccess> {
  return loadProjectAccess(ctx.db.orm, project);
}

/** The category and its (visible) project; unknown categories and invisible projects are 404. */
async function visibleCategory(ctx: CategoryContext, id: number): Promise<{ category: CategoryRow; access: ProjectAccess }> {
  const category = await selectCategory(ctx.db, id);
  if (!category) {
    throw new NotFoundError(`no issue category ${id}`);
  }
  const project = await getVisibleProject(ctx, String(category.project_id));
  return { category, access: await accessOf(ctx, project) };
}

/** Validates the category as it will be; the assignee is checked only when it changes. */
async function validate(ctx: CategoryContext, db: Queryable, projectId: number, name: string | null, assignedToId: number | null, existing: CategoryRow | undefined): Promise<string> {
  const taken = name !== null && name.trim() !== '' && (await isCategoryNameTaken(db, projectId, name, existing?.id));
  const assigneeChanged = assignedToId !== null && assignedToId !== (existing?.assigned_to_id ?? null);
  const assigneeValid = !assigneeChanged || (await isAssignableInProject(db, projectId, assignedToId, ctx.settings.issue_group_assignment === '1'));
  const errors = categoryErrors(name, { nameTaken: taken, assigneeValid });
  if (errors.length > 0 || name === null) {
    throw new ValidationError(errors);
  }
  return name;
}

/** The project's categories, by name. */
export async function listProjectCategories(ctx: CategoryContext, projectIdOrIdentifier: string): Promise<CategoryRow[]> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  if (!canViewCategories(ctx.actor, await accessOf(ctx, project))) {
    refuse(ctx.actor);
  }
  return selectProjectCategories(ctx.db, project.id);
}

export async function getCategory(ctx: CategoryContext, id: number): Promise<CategoryRow> {
  const { category, access } = await visibleCategory(ctx, id);
  if (!canViewCategories(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  return category;
}

/** Creates a category in the project (`manage_categories`). */
export async function createCategory(ctx: CategoryContext, projectIdOrIdentifier: string, input: CategoryInput): Promise<CategoryRow> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  if (!canManageCategories(ctx.actor, await accessOf(ctx, project))) {
    refuse(ctx.actor);
  }
  const assignedToId = input.assignedToId ?? null;
  const id = await ctx.db.transaction(async (tx) => {
    const name = await validate(ctx, tx, project.id, input.name ?? null, assignedToId, undefined);
    return insertCategory(tx, project.id, name, assignedToId);
  });
  const created = await selectCategory(ctx.db, id);
  if (!created) {
    throw new Error('issue category vanished after creation');
  }
  return created;
}

/** Renames a category or changes its assignee (`manage_categories`). */
export async function updateCategory(ctx: CategoryContext, id: number, input: CategoryInput): Promise<void> {
  const { category, access } = await visibleCategory(ctx, id);
  if (!canManageCategories(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  const assignedToId = input.assignedToId === undefined ? category.assigned_to_id : input.assignedToId;
  await ctx.db.transaction(async (tx) => {
    const name = await validate(ctx, tx, category.project_id, input.name === undefined ? category.name : input.name, assignedToId, category);
    if (name !== category.name || assignedToId !== category.assigned_to_id) {
      await updateCategoryRow(tx, category.id, name, assignedToId);
    }
  });
}

/** What Redmine asks before deleting a category its issues use: how many use it, and where else they may go. */
export interface CategoryDeletionQuestion {
  readonly category: CategoryRow;
  readonly issueCount: number;
  /** The project's other categories, by name. */
  readonly others: readonly CategoryRow[];
}

/** The facts of the deletion question (`manage_categories`). */
export async function getCategoryDeletionQuestion(ctx: CategoryContext, id: number): Promise<CategoryDeletionQuestion> {
  const { category, access } = await visibleCategory(ctx, id);
  if (!canManageCategories(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  const [issueCount, all] = await Promise.all([countCategoryIssues(ctx.db, category.id), selectProjectCategories(ctx.db, category.project_id)]);
  return { category, issueCount, others: all.filter((c) => c.id !== category.id) };
}

/**
 * Deletes a category (`manage_categories`). Its issues move to `reassignToId` when that is another
 * category of the same project; otherwise they are left without a category.
 */
export async function deleteCategory(ctx: CategoryContext, id: number, deletion: CategoryDeletion): Promise<void> {
  const { category, access } = await visibleCategory(ctx, id);
  if (!canManageCategories(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  await ctx.db.transaction(async (tx) => {
    const target = deletion.reassignToId === undefined ? undefined : await selectProjectCategory(tx, category.project_id, deletion.reassignToId);
    await deleteCategoryRow(tx, category.id, target && target.id !== category.id ? target.id : undefined);
  });
}
