/**
 * The projects page (Redmine's ProjectsController#index with its ProjectQuery): which projects the
 * actor sees under the page's filters (status, name, public, "my projects"), in tree order or sorted,
 * as a board (every match) or a list (a page of them), with what each row shows.
 */
import type { Params } from '#src/api/params.ts';
import { paramInt, paramList, paramObject, paramString } from '#src/api/params.ts';
import { PROJECT_STATUS } from '#src/domain/authorization.ts';
import { customFieldVisibleTo, customValueSheet, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { projectAccess, visibleProjectsCondition } from './project.policy.ts';
import { PROJECT_SORT_COLUMNS, selectEnabledModules, selectProjects, type ProjectListFilters, type ProjectRow, type ProjectSortColumn } from './project.repository.ts';
import type { ProjectContext } from './project.service.ts';

export type ProjectDisplay = 'board' | 'list';

/** The filters as the page shows them in its form (blank = not filtering). */
export interface ProjectIndexFilters {
  /** '1' open, '5' closed, '*' both. */
  readonly status: '1' | '5' | '*';
  /** `~` contains, `!~` does not contain. */
  readonly nameOp: '~' | '!~';
  readonly name: string;
  /** '1' public, '0' private, '' either. */
  readonly isPublic: '' | '1' | '0';
  /** '=' only my projects, '!' only others, '' all. */
  readonly mine: '' | '=' | '!';
}

export interface ProjectIndexQuery {
  readonly display: ProjectDisplay;
  readonly filters: ProjectIndexFilters;
  readonly sort: readonly { column: ProjectSortColumn; desc: boolean }[];
  readonly page: number;
  readonly perPage: number;
}

export interface ProjectIndex {
  readonly rows: readonly ProjectRow[];
  readonly total: number;
  /** The actor is a member of these (Redmine's "My projects" mark). */
  readonly myProjectIds: ReadonlySet<number>;
  /** Project custom fields the actor may see on some listed project (list view columns). */
  readonly customFields: readonly CustomFieldDef[];
  /** Shown values per project and field id; a field the actor may not see in a project is absent. */
  readonly customValues: ReadonlyMap<number, ReadonlyMap<number, readonly string[]>>;
}

const BOARD_LIMIT = 2000;

function valuesOf(params: Params, field: string): string[] {
  return paramList(paramObject(params.v)?.[field]).filter((v) => v !== '');
}

/**
 * The query of the page from its URL: Redmine's `set_filter=1&f[]=…&op[…]=…&v[…][]=…` (status,
 * name, is_public, id=mine), `closed=1` (the older "View closed projects" box), `sort=name,created_on:desc`,
 * `display_type`, `page`, `per_page`. Without set_filter the open projects are listed.
 */
export function projectIndexQueryOf(params: Params): ProjectIndexQuery {
  const fields = new Set(paramString(params.set_filter) === '1' ? paramList(params.f) : []);
  const op = paramObject(params.op) ?? {};
  const opOf = (field: string) => paramString(op[field]) ?? '=';
  let status: ProjectIndexFilters['status'] = paramString(params.closed) === '1' ? '*' : '1';
  if (fields.has('status')) {
    const chosen: string[] = valuesOf(params, 'status').filter((v) => v === '1' || v === '5');
    const statuses: string[] = opOf('status') === '!' ? ['1', '5'].filter((s) => !chosen.includes(s)) : chosen;
    status = statuses.length === 1 ? (statuses[0] as '1' | '5') : '*';
  }
  const name = fields.has('name') ? (valuesOf(params, 'name')[0] ?? '').trim() : '';
  const publicValue = fields.has('is_public') ? valuesOf(params, 'is_public')[0] : undefined;
  const mine = fields.has('id') && valuesOf(params, 'id').includes('mine') ? (opOf('id') === '!' ? '!' : '=') : '';
  const sort = (paramString(params.sort) ?? '')
    .split(',')
    .map((item) => item.trim().split(':'))
    .filter((parts): parts is [ProjectSortColumn, ...string[]] => Object.hasOwn(PROJECT_SORT_COLUMNS, parts[0] ?? ''))
    .slice(0, 3)
    .map(([column, direction]) => ({ column, desc: direction === 'desc' }));
  const perPage = paramInt(params.per_page);
  return {
    display: paramString(params.display_type) === 'list' ? 'list' : 'board',
    filters: {
      status,
      nameOp: opOf('name') === '!~' ? '!~' : '~',
      name,
      isPublic: publicValue === '1' || publicValue === '0' ? publicValue : '',
      mine,
    },
    sort,
    page: Math.max(1, paramInt(params.page) ?? 1),
    perPage: perPage !== undefined && perPage > 0 && perPage <= 100 ? perPage : 25,
  };
}

/** The URL parameters that reproduce the filters (for sort links, pages and the other view). */
export function projectFilterParams(filters: ProjectIndexFilters): [string, string][] {
  const out: [string, string][] = [['set_filter', '1'], ['f[]', 'status']];
  if (filters.status === '*') {
    out.push(['op[status]', '*']);
  } else {
    out.push(['op[status]', '='], ['v[status][]', filters.status]);
  }
  if (filters.name) {
    out.push(['f[]', 'name'], ['op[name]', filters.nameOp], ['v[name][]', filters.name]);
  }
  if (filters.isPublic) {
    out.push(['f[]', 'is_public'], ['op[is_public]', '='], ['v[is_public][]', filters.isPublic]);
  }
  if (filters.mine) {
    out.push(['f[]', 'id'], ['op[id]', filters.mine], ['v[id][]', 'mine']);
  }
  return out;
}

/** The visible projects matching the query: all of them for the board, one page for the list. */
export async function loadProjectIndex(ctx: ProjectContext, query: ProjectIndexQuery): Promise<ProjectIndex> {
  const { filters } = query;
  const myProjectIds = new Set(ctx.actor.memberRoles.keys());
  const listFilters: ProjectListFilters = {
    statuses: filters.status === '*' ? [PROJECT_STATUS.active, PROJECT_STATUS.closed] : [Number(filters.status)],
    isPublic: filters.isPublic === '' ? undefined : filters.isPublic === '1',
    ids: filters.mine === '=' ? [...myProjectIds] : undefined,
    excludedIds: filters.mine === '!' ? [...myProjectIds] : undefined,
    nameContains: filters.name && filters.nameOp === '~' ? filters.name : undefined,
    nameLacks: filters.name && filters.nameOp === '!~' ? filters.name : undefined,
  };
  const page = query.display === 'board' ? { offset: 0, limit: BOARD_LIMIT } : { offset: (query.page - 1) * query.perPage, limit: query.perPage };
  const { rows, total } = await selectProjects(ctx.db.orm, visibleProjectsCondition(ctx.actor), listFilters, page, query.display === 'list' ? query.sort : []);
  if (query.display === 'board') {
    return { rows, total, myProjectIds, customFields: [], customValues: new Map() };
  }
  const ids = rows.map((r) => r.id);
  const [sheet, modules] = await Promise.all([customValueSheet(ctx.db, 'Project', ids), selectEnabledModules(ctx.db.orm, ids)]);
  const shown = new Map<number, Map<number, readonly string[]>>();
  const usedFields = new Set<number>();
  for (const row of rows) {
    const access = projectAccess(row, modules.get(row.id) ?? []);
    const values = new Map<number, readonly string[]>();
    for (const field of sheet.fields) {
      if (customFieldVisibleTo(field, ctx.actor, row.id, access)) {
        usedFields.add(field.id);
        values.set(field.id, sheet.values.get(row.id)?.get(field.id) ?? []);
      }
    }
    shown.set(row.id, values);
  }
  return { rows, total, myProjectIds, customFields: sheet.fields.filter((f) => usedFields.has(f.id)), customValues: shown };
}

/** Redmine's Project#short_description: the description cut after 255 characters, at the end of that line. */
export function shortDescription(description: string | null): string {
  if (!description) {
    return '';
  }
  const match = /^([\s\S]{255}[^\n\r]*)[\s\S]*$/.exec(description);
  return (match && match[1]!.length < description.length ? `${match[1]}...` : description).trim();
}
