/**
 * What issues and versions need from time entries: the hours spent on issues (shown to those who may
 * view time entries in the issue's project), a version's spent hours, and what becomes of an issue's
 * entries when the issue is deleted or moved to another project. Plain functions on any Queryable, so
 * the issue feature can call them inside its own transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ValidationError } from '#src/errors.ts';
import { allowedProjectsCondition } from '#src/features/access/index.ts';
import { allowedGlobally } from '#src/features/projects/index.ts';
import { deleteCustomValues } from '#src/features/custom-fields/index.ts';
import { settingList, type Settings } from '#src/features/settings/index.ts';
import { visibleTimeEntriesCondition } from './time-entry.policy.ts';
import {
  deleteTimeEntryRows,
  moveEntriesOfIssues,
  moveEntriesWithIssues,
  selectEntriesOfIssues,
  selectIssueHours,
  selectIssueOfProject,
  selectVersionSpentHours,
} from './time-entry.repository.ts';

/** An issue's `spent_hours` (entries on it) and `total_spent_hours` (on it and its subtasks). */
export interface IssueHours {
  readonly spent: number;
  readonly total: number;
}

/**
 * The spent hours of the issues whose project lets the actor view time entries (Redmine shows
 * `spent_hours`/`total_spent_hours` only then), counting only the entries the actor sees; one query
 * for a whole page. Issues without the permission are absent from the map.
 */
export async function issueSpentHours(db: Queryable, actor: Actor, issues: readonly { readonly id: number }[]): Promise<Map<number, IssueHours>> {
  if (issues.length === 0 || !allowedGlobally(actor, 'view_time_entries')) {
    return new Map();
  }
  const allowed = allowedProjectsCondition(actor, 'view_time_entries', 'xp', { checkProjectState: true });
  return selectIssueHours(db, issues.map((issue) => issue.id), visibleTimeEntriesCondition(actor), allowed);
}

/**
 * The hours logged on the issue aliased `i` that the actor sees, as an SQL expression (0 when none),
 * for the spent-time totals of an issue list (Redmine's IssueQuery#total_for_spent_hours).
 */
export function visibleSpentHoursOfIssue(actor: Actor): SQL {
  return sql`(SELECT coalesce(sum(t.hours), 0)::float8 FROM time_entries t JOIN projects p ON p.id = t.project_id
               WHERE t.issue_id = i.id AND ${visibleTimeEntriesCondition(actor)})`;
}

/** The hours logged on the issues, whoever logged them: the issue delete asks what to do with them when not 0. */
export async function loggedHoursOnIssues(db: Queryable, issueIds: readonly number[]): Promise<number> {
  return issueIds.length === 0 ? 0 : (await selectEntriesOfIssues(db, issueIds)).hours;
}

/** Redmine's Version#spent_hours: the hours logged on the version's issues, whoever logged them. */
export function versionSpentHours(db: Queryable, versionId: number): Promise<number> {
  return selectVersionSpentHours(db, versionId);
}

/** What to do with the time logged on issues being deleted (IssuesController#destroy's `todo`). */
export interface IssueTimeDisposal {
  /** `destroy` (also when absent or unknown), `nullify` or `reassign`. */
  readonly todo?: string | undefined;
  /** With `reassign`: an issue of the same project that is not being deleted. */
  readonly reassignToId?: string | undefined;
}

/**
 * Deals with the entries logged on issues about to be deleted (`issueIds`: the issues and their
 * subtasks, all in `projectId`), in the caller's transaction. When they hold hours, `nullify` keeps
 * them without an issue (refused while the issue is a required field) and `reassign` moves them to
 * another issue of the project; otherwise, as for API callers without `todo` in Redmine, they are
 * deleted with the issues. Refusals are ValidationErrors with Redmine's messages.
 */
export async function disposeIssueTimeEntries(
  db: Queryable,
  settings: Settings,
  issueIds: readonly number[],
  projectId: number,
  disposal: IssueTimeDisposal,
): Promise<void> {
  const entries = await selectEntriesOfIssues(db, issueIds);
  if (entries.ids.length === 0) {
    return;
  }
  if (entries.hours > 0 && disposal.todo === 'nullify') {
    if (settingList(settings, 'timelog_required_fields').includes('issue_id')) {
      throw new ValidationError(['Issue cannot be blank']);
    }
    await moveEntriesOfIssues(db, issueIds, null);
    return;
  }
  if (entries.hours > 0 && disposal.todo === 'reassign') {
    const id = disposal.reassignToId?.trim() ?? '';
    const target = /^\d{1,9}$/.test(id) ? await selectIssueOfProject(db, Number(id), projectId) : undefined;
    if (!target) {
      throw new ValidationError(['The issue was not found or does not belong to this project']);
    }
    if (issueIds.includes(target.id)) {
      throw new ValidationError(['Spent time cannot be reassigned to an issue that is about to be deleted']);
    }
    await moveEntriesOfIssues(db, issueIds, { issueId: target.id, projectId: target.project_id });
    return;
  }
  await deleteCustomValues(db, 'TimeEntry', entries.ids);
  await deleteTimeEntryRows(db, entries.ids);
}

/** Issues moved to another project take the time logged on them along (Redmine's Issue#after_project_change). */
export function moveIssueTimeEntries(db: Queryable, issueIds: readonly number[], projectId: number): Promise<void> {
  return moveEntriesWithIssues(db, issueIds, projectId);
}
