/**
 * The filters an issue list page offers, as the filter form shows them: label, type, operators and,
 * for list filters, the values to choose from (Redmine's IssueQuery#initialize_available_filters).
 * Which filters exist comes from issue-filter.model.ts; this adds what a person needs to pick them.
 * Pure: the choices are loaded by the caller.
 */
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import type { MessageKey } from '#src/i18n/index.ts';
import type { NameParts } from '#src/views/format.ts';
import { OPERATORS_BY_TYPE, type FilterCatalogue, type FilterType } from './issue-filter.model.ts';
import type { Label } from './issue-list.columns.ts';
import type { NamedRow, PrincipalRow, ProjectChoiceRow, VersionChoiceRow } from './issue-list.choices.repository.ts';

/** A choice's text: from the catalog, as stored, or a person's name in the tenant's format. */
export type ChoiceLabel = Label | { readonly user: NameParts };

export interface FilterChoice {
  readonly value: string;
  readonly label: ChoiceLabel;
  /** An option group (a version's project). */
  readonly group?: string | undefined;
}

export interface FilterDefinition {
  readonly field: string;
  readonly label: Label;
  readonly type: FilterType;
  readonly operators: readonly string[];
  /** Values of a list filter. */
  readonly choices?: readonly FilterChoice[] | undefined;
  /** Where the "Add filter" select lists it. */
  readonly section: 'standard' | 'custom' | 'relation';
}

/** What the list filters choose from, loaded for the projects the list covers. */
export interface ListChoices {
  readonly statuses: readonly NamedRow[];
  readonly trackers: readonly NamedRow[];
  readonly priorities: readonly NamedRow[];
  /** Members (users, and groups when issues may be assigned to groups). */
  readonly principals: readonly PrincipalRow[];
  readonly versions: readonly VersionChoiceRow[];
  readonly categories: readonly NamedRow[];
  readonly projects: readonly ProjectChoiceRow[];
  readonly subprojects: readonly ProjectChoiceRow[];
  readonly groups: readonly NamedRow[];
  readonly roles: readonly NamedRow[];
  readonly isLoggedIn: boolean;
}

const LABELS: Readonly<Record<string, MessageKey>> = {
  status_id: 'field_status',
  project_id: 'field_project',
  tracker_id: 'field_tracker',
  priority_id: 'field_priority',
  author_id: 'field_author',
  'author.group': 'label_query_author_group',
  'author.role': 'label_query_author_role',
  assigned_to_id: 'field_assigned_to',
  member_of_group: 'label_query_assignee_group',
  assigned_to_role: 'label_query_assignee_role',
  fixed_version_id: 'field_fixed_version',
  'fixed_version.due_date': 'label_query_version_due_date',
  'fixed_version.status': 'label_query_version_status',
  category_id: 'field_category',
  subject: 'field_subject',
  description: 'field_description',
  notes: 'field_notes',
  created_on: 'field_created_on',
  updated_on: 'field_updated_on',
  closed_on: 'field_closed_on',
  start_date: 'field_start_date',
  due_date: 'field_due_date',
  estimated_hours: 'field_estimated_hours',
  done_ratio: 'field_done_ratio',
  is_private: 'field_is_private',
  attachment: 'label_attachment',
  attachment_description: 'label_query_attachment_description',
  watcher_id: 'field_watcher',
  updated_by: 'label_query_updated_by',
  last_updated_by: 'label_query_last_updated_by',
  subproject_id: 'label_query_subproject',
  'project.status': 'label_query_project_status',
  relates: 'label_relates_to',
  duplicates: 'label_duplicates',
  duplicated: 'label_duplicated_by',
  blocks: 'label_blocks',
  blocked: 'label_blocked_by',
  precedes: 'label_precedes',
  follows: 'label_follows',
  copied_to: 'label_copied_to',
  copied_from: 'label_copied_from',
  parent_id: 'field_parent_issue',
  child_id: 'label_subtask_plural',
  issue_id: 'field_issue',
};

const named = (rows: readonly NamedRow[]): FilterChoice[] => rows.map((r) => ({ value: String(r.id), label: { text: r.name } }));

function principalChoice(p: PrincipalRow): FilterChoice {
  return { value: String(p.id), label: p.type === 'Group' ? { text: p.lastname } : { user: p } };
}

/** Projects indented by depth, as Redmine's project_tree_options_for_select. */
function projectChoices(rows: readonly ProjectChoiceRow[]): FilterChoice[] {
  const depth = new Map<number, number>();
  return rows.map((p) => {
    const level = p.parent_id !== null && depth.has(p.parent_id) ? (depth.get(p.parent_id) ?? 0) + 1 : 0;
    depth.set(p.id, level);
    return { value: String(p.id), label: { text: `${'\u00a0\u00a0'.repeat(level)}${level > 0 ? '» ' : ''}${p.name}` } };
  });
}

const me = (c: ListChoices): FilterChoice[] => (c.isLoggedIn ? [{ value: 'me', label: { key: 'label_me' } }] : []);
const yesNo: FilterChoice[] = [
  { value: '1', label: { key: 'general_text_Yes' } },
  { value: '0', label: { key: 'general_text_No' } },
];

/** The values a standard filter of an issue list offers (other lists ask for the same fields, time entries as `issue.<field>`). */
export function standardChoices(field: string, c: ListChoices): FilterChoice[] | undefined {
  const users = c.principals.filter((p) => p.type !== 'Group');
  switch (field) {
    case 'status_id':
      return named(c.statuses);
    case 'project_id':
      return [...(c.isLoggedIn ? [{ value: 'mine', label: { key: 'label_query_my_projects' } } as const] : []), ...projectChoices(c.projects)];
    case 'tracker_id':
      return named(c.trackers);
    case 'priority_id':
      return named(c.priorities);
    case 'author_id':
    case 'watcher_id':
    case 'updated_by':
    case 'last_updated_by':
      return [...me(c), ...users.map(principalChoice)];
    case 'assigned_to_id':
      return [...me(c), ...c.principals.map(principalChoice)];
    case 'author.group':
    case 'member_of_group':
      return named(c.groups);
    case 'author.role':
    case 'assigned_to_role':
      return named(c.roles);
    case 'fixed_version_id':
      return c.versions.map((v) => ({ value: String(v.id), label: { text: v.name }, group: v.project_name }));
    case 'fixed_version.status':
      return [
        { value: 'open', label: { key: 'label_query_version_open' } },
        { value: 'locked', label: { key: 'label_query_version_locked' } },
        { value: 'closed', label: { key: 'label_query_version_closed' } },
      ];
    case 'category_id':
      return named(c.categories);
    case 'is_private':
      return yesNo;
    case 'subproject_id':
      return projectChoices(c.subprojects);
    case 'project.status':
      return [
        { value: '1', label: { key: 'label_active' } },
        { value: '5', label: { key: 'label_closed' } },
      ];
    default:
      return undefined;
  }
}

const RELATIONS = new Set(['relates', 'duplicates', 'duplicated', 'blocks', 'blocked', 'precedes', 'follows', 'copied_to', 'copied_from']);

/** A custom field's filter type and the values of a list-like one. */
export function customFieldFilter(field: CustomFieldDef, c: ListChoices, type: FilterType): FilterDefinition {
  let choices: FilterChoice[] | undefined;
  switch (field.fieldFormat) {
    case 'list':
      choices = field.possibleValues.map((v) => ({ value: v, label: { text: v } }));
      break;
    case 'bool':
      choices = yesNo;
      break;
    case 'enumeration':
      choices = field.enumerations.filter((e) => e.active).map((e) => ({ value: String(e.id), label: { text: e.name } }));
      break;
    case 'user':
      choices = [...me(c), ...c.principals.filter((p) => p.type !== 'Group').map(principalChoice)];
      break;
    case 'version':
      choices = c.versions.map((v) => ({ value: String(v.id), label: { text: v.name }, group: v.project_name }));
      break;
    default:
      choices = undefined;
  }
  return { field: `cf_${field.id}`, label: { text: field.name }, type, operators: OPERATORS_BY_TYPE[type], choices, section: 'custom' };
}

/**
 * The filters of a list: the catalogue's (those available in its context) in Redmine's order, then
 * the custom fields used as filters; `cfType` tells each field's filter type (undefined: not filterable).
 */
export function filterDefinitions(
  catalogue: FilterCatalogue,
  choices: ListChoices,
  customFields: readonly CustomFieldDef[],
  cfType: (field: CustomFieldDef) => FilterType | undefined,
): FilterDefinition[] {
  const definitions: FilterDefinition[] = [];
  for (const [field, spec] of catalogue) {
    const key = LABELS[field];
    definitions.push({
      field,
      label: key ? { key } : { text: spec.label },
      type: spec.type,
      operators: OPERATORS_BY_TYPE[spec.type],
      choices: standardChoices(field, choices),
      section: RELATIONS.has(field) ? 'relation' : 'standard',
    });
  }
  for (const field of customFields) {
    const type = field.isFilter ? cfType(field) : undefined;
    if (type) {
      definitions.push(customFieldFilter(field, choices, type));
    }
  }
  return definitions;
}
