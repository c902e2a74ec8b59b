/**
 * What the filter form of an issue list offers to choose from, for the projects the list covers, and
 * the CSS classes of priorities (Redmine's IssuePriority#css_classes), which themes colour rows by.
 */
import { sql } from 'drizzle-orm';
import { memoAsOf } from '#src/db/version-memo.ts';
import { allowedProjectsCondition } from '#src/features/access/index.ts';
import { sharedVersionIds } from '#src/features/versions/index.ts';
import type { ListChoices } from './issue-list.filters.ts';
import {
  selectCategoryChoices,
  selectGroupChoices,
  selectMemberPrincipals,
  selectPriorityChoices,
  selectProjectChoices,
  selectRoleChoices,
  selectStatusChoices,
  selectTrackerChoices,
  selectVersionChoices,
  type PriorityChoiceRow,
} from './issue-list.choices.repository.ts';
import type { ListScope } from './issue-list.service.ts';
import type { IssueContext } from './issue.plan.ts';

type LoadedChoices = ListChoices & { readonly priorityRows: readonly PriorityChoiceRow[] };

/**
 * The choices, once per data version for the same viewer and scope (`dataVersion` of a GET request;
 * undefined computes): they are ten queries, the same on every reload of a list, and change only by
 * a commit.
 */
export function loadListChoices(ctx: IssueContext, scope: ListScope, dataVersion: string | undefined): Promise<LoadedChoices> {
  const { actor } = ctx;
  const viewer = actor.userId === undefined ? 'anonymous' : `${actor.userId}:${actor.isAdmin}`;
  const key = `issue-list-choices\u0001${viewer}\u0001${scope.project?.id ?? ''}\u0001${scope.projectIds?.join(',') ?? '*'}\u0001${ctx.settings.issue_group_assignment}`;
  return memoAsOf(ctx.db, key, dataVersion, () => computeListChoices(ctx, scope));
}

async function computeListChoices(ctx: IssueContext, scope: ListScope): Promise<LoadedChoices> {
  const { db, actor } = ctx;
  const visibleProjects = allowedProjectsCondition(actor, 'view_issues', 'p', { checkProjectState: true });
  const project = scope.project;
  const [projects, subprojects] = await Promise.all([
    project ? [] : selectProjectChoices(db, visibleProjects),
    project ? selectProjectChoices(db, sql`p.lft > ${project.lft ?? 0} AND p.rgt < ${project.rgt ?? 0} AND p.status <> 9`) : [],
  ]);
  const projectIds = scope.projectIds ?? projects.map((p) => p.id);
  const [statuses, trackers, priorityRows, principals, shared, categories, groups, roles] = await Promise.all([
    selectStatusChoices(db),
    selectTrackerChoices(db, scope.projectIds),
    selectPriorityChoices(db),
    selectMemberPrincipals(db, projectIds, ctx.settings.issue_group_assignment === '1'),
    project ? sharedVersionIds(db, project.id) : new Set<number>(),
    project ? selectCategoryChoices(db, projectIds) : [],
    selectGroupChoices(db),
    selectRoleChoices(db),
  ]);
  const versions = await selectVersionChoices(db, projectIds, [...shared]);
  return {
    statuses,
    trackers,
    priorities: priorityRows,
    priorityRows,
    principals,
    versions,
    categories,
    projects,
    subprojects,
    groups,
    roles,
    isLoggedIn: actor.userId !== undefined,
  };
}

/**
 * `priority-N priority-<position name>` for each active priority (Redmine's IssuePriority#css_classes,
 * from the position names Redmine stores: `lowest`, `default`, `high2`…).
 */
export function priorityClasses(priorities: readonly PriorityChoiceRow[]): Map<number, string> {
  return new Map(priorities.map((p) => [p.id, p.position_name ? `priority-${p.id} priority-${p.position_name}` : `priority-${p.id}`]));
}
