/**
 * Redmine's filter box (`fieldset#filters`): one row per active filter (checkbox, operator, values),
 * and every other filter in an "Add filter" disclosure, so the form works without JavaScript; the
 * issue-query island turns the disclosure into Redmine's "Add filter" select and shows only the value
 * inputs the operator uses. Pure.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { DAYS_OPERATORS, VALUELESS_OPERATORS, type FilterType } from '../issue-filter.model.ts';
import type { Label } from '../issue-list.columns.ts';
import type { ChoiceLabel, FilterChoice, FilterDefinition } from '../issue-list.filters.ts';
import type { ListFilter } from '../issue-list.state.ts';

/** Operator labels (Redmine's Query.operators). */
const OPERATOR_LABELS: Readonly<Record<string, MessageKey>> = {
  '=': 'label_equals',
  '!': 'label_not_equals',
  o: 'label_open_issues',
  c: 'label_closed_issues',
  '!*': 'label_none',
  '*': 'label_any',
  '>=': 'label_greater_or_equal',
  '<=': 'label_less_or_equal',
  '><': 'label_between',
  '<t+': 'label_query_op_in_less_than',
  '>t+': 'label_query_op_in_more_than',
  '><t+': 'label_query_op_in_the_next_days',
  't+': 'label_query_op_in',
  nd: 'label_query_op_tomorrow',
  t: 'label_today',
  ld: 'label_yesterday',
  nw: 'label_query_op_next_week',
  w: 'label_this_week',
  lw: 'label_last_week',
  l2w: 'label_last_n_weeks',
  nm: 'label_query_op_next_month',
  m: 'label_this_month',
  lm: 'label_last_month',
  y: 'label_this_year',
  '>t-': 'label_query_op_less_than_ago',
  '<t-': 'label_query_op_more_than_ago',
  '><t-': 'label_query_op_in_the_past_days',
  't-': 'label_query_op_days_ago',
  '~': 'label_contains',
  '*~': 'label_query_op_contains_any',
  '!~': 'label_query_op_not_contains',
  '^': 'label_query_op_starts_with',
  $: 'label_query_op_ends_with',
  '=p': 'label_query_op_any_issues_in_project',
  '=!p': 'label_query_op_any_issues_not_in_project',
  '!p': 'label_query_op_no_issues_in_project',
  '*o': 'label_query_op_any_open_issues',
  '!o': 'label_query_op_no_open_issues',
  ev: 'label_query_op_has_been',
  '!ev': 'label_query_op_has_never_been',
  cf: 'label_query_op_changed_from',
};

export function labelText(t: Translate, label: Label): string {
  return 'key' in label ? t(label.key) : label.text;
}

export function choiceText(t: Translate, format: Formatter, label: ChoiceLabel): string {
  return 'user' in label ? format.user(label.user) : labelText(t, label);
}

const LIST_TYPES: ReadonlySet<FilterType> = new Set(['list', 'list_status', 'list_optional', 'list_with_history', 'list_optional_with_history', 'list_subprojects']);

/** A field name usable in an element id (`fixed_version.due_date` → `fixed_version_due_date`). */
export function fieldId(field: string): string {
  return field.replace(/[^A-Za-z0-9_-]/g, '_');
}

function Options({ choices, chosen, t, format }: { choices: readonly FilterChoice[]; chosen: ReadonlySet<string>; t: Translate; format: Formatter }) {
  const groups = [...new Set(choices.map((c) => c.group))];
  const option = (c: FilterChoice) => (
    <option value={c.value} selected={chosen.has(c.value)}>
      {choiceText(t, format, c.label)}
    </option>
  );
  return (
    <>
      {groups.map((group) =>
        group === undefined ? (
          choices.filter((c) => c.group === undefined).map(option)
        ) : (
          <optgroup label={group}>{choices.filter((c) => c.group === group).map(option)}</optgroup>
        ),
      )}
    </>
  );
}

/**
 * Inactive list filters with more choices than this render an empty select that the island fills from
 * `/queries/filter` when the filter is added: every user, version and project listed in each of a
 * dozen hidden rows made the list page mostly filter form (50 of 85 KB with 50 members). Without
 * JavaScript such a filter is checked and applied first, and its row then lists the values.
 */
const INLINE_CHOICES = 10;

/** The value inputs of a filter; the island enables those the chosen operator reads. */
function Values({ definition, filter, t, format, inlineChoices }: FilterRowProps): VNode {
  const id = fieldId(definition.field);
  const name = `v[${definition.field}][]`;
  const values = filter?.values ?? [];
  const operator = filter?.operator ?? definition.operators[0] ?? '';
  if (LIST_TYPES.has(definition.type) || definition.choices) {
    const chosen = new Set(values);
    const multiple = values.filter((v) => v !== '').length > 1;
    const remote = !inlineChoices && filter === undefined && (definition.choices?.length ?? 0) > INLINE_CHOICES;
    return (
      <span class="values list">
        <select id={`values_${id}_1`} name={name} class="value" multiple={multiple} size={multiple ? 5 : undefined} aria-label={t('label_query_values')} data-remote={remote ? '1' : undefined}>
          {remote ? null : <Options choices={definition.choices ?? []} chosen={chosen} t={t} format={format} />}
        </select>
        <button type="button" class="toggle-multiselect icon-only" hidden title={t('label_query_toggle_multiselect')} aria-label={t('label_query_toggle_multiselect')}>
          +
        </button>
      </span>
    );
  }
  if (definition.type === 'date' || definition.type === 'date_past') {
    const days = DAYS_OPERATORS.has(operator);
    return (
      <span class="values date">
        <input type="date" id={`values_${id}_1`} name={name} class="value date1" value={days ? '' : (values[0] ?? '')} aria-label={t('label_query_values')} />
        <input type="date" id={`values_${id}_2`} name={name} class="value date2" value={operator === '><' ? (values[1] ?? '') : ''} aria-label={t('label_query_values')} />
        <input type="text" id={`values_${id}`} name={name} class="value days" size={3} inputmode="numeric" value={days ? (values[0] ?? '') : ''} aria-label={t('label_day_plural')} />
        <span class="days-label"> {t('label_day_plural')}</span>
      </span>
    );
  }
  if (definition.type === 'integer' || definition.type === 'float' || definition.type === 'hour') {
    return (
      <span class="values number">
        <input type="text" id={`values_${id}_1`} name={name} class="value value1" size={6} value={values[0] ?? ''} aria-label={t('label_query_values')} />
        <input type="text" id={`values_${id}_2`} name={name} class="value value2" size={6} value={operator === '><' ? (values[1] ?? '') : ''} aria-label={t('label_query_values')} />
      </span>
    );
  }
  return (
    <span class="values text">
      <input type="text" id={`values_${id}`} name={name} class="value" size={30} value={values[0] ?? ''} aria-label={t('label_query_values')} />
    </span>
  );
}

interface FilterRowProps {
  readonly definition: FilterDefinition;
  readonly filter: ListFilter | undefined;
  readonly t: Translate;
  readonly format: Formatter;
  /** Every list's values in the page: lists whose values `/queries/filter` does not serve (time entries). */
  readonly inlineChoices?: boolean | undefined;
}

/** One filter's row: `tr.filter#tr_<field>`, checked when active. */
export function FilterRow(props: FilterRowProps): VNode {
  const { definition, filter, t } = props;
  const id = fieldId(definition.field);
  const operator = filter?.operator ?? definition.operators[0] ?? '';
  const classes = ['filter', VALUELESS_OPERATORS.has(operator) ? 'valueless' : ''].filter(Boolean).join(' ');
  return (
    <tr class={classes} id={`tr_${id}`} data-field={definition.field} data-type={definition.type}>
      <td class="field">
        <input type="checkbox" id={`cb_${id}`} name="f[]" value={definition.field} checked={filter !== undefined} />
        <label for={`cb_${id}`}> {labelText(t, definition.label)}</label>
      </td>
      <td class="operator">
        <select id={`operators_${id}`} name={`op[${definition.field}]`} class="select-small" aria-label={t('label_query_operator')}>
          {definition.operators.map((op) => (
            <option value={op} selected={op === operator}>
              {t(OPERATOR_LABELS[op] ?? 'label_equals', op === 'l2w' ? { count: '2' } : undefined)}
            </option>
          ))}
        </select>
      </td>
      <td class="values">
        <Values {...props} />
      </td>
    </tr>
  );
}

const SECTIONS: readonly (readonly [FilterDefinition['section'], MessageKey | undefined])[] = [
  ['standard', undefined],
  ['custom', 'label_custom_field_plural'],
  ['relation', 'label_related_issues'],
];

/** The filter box: active filters, then the others behind "Add filter" (the island makes that a select). */
export function FiltersFieldset(props: {
  definitions: readonly FilterDefinition[];
  filters: readonly ListFilter[];
  t: Translate;
  format: Formatter;
  inlineChoices?: boolean | undefined;
}): VNode {
  const { definitions, filters, t, format, inlineChoices } = props;
  const known = new Map(definitions.map((d) => [d.field, d]));
  const active = filters.filter((f) => known.has(f.field));
  const inactive = definitions.filter((d) => !active.some((f) => f.field === d.field));
  return (
    <fieldset id="filters" class="collapsible">
      <legend>{t('label_filter_plural')}</legend>
      <input type="hidden" name="f[]" value="" />
      <table id="filters-table">
        <tbody>
          {active.map((filter) => (
            <FilterRow definition={known.get(filter.field)!} filter={filter} t={t} format={format} inlineChoices={inlineChoices} />
          ))}
        </tbody>
      </table>
      <details class="add-filter" id="add-filter">
        <summary>{t('label_query_filter_add')}</summary>
        <table id="available-filters">
          {SECTIONS.map(([section, heading]) => {
            const rows = inactive.filter((d) => d.section === section);
            return rows.length === 0 ? null : (
              <tbody data-section={section} data-label={heading ? t(heading) : ''}>
                {rows.map((definition) => (
                  <FilterRow definition={definition} filter={undefined} t={t} format={format} inlineChoices={inlineChoices} />
                ))}
              </tbody>
            );
          })}
        </table>
      </details>
    </fieldset>
  );
}
