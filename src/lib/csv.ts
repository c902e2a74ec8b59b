/**
 * CSV as spreadsheet programs read it (Redmine's exports): comma-separated, CRLF line ends, cells
 * quoted when they must be; UTF-8 with a byte order mark (so the programs take it as UTF-8) or
 * Shift_JIS for Japanese spreadsheet users. The one CSV writer of the code base.
 */
import iconv from 'iconv-lite';

export type CsvEncoding = 'UTF-8' | 'Shift_JIS';

/** The encoding asked for (Redmine's `encoding` parameter); anything else is UTF-8. */
export function csvEncodingOf(value: string | undefined): CsvEncoding {
  return value?.toLowerCase().replace(/[-_]/g, '') === 'shiftjis' ? 'Shift_JIS' : 'UTF-8';
}

/**
 * A cell quoted when it must be. A leading `=`, `+`, `-`, `@`, tab or carriage return that is no
 * number gets a `'`, so no spreadsheet runs the cell as a formula (CSV injection).
 */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The text of the lines (the first is usually the header), each cell made safe; no byte order mark. */
export function csvText(lines: readonly (readonly string[])[]): string {
  return lines.map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The bytes of CSV text in the encoding: UTF-8 with a byte order mark, or Shift_JIS (unmappable characters as `?`). */
export function encodeCsv(text: string, encoding: CsvEncoding): Buffer {
  return encoding === 'Shift_JIS' ? iconv.encode(text, 'Shift_JIS') : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/** The `Content-Type` of CSV in the encoding. */
export function csvContentType(encoding: CsvEncoding): string {
  return `text/csv; charset=${encoding === 'Shift_JIS' ? 'Shift_JIS' : 'utf-8'}; header=present`;
}

/** `attachment; filename="<name>.csv"` with an ASCII fallback and the UTF-8 name (RFC 6266); `fallback` for a blank name. */
export function csvDisposition(name: string, fallback: string): string {
  const base = name.trim() === '' ? fallback : name.trim();
  const ascii = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || fallback;
  return `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(`${base}.csv`)}`;
}
