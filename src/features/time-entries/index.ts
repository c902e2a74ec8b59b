/**
 * Time entries (Redmine's TimeEntry and TimelogController): hours logged on projects and issues.
 * Other features use the issue-facing reads and writes (spent hours of issues and versions, what an
 * issue's deletion or move does to its entries); the REST routes are `timeEntriesApi` in
 * time-entries.api.ts.
 */
export {
  disposeIssueTimeEntries,
  issueSpentHours,
  loggedHoursOnIssues,
  moveIssueTimeEntries,
  versionSpentHours,
  visibleSpentHoursOfIssue,
  type IssueHours,
  type IssueTimeDisposal,
} from './time-entry.issues.ts';
export { createTimeEntry, deleteTimeEntry, getTimeEntry, listTimeEntries, updateTimeEntry, type TimeEntryContext, type TimeEntryView } from './time-entry.service.ts';
export { presentTimeEntry } from './time-entry.presenter.ts';
// The issue form logs time with an issue update: checked first, stored in the update's transaction.
export { prepareTimeEntry, storePreparedTimeEntry, type PreparedTimeEntry } from './time-entry.service.ts';
export { timeEntryInputOf } from './time-entry.input.ts';
export { activityChoices } from './time-entry.choices.ts';
// My page's spent-time block lists the user's own entries as the spent-time list would.
export { timeEntryListScope, timeEntryPage, type TimeEntryListScope } from './time-entry.service.ts';
export { issueLabels } from './time-entry.choices.ts';
