/**
 * A version's progress as Redmine's roadmap computes it (Version#closed_percent, #completed_percent,
 * #completed?), over the issues the viewer sees. Issues weigh their total estimated time; issues
 * without an estimate weigh the average estimate (1 when no issue has one). Pure.
 */

export interface ProgressIssue {
  readonly closed: boolean;
  readonly doneRatio: number;
  /** The issue's total estimated hours (with its subtasks'), 0 when none. */
  readonly estimated: number;
}

export interface VersionProgress {
  readonly count: number;
  readonly closedCount: number;
  readonly openCount: number;
  /** Share of the closed issues, 0–100. */
  readonly closedPercent: number;
  /** Closed issues plus the done part of the open ones, 0–100. */
  readonly completedPercent: number;
}

export function versionProgress(issues: readonly ProgressIssue[]): VersionProgress {
  const count = issues.length;
  const closedCount = issues.filter((i) => i.closed).length;
  const openCount = count - closedCount;
  if (count === 0) {
    return { count, closedCount, openCount, closedPercent: 0, completedPercent: 0 };
  }
  const estimated = issues.filter((i) => i.estimated > 0);
  const average = estimated.length > 0 ? estimated.reduce((sum, i) => sum + i.estimated, 0) / estimated.length : 1;
  const progress = (open: boolean) =>
    issues
      .filter((i) => i.closed !== open)
      .reduce((sum, i) => sum + (i.estimated > 0 ? i.estimated : average) * (i.closed ? 100 : i.doneRatio), 0) /
    (average * count);
  const closedPercent = progress(false);
  return { count, closedCount, openCount, closedPercent, completedPercent: openCount === 0 ? 100 : closedPercent + progress(true) };
}

/**
 * Redmine's Version#completed?: closed, or past its due date with no open issue (counted over all its
 * issues, whoever may see them). `today` is the viewer's `YYYY-MM-DD`.
 */
export function isVersionCompleted(version: { status: string | null; effective_date: string | null }, openIssues: number, today: string): boolean {
  return version.status === 'closed' || (version.effective_date !== null && version.effective_date < today && openIssues === 0);
}

/** Days from `today` to the due date (negative when late); undefined without a due date. */
export function daysUntil(dueDate: string | null, today: string): number | undefined {
  if (!dueDate) {
    return undefined;
  }
  return Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** Redmine's version ordering: by due date (versions without one last), then name, then id. */
export function compareVersions(a: { id: number; name: string; effective_date: string | null }, b: { id: number; name: string; effective_date: string | null }): number {
  if (a.effective_date !== b.effective_date) {
    if (a.effective_date === null) {
      return 1;
    }
    if (b.effective_date === null) {
      return -1;
    }
    return a.effective_date < b.effective_date ? -1 : 1;
  }
  if (a.name !== b.name) {
    return a.name < b.name ? -1 : 1;
  }
  return a.id - b.id;
}
