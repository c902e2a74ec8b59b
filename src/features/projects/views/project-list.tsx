/**
 * The projects page (Redmine's projects/index): the filters, then the projects as a board (boxes of
 * root projects with their subprojects nested, "My projects" marked) or as a sortable list. Pure.
 */
import type { VNode } from 'preact';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import type { PageView } from '#src/http/page.tsx';
import { Pagination } from '#src/views/form.tsx';
import { WikiText } from '#src/views/wiki-text.tsx';
import { projectFilterParams, type ProjectIndexFilters, type ProjectIndexQuery } from '../project.directory.ts';
import type { ProjectRow } from '../project.repository.ts';

export interface ProjectListProps {
  readonly view: PageView;
  readonly query: ProjectIndexQuery;
  readonly rows: readonly ProjectRow[];
  readonly total: number;
  readonly myProjectIds: ReadonlySet<number>;
  /** Formatted short descriptions, by project id (board view). */
  readonly descriptions: ReadonlyMap<number, string>;
  readonly customFields: readonly CustomFieldDef[];
  readonly customValues: ReadonlyMap<number, ReadonlyMap<number, readonly string[]>>;
  readonly canAddProject: boolean;
}

interface TreeNode {
  readonly row: ProjectRow;
  readonly children: TreeNode[];
}

/** Nests rows given in tree order (lft): a row goes under the nearest listed ancestor. */
export function projectTree(rows: readonly ProjectRow[]): TreeNode[] {
  const roots: TreeNode[] = [];
  const stack: TreeNode[] = [];
  for (const row of rows) {
    while (stack.length > 0 && !((row.lft ?? 0) > (stack.at(-1)!.row.lft ?? 0) && (row.rgt ?? 0) < (stack.at(-1)!.row.rgt ?? 0))) {
      stack.pop();
    }
    const node = { row, children: [] };
    (stack.at(-1)?.children ?? roots).push(node);
    stack.push(node);
  }
  return roots;
}

const projectHref = (row: ProjectRow) => `/projects/${encodeURIComponent(row.identifier ?? String(row.id))}`;

function linkClasses(row: ProjectRow, depth: number, hasChildren: boolean, mine: boolean): string {
  return ['project', depth === 0 ? 'root' : 'child', hasChildren ? 'parent' : 'leaf', row.isPublic ? 'public' : 'private', mine ? 'my-project' : undefined, row.status === 5 ? 'closed' : undefined]
    .filter(Boolean)
    .join(' ');
}

function BoardNodes({ nodes, depth, props }: { nodes: readonly TreeNode[]; depth: number; props: ProjectListProps }): VNode {
  const { t } = props.view;
  return (
    <ul class={depth === 0 ? 'projects root' : 'projects'}>
      {nodes.map(({ row, children }) => {
        const mine = props.myProjectIds.has(row.id);
        const description = props.descriptions.get(row.id);
        return (
          <li class={depth === 0 ? 'root' : 'child'} id={`project-${row.id}`}>
            <div class={depth === 0 ? 'root' : 'child'}>
              <a href={projectHref(row)} class={linkClasses(row, depth, children.length > 0, mine)} title={mine ? t('label_my_projects') : undefined}>
                {row.name}
              </a>
              {mine ? <span class="my-project-mark" aria-label={t('label_my_projects')} title={t('label_my_projects')}>★</span> : null}
              {description ? <WikiText html={description} class="description" /> : null}
            </div>
            {children.length > 0 ? <BoardNodes nodes={children} depth={depth + 1} props={props} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

function queryString(pairs: readonly [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&');
}

/** `/projects?…` keeping the filters, with the display, sort and page given. */
export function projectsUrl(filters: ProjectIndexFilters, extra: Readonly<Record<string, string>>): string {
  return `/projects?${queryString([...projectFilterParams(filters), ...Object.entries(extra)])}`;
}

const SORTABLE: readonly { column: 'name' | 'identifier' | 'created_on' | 'is_public'; label: 'field_name' | 'field_identifier' | 'field_created_on' | 'field_is_public' }[] = [
  { column: 'name', label: 'field_name' },
  { column: 'identifier', label: 'field_identifier' },
];

function SortHeader({ props, column, label }: { props: ProjectListProps; column: 'name' | 'identifier' | 'created_on' | 'is_public'; label: string }): VNode {
  const current = props.query.sort[0];
  const active = current?.column === column;
  const next = active && !current.desc ? `${column}:desc` : column;
  return (
    <th scope="col" class={column}>
      <a href={projectsUrl(props.query.filters, { display_type: 'list', sort: next })} class={active ? `sort ${current.desc ? 'desc' : 'asc'}` : undefined}>
        {label}
      </a>
    </th>
  );
}

function ListTable(props: ProjectListProps): VNode {
  const { t, format } = props.view;
  const treeOrder = props.query.sort.length === 0;
  const depth = new Map<number, number>();
  if (treeOrder) {
    const walk = (nodes: readonly TreeNode[], d: number): void => {
      for (const n of nodes) {
        depth.set(n.row.id, d);
        walk(n.children, d + 1);
      }
    };
    walk(projectTree(props.rows), 0);
  }
  return (
    <div class="autoscroll">
      <table class="list projects">
        <thead>
          <tr>
            {SORTABLE.map((s) => (
              <SortHeader props={props} column={s.column} label={t(s.label)} />
            ))}
            <th scope="col">{t('field_description')}</th>
            <SortHeader props={props} column="created_on" label={t('field_created_on')} />
            <SortHeader props={props} column="is_public" label={t('field_is_public')} />
            {props.customFields.map((f) => (
              <th scope="col" class={`cf_${f.id}`}>
                {f.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => {
            const d = depth.get(row.id) ?? 0;
            const mine = props.myProjectIds.has(row.id);
            return (
              <tr id={`project-${row.id}`} class={['project', d > 0 ? `idnt idnt-${Math.min(d, 9)}` : 'root', row.status === 5 ? 'closed' : undefined, mine ? 'my-project' : undefined].filter(Boolean).join(' ')}>
                <td class="name">
                  <a href={projectHref(row)} class={linkClasses(row, d, false, mine)}>
                    {row.name}
                  </a>
                </td>
                <td class="identifier">{row.identifier}</td>
                <td class="short_description">{shortText(row.description)}</td>
                <td class="created_on">{format.time(row.createdOn)}</td>
                <td class="is_public">{row.isPublic ? t('general_text_Yes') : t('general_text_No')}</td>
                {props.customFields.map((f) => (
                  <td class={`cf_${f.id}`}>{(props.customValues.get(row.id)?.get(f.id) ?? []).filter((v) => v !== '').join(', ')}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The first line of a description, for the list's column. */
function shortText(description: string | null): string {
  const first = (description ?? '').split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}

function Filters(props: ProjectListProps): VNode {
  const { t } = props.view;
  const { filters, display } = props.query;
  return (
    <form id="query_form" method="get" action="/projects">
      <input type="hidden" name="set_filter" value="1" />
      <fieldset id="filters" class="collapsible">
        <legend>{t('label_filter_plural')}</legend>
        <table class="filters">
          <tbody>
            <tr class="filter" id="tr_status">
              <td class="field">
                <input type="hidden" name="f[]" value="status" />
                <label for="values_status">{t('field_status')}</label>
              </td>
              <td class="operator">
                <input type="hidden" name="op[status]" value="=" />
              </td>
              <td class="values">
                <select id="values_status" name="v[status][]">
                  <option value="1" selected={filters.status === '1'}>{t('label_active')}</option>
                  <option value="5" selected={filters.status === '5'}>{t('label_closed')}</option>
                  <option value="" selected={filters.status === '*'}>{t('label_all')}</option>
                </select>
              </td>
            </tr>
            <tr class="filter" id="tr_name">
              <td class="field">
                <input type="hidden" name="f[]" value="name" />
                <label for="values_name">{t('field_name')}</label>
              </td>
              <td class="operator">
                <select name="op[name]" aria-label={t('label_operator')}>
                  <option value="~" selected={filters.nameOp === '~'}>{t('label_contains')}</option>
                  <option value="!~" selected={filters.nameOp === '!~'}>{t('label_not_contains')}</option>
                </select>
              </td>
              <td class="values">
                <input type="text" id="values_name" name="v[name][]" value={filters.name} size={30} />
              </td>
            </tr>
            <tr class="filter" id="tr_is_public">
              <td class="field">
                <input type="hidden" name="f[]" value="is_public" />
                <label for="values_is_public">{t('field_is_public')}</label>
              </td>
              <td class="operator">
                <input type="hidden" name="op[is_public]" value="=" />
              </td>
              <td class="values">
                <select id="values_is_public" name="v[is_public][]">
                  <option value="">{t('label_any')}</option>
                  <option value="1" selected={filters.isPublic === '1'}>{t('general_text_Yes')}</option>
                  <option value="0" selected={filters.isPublic === '0'}>{t('general_text_No')}</option>
                </select>
              </td>
            </tr>
            {props.view.user ? (
              <tr class="filter" id="tr_id">
                <td class="field">
                  <input type="hidden" name="f[]" value="id" />
                  <input type="hidden" name="op[id]" value="=" />
                  <label for="values_id">{t('label_my_projects')}</label>
                </td>
                <td class="operator" />
                <td class="values">
                  <input type="checkbox" id="values_id" name="v[id][]" value="mine" checked={filters.mine === '='} />
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </fieldset>
      <fieldset id="options" class="collapsible">
        <legend>{t('label_options')}</legend>
        <p>
          <span>{t('label_display_type')}</span>{' '}
          <label>
            <input type="radio" name="display_type" value="board" checked={display === 'board'} /> {t('label_display_type_board')}
          </label>{' '}
          <label>
            <input type="radio" name="display_type" value="list" checked={display === 'list'} /> {t('label_display_type_list')}
          </label>
        </p>
      </fieldset>
      <p class="buttons">
        <button type="submit" class="primary">
          {t('button_apply')}
        </button>
        <a href={`/projects?display_type=${display}`} class="icon icon-reload">
          {t('button_clear')}
        </a>
      </p>
    </form>
  );
}

export function ProjectList(props: ProjectListProps): VNode {
  const { t } = props.view;
  const { query } = props;
  return (
    <div id="projects-page">
      <div class="contextual">
        {props.canAddProject ? (
          <a href="/projects/new" class="icon icon-add">
            {t('label_project_new')}
          </a>
        ) : null}
        {query.display === 'board' ? (
          <a href={projectsUrl(query.filters, { display_type: 'list' })}>{t('label_display_type_list')}</a>
        ) : (
          <a href={projectsUrl(query.filters, { display_type: 'board' })}>{t('label_display_type_board')}</a>
        )}
      </div>
      <h2>{t('label_project_plural')}</h2>
      <Filters {...props} />
      {props.rows.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : query.display === 'board' ? (
        <div id="projects-index">
          <BoardNodes nodes={projectTree(props.rows)} depth={0} props={props} />
        </div>
      ) : (
        <>
          <ListTable {...props} />
          <Pagination
            t={t}
            page={query.page}
            perPage={query.perPage}
            total={props.total}
            href={(page) => projectsUrl(query.filters, { display_type: 'list', ...(query.sort.length > 0 ? { sort: query.sort.map((s) => (s.desc ? `${s.column}:desc` : s.column)).join(',') } : {}), page: String(page) })}
          />
        </>
      )}
    </div>
  );
}

/** The sidebar: "My projects" legend and the closed-projects toggle. */
export function ProjectListSidebar({ view, query }: { view: PageView; query: ProjectIndexQuery }): VNode {
  const { t } = view;
  const showingClosed = query.filters.status !== '1';
  const toggled: ProjectIndexFilters = { ...query.filters, status: showingClosed ? '1' : '*' };
  return (
    <>
      {view.user ? (
        <p class="my-projects-legend">
          <span class="my-project-mark" aria-hidden="true">
            ★
          </span>{' '}
          {t('label_my_projects')}
        </p>
      ) : null}
      <ul>
        <li>
          <a href={projectsUrl(toggled, { display_type: query.display })} id="toggle-closed-projects">
            {showingClosed ? t('label_hide_closed_projects') : t('label_show_closed_projects')}
          </a>
        </li>
      </ul>
    </>
  );
}
