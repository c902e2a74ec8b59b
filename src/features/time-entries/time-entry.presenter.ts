/** A time entry as Redmine's API shows it (§6.6; timelog/show.api.rsb), list items and show alike. */
import { float, ref, isoTime, type ApiObject } from '#src/api/resource.ts';
import { shownHours } from '#src/domain/hours.ts';
import { presentCustomValues } from '#src/features/custom-fields/index.ts';
import type { TimeEntryView } from './time-entry.service.ts';


/**
 * `issue` (id only) when the entry is on one; `user` and `activity` when they still exist; hours at
 * minute precision to two decimals (Redmine 6); `custom_fields` only when the viewer sees some. No
 * `author`, as in Redmine.
 */
export function presentTimeEntry({ row, customFields, customValues }: TimeEntryView): ApiObject {
  return {
    id: row.id,
    project: ref({ id: row.project_id, name: row.project_name }),
    issue: row.issue_id !== null ? ref({ id: row.issue_id }) : undefined,
    user: row.user_name !== null ? ref({ id: row.user_id, name: row.user_name }) : undefined,
    activity: row.activity_name !== null ? ref({ id: row.activity_id, name: row.activity_name }) : undefined,
    hours: float(shownHours(row.hours)),
    comments: row.comments,
    spent_on: row.spent_on,
    created_on: isoTime(row.created_on),
    updated_on: isoTime(row.updated_on),
    custom_fields: customFields.length > 0 ? presentCustomValues(customFields, customValues) : undefined,
  };
}
