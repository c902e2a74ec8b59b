/**
 * The `time_entry` hash of a create or update body, read as Rails casts each attribute (Redmine's
 * safe_attributes: user_id, hours, comments, project_id, issue_id, activity_id, spent_on, custom
 * fields). Absent keys stay undefined (unchanged); blank values are null.
 */
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import { parseHours, rubyLenientFloat } from '#src/domain/hours.ts';

/** Hours as sent: the number they mean, or the number Rails would cast text that is no duration to. */
export interface HoursInput {
  /** Null when blank. */
  readonly value: number | null;
  /** The text was no number (Redmine: "Hours is invalid"). */
  readonly notANumber: boolean;
}

export interface TimeEntryInput {
  /** A project id or identifier; null when blank. */
  projectId?: string | null | undefined;
  issueId?: number | null | undefined;
  userId?: number | null | undefined;
  activityId?: number | null | undefined;
  hours?: HoursInput | undefined;
  comments?: string | null | undefined;
  /** The date as sent; null when blank or not text. */
  spentOn?: string | null | undefined;
  /** The hash itself, where the custom values are read from. */
  body: Params;
}

const isBlank = (value: ParamValue | undefined) => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/**
 * Rails' integer cast: blank → nil; a number → its integer part; text → its leading integer (`to_i`,
 * 0 when there is none); anything else 0, which names no record. Past an integer column: 0 as well.
 */
export function castId(value: ParamValue | undefined): number | null {
  if (isBlank(value)) {
    return null;
  }
  let n = 0;
  if (typeof value === 'number') {
    n = Math.trunc(value);
  } else if (typeof value === 'boolean') {
    n = value ? 1 : 0;
  } else if (typeof value === 'string') {
    n = Number.parseInt(value.trim(), 10);
  }
  return Number.isSafeInteger(n) && Math.abs(n) <= 2_147_483_647 ? n + 0 : 0;
}

/** Redmine's TimeEntry#hours=: text goes through String#to_hours; what is not a duration stays invalid. */
export function castHours(value: ParamValue | undefined): HoursInput {
  if (isBlank(value)) {
    return { value: null, notANumber: false };
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { value, notANumber: false } : { value: 0, notANumber: true };
  }
  const text = paramString(value);
  if (text === undefined) {
    return { value: 0, notANumber: true };
  }
  const hours = parseHours(text);
  return hours === undefined ? { value: rubyLenientFloat(text), notANumber: true } : { value: hours, notANumber: false };
}

/** The request's `time_entry` hash as input, or undefined when the request has none. */
export function timeEntryInputOf(params: Params): TimeEntryInput | undefined {
  const entry = paramObject(params.time_entry);
  if (!entry) {
    return undefined;
  }
  const has = (key: string) => Object.hasOwn(entry, key);
  const input: TimeEntryInput = { body: entry };
  if (has('project_id')) {
    input.projectId = isBlank(entry.project_id) ? null : (paramString(entry.project_id)?.trim() ?? '0');
  }
  if (has('issue_id')) {
    input.issueId = castId(entry.issue_id);
  }
  if (has('user_id')) {
    input.userId = castId(entry.user_id);
  }
  if (has('activity_id')) {
    input.activityId = castId(entry.activity_id);
  }
  if (has('hours')) {
    input.hours = castHours(entry.hours);
  }
  if (has('comments')) {
    input.comments = entry.comments === null ? null : (paramString(entry.comments) ?? null);
  }
  if (has('spent_on')) {
    input.spentOn = paramString(entry.spent_on) ?? null;
  }
  return input;
}
