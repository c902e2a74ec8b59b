/**
 * What a project's overview shows (Redmine's ProjectsController#show): description, homepage and
 * custom fields, visible subprojects, issue counts per tracker, members by role and the time
 * totals — each part only for who may see it.
 */
import { allowedTo, canViewProject, type ProjectAccess } from '#src/domain/authorization.ts';
import { customFieldVisibleTo, customValueSheet } from '#src/features/custom-fields/index.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { visibleTimeEntriesCondition } from '#src/features/time-entries/time-entry.policy.ts';
import { formatUserName } from '#src/views/format.ts';
import {
  projectScope,
  selectChildProjects,
  selectEstimatedHours,
  selectIssueCountsByTracker,
  selectPrincipalsByRole,
  selectSpentHours,
  type TrackerCountRow,
} from './project.overview.repository.ts';
import type { ProjectRow } from './project.repository.ts';
import { loadProjectAccess, projectAccessByIds, type ProjectContext } from './project.service.ts';

export interface ProjectOverview {
  readonly access: ProjectAccess;
  readonly subprojects: readonly { name: string; identifier: string }[];
  /** Project custom fields the viewer may see, with their values (blank ones left out, as Redmine does). */
  readonly customFields: readonly { name: string; values: readonly string[] }[];
  /** Undefined without `view_issues`. */
  readonly trackers: readonly TrackerCountRow[] | undefined;
  /** Undefined without `view_members`. */
  readonly membersByRole: readonly { role: string; names: readonly string[] }[] | undefined;
  /** Undefined without `view_time_entries`. */
  readonly hours: { readonly spent: number; readonly estimated: number } | undefined;
  /** The counts include subprojects (the `display_subprojects_issues` setting). */
  readonly withSubprojects: boolean;
}

export async function loadProjectOverview(ctx: ProjectContext, project: ProjectRow): Promise<ProjectOverview> {
  const { db, actor, settings } = ctx;
  const access = await loadProjectAccess(db.orm, project);
  const withSubprojects = settings.display_subprojects_issues === '1';
  const scope = projectScope(project, withSubprojects);
  const can = (permission: string) => allowedTo(actor, permission, access);
  const [children, sheet, trackers, principals, hours] = await Promise.all([
    selectChildProjects(db, project.id),
    customValueSheet(db, 'Project', [project.id]),
    can('view_issues') ? selectIssueCountsByTracker(db, scope, visibleIssuesCondition(actor)) : undefined,
    can('view_members') || can('manage_members') ? selectPrincipalsByRole(db, project.id) : undefined,
    can('view_time_entries')
      ? Promise.all([selectSpentHours(db, scope, visibleTimeEntriesCondition(actor)), selectEstimatedHours(db, scope, visibleIssuesCondition(actor))])
      : undefined,
  ]);
  const childAccess = await projectAccessByIds(db, children.map((c) => c.id));
  const subprojects = children
    .filter((c) => {
      const a = childAccess.get(c.id);
      return a !== undefined && canViewProject(actor, a);
    })
    .map((c) => ({ name: c.name, identifier: c.identifier ?? String(c.id) }));
  const customFields = sheet.fields
    .filter((field) => customFieldVisibleTo(field, actor, project.id, access))
    .map((field) => ({ name: field.name, values: (sheet.values.get(project.id)?.get(field.id) ?? []).filter((v) => v.trim() !== '') }))
    .filter((field) => field.values.length > 0);
  const byRole = new Map<number, { role: string; names: string[] }>();
  for (const row of principals ?? []) {
    const entry = byRole.get(row.role_id) ?? { role: row.role_name, names: [] };
    const name = row.type === 'Group' ? row.lastname : formatUserName(row, settings.user_format);
    entry.names.push(name);
    byRole.set(row.role_id, entry);
  }
  const membersByRole = [...byRole.values()];
  for (const entry of membersByRole) {
    entry.names.sort((a, b) => a.localeCompare(b));
  }
  return {
    access,
    subprojects,
    customFields,
    trackers,
    membersByRole: principals ? membersByRole : undefined,
    hours: hours ? { spent: hours[0], estimated: hours[1] } : undefined,
    withSubprojects,
  };
}
