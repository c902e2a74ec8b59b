/**
 * What the time-entry pages read from their query string besides the filters the query module
 * applies: the state of the filter form, the page and page size, the sort shown in the headers, and
 * links that keep every other parameter (Redmine's bookmarks and pagination links do the same).
 */
import { paramInt, paramList, paramString, type Params } from '#src/api/params.ts';
import { sortCriteriaOf } from '#src/features/issues/issue.query.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { timeEntryFilterCatalogue, timeEntryFiltersOf } from './time-entry.query.ts';
import { FILTER_OPERATORS, type FilterField, type FilterFormState } from './views/time-entry-filters.tsx';

const FIELDS: readonly FilterField[] = ['spent_on', 'user_id', 'activity_id', 'issue_id'];

/**
 * The filter rows as the request sets them; without any filter, Redmine's default (any date). A
 * filter of the request that the form has no row for still applies, it is only not shown.
 */
export function filterFormState(params: Params): FilterFormState {
  const filters = timeEntryFiltersOf(params, timeEntryFilterCatalogue());
  const given = filters.length > 0 || paramString(params.set_filter) === '1';
  const state = {} as Record<FilterField, FilterFormState[FilterField]>;
  for (const field of FIELDS) {
    const filter = filters.find((f) => f.field === field);
    state[field] = filter
      ? { enabled: true, operator: filter.operator, values: filter.values }
      : { enabled: field === 'spent_on' && !given, operator: FILTER_OPERATORS[field][0]?.[0] ?? '=', values: [] };
  }
  return state;
}

/** The long-form filter parameters of the request, to carry them in another form. */
export function filterParamsOf(search: URLSearchParams): [string, string][] {
  return [...search].filter(([name]) => name === 'set_filter' || name === 'f[]' || name.startsWith('op[') || name.startsWith('v[') || name === 'from' || name === 'to' || name === 'query_id');
}

/** `path?query` with some parameters replaced (undefined removes them). */
export function linkWith(path: string, search: URLSearchParams, changes: Readonly<Record<string, string | readonly string[] | undefined>>): string {
  const next = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    next.delete(name);
    for (const one of value === undefined ? [] : typeof value === 'string' ? [value] : value) {
      next.append(name, one);
    }
  }
  const text = next.toString();
  return text ? `${path}?${text}` : path;
}

/** The raw query string of a request URL. */
export function searchOf(url: string): URLSearchParams {
  const at = url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
}

/** `per_page` when it is one of the tenant's per_page_options, else the first option; `page` from 1. */
export function pagingOf(params: Params, settings: Settings): { page: number; perPage: number; offset: number } {
  const options = settings.per_page_options
    .split(',')
    .map((o) => Number(o.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const asked = paramInt(params.per_page);
  const perPage = asked !== undefined && options.includes(asked) ? asked : (options[0] ?? 25);
  const page = Math.min(Math.max(1, paramInt(params.page) ?? 1), 1_000_000);
  return { page, perPage, offset: (page - 1) * perPage };
}

/** The first sort criterion, as the headers show it (default: date, newest first). */
export function shownSort(params: Params): { key: string; descending: boolean } {
  const [first] = sortCriteriaOf(paramString(params.sort) ?? '');
  return first ? { key: first[0], descending: first[1] === 'desc' } : { key: 'spent_on', descending: true };
}

/** `criteria[]` of the report as sent (a bare `criteria` too). */
export function criteriaOf(params: Params): string[] {
  return paramList(params.criteria).filter((c) => c !== '');
}
