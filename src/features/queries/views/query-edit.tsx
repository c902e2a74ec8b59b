/**
 * Redmine's query form (queries/new and queries/edit) for issue queries: name, who sees it, for all
 * projects or this one, the project's default query, the sort, and the list's filters and options.
 * Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';
import type { ListColumn } from '#src/features/issues/issue-list.columns.ts';
import type { FilterDefinition } from '#src/features/issues/issue-list.filters.ts';
import type { SortCriteria } from '#src/features/issues/issue-list.state.ts';
import { labelText } from '#src/features/issues/views/query-filters.tsx';
import { QueryFields, type QueryFormState } from '#src/features/issues/views/query-form.tsx';
import { QUERY_VISIBILITY } from '../query.policy.ts';

export interface QueryEditProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  /** Create (`/queries`) or update (`/queries/:id`). */
  readonly action: string;
  readonly queryId: number | undefined;
  readonly projectIdentifier: string | undefined;
  readonly name: string;
  readonly visibility: number;
  readonly roleIds: readonly number[];
  readonly roles: readonly { id: number; name: string }[];
  readonly forAllProjects: boolean;
  /** The box may be changed (Redmine disables it for shared queries unless administrator). */
  readonly forAllEditable: boolean;
  readonly isDefault: boolean;
  readonly mayShare: boolean;
  readonly mayBeDefault: boolean;
  readonly sort: SortCriteria;
  readonly definitions: readonly FilterDefinition[];
  readonly columns: readonly ListColumn[];
  readonly state: QueryFormState;
  readonly errors: readonly string[];
  /** Where Cancel leads. */
  readonly listPath: string;
}

function SortFieldset({ t, sort, columns }: Pick<QueryEditProps, 't' | 'sort' | 'columns'>): VNode {
  const sortable = columns.filter((c) => c.sortKey);
  return (
    <fieldset id="query-sort">
      <legend>{t('label_query_sort')}</legend>
      {[0, 1, 2].map((i) => {
        const [key, direction] = sort[i] ?? ['', 'asc'];
        return (
          <p class="sort-criterion">
            <span class="query_sort_criteria_count">{i + 1}:</span>{' '}
            <select id={`query_sort_criteria_attribute_${i}`} name={`query[sort_criteria][${i}][]`} aria-label={t('label_query_sort')}>
              <option value="" />
              <option value="id" selected={key === 'id'}>
                #
              </option>
              {sortable.map((c) => (
                <option value={c.sortKey} selected={key === c.sortKey}>
                  {labelText(t, c.label)}
                </option>
              ))}
            </select>{' '}
            <select id={`query_sort_criteria_direction_${i}`} name={`query[sort_criteria][${i}][]`} aria-label={t('label_query_sort_direction')}>
              <option value="asc" selected={direction === 'asc'}>
                {t('label_query_sort_asc')}
              </option>
              <option value="desc" selected={direction === 'desc'}>
                {t('label_query_sort_desc')}
              </option>
            </select>
          </p>
        );
      })}
    </fieldset>
  );
}

export function QueryEditPage(props: QueryEditProps): VNode {
  const { t } = props;
  return (
    <div id="query-edit">
      <h2>{props.queryId === undefined ? t('label_query_new') : t('label_query_edit')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action={props.action} id="query-form">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="set_filter" value="1" />
        {props.projectIdentifier ? <input type="hidden" name="project_id" value={props.projectIdentifier} /> : null}
        <div class="box tabular">
          <p>
            <label for="query_name">
              {t('field_name')}
              <span class="required"> *</span>
            </label>
            <input type="text" id="query_name" name="query[name]" size={80} maxlength={255} value={props.name} required />
          </p>
          {props.mayShare ? (
            <p class="query-visibility">
              <label>{t('field_visible')}</label>
              <span>
                <label class="block">
                  <input type="radio" name="query[visibility]" value={String(QUERY_VISIBILITY.private)} checked={props.visibility === QUERY_VISIBILITY.private} />{' '}
                  {t('label_query_visibility_private')}
                </label>
                <label class="block">
                  <input type="radio" name="query[visibility]" value={String(QUERY_VISIBILITY.public)} checked={props.visibility === QUERY_VISIBILITY.public} />{' '}
                  {t('label_query_visibility_public')}
                </label>
                <label class="block">
                  <input type="radio" name="query[visibility]" value={String(QUERY_VISIBILITY.roles)} checked={props.visibility === QUERY_VISIBILITY.roles} />{' '}
                  {t('label_query_visibility_roles')}
                </label>
                {props.roles.map((role) => (
                  <label class="block role-visibility">
                    <input type="checkbox" name="query[role_ids][]" value={String(role.id)} checked={props.roleIds.includes(role.id)} /> {role.name}
                  </label>
                ))}
                <input type="hidden" name="query[role_ids][]" value="" />
              </span>
            </p>
          ) : null}
          {props.projectIdentifier ? (
            <p>
              <label for="query_is_for_all">{t('field_is_for_all')}</label>
              <input type="checkbox" id="query_is_for_all" name="query_is_for_all" value="1" checked={props.forAllProjects} disabled={!props.forAllEditable} />
            </p>
          ) : null}
          {props.mayBeDefault ? (
            <p>
              <label for="query_default_project_query">{t('label_query_default_query')}</label>
              <input type="checkbox" id="query_default_project_query" name="query[default_project_query]" value="1" checked={props.isDefault} />
            </p>
          ) : null}
        </div>
        <SortFieldset t={t} sort={props.sort} columns={props.columns} />
        <QueryFields t={t} format={props.format} definitions={props.definitions} columns={props.columns} state={props.state} />
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_save')}
          </button>{' '}
          <a href={props.listPath}>{t('button_cancel')}</a>
        </p>
      </form>
      {props.queryId !== undefined ? (
        <form method="post" action={`/queries/${props.queryId}/delete`} class="delete-query" data-confirm={t('text_are_you_sure')}>
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="icon icon-del">
            {t('button_delete')}
          </button>
        </form>
      ) : null}
    </div>
  );
}
