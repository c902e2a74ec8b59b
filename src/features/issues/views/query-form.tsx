/**
 * The query form of an issue list (Redmine's `#query_form`): filters, and options (columns, grouping,
 * totals). The issue list submits it with GET to itself; the query pages embed the same fieldsets in
 * their own form. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { ListColumn } from '../issue-list.columns.ts';
import type { FilterDefinition } from '../issue-list.filters.ts';
import type { ListFilter } from '../issue-list.state.ts';
import { FiltersFieldset, labelText } from './query-filters.tsx';

/** What the form edits. */
export interface QueryFormState {
  readonly filters: readonly ListFilter[];
  readonly columns: readonly string[];
  readonly groupBy: string | undefined;
  readonly totals: readonly string[];
}

export interface QueryFieldsProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly definitions: readonly FilterDefinition[];
  /** Every column the list offers. */
  readonly columns: readonly ListColumn[];
  readonly state: QueryFormState;
}

/**
 * Redmine's columns chooser: the selected columns and the available ones, both named `c[]`. Without
 * JavaScript, selecting available columns adds them after the selected ones (the selected list comes
 * first in the document; CSS shows it on the right); the island moves options between the lists.
 */
function ColumnsChooser({ t, columns, state }: Pick<QueryFieldsProps, 't' | 'columns' | 'state'>): VNode {
  const inline = columns.filter((c) => !c.block);
  const selected = state.columns.map((name) => inline.find((c) => c.name === name)).filter((c): c is ListColumn => c !== undefined);
  const available = inline.filter((c) => !state.columns.includes(c.name));
  return (
    <div class="query-columns">
      <span class="query-columns-selected">
        <label for="selected_c">{t('label_query_selected_columns')}</label>
        <select id="selected_c" name="c[]" multiple size={10}>
          {selected.map((c) => (
            <option value={c.name} selected>
              {labelText(t, c.label)}
            </option>
          ))}
        </select>
      </span>
      <span class="query-columns-buttons" hidden>
        <button type="button" class="move-right" title={t('label_query_add_column')} aria-label={t('label_query_add_column')}>
          →
        </button>
        <button type="button" class="move-left" title={t('label_query_remove_column')} aria-label={t('label_query_remove_column')}>
          ←
        </button>
        <button type="button" class="move-up" title={t('label_query_move_up')} aria-label={t('label_query_move_up')}>
          ↑
        </button>
        <button type="button" class="move-down" title={t('label_query_move_down')} aria-label={t('label_query_move_down')}>
          ↓
        </button>
      </span>
      <span class="query-columns-available">
        <label for="available_c">{t('label_query_available_columns')}</label>
        <select id="available_c" name="c[]" multiple size={10}>
          {available.map((c) => (
            <option value={c.name}>{labelText(t, c.label)}</option>
          ))}
        </select>
      </span>
    </div>
  );
}

/** The options box: columns, block columns, grouping, totals. */
export function OptionsFieldset({ t, columns, state }: Pick<QueryFieldsProps, 't' | 'columns' | 'state'>): VNode {
  const groupable = columns.filter((c) => c.group);
  const totalable = columns.filter((c) => c.total);
  const blocks = columns.filter((c) => c.block);
  return (
    <fieldset id="options" class="collapsible">
      <legend>{t('label_options')}</legend>
      <table id="list-definition">
        <tbody>
          <tr>
            <td class="field">{t('field_column_names')}</td>
            <td>
              <ColumnsChooser t={t} columns={columns} state={state} />
            </td>
          </tr>
          <tr>
            <td class="field">
              <label for="group_by">{t('field_group_by')}</label>
            </td>
            <td>
              <select id="group_by" name="group_by">
                <option value="" />
                {groupable.map((c) => (
                  <option value={c.name} selected={state.groupBy === c.name}>
                    {labelText(t, c.label)}
                  </option>
                ))}
              </select>
            </td>
          </tr>
          <tr>
            <td class="field">{t('label_query_show')}</td>
            <td class="inline-options">
              {blocks.map((c) => (
                <label class="inline">
                  <input type="checkbox" name="c[]" value={c.name} checked={state.columns.includes(c.name)} /> {labelText(t, c.label)}
                </label>
              ))}
            </td>
          </tr>
          <tr>
            <td class="field">{t('label_query_totals')}</td>
            <td class="totals-options">
              <input type="hidden" name="t[]" value="" />
              {totalable.map((c) => (
                <label class="inline">
                  <input type="checkbox" name="t[]" value={c.name} checked={state.totals.includes(c.name)} /> {labelText(t, c.label)}
                </label>
              ))}
            </td>
          </tr>
        </tbody>
      </table>
    </fieldset>
  );
}

/** Filters and options, as both the list and the query pages show them. */
export function QueryFields(props: QueryFieldsProps): VNode {
  return (
    <div id="query_form_with_buttons" class="hide-when-print">
      <div id="query_form_content">
        <FiltersFieldset definitions={props.definitions} filters={props.state.filters} t={props.t} format={props.format} />
        <OptionsFieldset t={props.t} columns={props.columns} state={props.state} />
      </div>
    </div>
  );
}
