/**
 * Who sees and changes which time entries (Redmine's TimeEntry.visible_condition, #visible?,
 * #editable_by?), as predicates and as one SQL condition, and a time entry's validation rules with
 * Redmine's messages, in Redmine's order.
 */
import { sql, type SQL } from 'drizzle-orm';
import { allowedTo, isLoggedIn, type Actor, type ProjectAccess, type RoleGrant } from '#src/domain/authorization.ts';
import { formatHours, minutePrecisionHours, type TimespanFormat } from '#src/domain/hours.ts';
import { allowedProjectsCondition } from '#src/features/access/index.ts';

/** Does the role show this entry (its time_entries_visibility: all, or only the user's own)? */
function roleShowsEntry(actor: Actor, role: RoleGrant, entryUserId: number): boolean {
  return (role.timeEntriesVisibility ?? 'all') === 'all' || (isLoggedIn(actor) && entryUserId === actor.userId);
}

/** List time entries of the project (or, without one, anywhere): `view_time_entries`. */
export function canViewTimeEntries(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'view_time_entries', project);
}

/** May the actor see the entry logged for `entryUserId` in the project? */
export function canViewTimeEntry(actor: Actor, project: ProjectAccess, entryUserId: number): boolean {
  return allowedTo(actor, 'view_time_entries', project, (role) => roleShowsEntry(actor, role, entryUserId));
}

/** Redmine's TimeEntry#editable_by?: visible, and `edit_time_entries`, or `edit_own_time_entries` on one's own. */
export function canEditTimeEntry(actor: Actor, project: ProjectAccess, entryUserId: number): boolean {
  if (!canViewTimeEntry(actor, project, entryUserId)) {
    return false;
  }
  const own = isLoggedIn(actor) && entryUserId === actor.userId;
  return (own && allowedTo(actor, 'edit_own_time_entries', project)) || allowedTo(actor, 'edit_time_entries', project);
}

export function canLogTime(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'log_time', project);
}

/** Log time for someone else than oneself (`log_time_for_other_users`). */
export function canLogTimeForOthers(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'log_time_for_other_users', project);
}

function roleCondition(actor: Actor, role: RoleGrant): SQL {
  if ((role.timeEntriesVisibility ?? 'all') === 'all') {
    return sql`TRUE`;
  }
  return isLoggedIn(actor) ? sql`t.user_id = ${actor.userId ?? -1}` : sql`FALSE`;
}

/**
 * The time entries the actor sees, as one condition over `time_entries t JOIN projects p` (Redmine's
 * TimeEntry.visible_condition): projects not archived with time tracking on, where a role of the
 * actor grants `view_time_entries` — for all entries or, by the role's time_entries_visibility, only
 * the actor's own.
 */
export function visibleTimeEntriesCondition(actor: Actor): SQL {
  return allowedProjectsCondition(actor, 'view_time_entries', 'p', { checkProjectState: true, perRole: (role) => roleCondition(actor, role) });
}

const SPENT_ON = /^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$/;
const LEADING_DAY = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})/;

function realDay(y: number, m: number, d: number): boolean {
  const day = new Date(0);
  day.setUTCFullYear(y, m - 1, d);
  // Year 0 does not exist for PostgreSQL.
  return y > 0 && day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/** The date a `spent_on` holds, as Rails casts and Redmine's DateValidator judges what was sent. */
export interface SpentOn {
  /** `YYYY-MM-DD`, or null when blank or unreadable. */
  readonly day: string | null;
  /** Sent as text that is not `YYYY-MM-DD` (optionally ` 00:00:00`) naming a real day. */
  readonly notADate: boolean;
}

/**
 * `spent_on` as sent: blank is no date; `YYYY-MM-DD` naming a real day is that day; other text is
 * "not a valid date", and no date at all unless it starts with a real day (Rails still reads that).
 */
export function parseSpentOn(raw: string | null): SpentOn {
  if (raw === null || raw.trim() === '') {
    return { day: null, notADate: false };
  }
  const exact = SPENT_ON.exec(raw);
  if (exact && realDay(Number(exact[1]), Number(exact[2]), Number(exact[3]))) {
    return { day: raw.slice(0, 10), notADate: false };
  }
  const leading = LEADING_DAY.exec(raw);
  const [y, m, d] = leading ? [Number(leading[1]), Number(leading[2]), Number(leading[3])] : [0, 0, 0];
  const day = leading && realDay(y, m, d) ? `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : null;
  return { day, notADate: true };
}

/** A time entry as it will be saved, before validation. */
export interface TimeEntryDraft {
  /** Null when blank. */
  readonly userId: number | null;
  readonly activityId: number | null;
  readonly projectId: number | null;
  readonly issueId: number | null;
  /** Hours as Rails casts them (null when blank); `hoursNotANumber` when the text was no number. */
  readonly hours: number | null;
  readonly hoursNotANumber: boolean;
  readonly spentOn: SpentOn;
  readonly comments: string | null;
}

/** What the checks that need the database found, and the settings that apply. */
export interface TimeEntryChecks {
  /** The custom values' messages (Redmine validates them first). */
  readonly customFieldErrors: readonly string[];
  /** `timelog_required_fields`. */
  readonly requiredFields: ReadonlySet<string>;
  /** The project exists and may take the entry. */
  readonly projectValid: boolean;
  readonly userValid: boolean;
  readonly issueValid: boolean;
  /** The activity was set or changed and is not one of the project's active activities. */
  readonly activityUnavailable: boolean;
  /** Hours were set or changed (the zero and per-day checks apply only then). */
  readonly hoursChanged: boolean;
  readonly acceptZeroHours: boolean;
  /** `timelog_max_hours_per_day`; 0: no limit. */
  readonly maxHoursPerDay: number;
  /** Hours of the user's other entries on that day. */
  readonly otherHoursThatDay: number;
  readonly timespanFormat: TimespanFormat;
  /** The date was set or changed to after today and future dates are refused. */
  readonly futureDateRefused: boolean;
}

const isBlank = (text: string | null) => text === null || text.trim() === '';

/** Redmine's TimeEntry validations with their full messages, in the order Redmine reports them. */
export function timeEntryErrors(draft: TimeEntryDraft, checks: TimeEntryChecks): string[] {
  const errors = [...checks.customFieldErrors];
  const blank: [unknown, string][] = [
    [draft.userId, 'User'],
    [draft.activityId, 'Activity'],
    [draft.projectId, 'Project'],
    [draft.hours, 'Hours'],
    [draft.spentOn.day, 'Date'],
  ];
  errors.push(...blank.filter(([value]) => value === null).map(([, label]) => `${label} cannot be blank`));
  if (checks.requiredFields.has('issue_id') && draft.issueId === null) {
    errors.push('Issue cannot be blank');
  }
  if (checks.requiredFields.has('comments') && isBlank(draft.comments)) {
    errors.push('Comment cannot be blank');
  }
  if (draft.hoursNotANumber) {
    errors.push('Hours is invalid');
  }
  // Ruby's String#length: characters, not UTF-16 units.
  if (draft.comments !== null && [...draft.comments].length > 1024) {
    errors.push('Comment is too long (maximum is 1024 characters)');
  }
  if (draft.spentOn.notADate) {
    errors.push('Date is not a valid date');
  }
  if (draft.hours !== null) {
    const hours = minutePrecisionHours(draft.hours);
    // Kanri: more minutes than a float holds is no duration (Redmine fails with a 500 there).
    if (hours < 0 || !Number.isFinite(hours)) {
      errors.push('Hours is invalid');
    }
    if (hours === 0 && checks.hoursChanged && !checks.acceptZeroHours) {
      errors.push('Hours is invalid');
    }
    if (checks.hoursChanged && checks.maxHoursPerDay > 0 && checks.otherHoursThatDay + hours > checks.maxHoursPerDay) {
      const max = formatHours(checks.maxHoursPerDay, checks.timespanFormat);
      const logged = formatHours(checks.otherHoursThatDay, checks.timespanFormat);
      errors.push(`Cannot log more than ${max} hours on the same day (${logged} hours have already been logged)`);
    }
  }
  if (!checks.projectValid) {
    errors.push('Project is invalid');
  }
  if (!checks.userValid) {
    errors.push('User is invalid');
  }
  if (!checks.issueValid) {
    errors.push('Issue is invalid');
  }
  if (checks.activityUnavailable) {
    errors.push('Activity is not included in the list');
  }
  if (checks.futureDateRefused) {
    errors.push('Cannot log time on a future date');
  }
  return errors;
}
