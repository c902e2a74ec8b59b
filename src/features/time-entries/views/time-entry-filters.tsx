/**
 * The filters of the time-entry list and report: the issue list's filter box (active rows, then
 * every other filter behind "Add filter", which the issue-query island turns into Redmine's select),
 * in Redmine's long form (`f[]`, `op[field]`, `v[field][]`) so links from Redmine keep working.
 * Every list's values are in the page: `/queries/filter` serves issue lists only. Pure.
 */
import type { VNode } from 'preact';
import type { FilterDefinition } from '#src/features/issues/issue-list.filters.ts';
import type { ListFilter } from '#src/features/issues/issue-list.state.ts';
import { FiltersFieldset } from '#src/features/issues/views/query-filters.tsx';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';

export interface TimeEntryFiltersProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly action: string;
  readonly definitions: readonly FilterDefinition[];
  /** The filters the request sets (Redmine's default: any date). */
  readonly filters: readonly ListFilter[];
  /** Parameters the form carries along (the report's criteria and columns). */
  readonly hidden: readonly (readonly [string, string])[];
  readonly clearHref: string;
  /** Validation messages of the filters (the list is then empty). */
  readonly errors: readonly string[];
}

export function TimeEntryFilters(props: TimeEntryFiltersProps): VNode {
  const { t } = props;
  return (
    <form id="query_form" method="get" action={props.action}>
      <input type="hidden" name="set_filter" value="1" />
      {props.hidden.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <FiltersFieldset definitions={props.definitions} filters={props.filters} t={t} format={props.format} inlineChoices />
      {props.errors.length > 0 ? (
        <div id="errorExplanation" role="alert">
          <ul>
            {props.errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p class="buttons">
        <button type="submit" class="icon icon-checked">
          {t('button_apply')}
        </button>{' '}
        <a href={props.clearHref} class="icon icon-reload">
          {t('button_clear')}
        </a>
      </p>
    </form>
  );
}
