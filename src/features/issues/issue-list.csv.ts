/**
 * CSV export of an issue list (Redmine's issues/index.csv): a header line of the localized column
 * names, one line per issue, written and encoded by lib/csv.ts. Hours are decimals, dates and times
 * as the user reads them. Pure.
 */
import { csvText } from '#src/lib/csv.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { ListColumn } from './issue-list.columns.ts';
import { cellText, type ListRow, type ValueNames } from './issue-list.values.ts';
import { labelText } from './views/query-filters.tsx';

const HOUR_COLUMNS = new Set(['estimated_hours', 'estimated_remaining_hours', 'total_estimated_hours', 'spent_hours', 'total_spent_hours']);

function decimal(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : value.toFixed(2);
}

/** Hours as decimals (`1.50`), as Redmine's CSV writes floats. */
function hoursValue(column: ListColumn, row: ListRow): string {
  const i = row.issue;
  switch (column.name) {
    case 'estimated_hours':
      return decimal(i.estimated_hours);
    case 'estimated_remaining_hours':
      return i.estimated_hours === null ? '' : decimal((i.estimated_hours * (100 - i.done_ratio)) / 100);
    case 'total_estimated_hours':
      return decimal(i.total_estimated_hours);
    case 'spent_hours':
      return row.hours ? decimal(row.hours.spent) : '';
    default:
      return row.hours ? decimal(row.hours.total) : '';
  }
}

export interface IssueCsvInput {
  readonly t: Translate;
  readonly format: Formatter;
  readonly columns: readonly ListColumn[];
  readonly rows: readonly ListRow[];
  readonly names: ValueNames;
}

/** The CSV text: `#`, the columns (description last, as Redmine), one line per issue. */
export function issueCsvText(input: IssueCsvInput): string {
  const { t, format, names } = input;
  const columns = [...input.columns.filter((c) => !c.block), ...input.columns.filter((c) => c.block)];
  const header = ['#', ...columns.map((c) => labelText(t, c.label))];
  const lines = input.rows.map((row) => [
    String(row.issue.id),
    ...columns.map((c) => (HOUR_COLUMNS.has(c.name) ? hoursValue(c, row) : cellText(c, row, names, t, format).replace(/\r?\n/g, '\r\n'))),
  ]);
  return csvText([header, ...lines]);
}
