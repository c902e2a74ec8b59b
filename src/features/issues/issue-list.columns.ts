/**
 * The columns of the issue list (Redmine's IssueQuery.available_columns): which exist, their labels,
 * which sort, group and total, and the SQL a grouping or a total reads. Custom fields add `cf_N`
 * columns. Pure: the values of a row are read in issue-list.values.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import type { MessageKey } from '#src/i18n/index.ts';
import { customFieldOrder, NUMBER_PATTERN } from './issue.custom-field-order.ts';

/** A label from the catalog, or a name as stored (custom fields). */
export type Label = { readonly key: MessageKey } | { readonly text: string };

export interface ListColumn {
  readonly name: string;
  readonly label: Label;
  /** A key of the list's sort (issue.query.ts SORTABLE, or `cf_N`), or undefined. */
  readonly sortKey?: string | undefined;
  /** Sort direction a first click gives (Redmine's default_order). */
  readonly defaultOrder?: 'asc' | 'desc';
  /** Groups by this SQL value; groups come in the order of the `order` expressions (a direction is appended to each). */
  readonly group?: { readonly value: SQL; readonly order: readonly string[] } | undefined;
  /** Totals sum this SQL expression over `i`. */
  readonly total?: SQL | undefined;
  /** Shown under the row across the table (description) instead of in a cell. */
  readonly block?: boolean;
  /** The custom field of a `cf_N` column. */
  readonly field?: CustomFieldDef | undefined;
  /** The ORDER BY expressions of a `cf_N` column that sorts (without direction). */
  readonly order?: readonly string[] | undefined;
}

const column = (name: string, key: MessageKey, extra: Partial<ListColumn> = {}): ListColumn => ({ name, label: { key }, ...extra });
const grouped = (value: string, ...order: string[]) => ({ value: sql.raw(value), order });

/** The estimated time left: Redmine's estimated_remaining_hours. */
const REMAINING = 'COALESCE(i.estimated_hours, 0) * (100 - COALESCE(i.done_ratio, 0)) / 100';

/** The standard columns in Redmine's order; the spent-time ones only with `spentHours` (view_time_entries somewhere). */
function standardColumns(options: { spentHours: SQL | undefined; mayViewPrivate: boolean }): ListColumn[] {
  const columns: ListColumn[] = [
    column('project', 'field_project', { sortKey: 'project', group: grouped('i.project_id', 'p.name', 'i.project_id') }),
    column('tracker', 'field_tracker', { sortKey: 'tracker', group: grouped('i.tracker_id', 't.position', 'i.tracker_id') }),
    column('parent', 'field_parent_issue', { sortKey: 'parent' }),
    column('status', 'field_status', { sortKey: 'status', group: grouped('i.status_id', 's.position', 'i.status_id') }),
    column('priority', 'field_priority', { sortKey: 'priority', defaultOrder: 'desc', group: grouped('i.priority_id', 'e.position', 'i.priority_id') }),
    column('subject', 'field_subject', { sortKey: 'subject' }),
    column('author', 'field_author', { sortKey: 'author', group: grouped('i.author_id', 'au.firstname', 'au.lastname', 'i.author_id') }),
    column('assigned_to', 'field_assigned_to', {
      sortKey: 'assigned_to',
      group: grouped('i.assigned_to_id', 'asg.firstname', 'asg.lastname', 'i.assigned_to_id'),
    }),
    column('updated_on', 'field_updated_on', { sortKey: 'updated_on', defaultOrder: 'desc' }),
    column('category', 'field_category', { sortKey: 'category', group: grouped('i.category_id', 'c.name', 'i.category_id') }),
    column('fixed_version', 'field_fixed_version', {
      sortKey: 'fixed_version',
      group: grouped('i.fixed_version_id', 'v.effective_date', 'v.name', 'i.fixed_version_id'),
    }),
    column('start_date', 'field_start_date', { sortKey: 'start_date', group: grouped('i.start_date', 'i.start_date') }),
    column('due_date', 'field_due_date', { sortKey: 'due_date', group: grouped('i.due_date', 'i.due_date') }),
    column('estimated_hours', 'field_estimated_hours', { sortKey: 'estimated_hours', total: sql`i.estimated_hours` }),
    column('estimated_remaining_hours', 'field_estimated_remaining_hours', { sortKey: 'estimated_remaining_hours', total: sql.raw(`(${REMAINING})`) }),
    column('total_estimated_hours', 'field_total_estimated_hours', { sortKey: 'total_estimated_hours' }),
  ];
  if (options.spentHours) {
    columns.push(column('spent_hours', 'field_spent_hours', { total: options.spentHours }), column('total_spent_hours', 'field_total_spent_hours'));
  }
  columns.push(
    column('done_ratio', 'field_done_ratio', { sortKey: 'done_ratio', group: grouped('i.done_ratio', 'i.done_ratio') }),
    column('created_on', 'field_created_on', { sortKey: 'created_on', defaultOrder: 'desc' }),
    column('closed_on', 'field_closed_on', { sortKey: 'closed_on', defaultOrder: 'desc' }),
  );
  if (options.mayViewPrivate) {
    columns.push(column('is_private', 'field_is_private', { sortKey: 'is_private', group: grouped('i.is_private', 'i.is_private') }));
  }
  columns.push(column('description', 'field_description', { block: true }));
  return columns;
}

/**
 * A custom field's column: sortable as Redmine sorts it (issue.custom-field-order.ts), groupable for
 * single-value fields, totalable for numbers. `visibleIn` is raw SQL on `i` (integers only) limiting a
 * role-restricted field to the projects where the actor sees it; the SQL is text because group orders
 * name it.
 */
function customFieldColumn(field: CustomFieldDef, visibleIn: string | undefined): ListColumn {
  const id = Number(field.id);
  const values = `FROM custom_values cv WHERE cv.customized_type = 'Issue' AND cv.customized_id = i.id AND cv.custom_field_id = ${id}`;
  const shown = visibleIn ?? 'TRUE';
  const groupValue = `(CASE WHEN ${shown} THEN (SELECT min(cv.value) ${values} AND cv.value <> '') END)`;
  const groupable = !field.multiple && ['list', 'bool', 'enumeration', 'user', 'version', 'date', 'int', 'string'].includes(field.fieldFormat);
  const numeric = field.fieldFormat === 'int' || field.fieldFormat === 'float';
  const order = customFieldOrder(field, visibleIn);
  return {
    name: `cf_${id}`,
    label: { text: field.name },
    field,
    sortKey: order ? `cf_${id}` : undefined,
    order,
    group: groupable ? { value: sql.raw(groupValue), order: [groupValue] } : undefined,
    total: numeric
      ? sql.raw(`(CASE WHEN ${shown} THEN (SELECT sum(CASE WHEN cv.value ~ ${NUMBER_PATTERN} THEN CAST(cv.value AS numeric) END) ${values}) END)`)
      : undefined,
  };
}

export interface ColumnCatalogue {
  /** Every column the list offers, standard ones first. */
  readonly all: readonly ListColumn[];
  byName(name: string): ListColumn | undefined;
}

/**
 * The columns of a list. `customFields` are the issue fields the actor may see somewhere; `visibleIn`
 * gives, for a field visible only to some roles, the condition on `i` where the actor sees its values.
 */
export function columnCatalogue(options: {
  spentHours: SQL | undefined;
  mayViewPrivate: boolean;
  customFields: readonly CustomFieldDef[];
  visibleIn: (field: CustomFieldDef) => string | undefined;
}): ColumnCatalogue {
  const all = [...standardColumns(options), ...options.customFields.map((field) => customFieldColumn(field, options.visibleIn(field)))];
  const byName = new Map(all.map((c) => [c.name, c]));
  return { all, byName: (name) => byName.get(name) };
}

/** Redmine's default issue list columns (setting issue_list_default_columns); lists of all projects add the project first. */
export const DEFAULT_COLUMNS: readonly string[] = ['tracker', 'status', 'priority', 'subject', 'assigned_to', 'updated_on'];

export function defaultColumnsFor(hasProject: boolean): string[] {
  return hasProject ? [...DEFAULT_COLUMNS] : ['project', ...DEFAULT_COLUMNS];
}
