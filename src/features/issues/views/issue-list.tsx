/**
 * The issue list page (Redmine's issues/index): the query form, the table, totals, pages, the CSV
 * export box, and the sidebar of saved queries. Pure: the route loads everything first.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation, Pagination } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';
import type { ListColumn } from '../issue-list.columns.ts';
import type { FilterDefinition } from '../issue-list.filters.ts';
import type { IssueListResult } from '../issue-list.service.ts';
import { queryString, sortParam, stateParams, sortToggled, type IssueListState } from '../issue-list.state.ts';
import { IssueTable, totalText } from './issue-table.tsx';
import { labelText } from './query-filters.tsx';
import { QueryFields } from './query-form.tsx';

export interface IssueListViewProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  /** `/issues` or `/projects/:identifier/issues`. */
  readonly listPath: string;
  readonly projectIdentifier: string | undefined;
  readonly state: IssueListState;
  readonly definitions: readonly FilterDefinition[];
  readonly columns: readonly ListColumn[];
  readonly inline: readonly ListColumn[];
  readonly block: readonly ListColumn[];
  readonly groupColumn: ListColumn | undefined;
  readonly result: IssueListResult;
  readonly descriptions: ReadonlyMap<number, string>;
  readonly errors: readonly string[];
  readonly perPageOptions: readonly number[];
  readonly exportLimit: number;
  readonly canSaveQuery: boolean;
  /** The saved query shown, when the actor may edit it. */
  readonly editableQueryId: number | undefined;
  readonly newIssuePath: string | undefined;
  readonly priorityClasses: ReadonlyMap<number, string>;
  readonly today: string;
  readonly userId: number | undefined;
  readonly groupIds: ReadonlySet<number>;
}

function href(props: IssueListViewProps, changes: Parameters<typeof stateParams>[1]): string {
  return `${props.listPath}?${queryString(stateParams(props.state, changes))}`;
}

function Contextual(props: IssueListViewProps): VNode {
  const { t } = props;
  return (
    <div class="contextual">
      {props.newIssuePath ? (
        <a href={props.newIssuePath} class="icon icon-add new-issue">
          {t('label_issue_new')}
        </a>
      ) : null}
      {props.editableQueryId !== undefined ? (
        <>
          {' '}
          <a href={`/queries/${props.editableQueryId}/edit`} class="icon icon-edit">
            {t('button_edit')}
          </a>
        </>
      ) : null}
    </div>
  );
}

/** Hidden fields that keep what the form itself does not show: the sort and the page size. */
function KeptFields({ state }: { state: IssueListState }): VNode {
  return (
    <>
      <input type="hidden" name="set_filter" value="1" />
      <input type="hidden" name="sort" value={sortParam(state.sort)} />
      <input type="hidden" name="per_page" value={String(state.perPage)} />
    </>
  );
}

function QueryForm(props: IssueListViewProps): VNode {
  const { t } = props;
  return (
    <form id="query_form" method="get" action={props.listPath}>
      <KeptFields state={props.state} />
      {props.projectIdentifier ? <input type="hidden" name="project_id" value={props.projectIdentifier} /> : null}
      <QueryFields t={t} format={props.format} definitions={props.definitions} columns={props.columns} state={props.state} />
      <p class="buttons hide-when-print">
        <button type="submit" class="icon icon-checked apply">
          {t('button_apply')}
        </button>{' '}
        <a href={`${props.listPath}?set_filter=1&sort=`} class="icon icon-reload clear">
          {t('button_clear')}
        </a>
        {props.canSaveQuery ? (
          <>
            {' '}
            <button
              type="submit"
              class="icon icon-save save-query"
              formaction={props.projectIdentifier ? `/queries/new?project_id=${encodeURIComponent(props.projectIdentifier)}` : '/queries/new'}
              name="query[save]"
              value="1"
            >
              {t('button_save')}
            </button>
          </>
        ) : null}
      </p>
    </form>
  );
}

function Totals({ props }: { props: IssueListViewProps }): VNode | null {
  const { totals } = props.result;
  const columns = props.state.totals.map((name) => props.columns.find((c) => c.name === name)).filter((c): c is ListColumn => c?.total !== undefined);
  if (!totals || columns.length === 0) {
    return null;
  }
  return (
    <p class="query-totals">
      {columns.map((c) => (
        <span class={`total-for-${c.name}`}>
          {labelText(props.t, c.label)}: <span class="value">{totalText(c, totals.totals.get(c.name) ?? 0, props.format)}</span>{' '}
        </span>
      ))}
    </p>
  );
}

function PerPage({ props }: { props: IssueListViewProps }): VNode | null {
  if (props.perPageOptions.length < 2) {
    return null;
  }
  return (
    <span class="per-page">
      {props.t('label_per_page')}:{' '}
      {props.perPageOptions.map((n) =>
        n === props.state.perPage ? (
          <span class="selected">{n} </span>
        ) : (
          <>
            <a href={href(props, { perPage: n })}>{n}</a>{' '}
          </>
        ),
      )}
    </span>
  );
}

/** Redmine's CSV export dialog, as a disclosure under the list: the same query, plus what to export. */
function CsvExport({ props }: { props: IssueListViewProps }): VNode {
  const { t } = props;
  const kept = stateParams(props.state).filter(([name]) => name !== 'c[]' && name !== 'page');
  return (
    <details id="csv-export" class="other-formats">
      <summary>{t('label_query_export_csv')}</summary>
      <form id="csv-export-form" method="get" action={`${props.listPath}.csv`}>
        {kept.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        {props.inline.map((c) => (
          <input type="hidden" name="c[]" value={c.name} />
        ))}
        <p>
          <label>
            <input type="radio" name="c[]" value="" checked /> {t('label_query_selected_columns')}
          </label>
          <br />
          <label>
            <input type="radio" name="c[]" value="all_inline" /> {t('label_query_all_columns')}
          </label>
        </p>
        <p>
          <label>
            <input type="checkbox" name="c[]" value="description" checked={props.block.some((c) => c.name === 'description')} /> {t('field_description')}
          </label>
        </p>
        {props.result.total > props.exportLimit ? (
          <p class="warning">{t('label_query_export_limit', { count: String(props.exportLimit) })}</p>
        ) : null}
        <p>
          <label for="csv-encoding">{t('label_query_encoding')}</label>{' '}
          <select id="csv-encoding" name="encoding">
            <option value="UTF-8">{t('label_query_encoding_utf8')}</option>
            <option value="Shift_JIS">Shift_JIS</option>
          </select>
        </p>
        <p class="buttons">
          <button type="submit">{t('label_query_export')}</button>
        </p>
      </form>
    </details>
  );
}

export function IssueListView(props: IssueListViewProps): VNode {
  const { t, state, result } = props;
  const title = state.query?.name ?? t('label_issue_plural');
  return (
    <div id="issue-list-page">
      <Contextual {...props} />
      <h2>{title}</h2>
      <QueryForm {...props} />
      <ErrorExplanation errors={props.errors} t={t} />
      {props.errors.length === 0 && result.rows.length === 0 ? <p class="nodata">{t('label_no_data')}</p> : null}
      {result.rows.length > 0 ? (
        <form id="issue-list-form" method="post" action="/issues/bulk_edit" data-cm-url="/issues/context_menu">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="back_url" value={href(props, { page: state.page })} />
          <IssueTable
            t={t}
            format={props.format}
            rows={result.rows}
            names={result.names}
            inline={props.inline}
            block={props.block}
            descriptions={props.descriptions}
            sort={state.sort}
            sortHref={(column) => {
              const key = column === 'id' ? 'id' : column.sortKey;
              const order = column === 'id' ? 'desc' : (column.defaultOrder ?? 'asc');
              return key ? href(props, { sort: sortToggled(state.sort, key, order) }) : undefined;
            }}
            groupColumn={props.groupColumn}
            groups={result.groups}
            totalColumns={props.state.totals.map((n) => props.columns.find((c) => c.name === n)).filter((c): c is ListColumn => c?.total !== undefined)}
            priorityClasses={props.priorityClasses}
            today={props.today}
            userId={props.userId}
            groupIds={props.groupIds}
          />
          <p class="buttons bulk-actions hide-when-print">
            <button type="submit" class="bulk-edit">
              {t('label_query_bulk_edit_selected')}
            </button>{' '}
            <button type="submit" class="bulk-delete" formaction="/issues/delete" data-confirm={t('text_are_you_sure')}>
              {t('label_query_delete_selected')}
            </button>
          </p>
        </form>
      ) : null}
      <Totals props={props} />
      {result.total > 0 ? (
        <div class="pagination-wrapper">
          <Pagination t={t} page={state.page} perPage={state.perPage} total={result.total} href={(page) => href(props, { page })} />
          <PerPage props={props} />
        </div>
      ) : null}
      <CsvExport props={props} />
    </div>
  );
}

export interface SidebarQuery {
  readonly id: number;
  readonly name: string;
  readonly isPrivate: boolean;
}

/** Redmine's sidebar of an issue list: its links and the saved queries (the user's private ones apart). */
export function IssueListSidebar(props: { t: Translate; listPath: string; queries: readonly SidebarQuery[]; currentId: number | undefined }): VNode {
  const { t } = props;
  const list = (queries: readonly SidebarQuery[]) => (
    <ul class="queries">
      {queries.map((q) => (
        <li>
          <a href={`${props.listPath}?query_id=${q.id}`} class={q.id === props.currentId ? 'query selected' : 'query'} aria-current={q.id === props.currentId ? 'page' : undefined}>
            {q.name}
          </a>
        </li>
      ))}
    </ul>
  );
  const mine = props.queries.filter((q) => q.isPrivate);
  const shared = props.queries.filter((q) => !q.isPrivate);
  return (
    <div id="sidebar-queries">
      <h3>{t('label_issue_plural')}</h3>
      <ul>
        <li>
          <a href={`${props.listPath}?set_filter=1`}>{t('label_query_view_all_issues')}</a>
        </li>
      </ul>
      {mine.length > 0 ? (
        <>
          <h3>{t('label_query_my_queries')}</h3>
          {list(mine)}
        </>
      ) : null}
      {shared.length > 0 ? (
        <>
          <h3>{t('label_query_plural')}</h3>
          {list(shared)}
        </>
      ) : null}
    </div>
  );
}
