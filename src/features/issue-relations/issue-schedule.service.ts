/**
 * Rescheduling of following issues (Redmine's Issue#reschedule_on!, IssueRelation#set_issue_to_dates):
 * an issue that follows another (`precedes` relation, `delay` days) starts on the first working day
 * after the preceding issue's due date (or start date) plus the delay, keeping its length in working
 * days, and its own followers move with it. A following issue that starts later than that is pulled
 * back, but never before what its other predecessors allow. A parent whose dates are derived from its
 * subtasks is moved by moving its leaves.
 *
 * Each moved issue gets a journal with its start_date/due_date changes when a user is given (the leaves
 * of a derived parent never do, as in Redmine). Re-deriving a parent's dates after a subtask moved is
 * the issue feature's roll-up, not done here.
 */
import type { Queryable } from '#src/db/database.ts';
import { insertJournal, type JournalDetail } from '#src/features/issues/journal.repository.ts';
import { loadTreeSettings, recalculateAncestors, type TreeSettings } from '#src/features/issues/issue.tree.ts';
import {
  selectFollowers,
  selectLeaves,
  selectPredecessors,
  selectScheduledIssue,
  selectSchedulingSettings,
  updateIssueDates,
  type ScheduledIssue,
} from './issue-schedule.repository.ts';
import { addWorkingDays, nextWorkingDate, workingCalendar, workingDays, type WorkingCalendar } from './working-days.ts';

/** The tenant's scheduling rules. */
export interface SchedulingRules {
  readonly calendar: WorkingCalendar;
  /** Setting `parent_issue_dates` is `derived`: a parent's dates come from its subtasks. */
  readonly derivedParentDates: boolean;
}

/** One rescheduling run: where it writes, when, and a guard against cyclic data. */
export interface ScheduleRun extends SchedulingRules {
  readonly db: Queryable;
  readonly now: Date;
  /** Moves left before the run stops (relations can form cycles through subtasks in old data). */
  stepsLeft: number;
  /** Loaded on the first move that needs them. */
  treeSettings?: TreeSettings;
}

const MAX_STEPS = 10_000;

async function loadSchedulingRules(db: Queryable): Promise<SchedulingRules> {
  const settings = await selectSchedulingSettings(db);
  return { calendar: workingCalendar(settings.nonWorkingWeekDays), derivedParentDates: settings.parentIssueDates === 'derived' };
}

/** A run under the tenant's settings as stored in `db`. */
export async function startScheduleRun(db: Queryable, now: Date): Promise<ScheduleRun> {
  return { ...(await loadSchedulingRules(db)), db, now, stepsLeft: MAX_STEPS };
}

/**
 * The earliest start a follower may have after this predecessor (Redmine's successor_soonest_start):
 * `delay + 1` working days after its due date, or its start date when it has no due date.
 */
export function successorSoonestStart(calendar: WorkingCalendar, predecessor: Pick<ScheduledIssue, 'startDate' | 'dueDate'>, delay: number | null): string | undefined {
  const base = predecessor.dueDate ?? predecessor.startDate;
  return base === null || delay === null ? undefined : addWorkingDays(calendar, base, 1 + delay);
}

function latest(dates: readonly (string | undefined)[]): string | undefined {
  return dates.reduce<string | undefined>((max, d) => (d !== undefined && (max === undefined || d > max) ? d : max), undefined);
}

/** The earliest start the issue's predecessors (and, with derived dates, its ancestors') allow. */
async function soonestStart(db: Queryable, rules: SchedulingRules, issue: ScheduledIssue): Promise<string | undefined> {
  const dates = (await selectPredecessors(db, issue.id)).map((p) => successorSoonestStart(rules.calendar, p, p.delay));
  if (issue.parentId !== null && rules.derivedParentDates) {
    const parent = await selectScheduledIssue(db, issue.parentId);
    if (parent) {
      dates.push(await soonestStart(db, rules, parent));
    }
  }
  return latest(dates);
}

function isLeaf(issue: ScheduledIssue): boolean {
  return issue.lft === null || issue.rgt === null || issue.rgt - issue.lft === 1;
}

function dateDetails(before: ScheduledIssue, startDate: string, dueDate: string): JournalDetail[] {
  const details: JournalDetail[] = [];
  if (before.startDate !== startDate) {
    details.push({ property: 'attr', propKey: 'start_date', oldValue: before.startDate, value: startDate });
  }
  if (before.dueDate !== dueDate) {
    details.push({ property: 'attr', propKey: 'due_date', oldValue: before.dueDate, value: dueDate });
  }
  return details;
}

/**
 * Moves the issue to start on `date` (or the next working day), keeping its working duration, then
 * moves its followers (journalized as `journalUserId` when given). Returns the issue's own date
 * changes, which the caller journalizes (possibly together with other details).
 */
export async function rescheduleOn(run: ScheduleRun, issueId: number, date: string, journalUserId: number | undefined): Promise<JournalDetail[]> {
  run.stepsLeft -= 1;
  const issue = run.stepsLeft >= 0 ? await selectScheduledIssue(run.db, issueId) : undefined;
  if (!issue) {
    return [];
  }
  if (!isLeaf(issue) && run.derivedParentDates) {
    for (const leaf of await selectLeaves(run.db, issue.id)) {
      // Only subtasks starting with the parent, or before the new date, move.
      if (leaf.startDate === null || leaf.startDate === issue.startDate || date > leaf.startDate) {
        await rescheduleOn(run, leaf.id, date, undefined);
      }
    }
    return [];
  }
  if (issue.startDate === date) {
    return [];
  }
  let target = date;
  if (issue.startDate !== null && issue.startDate > date) {
    // Moving earlier: not before what the other predecessors allow.
    target = latest([await soonestStart(run.db, run, issue), date]) ?? date;
  }
  const duration = issue.startDate !== null && issue.dueDate !== null ? workingDays(run.calendar, issue.startDate, issue.dueDate) : 0;
  const startDate = nextWorkingDate(run.calendar, target);
  const dueDate = addWorkingDays(run.calendar, startDate, duration);
  const details = dateDetails(issue, startDate, dueDate);
  if (details.length === 0) {
    return [];
  }
  await updateIssueDates(run.db, issue.id, startDate, dueDate, run.now);
  // Its parents re-derive their dates, as after any save of a subtask.
  run.treeSettings ??= await loadTreeSettings(run.db);
  await recalculateAncestors(run.db, issue.id, run.treeSettings, run.now);
  await moveFollowers(run, { ...issue, startDate, dueDate }, journalUserId);
  return details;
}

/** Reschedules the issues following `issue` from its current dates, journalizing each as the user. */
export async function moveFollowers(run: ScheduleRun, issue: Pick<ScheduledIssue, 'id' | 'startDate' | 'dueDate'>, journalUserId: number | undefined): Promise<void> {
  for (const follower of await selectFollowers(run.db, issue.id)) {
    const date = successorSoonestStart(run.calendar, issue, follower.delay);
    if (date === undefined) {
      continue;
    }
    const details = await rescheduleOn(run, follower.issueId, date, journalUserId);
    if (journalUserId !== undefined) {
      await insertJournal(run.db, { issueId: follower.issueId, userId: journalUserId, notes: null, privateNotes: false, createdOn: run.now, details });
    }
  }
}

/**
 * For the issue feature, after an issue's start or due date changed: moves the issues following it
 * (recursively), each with a journal by `userId` (none when undefined). Runs on `db` as given — pass
 * the transaction of the update.
 */
export async function rescheduleFollowers(db: Queryable, issueId: number, now: Date, userId: number | undefined): Promise<void> {
  const issue = await selectScheduledIssue(db, issueId);
  if (issue) {
    await moveFollowers(await startScheduleRun(db, now), issue, userId);
  }
}

/**
 * The earliest start date the issue's predecessors allow (Redmine's Issue#soonest_start), or
 * undefined: the issue feature refuses an earlier start date ("Start date cannot be earlier than …
 * because of preceding issues").
 */
export async function soonestStartOf(db: Queryable, issueId: number): Promise<string | undefined> {
  const issue = await selectScheduledIssue(db, issueId);
  return issue ? soonestStart(db, await loadSchedulingRules(db), issue) : undefined;
}
