/**
 * Time entries (Redmine's TimeEntry and TimelogController): hours logged on projects and issues.
 * Other features use the issue-facing reads and writes (spent hours of issues and versions, what an
 * issue's deletion or move does to its entries); the REST routes are `timeEntriesApi` in
 * time-entries.api.ts.
 */
export {
  disposeIssueTimeEntries,
  issueSpentHours,
  moveIssueTimeEntries,
  versionSpentHours,
  type IssueHours,
  type IssueTimeDisposal,
} from './time-entry.issues.ts';
export { createTimeEntry, deleteTimeEntry, getTimeEntry, listTimeEntries, updateTimeEntry, type TimeEntryContext, type TimeEntryView } from './time-entry.service.ts';
export { presentTimeEntry } from './time-entry.presenter.ts';
