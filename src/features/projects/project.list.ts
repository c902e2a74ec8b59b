/** The visible projects a list asks for, with what each item shows, in a fixed number of queries. */
import { allowedTo, canViewProject } from '#src/domain/authorization.ts';
import { visibleProjectsCondition, projectAccess } from './project.policy.ts';
import type { ProjectPresentation } from './project.presenter.ts';
import {
  findProjectsByIds,
  selectEnabledModules,
  selectProjects,
  selectProjectTrackers,
  type ProjectListFilters,
  type ProjectRow,
} from './project.repository.ts';
import type { ProjectContext } from './project.service.ts';

export type ProjectInclude = 'trackers' | 'enabled_modules';

export async function listVisibleProjects(
  ctx: ProjectContext,
  filters: ProjectListFilters,
  page: { offset: number; limit: number },
): Promise<{ rows: ProjectRow[]; total: number }> {
  return selectProjects(ctx.db.orm, visibleProjectsCondition(ctx.actor), filters, page);
}

/** Parent refs, and the included sections the actor may see, for every project of a page at once. */
export async function presentationsOf(
  ctx: ProjectContext,
  rows: ProjectRow[],
  include: ReadonlySet<string>,
): Promise<Map<number, ProjectPresentation>> {
  const ids = rows.map((r) => r.id);
  const parentIds = [...new Set(rows.map((r) => r.parentId).filter((id): id is number => id !== null))];
  const [modules, trackers, parents] = await Promise.all([
    selectEnabledModules(ctx.db.orm, [...ids, ...parentIds]),
    include.has('trackers') ? selectProjectTrackers(ctx.db.orm, ids) : Promise.resolve(new Map<number, { id: number; name: string }[]>()),
    findProjectsByIds(ctx.db.orm, parentIds),
  ]);
  const out = new Map<number, ProjectPresentation>();
  for (const row of rows) {
    const access = projectAccess(row, modules.get(row.id) ?? []);
    const parent = parents.find((p) => p.id === row.parentId);
    const parentVisible = parent && canViewProject(ctx.actor, projectAccess(parent, modules.get(parent.id) ?? []));
    out.set(row.id, {
      parent: parentVisible ? { id: parent.id, name: parent.name } : undefined,
      trackers: include.has('trackers') && allowedTo(ctx.actor, 'view_issues', access) ? (trackers.get(row.id) ?? []) : undefined,
      enabledModules: include.has('enabled_modules') ? (modules.get(row.id) ?? []) : undefined,
    });
  }
  return out;
}
