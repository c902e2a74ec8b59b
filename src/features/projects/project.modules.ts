/**
 * The modules tab of a project's settings (Redmine's ProjectsController#modules): which project
 * modules are enabled. Its own permission, `select_project_modules`, not `edit_project`.
 */
import { allowedTo } from '#src/domain/authorization.ts';
import { PROJECT_MODULES } from '#src/domain/permissions.ts';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { replaceEnabledModules, type ProjectRow } from './project.repository.ts';
import { loadProjectAccess, type ProjectContext } from './project.service.ts';

/** Enables exactly these modules (unknown names are refused with Redmine's message). */
export async function updateEnabledModules(ctx: ProjectContext, project: ProjectRow, names: readonly string[]): Promise<void> {
  if (!allowedTo(ctx.actor, 'select_project_modules', await loadProjectAccess(ctx.db.orm, project))) {
    throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
  }
  const wanted = [...new Set(names.filter((name) => name !== ''))];
  if (wanted.some((name) => !(PROJECT_MODULES as readonly string[]).includes(name))) {
    throw new ValidationError(['Enabled modules is invalid']);
  }
  await ctx.db.orm.transaction(async (tx) => {
    await replaceEnabledModules(tx, project.id, wanted);
  });
}
