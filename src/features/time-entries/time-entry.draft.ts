/**
 * A time entry as a create or update request leaves it, before it is stored (Redmine's
 * TimeEntry#safe_attributes=, set_project_if_nil, default activity and validations): which issue and
 * project it is on, for whom, with which activity, and whether that may be saved.
 */
import { canViewProject, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewIssue, issueFactsOf } from '#src/domain/issue-visibility.ts';
import { ValidationError } from '#src/errors.ts';
import { customFieldVisibleTo, planCustomValues, type CustomValuesPlan } from '#src/features/custom-fields/index.ts';
import { utcToday } from '#src/features/issues/issue-filter.dates.ts';
import { findProject, loadProjectAccess, type ProjectContext, type ProjectRow } from '#src/features/projects/index.ts';
import { settingList } from '#src/features/settings/index.ts';
import type { TimeEntryInput } from './time-entry.input.ts';
import { canLogTime, canLogTimeForOthers, parseSpentOn, timeEntryErrors, type SpentOn } from './time-entry.policy.ts';
import {
  selectAvailableActivities,
  selectDefaultActivityCandidates,
  selectIssueFacts,
  selectOtherHoursOnDay,
  selectTimeLoggerIds,
  type IssueFacts,
  type TimeEntryRow,
  type TimeEntryValues,
} from './time-entry.repository.ts';

const today = (ctx: ProjectContext) => utcToday(ctx.now);

/** The entry being built or changed, before validation. */
export interface Draft {
  projectId: number | null;
  /** The project, when it exists and the actor sees it. */
  project: { row: ProjectRow; access: ProjectAccess } | undefined;
  issueId: number | null;
  issue: IssueFacts | undefined;
  userId: number | null;
  authorId: number;
  activityId: number | null;
  hours: number | null;
  hoursNotANumber: boolean;
  spentOn: SpentOn;
  comments: string | null;
}

/** What applying the input found wrong before validation (Redmine's @invalid_issue_id, @invalid_user_id). */
export interface Flags {
  invalidIssue: boolean;
  invalidUser: boolean;
}

/** The project a `project_id` names, if the actor sees it; otherwise it names no project. */
async function projectNamed(ctx: ProjectContext, idOrIdentifier: string): Promise<Draft['project']> {
  const row = await findProject(ctx.db.orm, idOrIdentifier);
  if (!row) {
    return undefined;
  }
  const access = await loadProjectAccess(ctx.db.orm, row);
  return canViewProject(ctx.actor, access) ? { row, access } : undefined;
}

async function projectById(ctx: ProjectContext, id: number): Promise<Draft['project']> {
  return projectNamed(ctx, String(id));
}

/**
 * Redmine's TimeEntry#safe_attributes=: assigns what the request sends; an issue the actor may not
 * see or log time on is invalid, and otherwise brings its project unless one was given; another user
 * needs `log_time_for_other_users` in the entry's project.
 */
export async function applyInput(ctx: ProjectContext, draft: Draft, input: TimeEntryInput, original: TimeEntryRow | undefined): Promise<Flags> {
  const flags: Flags = { invalidIssue: false, invalidUser: false };
  if (input.projectId !== undefined) {
    const named = input.projectId === null ? undefined : await projectNamed(ctx, input.projectId);
    draft.project = named;
    draft.projectId = input.projectId === null ? null : (named?.row.id ?? 0);
  }
  if (input.issueId !== undefined) {
    draft.issueId = input.issueId;
    draft.issue = input.issueId === null ? undefined : await selectIssueFacts(ctx.db, input.issueId);
  }
  const issueChanged = original ? draft.issueId !== original.issue_id : draft.issueId !== null;
  if (issueChanged && draft.issue) {
    const issue = draft.issue;
    const issueProject = await projectById(ctx, issue.project_id);
    const visible =
      issueProject !== undefined &&
      canViewIssue(ctx.actor, issueProject.access, issueFactsOf(issue));
    if (visible && canLogTime(ctx.actor, issueProject.access)) {
      if ((input.projectId === undefined || input.projectId === null) && issue.project_id !== draft.projectId) {
        draft.projectId = issue.project_id;
        draft.project = issueProject;
      }
    } else {
      flags.invalidIssue = true;
    }
  }
  if (input.userId !== undefined) {
    draft.userId = input.userId;
  }
  const userChanged = original ? draft.userId !== original.user_id : true;
  flags.invalidUser = userChanged && draft.userId !== draft.authorId && !(draft.project && canLogTimeForOthers(ctx.actor, draft.project.access));
  if (input.activityId !== undefined) {
    draft.activityId = input.activityId;
  }
  if (input.hours !== undefined) {
    draft.hours = input.hours.value;
    draft.hoursNotANumber = input.hours.notANumber;
  }
  if (input.comments !== undefined) {
    draft.comments = input.comments;
  }
  if (input.spentOn !== undefined) {
    draft.spentOn = parseSpentOn(input.spentOn);
  }
  return flags;
}

/** Redmine's set_project_if_nil (before validation): an entry without a project takes its issue's. */
export async function takeIssueProject(ctx: ProjectContext, draft: Draft): Promise<void> {
  if (draft.projectId === null && draft.issue) {
    draft.projectId = draft.issue.project_id;
    draft.project = await projectById(ctx, draft.issue.project_id);
  }
}

/** Redmine's TimeEntryActivity.default_activity_id: the user's roles' default, the default activity, or the only one. */
export async function defaultActivityId(ctx: ProjectContext, projectId: number | undefined): Promise<number | null> {
  const available = await selectAvailableActivities(ctx.db, projectId);
  const candidates = await selectDefaultActivityCandidates(ctx.db, ctx.actor.userId ?? -1, projectId);
  if (available.length === 1 && available[0]) {
    candidates.push(available[0].id);
  }
  for (const id of candidates) {
    const found = available.find((activity) => activity.id === id || activity.parent_id === id);
    if (found) {
      return found.id;
    }
  }
  return null;
}

/** Validates the draft as Redmine does, then returns what to store; a ValidationError otherwise. */
export async function validated(ctx: ProjectContext, draft: Draft, flags: Flags, original: TimeEntryRow | undefined, customPlan: CustomValuesPlan): Promise<TimeEntryValues> {
  const { settings } = ctx;
  const projectId = draft.project?.row.id;
  const changed = {
    hours: original ? draft.hours !== original.hours : draft.hours !== null,
    activity: original ? draft.activityId !== original.activity_id : draft.activityId !== null,
    user: original ? draft.userId !== original.user_id : true,
    spentOn: original ? draft.spentOn.day !== original.spent_on : true,
    project: original ? draft.projectId !== original.project_id : true,
  };
  // Kanri: an entry moved to another project needs `log_time` there, as creating one does.
  const projectValid = draft.project !== undefined && (!original || !changed.project || canLogTime(ctx.actor, draft.project.access));
  const maxHours = Number(settings.timelog_max_hours_per_day);
  const userNeedsCheck = changed.user && draft.userId !== draft.authorId && !flags.invalidUser;
  const loggers = userNeedsCheck && projectId !== undefined ? await selectTimeLoggerIds(ctx.db, projectId) : new Set<number>();
  const userAssignable = draft.userId !== null && (loggers.has(draft.userId) || draft.userId === ctx.actor.userId);
  const activities = changed.activity && projectId !== undefined ? await selectAvailableActivities(ctx.db, projectId) : [];
  const countsHours = draft.hours !== null && changed.hours && maxHours > 0 && draft.userId !== null && draft.spentOn.day !== null;
  const otherHours = countsHours && draft.userId !== null && draft.spentOn.day !== null ? await selectOtherHoursOnDay(ctx.db, draft.userId, draft.spentOn.day, original?.id) : 0;
  const errors = timeEntryErrors(
    { ...draft },
    {
      customFieldErrors: customPlan.errors,
      requiredFields: new Set(settingList(settings, 'timelog_required_fields')),
      projectValid,
      userValid: !flags.invalidUser && (!userNeedsCheck || userAssignable),
      issueValid: !flags.invalidIssue && !(draft.issueId !== null && !draft.issue) && !(draft.issue && draft.issue.project_id !== draft.projectId),
      activityUnavailable: changed.activity && projectId !== undefined && !activities.some((activity) => activity.id === draft.activityId),
      hoursChanged: changed.hours,
      acceptZeroHours: settings.timelog_accept_0_hours === '1',
      maxHoursPerDay: Number.isFinite(maxHours) ? maxHours : 0,
      otherHoursThatDay: otherHours,
      timespanFormat: settings.timespan_format === 'decimal' ? 'decimal' : 'minutes',
      futureDateRefused: changed.spentOn && draft.spentOn.day !== null && settings.timelog_accept_future_dates !== '1' && draft.spentOn.day > today(ctx),
    },
  );
  const { userId, activityId, hours } = draft;
  const spentOn = draft.spentOn.day;
  if (errors.length > 0 || projectId === undefined || userId === null || activityId === null || hours === null || spentOn === null) {
    throw new ValidationError(errors);
  }
  return { projectId, authorId: draft.authorId, userId, issueId: draft.issueId, hours, comments: draft.comments, activityId, spentOn };
}

/** The custom values of the body, for the fields the actor sees in the entry's project (Redmine's editable_custom_field_values). */
export function planCustomFields(ctx: ProjectContext, draft: Draft, input: TimeEntryInput | undefined, recordId: number | undefined): Promise<CustomValuesPlan> {
  const projectId = draft.project?.row.id ?? -1;
  return planCustomValues(ctx.db, 'TimeEntry', {
    body: input?.body ?? {},
    recordId,
    projectId: draft.project?.row.id,
    editable: (field) => customFieldVisibleTo(field, ctx.actor, projectId, draft.project?.access),
  });
}
