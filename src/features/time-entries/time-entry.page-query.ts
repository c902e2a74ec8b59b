/**
 * What the time-entry pages read from their query string besides the filters the query module
 * applies: the state of the filter form, the page and page size, the sort shown in the headers, and
 * links that keep every other parameter (Redmine's bookmarks and pagination links do the same).
 */
import { paramInt, paramList, paramString, type Params } from '#src/api/params.ts';
import { sortCriteriaOf } from '#src/features/issues/issue.query.ts';
import type { Settings } from '#src/features/settings/index.ts';
import type { FilterCatalogue } from '#src/features/issues/issue-filter.model.ts';
import type { ListFilter } from '#src/features/issues/issue-list.state.ts';
import { timeEntryFilterCatalogue, timeEntryFiltersOf } from './time-entry.query.ts';

/**
 * The filter rows as the request sets them, custom-field filters (`customFilters`: the custom
 * fields' specs) included; without any filter, Redmine's default (any date). A saved query's
 * filters (`query_id`) are the query module's and show no rows here.
 */
export function filterFormState(params: Params, customFilters: FilterCatalogue): ListFilter[] {
  const filters = timeEntryFiltersOf(params, new Map([...timeEntryFilterCatalogue(), ...customFilters]));
  const given = filters.length > 0 || paramString(params.set_filter) === '1';
  return given ? filters : [{ field: 'spent_on', operator: '*', values: [] }];
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
