/**
 * The `issue` object of a create/update body, read at the API boundary: each attribute typed, absent
 * ones left undefined (unchanged), `""`/null meaning "clear". A value of the wrong type is an error
 * naming the field, so a bad request writes nothing instead of clearing a field as Rails' casting would.
 */
import { uploadParamsOf, type UploadParam } from '#src/features/attachments/index.ts';
import { paramBool, paramInt, paramList, paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import { parseHours } from '#src/domain/hours.ts';

export interface IssueInput {
  /** Id or identifier. */
  projectId?: string | undefined;
  trackerId?: number | undefined;
  statusId?: number | undefined;
  priorityId?: number | null | undefined;
  subject?: string | undefined;
  description?: string | null | undefined;
  categoryId?: number | null | undefined;
  fixedVersionId?: number | null | undefined;
  /** A user or group id, or `me`. */
  assignedToId?: number | 'me' | null | undefined;
  /** The text as sent (`41`, `#41`) so an unusable value can be reported as Redmine does. */
  parentIssueId?: string | null | undefined;
  startDate?: string | null | undefined;
  dueDate?: string | null | undefined;
  doneRatio?: number | null | undefined;
  estimatedHours?: number | null | undefined;
  isPrivate?: boolean | undefined;
  watcherUserIds?: number[] | undefined;
  notes?: string | undefined;
  privateNotes?: boolean | undefined;
  deletedAttachmentIds?: number[] | undefined;
  lockVersion?: number | undefined;
  /** Files uploaded beforehand (`issue.uploads` or top-level `attachments`). */
  uploads: UploadParam[];
  /** The raw object, for the custom field reader of its own feature. */
  raw: Params;
  /** Set when the create copies an issue (`copy_from`); see issue.copy.ts. */
  copy?: IssueCopyParams | undefined;
}

/**
 * The parameters of a create that copies an issue. Redmine reads them at the top level of the request
 * (`copy_from=5&link_copy=1`); Kanri also takes them inside `issue`, where an XML body can carry them.
 */
export interface IssueCopyParams {
  /** `copy_from` as sent; one that names no issue the user sees is a 404. */
  readonly copyFrom: string;
  /** `link_copy` given as yes (`1`, `true`): counts when the setting link_copied_issue is `ask`. */
  readonly linkCopy: boolean;
  /** `copy_attachments` given as yes: counts when the setting copy_attachments_on_issue_copy is `ask`. */
  readonly copyAttachments: boolean;
  /** `copy_subtasks` given and not a no (`0`, `false`): Redmine copies subtasks when it is present. */
  readonly copySubtasks: boolean;
  /** False when a bulk copy's `copy_watchers` says no; a single copy takes the watchers (Redmine's `:watchers => true`). */
  readonly copyWatchers?: boolean;
}

/** The copy parameters, top level first, else inside `issue`; undefined when `copy_from` is absent or null. */
function copyParamsOf(params: Params, raw: Params): IssueCopyParams | undefined {
  const read = (key: string) => (Object.hasOwn(params, key) ? params[key] : raw[key]);
  const copyFrom = read('copy_from');
  if (copyFrom === undefined || copyFrom === null) {
    return undefined;
  }
  const subtasks = read('copy_subtasks');
  return {
    copyFrom: paramString(copyFrom) ?? '',
    linkCopy: paramBool(read('link_copy')) === true,
    copyAttachments: paramBool(read('copy_attachments')) === true,
    copySubtasks: subtasks !== undefined && subtasks !== null && subtasks !== '' && paramBool(subtasks) !== false,
  };
}

export const ISSUE_FIELD_LABELS: Record<string, string> = {
  project_id: 'Project',
  tracker_id: 'Tracker',
  status_id: 'Status',
  priority_id: 'Priority',
  subject: 'Subject',
  description: 'Description',
  category_id: 'Category',
  fixed_version_id: 'Target version',
  assigned_to_id: 'Assignee',
  parent_issue_id: 'Parent task',
  start_date: 'Start date',
  due_date: 'Due date',
  done_ratio: '% Done',
  estimated_hours: 'Estimated time',
  is_private: 'Private',
  watcher_user_ids: 'Watchers',
  notes: 'Notes',
  private_notes: 'Private notes',
  lock_version: 'Lock version',
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in YYYY-MM-DD (also accepts a time part, as Rails does). */
export function parseDate(text: string): string | undefined {
  const match = DATE.exec(text.trim().slice(0, 10));
  if (!match || (text.trim().length > 10 && !/^[T ]/.test(text.trim().slice(10)))) {
    return undefined;
  }
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? match[0] : undefined;
}

const isBlank = (value: ParamValue | undefined) => value === null || value === '';

export function issueInputOf(params: Params): { input: IssueInput; errors: string[] } {
  const raw = paramObject(params.issue) ?? {};
  const errors: string[] = [];
  const has = (key: string) => Object.hasOwn(raw, key);
  const invalid = (key: string) => {
    errors.push(`${ISSUE_FIELD_LABELS[key] ?? key} is invalid`);
    return undefined;
  };
  /** An id attribute: a number, or null when blank; errors on anything else. */
  const id = (key: string): number | null | undefined => {
    if (!has(key)) {
      return undefined;
    }
    if (isBlank(raw[key])) {
      return null;
    }
    const n = paramInt(raw[key]);
    return n !== undefined && n > 0 && n <= 2_147_483_647 ? n : invalid(key);
  };
  const requiredId = (key: string): number | undefined => {
    const value = id(key);
    return value === null ? invalid(key) : value;
  };
  const text = (key: string): string | undefined => {
    if (!has(key)) {
      return undefined;
    }
    const value = raw[key] === null ? '' : paramString(raw[key]);
    return value === undefined ? invalid(key) : value;
  };
  const date = (key: string): string | null | undefined => {
    if (!has(key)) {
      return undefined;
    }
    if (isBlank(raw[key])) {
      return null;
    }
    const value = paramString(raw[key]);
    const parsed = value === undefined ? undefined : parseDate(value);
    if (parsed === undefined) {
      errors.push(`${ISSUE_FIELD_LABELS[key]} is not a valid date`);
    }
    return parsed;
  };
  const bool = (key: string): boolean | undefined => {
    if (!has(key)) {
      return undefined;
    }
    const value = paramBool(raw[key]);
    return value === undefined ? invalid(key) : value;
  };
  const ids = (key: string): number[] | undefined => {
    if (!has(key)) {
      return undefined;
    }
    const items = paramList(raw[key]).filter((item) => item !== '');
    const numbers = items.map((item) => paramInt(item));
    return numbers.every((n): n is number => n !== undefined && n > 0) ? numbers : invalid(key);
  };

  const input: IssueInput = { raw, uploads: uploadParamsOf(params) };
  if (has('project_id')) {
    input.projectId = paramString(raw.project_id) ?? '';
  }
  input.trackerId = requiredId('tracker_id');
  input.statusId = requiredId('status_id');
  input.priorityId = id('priority_id');
  input.subject = text('subject');
  if (has('description')) {
    input.description = raw.description === null ? null : text('description');
  }
  input.categoryId = id('category_id');
  input.fixedVersionId = id('fixed_version_id');
  if (has('assigned_to_id')) {
    input.assignedToId = paramString(raw.assigned_to_id) === 'me' ? 'me' : id('assigned_to_id');
  }
  if (has('parent_issue_id')) {
    input.parentIssueId = isBlank(raw.parent_issue_id) ? null : (paramString(raw.parent_issue_id)?.trim() ?? invalid('parent_issue_id'));
  }
  input.startDate = date('start_date');
  input.dueDate = date('due_date');
  if (has('done_ratio')) {
    input.doneRatio = isBlank(raw.done_ratio) ? null : (paramInt(raw.done_ratio) ?? -1);
  }
  if (has('estimated_hours')) {
    // Redmine's Issue#estimated_hours=: text through String#to_hours; blank text (spaces too) clears.
    const value = raw.estimated_hours;
    const text = typeof value === 'number' ? undefined : paramString(value);
    const hours = isBlank(value) || text?.trim() === '' ? null : typeof value === 'number' ? value : parseHours(text ?? '');
    input.estimatedHours = hours === undefined || (hours !== null && (!Number.isFinite(hours) || hours < 0 || hours > 1e9)) ? invalid('estimated_hours') : hours;
  }
  input.isPrivate = bool('is_private');
  input.watcherUserIds = ids('watcher_user_ids');
  input.notes = text('notes');
  input.privateNotes = bool('private_notes');
  input.deletedAttachmentIds = ids('deleted_attachment_ids');
  if (has('lock_version')) {
    input.lockVersion = paramInt(raw.lock_version) ?? invalid('lock_version');
  }
  input.copy = copyParamsOf(params, raw);
  return { input, errors };
}
