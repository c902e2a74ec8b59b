/**
 * The administrator's list of projects (Redmine's Admin#projects): every project whatever its
 * status or visibility — archived ones included, never those scheduled for deletion.
 */
import { assertAdministrator } from '#src/domain/administration.ts';
import { PROJECT_STATUS } from '#src/domain/authorization.ts';
import { selectProjects, type ProjectRow } from './project.repository.ts';
import type { ProjectContext } from './project.service.ts';

/** Statuses an administrator may list by. */
const ADMIN_PROJECT_STATUSES: readonly number[] = [PROJECT_STATUS.active, PROJECT_STATUS.closed, PROJECT_STATUS.archived];

export async function listProjectsForAdmin(
  ctx: ProjectContext,
  filters: { statuses: readonly number[]; nameContains?: string | undefined },
  page: { offset: number; limit: number },
): Promise<{ rows: ProjectRow[]; total: number }> {
  assertAdministrator(ctx.actor);
  const statuses = filters.statuses.filter((s) => ADMIN_PROJECT_STATUSES.includes(s));
  return selectProjects(ctx.db.orm, undefined, { statuses, nameContains: filters.nameContains }, page);
}
