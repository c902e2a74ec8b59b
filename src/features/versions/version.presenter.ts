/** A version as Redmine's API shows it (§6.9): list items and show alike, show adding the hours. */
import { float, ref, isoTime, type ApiObject, type ListValue } from '#src/api/resource.ts';
import type { VersionRow } from './version.repository.ts';


/** Time figures of a version, shown only to those who may view time entries of its project. */
export interface VersionHours {
  readonly estimated: number;
  readonly spent: number;
}

/** `customFields`: the section of the fields the viewer may see (§1.5), absent when none. */
export function presentVersion(v: VersionRow, hours?: VersionHours, customFields?: ListValue): ApiObject {
  return {
    id: v.id,
    project: ref({ id: v.project_id, name: v.project_name }),
    name: v.name,
    description: v.description,
    status: v.status,
    due_date: v.effective_date,
    sharing: v.sharing,
    wiki_page_title: v.wiki_page_title,
    estimated_hours: hours ? float(hours.estimated) : undefined,
    spent_hours: hours ? float(hours.spent) : undefined,
    custom_fields: customFields,
    created_on: isoTime(v.created_on),
    updated_on: isoTime(v.updated_on),
  };
}
