/** A project as Redmine's API shows it (§6.2). Optional sections appear only when asked and allowed. */
import { list, ref, time, type ApiObject, type ListValue } from '#src/api/resource.ts';
import type { ProjectRow } from './project.repository.ts';
import type { NamedRef } from './project.sections.ts';

export interface ProjectPresentation {
  /** The parent when it exists and the viewer may see it. */
  parent?: { id: number; name: string } | undefined;
  defaultVersion?: NamedRef | undefined;
  defaultAssignee?: NamedRef | undefined;
  /** The custom fields the viewer may see (§1.5); absent when none. */
  customFields?: ListValue | undefined;
  trackers?: NamedRef[] | undefined;
  issueCategories?: NamedRef[] | undefined;
  timeEntryActivities?: NamedRef[] | undefined;
  enabledModules?: NamedRef[] | undefined;
  issueCustomFields?: NamedRef[] | undefined;
}

export function presentProject(p: ProjectRow, extra: ProjectPresentation): ApiObject {
  return {
    id: p.id,
    name: p.name,
    identifier: p.identifier ?? '',
    description: p.description,
    homepage: p.homepage ?? '',
    parent: extra.parent ? ref(extra.parent) : undefined,
    status: p.status,
    is_public: p.isPublic,
    inherit_members: p.inheritMembers,
    default_version: extra.defaultVersion ? ref(extra.defaultVersion) : undefined,
    default_assignee: extra.defaultAssignee ? ref(extra.defaultAssignee) : undefined,
    custom_fields: extra.customFields,
    trackers: extra.trackers ? list('tracker', extra.trackers.map((t) => ref(t))) : undefined,
    issue_categories: extra.issueCategories ? list('issue_category', extra.issueCategories.map((c) => ref(c))) : undefined,
    time_entry_activities: extra.timeEntryActivities ? list('time_entry_activity', extra.timeEntryActivities.map((a) => ref(a))) : undefined,
    enabled_modules: extra.enabledModules ? list('enabled_module', extra.enabledModules.map((m) => ref(m))) : undefined,
    issue_custom_fields: extra.issueCustomFields ? list('custom_field', extra.issueCustomFields.map((f) => ref(f))) : undefined,
    created_on: time(p.createdOn),
    updated_on: time(p.updatedOn),
  };
}
