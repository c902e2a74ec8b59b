/**
 * The filters the spent-time list and report offer, as the issue list's filter rows draw them
 * (FilterDefinition: label, type, operators, values): Redmine's TimeEntryQuery filters of the list's
 * context in its order, then the custom fields used as filters of the entries and of their projects,
 * issues and users. The values come
 * from the issue list's choices (statuses, trackers, versions, projects…) and the list's own users
 * and activities. Pure.
 */
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { OPERATORS_BY_TYPE, type FilterCatalogue, type FilterType } from '#src/features/issues/issue-filter.model.ts';
import { customFieldFilter, standardChoices, type FilterChoice, type FilterDefinition, type ListChoices } from '#src/features/issues/issue-list.filters.ts';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { NameParts } from '#src/views/format.ts';

/** What the time-entry filters choose from besides the issue list's choices. */
export interface TimeEntryFilterChoices {
  readonly list: ListChoices;
  readonly users: readonly (NameParts & { readonly id: number })[];
  readonly activities: readonly { readonly id: number; readonly name: string }[];
  /** Fields of the entries (`cf_N`), their projects, issues and users (`project.cf_N`…) the viewer may see. */
  readonly timeEntryFields: readonly CustomFieldDef[];
  readonly projectFields: readonly CustomFieldDef[];
  readonly issueFields: readonly CustomFieldDef[];
  readonly userFields: readonly CustomFieldDef[];
}

/** Each filter's label: a catalog key, or an attribute of the entry's issue, user or project. */
const LABELS: Readonly<Record<string, MessageKey | readonly ['issue' | 'user', MessageKey]>> = {
  spent_on: 'field_spent_on',
  project_id: 'field_project',
  subproject_id: 'label_query_subproject',
  issue_id: 'field_issue',
  'issue.tracker_id': ['issue', 'field_tracker'],
  'issue.parent_id': ['issue', 'field_parent_issue'],
  'issue.status_id': ['issue', 'field_status'],
  'issue.fixed_version_id': ['issue', 'field_fixed_version'],
  'issue.category_id': ['issue', 'field_category'],
  'issue.subject': ['issue', 'field_subject'],
  user_id: 'field_user',
  'user.group': ['user', 'label_group'],
  'user.role': ['user', 'label_role'],
  author_id: 'field_author',
  activity_id: 'field_activity',
  'project.status': 'label_query_project_status',
  comments: 'field_comments',
  hours: 'field_hours',
};

/** The issue list's field whose values a time-entry filter offers. */
const SAME_VALUES: Readonly<Record<string, string>> = {
  project_id: 'project_id',
  subproject_id: 'subproject_id',
  'issue.tracker_id': 'tracker_id',
  'issue.status_id': 'status_id',
  'issue.fixed_version_id': 'fixed_version_id',
  'issue.category_id': 'category_id',
  'user.group': 'member_of_group',
  'user.role': 'assigned_to_role',
  'project.status': 'project.status',
};

function choicesOf(field: string, c: TimeEntryFilterChoices): FilterChoice[] | undefined {
  const same = SAME_VALUES[field];
  if (same !== undefined) {
    return standardChoices(same, c.list);
  }
  switch (field) {
    case 'user_id':
    case 'author_id':
      return [...(c.list.isLoggedIn ? [{ value: 'me', label: { key: 'label_me' } } as const] : []), ...c.users.map((u) => ({ value: String(u.id), label: { user: u } }))];
    case 'activity_id':
      return c.activities.map((a) => ({ value: String(a.id), label: { text: a.name } }));
    default:
      return undefined;
  }
}

/**
 * The definitions of the catalogue's filters (those of the list's context) and of the custom fields;
 * `cfType` is each field's filter type (undefined: it cannot filter).
 */
export function timeEntryFilterDefinitions(
  t: Translate,
  catalogue: FilterCatalogue,
  choices: TimeEntryFilterChoices,
  cfType: (field: CustomFieldDef) => FilterType | undefined,
): FilterDefinition[] {
  const definitions: FilterDefinition[] = [];
  for (const [field, spec] of catalogue) {
    const label = LABELS[field];
    definitions.push({
      field,
      label:
        label === undefined
          ? { text: spec.label }
          : typeof label === 'string'
            ? { key: label }
            : { text: t(label[0] === 'issue' ? 'label_attribute_of_issue' : 'label_attribute_of_user', { name: t(label[1]) }) },
      type: spec.type,
      operators: OPERATORS_BY_TYPE[spec.type],
      choices: choicesOf(field, choices),
      section: 'standard',
    });
  }
  const custom = (fields: readonly CustomFieldDef[], prefix: '' | 'project' | 'issue' | 'user') =>
    fields.flatMap((field) => {
      const type = field.isFilter ? cfType(field) : undefined;
      if (!type) {
        return [];
      }
      const definition = customFieldFilter(field, choices.list, type);
      return [
        prefix === ''
          ? definition
          : { ...definition, field: `${prefix}.${definition.field}`, label: { text: t(`label_attribute_of_${prefix}`, { name: field.name }) } },
      ];
    });
  // Redmine's order: the entries' fields, then their projects', issues' and users'.
  definitions.push(
    ...custom(choices.timeEntryFields, ''),
    ...custom(choices.projectFields, 'project'),
    ...custom(choices.issueFields, 'issue'),
    ...custom(choices.userFields, 'user'),
  );
  return definitions;
}
