/** The visible projects a list asks for, with what each item shows, in a fixed number of queries. */
import type { Params } from '#src/api/params.ts';
import { allowedTo, canViewProject } from '#src/domain/authorization.ts';
import { ValidationError } from '#src/errors.ts';
import { customFieldFilters, customFieldVisibleTo, customValueSheet, presentedCustomFields } from '#src/features/custom-fields/index.ts';
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
import { selectActivityRefs, selectCategoryRefs, selectDefaults, selectIssueCustomFieldRefs } from './project.sections.ts';

export type ProjectInclude = 'trackers' | 'enabled_modules' | 'issue_categories' | 'issue_custom_fields' | 'time_entry_activities';

/**
 * A page of the projects the actor sees, filtered; `params` may name project custom-field filters
 * (`cf_N`, short or long form), refused with Redmine's messages when unusable.
 */
export async function listVisibleProjects(
  ctx: ProjectContext,
  filters: ProjectListFilters,
  page: { offset: number; limit: number },
  params: Params = {},
): Promise<{ rows: ProjectRow[]; total: number }> {
  const custom = await customFieldFilters(ctx.db, params, ctx.actor, { target: 'Project' });
  if (custom.errors.length > 0) {
    throw new ValidationError(custom.errors);
  }
  return selectProjects(ctx.db.orm, visibleProjectsCondition(ctx.actor), { ...filters, conditions: custom.conditions }, page);
}

/**
 * Parent refs, and the included sections the actor may see, for every project of a page at once (one
 * query per section asked for). `show` adds the default version and assignee, which only show has.
 */
export async function presentationsOf(
  ctx: ProjectContext,
  rows: ProjectRow[],
  include: ReadonlySet<string>,
  options: { show?: boolean } = {},
): Promise<Map<number, ProjectPresentation>> {
  const ids = rows.map((r) => r.id);
  const parentIds = [...new Set(rows.map((r) => r.parentId).filter((id): id is number => id !== null))];
  const none = Promise.resolve(undefined);
  const [modules, trackers, parents, categories, issueFields, activities, defaults, customValues] = await Promise.all([
    selectEnabledModules(ctx.db.orm, [...ids, ...parentIds]),
    include.has('trackers') ? selectProjectTrackers(ctx.db.orm, ids) : Promise.resolve(new Map<number, { id: number; name: string }[]>()),
    findProjectsByIds(ctx.db.orm, parentIds),
    include.has('issue_categories') ? selectCategoryRefs(ctx.db, ids) : none,
    include.has('issue_custom_fields') ? selectIssueCustomFieldRefs(ctx.db, ids) : none,
    include.has('time_entry_activities') ? selectActivityRefs(ctx.db, ids) : none,
    options.show ? selectDefaults(ctx.db, ids) : none,
    customValueSheet(ctx.db, 'Project', ids),
  ]);
  const out = new Map<number, ProjectPresentation>();
  for (const row of rows) {
    const access = projectAccess(row, modules.get(row.id) ?? []);
    const parent = parents.find((p) => p.id === row.parentId);
    const parentVisible = parent && canViewProject(ctx.actor, projectAccess(parent, modules.get(parent.id) ?? []));
    const viewIssues = allowedTo(ctx.actor, 'view_issues', access);
    out.set(row.id, {
      parent: parentVisible ? { id: parent.id, name: parent.name } : undefined,
      defaultVersion: defaults?.get(row.id)?.version,
      defaultAssignee: defaults?.get(row.id)?.assignee,
      // Redmine's Project#visible_custom_field_values: visible fields, or a role of the viewer in the project.
      customFields: presentedCustomFields(customValues, row.id, (field) => customFieldVisibleTo(field, ctx.actor, row.id, access)),
      trackers: include.has('trackers') && viewIssues ? (trackers.get(row.id) ?? []) : undefined,
      issueCategories: viewIssues ? categories?.get(row.id) : undefined,
      timeEntryActivities: allowedTo(ctx.actor, 'view_time_entries', access) ? activities?.get(row.id) : undefined,
      enabledModules: include.has('enabled_modules') ? (modules.get(row.id) ?? []) : undefined,
      issueCustomFields: viewIssues ? issueFields?.get(row.id) : undefined,
    });
  }
  return out;
}
