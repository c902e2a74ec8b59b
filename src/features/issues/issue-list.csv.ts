/**
 * CSV export of an issue list (Redmine's issues/index.csv): a header line of the localized column
 * names, one line per issue, comma-separated, CRLF line ends; UTF-8 with a byte order mark (so
 * spreadsheet programs read it as UTF-8) or Shift_JIS for Japanese spreadsheet users. Hours are
 * decimals, dates and times as the user reads them. Pure.
 */
import iconv from 'iconv-lite';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { ListColumn } from './issue-list.columns.ts';
import { cellText, type ListRow, type ValueNames } from './issue-list.values.ts';
import { labelText } from './views/query-filters.tsx';

export type CsvEncoding = 'UTF-8' | 'Shift_JIS';

/** The encoding asked for (Redmine's `encoding` parameter); anything else is UTF-8. */
export function csvEncodingOf(value: string | undefined): CsvEncoding {
  return value?.toLowerCase().replace(/[-_]/g, '') === 'shiftjis' ? 'Shift_JIS' : 'UTF-8';
}

/** A cell quoted when it must be; a leading `=`, `+`, `-`, `@` that is no number gets a `'`, so no spreadsheet runs it as a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

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
  return [header, ...lines].map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The bytes of the CSV text in the encoding: UTF-8 with a byte order mark, or Shift_JIS (unmappable characters as `?`). */
export function encodeCsv(text: string, encoding: CsvEncoding): Buffer {
  return encoding === 'Shift_JIS' ? iconv.encode(text, 'Shift_JIS') : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/** `attachment; filename="issues.csv"` with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function csvDisposition(name: string): string {
  const base = name.trim() === '' ? 'issues' : name.trim();
  const ascii = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'issues';
  return `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(`${base}.csv`)}`;
}
