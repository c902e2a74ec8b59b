/**
 * What an issue list page shows, read from its request (Redmine's IssueQuery#build_from_params and
 * retrieve_query): the filters, columns, sort, grouping, totals and page; and written back as a URL.
 * A saved query (`query_id`) gives its own filters, columns, grouping and totals; the request may
 * change only its sort. Pure.
 */
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import type { QueryFilters, QuerySortCriteria } from '#src/db/schema/core-tracker.ts';
import type { SavedQuery } from '#src/features/queries/index.ts';
import { DAYS_OPERATORS, isLongForm } from './issue-filter.model.ts';
import { sortCriteriaOf } from './issue.query.ts';

export interface ListFilter {
  readonly field: string;
  readonly operator: string;
  readonly values: readonly string[];
}

export type SortCriteria = readonly (readonly [string, 'asc' | 'desc'])[];

export interface IssueListState {
  /** The saved query applied, if any. */
  readonly query?: { readonly id: number; readonly name: string } | undefined;
  readonly filters: readonly ListFilter[];
  /** Chosen columns, without the id (always first). */
  readonly columns: readonly string[];
  readonly sort: SortCriteria;
  readonly groupBy: string | undefined;
  readonly totals: readonly string[];
  readonly page: number;
  readonly perPage: number;
}

/** The list's defaults: open issues, the default columns, newest first. */
export interface ListDefaults {
  readonly columns: readonly string[];
  readonly totals: readonly string[];
  readonly perPageOptions: readonly number[];
}

const DEFAULT_SORT: SortCriteria = [['id', 'desc']];

/** The `per_page_options` setting as numbers (Redmine's Setting.per_page_options_array). */
export function perPageOptionsOf(setting: string): number[] {
  const options = [...new Set(setting.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0))].sort((a, b) => a - b);
  return options.length > 0 ? options : [25];
}

function pageOf(params: Params, defaults: ListDefaults): { page: number; perPage: number } {
  const perPage = Number(paramString(params.per_page));
  const page = Number(paramString(params.page));
  return {
    perPage: defaults.perPageOptions.includes(perPage) ? perPage : (defaults.perPageOptions[0] ?? 25),
    page: Number.isSafeInteger(page) && page >= 1 ? Math.min(page, 1_000_000) : 1,
  };
}

/**
 * A date filter sent without JavaScript carries every value input of its row (two dates and a number
 * of days, in that order): keep those its operator reads. With JavaScript the unused inputs are disabled.
 */
function normalizedValues(operator: string, values: string[]): string[] {
  if (values.length !== 3) {
    return values;
  }
  if (DAYS_OPERATORS.has(operator)) {
    return [values[2] ?? ''];
  }
  return operator === '><' ? values.slice(0, 2) : values.slice(0, 1);
}

/** The long-form filters of a request (`f[]`, `op[f]`, `v[f][]`), in their order, first of each field. */
function longFormFilters(params: Params): ListFilter[] {
  const operators = paramObject(params.op ?? params.operators) ?? {};
  const values = paramObject(params.v ?? params.values) ?? {};
  const filters: ListFilter[] = [];
  for (const field of paramList(params.f ?? params.fields)) {
    if (field === '' || filters.some((f) => f.field === field)) {
      continue;
    }
    const operator = Object.hasOwn(operators, field) ? (paramString(operators[field]) ?? '') : '';
    const given = Object.hasOwn(values, field) ? paramList(values[field]) : [''];
    filters.push({ field, operator, values: normalizedValues(operator, given.length === 0 ? [''] : given) });
  }
  return filters;
}

function storedFilters(filters: QueryFilters | null): ListFilter[] {
  return Object.entries(filters ?? {}).map(([field, f]) => ({
    field,
    operator: typeof f.operator === 'string' ? f.operator : '',
    values: Array.isArray(f.values) ? f.values.map(String) : [''],
  }));
}

/** `priority:desc,id` → criteria (at most three, first of each key). */
export function sortOf(text: string | undefined): SortCriteria {
  const criteria = sortCriteriaOf(text ?? '');
  return criteria.length > 0 ? criteria : DEFAULT_SORT;
}

export function sortParam(sort: SortCriteria): string {
  return sort.map(([key, direction]) => (direction === 'desc' ? `${key}:desc` : key)).join(',');
}

/**
 * Redmine's SortCriteria#add!: the column becomes the first criterion; clicking the first one again
 * flips its direction.
 */
export function sortToggled(sort: SortCriteria, key: string, defaultOrder: 'asc' | 'desc'): SortCriteria {
  const [first] = sort;
  const direction: 'asc' | 'desc' = first && first[0] === key ? (first[1] === 'asc' ? 'desc' : 'asc') : defaultOrder;
  return [[key, direction] as const, ...sort.filter(([k]) => k !== key)].slice(0, 3);
}

/** Does the request build its own query (Redmine: `set_filter`, or filters given)? */
export function buildsQuery(params: Params): boolean {
  return paramString(params.set_filter) === '1' || isLongForm(params);
}

function columnsOf(params: Params, defaults: ListDefaults): string[] {
  const chosen = paramList(params.c).filter((c) => c !== '' && c !== 'id');
  return chosen.length > 0 ? [...new Set(chosen)] : [...defaults.columns];
}

/** The state of a list that builds its own query from the request (filters in long or short form). */
export function stateFromParams(params: Params, defaults: ListDefaults, shortFilters: () => ListFilter[]): IssueListState {
  const groupBy = paramString(params.group_by)?.trim();
  const totals = params.t === undefined ? [...defaults.totals] : paramList(params.t).filter((t) => t !== '');
  return {
    filters: isLongForm(params) ? longFormFilters(params) : shortFilters(),
    columns: columnsOf(params, defaults),
    sort: sortOf(paramString(params.sort)),
    groupBy: groupBy || undefined,
    totals: [...new Set(totals)],
    ...pageOf(params, defaults),
  };
}

/** The state of a list showing a saved query; the request may only change its sort and page. */
export function stateFromSavedQuery(saved: SavedQuery, params: Params, defaults: ListDefaults): IssueListState {
  const sort = paramString(params.sort)?.trim();
  return {
    query: { id: saved.id, name: saved.name },
    filters: storedFilters(saved.filters),
    columns: saved.columnNames && saved.columnNames.length > 0 ? saved.columnNames.filter((c) => c !== 'id') : [...defaults.columns],
    sort: sortOf(sort || saved.sortParam),
    groupBy: saved.groupBy ?? undefined,
    totals: saved.totalableNames ?? [...defaults.totals],
    ...pageOf(params, defaults),
  };
}

/** The request parameters of a state (what a bookmark, a sort link or a page link carries). */
export function stateParams(state: IssueListState, changes: { sort?: SortCriteria; page?: number; perPage?: number } = {}): [string, string][] {
  const pairs: [string, string][] = [];
  if (state.query) {
    pairs.push(['query_id', String(state.query.id)]);
  } else {
    pairs.push(['set_filter', '1']);
    for (const filter of state.filters) {
      pairs.push(['f[]', filter.field], [`op[${filter.field}]`, filter.operator]);
      for (const value of filter.values) {
        pairs.push([`v[${filter.field}][]`, value]);
      }
    }
    pairs.push(['f[]', '']);
    for (const c of state.columns) {
      pairs.push(['c[]', c]);
    }
    if (state.groupBy) {
      pairs.push(['group_by', state.groupBy]);
    }
    for (const t of state.totals) {
      pairs.push(['t[]', t]);
    }
  }
  pairs.push(['sort', sortParam(changes.sort ?? state.sort)]);
  const perPage = changes.perPage ?? state.perPage;
  pairs.push(['per_page', String(perPage)]);
  const page = changes.page ?? 1;
  if (page > 1) {
    pairs.push(['page', String(page)]);
  }
  return pairs;
}

/** `?…` of the pairs, with brackets left readable. */
export function queryString(pairs: readonly (readonly [string, string])[]): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%5B/g, '[').replace(/%5D/g, ']');
  return pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}

/** The filters as a saved query stores them (field → operator and values). */
export function storedFiltersOf(filters: readonly ListFilter[]): QueryFilters {
  const stored: QueryFilters = {};
  for (const filter of filters) {
    stored[filter.field] = { operator: filter.operator, values: [...filter.values] };
  }
  return stored;
}

export function storedSortOf(sort: SortCriteria): QuerySortCriteria {
  return sort.map(([key, direction]) => [key, direction]);
}
