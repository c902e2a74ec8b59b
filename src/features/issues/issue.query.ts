/**
 * The query of `GET /issues.json` (contract §5, §6.1.1; Redmine's IssueQuery): the filters of the
 * request (short or long form) or of a saved query (`query_id`), the project and its subprojects, and
 * the sort — as SQL conditions over `issues i JOIN projects p … issue_statuses s, enumerations e,
 * trackers t, users au/asg, issue_categories c, versions v` (issue.repository.ts) and an ORDER BY.
 * Custom-field filters (`cf_N`) are built by the custom-fields feature from the same parameters.
 */
import { sql, type SQL } from 'drizzle-orm';
import { paramString, type Params } from '#src/api/params.ts';
import type { Database } from '#src/db/database.ts';
import { isLoggedIn, PROJECT_STATUS, type Actor } from '#src/domain/authorization.ts';
import { customFieldFilters, issueListCustomFields } from '#src/features/custom-fields/index.ts';
import { allowedGlobally, type ProjectRow } from '#src/features/projects/index.ts';
import { getSavedQuery } from '#src/features/queries/index.ts';
import { utcToday } from './issue-filter.dates.ts';
import { customFieldSortKeys } from './issue.custom-field-order.ts';
import {
  filterErrors,
  issueFilterCatalogue,
  issueFiltersOf,
  longFormParams,
  savedFiltersOf,
  type FilterContext,
  type IssueFilter,
} from './issue-filter.model.ts';
import { issueFilterCondition, issueProjectCondition, type ProjectScopeFacts } from './issue-filter.sql.ts';

export interface IssueQueryScope {
  /** The project the list is of (`/projects/:id/issues`, `?project_id=`), already found visible. */
  readonly project?: ProjectRow | undefined;
  /** The display_subprojects_issues setting: a project's list includes its subprojects' issues. */
  readonly displaySubprojects: boolean;
  /** The day relative date operators count from (YYYY-MM-DD); default: today in UTC. */
  readonly today?: string | undefined;
}

export interface IssueFilterResult {
  /** The project condition, the filters and the custom-field filters (visibility is the caller's). */
  readonly conditions: SQL[];
  /** Redmine's full messages for unusable filters: the list answers 422 with them. */
  readonly errors: string[];
  readonly order: SQL;
}

async function projectFacts(db: Database, project: ProjectRow): Promise<ProjectScopeFacts> {
  const rows = await db.query<{ id: number }>('SELECT id FROM projects WHERE lft > $1 AND rgt < $2 AND status <> $3 ORDER BY lft', [
    project.lft ?? 0,
    project.rgt ?? 0,
    PROJECT_STATUS.archived,
  ]);
  return { id: project.id, lft: project.lft, rgt: project.rgt, descendantIds: rows.map((r) => Number(r.id)) };
}

/**
 * The issue list's conditions, errors and order for a request. With `query_id`, the saved query (of
 * all projects or of `scope.project`, visible to the actor: else 404 / 403 / 401, thrown) gives the
 * filters and, unless `sort` is given, the sort; the request's own filter parameters are then ignored,
 * as in Redmine.
 */
export async function issueFilters(db: Database, params: Params, actor: Actor, scope: IssueQueryScope): Promise<IssueFilterResult> {
  const today = scope.today ?? utcToday();
  const project = scope.project ? await projectFacts(db, scope.project) : undefined;
  const context: FilterContext = {
    hasProject: project !== undefined,
    projectHasChildren: scope.project !== undefined && (scope.project.rgt ?? 0) - (scope.project.lft ?? 0) > 1,
    isLoggedIn: isLoggedIn(actor),
    mayFilterPrivate: allowedGlobally(actor, 'set_issues_private') || allowedGlobally(actor, 'set_own_issues_private'),
  };
  const queryId = paramString(params.query_id)?.trim();
  let filters: IssueFilter[];
  let customParams: Params;
  let sort = paramString(params.sort);
  if (queryId) {
    const saved = await getSavedQuery({ db, actor }, 'IssueQuery', queryId, scope.project);
    // A saved filter applies even where the list would not offer it (Redmine builds SQL for it as stored).
    filters = savedFiltersOf(saved.filters, issueFilterCatalogue());
    customParams = longFormParams(saved.filters);
    sort = sort?.trim() ? sort : saved.sortParam;
  } else {
    filters = issueFiltersOf(params, issueFilterCatalogue(context));
    customParams = params;
  }

  const catalogue = issueFilterCatalogue();
  const errors: string[] = [];
  for (const filter of filters) {
    const spec = catalogue.get(filter.field);
    if (spec) {
      errors.push(...filterErrors(spec, filter));
    }
  }
  const custom = await customFieldFilters(db, customParams, actor, { today });
  errors.push(...custom.errors);
  const order = issueOrder({ sort: sort ?? '' }, { mayViewPrivate: context.mayFilterPrivate, customFields: await customFieldSortKeysFor(db, actor, sort) });
  if (errors.length > 0) {
    return { conditions: [], errors, order };
  }

  const conditions: SQL[] = [];
  if (project) {
    const subprojects = context.projectHasChildren ? filters.find((f) => f.field === 'subproject_id') : undefined;
    conditions.push(issueProjectCondition(project, subprojects, scope.displaySubprojects));
  }
  for (const filter of filters) {
    const spec = catalogue.get(filter.field);
    const condition = spec && issueFilterCondition(filter, spec, { actor, today });
    if (condition) {
      conditions.push(condition);
    }
  }
  conditions.push(...custom.conditions);
  return { conditions, errors, order };
}

/** The `cf_N` keys a sort names, for the custom fields the actor sees somewhere (read only when one is named). */
async function customFieldSortKeysFor(db: Database, actor: Actor, sort: string | undefined): Promise<Record<string, readonly string[]>> {
  if (!sortCriteriaOf(sort ?? '').some(([key]) => /^cf_\d+$/.test(key))) {
    return {};
  }
  return customFieldSortKeys(actor, await issueListCustomFields(db, actor, undefined));
}

/** Sort keys (§5.5; IssueQuery's sortable columns): the SQL of each, a trailing ASC/DESC fixing its order. */
const SORTABLE: Readonly<Record<string, readonly string[]>> = {
  id: ['i.id'],
  project: ['p.name'],
  tracker: ['t.position'],
  parent: ['i.root_id', 'i.lft ASC'],
  status: ['s.position'],
  priority: ['e.position'],
  subject: ['i.subject'],
  author: ['au.firstname', 'au.lastname', 'au.id'],
  assigned_to: ['asg.firstname', 'asg.lastname', 'asg.id'],
  updated_on: ['i.updated_on'],
  category: ['c.name'],
  fixed_version: ['(CASE WHEN v.effective_date IS NULL THEN 1 ELSE 0 END)', 'v.effective_date', 'v.name', 'v.id'],
  start_date: ['i.start_date'],
  due_date: ['i.due_date'],
  estimated_hours: ['i.estimated_hours'],
  estimated_remaining_hours: ['(COALESCE(i.estimated_hours, 0) * (100 - COALESCE(i.done_ratio, 0)) / 100)'],
  // Redmine sums only the subtasks the user sees; Kanri sums the subtree, as the shown value does.
  total_estimated_hours: ['COALESCE((SELECT sum(d.estimated_hours) FROM issues d WHERE d.root_id = i.root_id AND d.lft >= i.lft AND d.rgt <= i.rgt), 0)'],
  done_ratio: ['i.done_ratio'],
  created_on: ['i.created_on'],
  closed_on: ['i.closed_on'],
};

/** Redmine's SortCriteria: `key[:desc]` items, blank keys dropped, the first of a key kept, at most 3. */
export function sortCriteriaOf(sort: string): [string, 'asc' | 'desc'][] {
  const criteria: [string, 'asc' | 'desc'][] = [];
  for (const item of sort.split(',')) {
    const [key = '', direction] = item.split(':');
    if (key.trim() !== '' && !criteria.some(([k]) => k === key)) {
      criteria.push([key, direction === 'desc' ? 'desc' : 'asc']);
    }
  }
  return criteria.slice(0, 3);
}

/**
 * `sort=priority:desc,updated_on` → ORDER BY (unknown keys ignored; `is_private` only for who may set
 * it; `cf_N` keys only from `customFields`, built by issue.custom-field-order.ts), ending with
 * `i.id DESC` unless the issue id is already a criterion.
 */
export function issueOrder(params: Params, options: { mayViewPrivate?: boolean; customFields?: Readonly<Record<string, readonly string[]>> } = {}): SQL {
  const sortable: Readonly<Record<string, readonly string[]>> = {
    ...SORTABLE,
    ...(options.mayViewPrivate ? { is_private: ['i.is_private'] } : {}),
    ...options.customFields,
  };
  const parts: string[] = [];
  for (const [key, direction] of sortCriteriaOf(paramString(params.sort) ?? '')) {
    for (const column of Object.hasOwn(sortable, key) ? (sortable[key] ?? []) : []) {
      parts.push(/ (asc|desc)$/i.test(column) ? column : `${column} ${direction.toUpperCase()}`);
    }
  }
  if (!parts.includes('i.id ASC') && !parts.includes('i.id DESC')) {
    parts.push('i.id DESC');
  }
  return sql.raw(parts.join(', '));
}
