/**
 * The filters of an issue list as one model, whatever syntax they came in (contract §5; Redmine's
 * Query and IssueQuery): the short form `status_id=o`, the long form `f[]=…&op[…]=…&v[…][]=…`, and a
 * saved query's stored `filters`. Which filters exist, their types and labels, how expressions parse
 * and which values are acceptable. Pure: the SQL is built in issue-filter.sql.ts.
 */
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import { isFilterDate } from './issue-filter.dates.ts';
import { parseHours } from '#src/domain/hours.ts';
import { parseShortExpression } from '#src/api/short-filter.ts';

/** Redmine's filter types (Query.operators_by_filter_type keys). */
export type FilterType =
  | 'list'
  | 'list_with_history'
  | 'list_status'
  | 'list_optional'
  | 'list_optional_with_history'
  | 'list_subprojects'
  | 'date'
  | 'date_past'
  | 'string'
  | 'text'
  | 'search'
  | 'integer'
  | 'float'
  | 'hour'
  | 'relation'
  | 'tree';

/** Operators per filter type, in Redmine's order (§5.2). */
export const OPERATORS_BY_TYPE: Readonly<Record<FilterType, readonly string[]>> = {
  list: ['=', '!'],
  list_with_history: ['=', '!', 'ev', '!ev', 'cf'],
  list_status: ['o', '=', '!', 'ev', '!ev', 'cf', 'c', '*'],
  list_optional: ['=', '!', '!*', '*'],
  list_optional_with_history: ['=', '!', 'ev', '!ev', 'cf', '!*', '*'],
  list_subprojects: ['*', '!*', '=', '!'],
  date: ['=', '>=', '<=', '><', '<t+', '>t+', '><t+', 't+', 'nd', 't', 'ld', 'nw', 'w', 'lw', 'l2w', 'nm', 'm', 'lm', 'y', '>t-', '<t-', '><t-', 't-', '!*', '*'],
  date_past: ['=', '>=', '<=', '><', '>t-', '<t-', '><t-', 't-', 't', 'ld', 'w', 'lw', 'l2w', 'm', 'lm', 'y', '!*', '*'],
  string: ['~', '*~', '=', '!~', '!', '^', '$', '!*', '*'],
  text: ['~', '*~', '!~', '^', '$', '!*', '*'],
  search: ['~', '*~', '!~'],
  integer: ['=', '>=', '<=', '><', '!*', '*'],
  float: ['=', '>=', '<=', '><', '!*', '*'],
  hour: ['=', '>=', '<=', '><', '!*', '*'],
  relation: ['=', '!', '=p', '=!p', '!p', '*o', '!o', '!*', '*'],
  tree: ['=', '~', '!*', '*'],
};

/** Operators that take no value (Redmine's validate_query_filters list). */
export const VALUELESS_OPERATORS: ReadonlySet<string> = new Set(['o', 'c', '!*', '*', 'nd', 't', 'ld', 'nw', 'w', 'lw', 'l2w', 'nm', 'm', 'lm', 'y', '*o', '!o']);

/** Operators whose value is a number of days. */
export const DAYS_OPERATORS: ReadonlySet<string> = new Set(['>t-', '<t-', 't-', '><t-', '>t+', '<t+', 't+', '><t+']);

/**
 * What a list filter's values must be. Redmine compares them with an integer column as given, which
 * on PostgreSQL fails with a 500 for a value that is no number; Kanri answers 422 "<Label> is invalid"
 * instead. `me` (the current user) and `mine`/`bookmarks` (the user's projects) are words some fields take.
 */
export type ValueKind = 'any' | 'id' | 'id_or_me' | 'project';

export interface FilterSpec {
  readonly type: FilterType;
  /** The name in error messages ("Status is invalid"). */
  readonly label: string;
  readonly values: ValueKind;
}

/** Facts that decide which filters a request may use (Redmine's initialize_available_filters). */
export interface FilterContext {
  /** The list is of one project (`/projects/:id/issues`, `?project_id=`). */
  readonly hasProject: boolean;
  /** That project has subprojects (`subproject_id` exists). */
  readonly projectHasChildren: boolean;
  readonly isLoggedIn: boolean;
  /** set_issues_private or set_own_issues_private somewhere (`is_private` exists). */
  readonly mayFilterPrivate: boolean;
}

/** Every issue filter Kanri knows, in Redmine's order, and the condition under which it is available. */
const CATALOGUE: readonly (readonly [string, FilterSpec, ((c: FilterContext) => boolean)?])[] = [
  ['status_id', { type: 'list_status', label: 'Status', values: 'id' }],
  ['project_id', { type: 'list', label: 'Project', values: 'project' }, (c) => !c.hasProject],
  ['tracker_id', { type: 'list_with_history', label: 'Tracker', values: 'id' }],
  ['priority_id', { type: 'list_with_history', label: 'Priority', values: 'id' }],
  ['author_id', { type: 'list', label: 'Author', values: 'id_or_me' }],
  ['author.group', { type: 'list', label: "Author's Group", values: 'id' }],
  ['author.role', { type: 'list', label: "Author's Role", values: 'id' }],
  ['assigned_to_id', { type: 'list_optional_with_history', label: 'Assignee', values: 'id_or_me' }],
  ['member_of_group', { type: 'list_optional', label: "Assignee's group", values: 'id' }],
  ['assigned_to_role', { type: 'list_optional', label: "Assignee's role", values: 'id' }],
  ['fixed_version_id', { type: 'list_optional_with_history', label: 'Target version', values: 'id' }],
  ['fixed_version.due_date', { type: 'date', label: "Target version's Due date", values: 'any' }],
  ['fixed_version.status', { type: 'list', label: "Target version's Status", values: 'any' }],
  ['category_id', { type: 'list_optional_with_history', label: 'Category', values: 'id' }, (c) => c.hasProject],
  ['subject', { type: 'text', label: 'Subject', values: 'any' }],
  ['description', { type: 'text', label: 'Description', values: 'any' }],
  ['notes', { type: 'text', label: 'Notes', values: 'any' }],
  ['created_on', { type: 'date_past', label: 'Created', values: 'any' }],
  ['updated_on', { type: 'date_past', label: 'Updated', values: 'any' }],
  ['closed_on', { type: 'date_past', label: 'Closed', values: 'any' }],
  ['start_date', { type: 'date', label: 'Start date', values: 'any' }],
  ['due_date', { type: 'date', label: 'Due date', values: 'any' }],
  ['estimated_hours', { type: 'hour', label: 'Estimated time', values: 'any' }],
  ['done_ratio', { type: 'integer', label: '% Done', values: 'any' }],
  ['is_private', { type: 'list', label: 'Private', values: 'any' }, (c) => c.mayFilterPrivate],
  ['attachment', { type: 'text', label: 'File', values: 'any' }],
  ['attachment_description', { type: 'text', label: 'File description', values: 'any' }],
  ['watcher_id', { type: 'list', label: 'Watcher', values: 'id_or_me' }, (c) => c.isLoggedIn],
  ['updated_by', { type: 'list', label: 'Updated by', values: 'id_or_me' }],
  ['last_updated_by', { type: 'list', label: 'Last updated by', values: 'id_or_me' }],
  ['subproject_id', { type: 'list_subprojects', label: 'Subproject', values: 'id' }, (c) => c.hasProject && c.projectHasChildren],
  ['project.status', { type: 'list', label: "Project's Status", values: 'id' }, (c) => !c.hasProject || c.projectHasChildren],
  ['relates', { type: 'relation', label: 'Related to', values: 'any' }],
  ['duplicates', { type: 'relation', label: 'Is duplicate of', values: 'any' }],
  ['duplicated', { type: 'relation', label: 'Has duplicate', values: 'any' }],
  ['blocks', { type: 'relation', label: 'Blocks', values: 'any' }],
  ['blocked', { type: 'relation', label: 'Blocked by', values: 'any' }],
  ['precedes', { type: 'relation', label: 'Precedes', values: 'any' }],
  ['follows', { type: 'relation', label: 'Follows', values: 'any' }],
  ['copied_to', { type: 'relation', label: 'Copied to', values: 'any' }],
  ['copied_from', { type: 'relation', label: 'Copied from', values: 'any' }],
  ['parent_id', { type: 'tree', label: 'Parent task', values: 'any' }],
  ['child_id', { type: 'tree', label: 'Subtasks', values: 'any' }],
  ['issue_id', { type: 'integer', label: 'Issue', values: 'any' }],
];

export type FilterCatalogue = ReadonlyMap<string, FilterSpec>;

/**
 * The filters available in the context, in Redmine's order; without a context every known filter
 * (a saved query's stored filters apply even where the list would not offer them, as in Redmine).
 */
export function issueFilterCatalogue(context?: FilterContext): FilterCatalogue {
  return new Map(CATALOGUE.filter(([, , available]) => !context || !available || available(context)).map(([field, spec]) => [field, spec]));
}

/** One filter: the field, the operator and its values (`[""]` for a valueless operator). */
export interface IssueFilter {
  readonly field: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/** Redmine's add_short_filter over the field type's operators. */
export function parseShortFilter(type: FilterType, expression: string): { operator: string; values: string[] } {
  return parseShortExpression(OPERATORS_BY_TYPE[type], expression);
}

/** A short-form parameter as text: a scalar as is, a repeated parameter joined with `|`. */
function expressionOf(value: ParamValue | undefined): string | undefined {
  if (Array.isArray(value)) {
    return value.map((item) => paramString(item) ?? '').join('|');
  }
  return paramString(value);
}

function textList(value: ParamValue | undefined): string[] {
  if (Array.isArray(value)) {
    return value.map((item) => paramString(item) ?? '');
  }
  const text = paramString(value);
  return text === undefined ? [] : [text];
}

/** Does the request use the long form (`f[]`/`fields[]`)? Then the short parameters are ignored. */
export function isLongForm(params: Params): boolean {
  return (params.f ?? params.fields) !== undefined && (params.f ?? params.fields) !== null;
}

/** The default filter of an issue list: open issues (IssueQuery#initialize). */
const DEFAULT_FILTERS: readonly IssueFilter[] = [{ field: 'status_id', operator: 'o', values: [''] }];

/** Replaces or appends by field, keeping the first position (a Ruby hash's `[]=`). */
function put(filters: IssueFilter[], filter: IssueFilter): void {
  const at = filters.findIndex((f) => f.field === filter.field);
  if (at < 0) {
    filters.push(filter);
  } else {
    filters[at] = filter;
  }
}

/**
 * The filters of a request (Redmine's build_from_params), limited to the catalogue; unknown fields are
 * ignored. Long form: exactly the listed fields (a value that is not a list drops the filter, an
 * absent `op` drops them all). Short form: the default `status_id=o`, replaced or joined by each
 * catalogue field given as a parameter.
 */
export function issueFiltersOf(params: Params, catalogue: FilterCatalogue): IssueFilter[] {
  const filters: IssueFilter[] = [];
  if (isLongForm(params)) {
    const operators = paramObject(params.op ?? params.operators);
    const values = paramObject(params.v ?? params.values);
    if (!operators || Object.keys(operators).length === 0) {
      return filters;
    }
    for (const field of textList(params.f ?? params.fields)) {
      const given = values && Object.hasOwn(values, field) ? values[field] : undefined;
      if (!catalogue.has(field) || (given !== undefined && given !== null && !Array.isArray(given))) {
        continue;
      }
      const operator = Object.hasOwn(operators, field) ? (paramString(operators[field]) ?? '') : '';
      put(filters, { field, operator, values: given === undefined || given === null ? [''] : textList(given) });
    }
    return filters;
  }
  filters.push(...DEFAULT_FILTERS);
  for (const [field, spec] of catalogue) {
    const expression = Object.hasOwn(params, field) ? expressionOf(params[field]) : undefined;
    if (expression !== undefined) {
      put(filters, { field, ...parseShortFilter(spec.type, expression) });
    }
  }
  return filters;
}

/** A saved query's `filters` column: field → { operator, values }. */
export type StoredFilters = Readonly<Record<string, { readonly operator?: unknown; readonly values?: unknown } | null | undefined>>;

/** A saved query's stored filters, those the catalogue knows, in stored order. */
export function savedFiltersOf(stored: StoredFilters | null, catalogue: FilterCatalogue): IssueFilter[] {
  const filters: IssueFilter[] = [];
  for (const [field, filter] of Object.entries(stored ?? {})) {
    if (!catalogue.has(field) || !filter) {
      continue;
    }
    const values = Array.isArray(filter.values) ? filter.values.map((v) => (typeof v === 'string' ? v : String(v))) : [''];
    filters.push({ field, operator: typeof filter.operator === 'string' ? filter.operator : '', values });
  }
  return filters;
}

/** Ruby's `present?` for a string. */
const isPresent = (value: string | undefined) => value !== undefined && value.trim() !== '';

const INTEGER_LIST = /^[+-]?\d+(,[+-]?\d+)*$/;
const FLOAT = /^[+-]?\d+(\.\d*)?$/;
const ID = /^\d+$/;

function isIdValue(kind: ValueKind, value: string): boolean {
  switch (kind) {
    case 'any':
      return true;
    case 'id':
      return ID.test(value);
    case 'id_or_me':
      return ID.test(value) || value === 'me';
    case 'project':
      return ID.test(value) || value === 'mine' || value === 'bookmarks';
  }
}

/** Operators that compare a list field with its values (the others ignore them: `status_id=open`). */
const LIST_VALUE_OPERATORS: ReadonlySet<string> = new Set(['=', '!', 'ev', '!ev', 'cf']);

function hasInvalidValue(spec: FilterSpec, filter: IssueFilter): boolean {
  const { operator, values } = filter;
  const present = values.filter(isPresent);
  switch (spec.type) {
    case 'integer':
      return present.some((v) => !INTEGER_LIST.test(v));
    case 'float':
      return present.some((v) => !FLOAT.test(v));
    case 'hour':
      if (operator === '><') {
        return !values.every((v) => isPresent(v) && parseHours(v) !== undefined);
      }
      return ['=', '>=', '<='].includes(operator) && present.some((v) => parseHours(v) === undefined);
    case 'date':
    case 'date_past':
      if (['=', '>=', '<=', '><'].includes(operator)) {
        return present.some((v) => !isFilterDate(v));
      }
      return DAYS_OPERATORS.has(operator) && present.some((v) => !ID.test(v));
    case 'list':
    case 'list_with_history':
    case 'list_status':
    case 'list_optional':
    case 'list_optional_with_history':
    case 'list_subprojects':
      return LIST_VALUE_OPERATORS.has(operator) && present.some((v) => !isIdValue(spec.values, v));
    case 'string':
    case 'text':
    case 'search':
    case 'relation':
    case 'tree':
      return false;
  }
}

/**
 * Redmine's validate_query_filters for one filter, as full messages: "<Label> is invalid" for a
 * malformed value (or, in Kanri, an operator the field's type does not have: Redmine answers those
 * with a 404 or a 500), "<Label> cannot be blank" when the operator needs a value and has none.
 */
export function filterErrors(spec: FilterSpec, filter: IssueFilter): string[] {
  const errors: string[] = [];
  if (!OPERATORS_BY_TYPE[spec.type].includes(filter.operator) || hasInvalidValue(spec, filter)) {
    errors.push(`${spec.label} is invalid`);
  }
  if (!VALUELESS_OPERATORS.has(filter.operator) && !isPresent(filter.values[0])) {
    errors.push(`${spec.label} cannot be blank`);
  }
  return errors;
}

/**
 * The long-form parameters for filters (what Redmine's query_as_hidden_field_tags writes), so a saved
 * query's custom-field filters reach the code that owns them in the same shape as a request's.
 */
export function longFormParams(filters: StoredFilters | null): Params {
  const f: string[] = [];
  const op: Params = {};
  const v: Params = {};
  for (const [field, filter] of Object.entries(filters ?? {})) {
    if (!filter) {
      continue;
    }
    f.push(field);
    op[field] = typeof filter.operator === 'string' ? filter.operator : '';
    v[field] = Array.isArray(filter.values) ? filter.values.map((value) => (typeof value === 'string' ? value : String(value))) : [''];
  }
  return { set_filter: '1', f, op, v };
}
