/**
 * Page and page size of an HTML list (Redmine's `per_page_option` + `paginate`): `per_page` must be one
 * of the tenant's `per_page_options`, else the first of them; `page` starts at 1.
 */
import type { Settings } from '#src/features/settings/index.ts';

export interface ListPage {
  readonly page: number;
  readonly perPage: number;
  readonly offset: number;
  readonly limit: number;
}

export function perPageOptions(settings: Settings): number[] {
  const options = settings.per_page_options
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((n) => Number.isInteger(n) && n > 0 && n <= 1000);
  return options.length > 0 ? options : [25];
}

export function listPageOf(query: { page?: unknown; per_page?: unknown }, settings: Settings): ListPage {
  const options = perPageOptions(settings);
  const asked = Number(query.per_page);
  const perPage = options.includes(asked) ? asked : options[0]!;
  const n = Number(query.page);
  const page = Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
  return { page, perPage, offset: (page - 1) * perPage, limit: perPage };
}
