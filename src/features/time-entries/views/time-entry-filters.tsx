/**
 * The filters of the time-entry list and report, in Redmine's long form so that links from Redmine
 * keep working: a checkbox `f[]` per filter, its operator `op[field]` and values `v[field][]`. Every
 * filter row is shown, so the form works without JavaScript. Pure.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { Select, type SelectOption } from '#src/views/form.tsx';

export type FilterField = 'spent_on' | 'user_id' | 'activity_id' | 'issue_id';

export interface FilterRowState {
  readonly enabled: boolean;
  readonly operator: string;
  readonly values: readonly string[];
}

export type FilterFormState = Readonly<Record<FilterField, FilterRowState>>;

export interface TimeEntryFiltersProps {
  readonly t: Translate;
  readonly action: string;
  readonly state: FilterFormState;
  readonly users: readonly SelectOption[];
  readonly activities: readonly SelectOption[];
  /** Parameters the form carries along (the report's criteria and columns). */
  readonly hidden: readonly (readonly [string, string])[];
  readonly clearHref: string;
  /** Validation messages of the filters (the list is then empty). */
  readonly errors: readonly string[];
}

type Operator = readonly [string, MessageKey, Record<string, string>?];

/** The operators each filter offers (a subset of Redmine's for the type, in its order). */
export const FILTER_OPERATORS: Readonly<Record<FilterField, readonly Operator[]>> = {
  spent_on: [
    ['*', 'label_any'],
    ['=', 'label_equals'],
    ['>=', 'label_greater_or_equal'],
    ['<=', 'label_less_or_equal'],
    ['><', 'label_between'],
    ['t', 'label_today'],
    ['ld', 'label_yesterday'],
    ['w', 'label_this_week'],
    ['lw', 'label_last_week'],
    ['l2w', 'label_last_n_weeks', { count: '2' }],
    ['m', 'label_this_month'],
    ['lm', 'label_last_month'],
    ['y', 'label_this_year'],
  ],
  user_id: [
    ['=', 'label_equals'],
    ['!', 'label_not_equals'],
    ['!*', 'label_none'],
    ['*', 'label_any'],
  ],
  activity_id: [
    ['=', 'label_equals'],
    ['!', 'label_not_equals'],
  ],
  issue_id: [
    ['=', 'label_equals'],
    ['~', 'label_contains'],
    ['!*', 'label_none'],
    ['*', 'label_any'],
  ],
};

const LABELS: Readonly<Record<FilterField, MessageKey>> = {
  spent_on: 'field_spent_on',
  user_id: 'field_user',
  activity_id: 'field_activity',
  issue_id: 'field_issue',
};

function FilterRow(props: { t: Translate; field: FilterField; state: FilterRowState; children: VNode }): VNode {
  const { t, field, state } = props;
  const options = FILTER_OPERATORS[field].map(([value, key, vars]) => ({ value, label: t(key, vars) }));
  return (
    <tr class={`filter filter-${field}`} id={`tr_${field}`}>
      <td class="field">
        <input type="checkbox" id={`cb_${field}`} name="f[]" value={field} checked={state.enabled} />
        <label for={`cb_${field}`}>{t(LABELS[field])}</label>
      </td>
      <td class="operator">
        <label for={`operators_${field}`} class="visually-hidden">
          {t(LABELS[field])}
        </label>
        <Select id={`operators_${field}`} name={`op[${field}]`} options={options} value={state.operator} class="select-small" />
      </td>
      <td class="values">{props.children}</td>
    </tr>
  );
}

export function TimeEntryFilters(props: TimeEntryFiltersProps): VNode {
  const { t, state } = props;
  const userOptions = [{ value: 'me', label: t('label_me') }, ...props.users];
  return (
    <form id="query_form" method="get" action={props.action}>
      <input type="hidden" name="set_filter" value="1" />
      {props.hidden.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <fieldset id="filters" class="collapsible">
        <legend>{t('label_filter_plural')}</legend>
        <table class="filters-table">
          <tbody>
            <FilterRow t={t} field="spent_on" state={state.spent_on}>
              <span class="date-range">
                <input type="date" id="values_spent_on_1" name="v[spent_on][]" value={state.spent_on.values[0] ?? ''} aria-label={t('label_date_from')} />
                <span> – </span>
                <input type="date" id="values_spent_on_2" name="v[spent_on][]" value={state.spent_on.values[1] ?? ''} aria-label={t('label_date_to')} />
              </span>
            </FilterRow>
            <FilterRow t={t} field="user_id" state={state.user_id}>
              <Select id="values_user_id" name="v[user_id][]" options={userOptions} value={state.user_id.values[0] ?? ''} blank="" />
            </FilterRow>
            <FilterRow t={t} field="activity_id" state={state.activity_id}>
              <Select id="values_activity_id" name="v[activity_id][]" options={props.activities} value={state.activity_id.values[0] ?? ''} blank="" />
            </FilterRow>
            <FilterRow t={t} field="issue_id" state={state.issue_id}>
              <input type="text" id="values_issue_id" name="v[issue_id][]" value={state.issue_id.values[0] ?? ''} size={10} inputmode="numeric" aria-label={t('field_issue')} />
            </FilterRow>
          </tbody>
        </table>
      </fieldset>
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
