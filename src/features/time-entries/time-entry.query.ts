/**
 * The query of `GET /time_entries.json` (contract §5, §6.6; Redmine's TimeEntryQuery): the filters of
 * the request in the short or long form, the `from`/`to` shortcuts, or those of a saved query
 * (`query_id`); the project and its subprojects; the custom-field filters (`cf_N` and the entry's
 * issue's, project's and user's `issue.cf_N`, `project.cf_N`, `user.cf_N`, built by the custom-fields
 * feature); and the sort — as SQL conditions over `time_entries t JOIN projects p` and the optional
 * joins of time-entry.repository.ts (`tu`, `ta`, `act`, `ti`), and an ORDER BY. The filter grammar,
 * validation and the generic operators are the issue list's.
 */
import { sql, type SQL } from 'drizzle-orm';
import { paramString, type Params } from '#src/api/params.ts';
import type { Database } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { parseHours } from '#src/domain/hours.ts';
import { customFieldFilters } from '#src/features/custom-fields/index.ts';
import {
  filterErrors,
  issueFiltersOf,
  longFormParams,
  savedFiltersOf,
  type FilterCatalogue,
  type FilterSpec,
  type IssueFilter,
} from '#src/features/issues/issue-filter.model.ts';
import {
  dateCondition,
  dbId,
  FALSE,
  idsOf,
  listCondition,
  numberCondition,
  rubyInt,
  scanIds,
  textCondition,
} from '#src/features/issues/issue-filter.operators.ts';
import { issueProjectCondition, type ProjectScopeFacts } from '#src/features/issues/issue-filter.sql.ts';
import { sortCriteriaOf } from '#src/features/issues/issue.query.ts';
import type { ProjectRow } from '#src/features/projects/index.ts';
import { getSavedQuery } from '#src/features/queries/index.ts';
import { idList } from '#src/db/sql.ts';

/** Facts that decide which filters a list offers (TimeEntryQuery#initialize_available_filters). */
export interface TimeEntryFilterContext {
  readonly hasProject: boolean;
  readonly projectHasChildren: boolean;
}

type Availability = (context: TimeEntryFilterContext) => boolean;

const spec = (type: FilterSpec['type'], label: string, values: FilterSpec['values'] = 'any'): FilterSpec => ({ type, label, values });

/** Every time-entry filter Kanri knows, in Redmine's order, with the condition under which it is offered. */
const CATALOGUE: readonly (readonly [string, FilterSpec, Availability?])[] = [
  ['spent_on', spec('date_past', 'Date')],
  ['project_id', spec('list', 'Project', 'project'), (c) => !c.hasProject],
  ['subproject_id', spec('list_subprojects', 'Subproject', 'id'), (c) => c.hasProject && c.projectHasChildren],
  ['issue_id', spec('tree', 'Issue')],
  ['issue.tracker_id', spec('list', "Issue's Tracker", 'id')],
  ['issue.parent_id', spec('tree', "Issue's Parent task")],
  ['issue.status_id', spec('list', "Issue's Status", 'id')],
  ['issue.fixed_version_id', spec('list', "Issue's Target version", 'id')],
  ['issue.category_id', spec('list_optional', "Issue's Category", 'id'), (c) => c.hasProject],
  ['issue.subject', spec('text', "Issue's Subject")],
  ['user_id', spec('list_optional', 'User', 'id_or_me')],
  ['user.group', spec('list_optional', "User's Group", 'id')],
  ['user.role', spec('list_optional', "User's Role", 'id')],
  ['author_id', spec('list_optional', 'Author', 'id_or_me')],
  ['activity_id', spec('list', 'Activity', 'id')],
  ['project.status', spec('list', "Project's Status", 'id'), (c) => !c.hasProject || c.projectHasChildren],
  ['comments', spec('text', 'Comment')],
  ['hours', spec('hour', 'Hours')],
];

/**
 * The filters available in the context, in Redmine's order; without a context every known filter (a
 * saved query's stored filters apply even where the list would not offer them, as in Redmine).
 */
export function timeEntryFilterCatalogue(context?: TimeEntryFilterContext): FilterCatalogue {
  return new Map(CATALOGUE.filter(([, , available]) => !context || !available || available(context)).map(([field, filterSpec]) => [field, filterSpec]));
}

/**
 * The filters of a request (TimeEntryQuery#build_from_params): the short or long form over the
 * catalogue, then `from`/`to` as a `spent_on` filter (both: between; one: since or until).
 */
export function timeEntryFiltersOf(params: Params, catalogue: FilterCatalogue): IssueFilter[] {
  // The issue list's reader adds its default (open issues); this catalogue has no such field.
  const filters = issueFiltersOf(params, catalogue).filter((filter) => catalogue.has(filter.field));
  const present = (value: string | undefined) => value !== undefined && value.trim() !== '';
  const from = paramString(params.from);
  const to = paramString(params.to);
  let shortcut: IssueFilter | undefined;
  if (present(from) && present(to)) {
    shortcut = { field: 'spent_on', operator: '><', values: [from ?? '', to ?? ''] };
  } else if (present(from)) {
    shortcut = { field: 'spent_on', operator: '>=', values: [from ?? ''] };
  } else if (present(to)) {
    shortcut = { field: 'spent_on', operator: '<=', values: [to ?? ''] };
  }
  if (shortcut) {
    const at = filters.findIndex((filter) => filter.field === 'spent_on');
    filters.splice(at < 0 ? filters.length : at, at < 0 ? 0 : 1, shortcut);
  }
  return filters;
}

/** Redmine's validate_query_filters over the filters: full messages, empty when all are usable. */
export function timeEntryFilterErrors(filters: readonly IssueFilter[], catalogue: FilterCatalogue): string[] {
  return filters.flatMap((filter) => {
    const filterSpec = catalogue.get(filter.field);
    return filterSpec ? filterErrors(filterSpec, filter) : [];
  });
}

const column = (text: string) => sql.raw(text);

/** `me` → the user (anonymous: 0, matching nobody); other values as ids. */
function userIds(values: readonly string[], actor: Actor): number[] {
  const ids = idsOf(values.filter((v) => v !== 'me'));
  if (values.includes('me')) {
    ids.push(actor.userId ?? 0);
  }
  return ids;
}


/** Issue ids as a subquery, for the filters Redmine answers with an id list. */
function entryIssueIn(subquery: SQL, negated = false): SQL {
  return negated ? sql`t.issue_id NOT IN (${subquery})` : sql`t.issue_id IN (${subquery})`;
}

/** The issue and its descendants (`~` of issue_id), or only its descendants. */
function subtreeOf(issueId: number, includeSelf: boolean): SQL {
  const self = includeSelf ? sql`d.id = r.id OR ` : sql``;
  return sql`SELECT d.id FROM issues d JOIN issues r ON r.id = ${issueId}
              WHERE ${self}(d.root_id = r.root_id AND d.lft > r.lft AND d.rgt < r.rgt)`;
}

/** Redmine's sql_for_user_group_field: the entry's user is (not) in the groups, or in any group. */
function userGroupCondition(operator: string, values: readonly string[]): SQL {
  const groups =
    operator === '*' || operator === '!*'
      ? sql`SELECT g.id FROM users g WHERE g.type = 'Group'`
      : idsOf(values).length === 0
        ? sql`SELECT -1`
        : sql`SELECT g.id FROM users g WHERE g.id IN ${idList(idsOf(values))}`;
  const members = sql`SELECT gu.user_id FROM groups_users gu WHERE gu.group_id IN (${groups})`;
  return operator === '=' || operator === '*' ? sql`t.user_id IN (${members})` : sql`(t.user_id IS NULL OR t.user_id NOT IN (${members}))`;
}

/** Redmine's sql_for_user_role_field: the entry's user holds (none of) the roles in the entry's project. */
function userRoleCondition(operator: string, values: readonly string[]): SQL {
  const roles = operator === '*' || operator === '!*' ? sql`TRUE` : idsOf(values).length === 0 ? FALSE : sql`mr.role_id IN ${idList(idsOf(values))}`;
  const held = sql`EXISTS (SELECT 1 FROM members m JOIN member_roles mr ON mr.member_id = m.id
                           WHERE m.project_id = t.project_id AND m.user_id = t.user_id AND ${roles})`;
  return operator === '=' || operator === '*' ? held : sql`NOT ${held}`;
}

/** Redmine's sql_for_activity_id_field: a shared activity also matches the project overrides of it. */
function activityCondition(operator: string, values: readonly string[]): SQL {
  const ids = idsOf(values);
  if (ids.length === 0) {
    return operator === '=' ? FALSE : sql`TRUE`;
  }
  const matches = sql`(t.activity_id IN ${idList(ids)} OR t.activity_id IN (SELECT e.id FROM enumerations e WHERE e.parent_id IN ${idList(ids)}))`;
  return operator === '=' ? matches : sql`NOT ${matches}`;
}

function issueIdCondition(operator: string, values: readonly string[]): SQL {
  switch (operator) {
    case '=':
      return sql`t.issue_id = ${dbId(rubyInt(values[0]))}`;
    case '~':
      return entryIssueIn(subtreeOf(dbId(rubyInt(values[0])), true));
    case '!*':
      return sql`t.issue_id IS NULL`;
    case '*':
      return sql`t.issue_id IS NOT NULL`;
    default:
      return FALSE;
  }
}

function issueParentCondition(operator: string, values: readonly string[]): SQL {
  switch (operator) {
    case '=': {
      const parents = scanIds(values[0]);
      return parents.length === 0 ? FALSE : entryIssueIn(sql`SELECT c.id FROM issues c WHERE c.parent_id IN ${idList(parents)}`);
    }
    case '~':
      return entryIssueIn(subtreeOf(dbId(rubyInt(values[0])), false));
    default:
      return listCondition(column('ti.parent_id'), operator, []);
  }
}

/** One filter as a condition on the list, or undefined for `subproject_id` (part of the project scope). */
function filterCondition(filter: IssueFilter, actor: Actor, today: string): SQL | undefined {
  const { field, operator, values } = filter;
  switch (field) {
    case 'spent_on':
      return dateCondition(column('t.spent_on'), operator, values, today);
    case 'project_id': {
      const ids = idsOf(values.filter((v) => v !== 'mine' && v !== 'bookmarks'));
      if (values.includes('mine')) {
        ids.push(...actor.memberRoles.keys());
      }
      return listCondition(column('t.project_id'), operator, ids);
    }
    case 'subproject_id':
      return undefined;
    case 'issue_id':
      return issueIdCondition(operator, values);
    case 'issue.tracker_id':
      return listCondition(column('ti.tracker_id'), operator, idsOf(values));
    case 'issue.status_id':
      return listCondition(column('ti.status_id'), operator, idsOf(values));
    case 'issue.category_id':
      return listCondition(column('ti.category_id'), operator, idsOf(values));
    case 'issue.subject':
      return textCondition(column('ti.subject'), operator, values);
    case 'issue.parent_id':
      return issueParentCondition(operator, values);
    case 'issue.fixed_version_id': {
      const ids = idsOf(values);
      const issues = ids.length === 0 ? sql`SELECT -1` : sql`SELECT v.id FROM issues v WHERE v.fixed_version_id IN ${idList(ids)}`;
      return entryIssueIn(issues, operator === '!');
    }
    case 'user_id':
      return listCondition(column('t.user_id'), operator, userIds(values, actor));
    case 'author_id':
      return listCondition(column('t.author_id'), operator, userIds(values, actor));
    case 'user.group':
      return userGroupCondition(operator, values);
    case 'user.role':
      return userRoleCondition(operator, values);
    case 'activity_id':
      return activityCondition(operator, values);
    case 'project.status':
      return listCondition(column('p.status'), operator, idsOf(values));
    case 'comments':
      return textCondition(column('t.comments'), operator, values);
    case 'hours':
      // TimeEntryQuery#sql_for_hours_field: values as typed durations (String#to_hours).
      return numberCondition(column('t.hours'), 'hour', operator, values.map((v) => String(parseHours(v) ?? 0)));
    default:
      return FALSE;
  }
}

/** The conditions of validated filters, the project scope (with `subproject_id`) first. */
export function timeEntryConditions(
  filters: readonly IssueFilter[],
  scope: { actor: Actor; today: string; project?: ProjectScopeFacts | undefined; displaySubprojects: boolean },
): SQL[] {
  const conditions: SQL[] = [];
  if (scope.project) {
    const subprojects = scope.project.descendantIds.length > 0 ? filters.find((f) => f.field === 'subproject_id') : undefined;
    conditions.push(issueProjectCondition(scope.project, subprojects, scope.displaySubprojects));
  }
  for (const filter of filters) {
    const condition = filterCondition(filter, scope.actor, scope.today);
    if (condition) {
      conditions.push(condition);
    }
  }
  return conditions;
}

/** Sort keys (TimeEntryQuery's sortable columns): the SQL of each; the direction applies to all. */
const SORTABLE: Readonly<Record<string, readonly string[]>> = {
  spent_on: ['t.spent_on', 't.created_on'],
  created_on: ['t.created_on'],
  tweek: ['t.tyear', 't.tweek'],
  user: ['tu.firstname', 'tu.lastname', 'tu.id'],
  author: ['ta.firstname', 'ta.lastname', 'ta.id'],
  activity: ['act.position'],
  issue: ['ti.id'],
  project: ['p.name'],
  hours: ['t.hours'],
};

/** Columns a saved query may group by (TimeEntryQuery's groupable columns), with their default direction. */
const GROUPABLE: Readonly<Record<string, 'asc' | 'desc'>> = { project: 'asc', spent_on: 'desc', created_on: 'desc', user: 'asc', activity: 'asc', issue: 'asc' };

/**
 * `sort=hours:desc,spent_on` → ORDER BY (unknown keys ignored; none: `spent_on` newest first), always
 * ending with `t.id ASC` as Redmine's results_scope does. A saved query's grouping comes first (Redmine's
 * group_by_sort_order), in the sort's direction for that column or the column's default.
 */
export function timeEntryOrder(sort: string, groupBy?: string | null): SQL {
  const criteria = sortCriteriaOf(sort).filter(([key]) => Object.hasOwn(SORTABLE, key));
  const chosen: [string, 'asc' | 'desc'][] = criteria.length > 0 ? criteria : [['spent_on', 'desc']];
  const grouped: [string, 'asc' | 'desc'][] = [];
  if (groupBy && Object.hasOwn(GROUPABLE, groupBy)) {
    grouped.push([groupBy, criteria.find(([key]) => key === groupBy)?.[1] ?? GROUPABLE[groupBy] ?? 'asc']);
  }
  const parts = [...grouped, ...chosen].flatMap(([key, direction]) => (SORTABLE[key] ?? []).map((columnSql) => `${columnSql} ${direction.toUpperCase()}`));
  parts.push('t.id ASC');
  return sql.raw(parts.join(', '));
}

export interface TimeEntryQueryScope {
  readonly actor: Actor;
  /** The day relative date operators count from (YYYY-MM-DD). */
  readonly today: string;
  /** The project the list is of, already found visible, and its subprojects that are not archived. */
  readonly project?: { readonly row: ProjectRow; readonly descendantIds: readonly number[] } | undefined;
  /** The display_subprojects_issues setting: a project's list includes its subprojects' entries. */
  readonly displaySubprojects: boolean;
}

export interface TimeEntryQueryResult {
  /** The project condition, the filters and the custom-field filters (visibility is the caller's). */
  readonly conditions: SQL[];
  /** Redmine's full messages for unusable filters: the list answers 422 with them. */
  readonly errors: string[];
  readonly order: SQL;
}

/**
 * The list's conditions, errors and order for a request (Redmine's retrieve_query for TimeEntryQuery).
 * With `query_id`, the saved time-entry query (of all projects or of the list's project, visible to the
 * actor: else 404 / 403 / 401, thrown) gives the filters, its grouping and, unless `sort` is given, the
 * sort; the request's own filters and `from`/`to` are then ignored, as in Redmine.
 */
export async function timeEntryQuery(db: Database, params: Params, scope: TimeEntryQueryScope): Promise<TimeEntryQueryResult> {
  const { actor, project } = scope;
  const queryId = paramString(params.query_id)?.trim();
  let catalogue: FilterCatalogue;
  let filters: IssueFilter[];
  let customParams: Params;
  let sort = paramString(params.sort) ?? '';
  let groupBy: string | null = null;
  if (queryId) {
    const saved = await getSavedQuery({ db, actor }, 'TimeEntryQuery', queryId, project?.row);
    catalogue = timeEntryFilterCatalogue();
    filters = savedFiltersOf(saved.filters, catalogue);
    customParams = longFormParams(saved.filters);
    sort = sort.trim() ? sort : saved.sortParam;
    groupBy = saved.groupBy;
  } else {
    catalogue = timeEntryFilterCatalogue({ hasProject: project !== undefined, projectHasChildren: (project?.descendantIds.length ?? 0) > 0 });
    filters = timeEntryFiltersOf(params, catalogue);
    customParams = params;
  }
  const errors = timeEntryFilterErrors(filters, catalogue);
  const custom = await customFieldFilters(db, customParams, actor, { today: scope.today, target: 'TimeEntry' });
  errors.push(...custom.errors);
  const order = timeEntryOrder(sort, groupBy);
  if (errors.length > 0) {
    return { conditions: [], errors, order };
  }
  const conditions = timeEntryConditions(filters, {
    actor,
    today: scope.today,
    project: project && { id: project.row.id, lft: project.row.lft, rgt: project.row.rgt, descendantIds: project.descendantIds },
    displaySubprojects: scope.displaySubprojects,
  });
  return { conditions: [...conditions, ...custom.conditions], errors, order };
}
