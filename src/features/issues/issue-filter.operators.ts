/**
 * The SQL of Redmine's generic filter operators on one column (Query#sql_for_field): lists, text
 * (tokenized case-insensitive LIKE), dates and instants, numbers. Every value is a bound parameter;
 * columns are fixed SQL given by the caller. Also the value readers Redmine's filters use (`to_i`,
 * `scan(/\d+/)`).
 */
import { sql, type SQL } from 'drizzle-orm';
import { parseFilterDate, relativeDays, type FilterDate } from './issue-filter.dates.ts';
import type { FilterType } from './issue-filter.model.ts';

export const TRUE = sql`TRUE`;
export const FALSE = sql`FALSE`;
const MAX_ID = 2_147_483_647;

/** Ruby's `to_i`: the leading integer, else 0. */
export function rubyInt(text: string | undefined): number {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isSafeInteger(n) ? n : 0;
}

/** An id for a bound parameter: one no integer column can hold becomes -1, which matches no row. */
export function dbId(n: number): number {
  return Math.abs(n) <= MAX_ID ? n : -1;
}

/** Ruby's `to_f`: the leading number, else 0. */
function rubyFloat(text: string | undefined): number {
  const n = Number.parseFloat(text ?? '');
  return Number.isFinite(n) ? n : 0;
}

/** `text.scan(pattern).map(&:to_i)`, keeping only what an integer column can hold. */
export function scanIds(text: string | undefined, pattern = /\d+/g): number[] {
  const ids = [...(text ?? '').matchAll(pattern)].map((m) => Number(m[0])).filter((n) => Number.isSafeInteger(n) && Math.abs(n) <= MAX_ID);
  return [...new Set(ids)];
}

/** Integer list values (validated): out-of-range ones can match no row, so they are dropped. */
export function idsOf(values: readonly string[]): number[] {
  return values.map(Number).filter((n) => Number.isSafeInteger(n) && n <= MAX_ID);
}

export function list(values: readonly (number | string | boolean)[]): SQL {
  return sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

/** Redmine's `=`, `!`, `!*`, `*` on a column; an empty `=` matches nothing, an empty `!` everything. */
export function listCondition(column: SQL, operator: string, values: readonly (number | string)[]): SQL {
  switch (operator) {
    case '=':
      return values.length === 0 ? FALSE : sql`${column} IN ${list(values)}`;
    case '!':
      return values.length === 0 ? TRUE : sql`(${column} IS NULL OR ${column} NOT IN ${list(values)})`;
    case '!*':
      return sql`${column} IS NULL`;
    case '*':
      return sql`${column} IS NOT NULL`;
    default:
      return FALSE;
  }
}

// Text

function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Redmine's search tokens: quoted phrases or words of 2+ characters (1 for Han), at most 5. */
export function searchTokens(value: string): string[] {
  const tokens = [...value.matchAll(/"[^"]+"|[^\p{Zs}]+/gu)].map((m) => m[0].replace(/^"\p{Zs}*|\p{Zs}*"$/gu, ''));
  const kept = [...new Set(tokens)].filter((token) => [...token].length > 1 || /\p{Script=Han}/u.test(token)).slice(0, 5);
  return kept.length > 0 ? kept : [value];
}

/** Query.tokenized_like_conditions: case-insensitive, every token (`~`, `!~`) or any (`*~`, `^`, `$`). */
export function containsCondition(column: SQL, operator: string, value: string): SQL {
  const [prefix, suffix, joiner] = operator === '^' ? ['', '%', ' OR '] : operator === '$' ? ['%', '', ' OR '] : ['%', '%', operator === '*~' ? ' OR ' : ' AND '];
  const parts = searchTokens(value).map((token) => {
    const pattern = `${prefix}${likeEscaped(token)}${suffix}`;
    return operator === '!~' ? sql`${column} NOT ILIKE ${pattern}` : sql`${column} ILIKE ${pattern}`;
  });
  return sql`(${sql.join(parts, sql.raw(joiner))})`;
}

export function textCondition(column: SQL, operator: string, values: readonly string[]): SQL {
  switch (operator) {
    case '!*':
      return sql`(${column} IS NULL OR ${column} = '')`;
    case '*':
      return sql`(${column} IS NOT NULL AND ${column} <> '')`;
    case '=':
    case '!':
      return listCondition(column, operator, values);
    default:
      return containsCondition(column, operator, values[0] ?? '');
  }
}

// Dates

/**
 * Redmine's date_clause: a day bound covers the whole (UTC) day; an instant is compared exactly, `from`
 * as "after one second before" as Redmine does.
 */
function dateRange(column: SQL, from: FilterDate | undefined, to: FilterDate | undefined): SQL {
  const parts: SQL[] = [];
  if (from) {
    parts.push('day' in from ? sql`${column} >= ${from.day}::date` : sql`${column} > ${from.instant}::timestamp - interval '1 second'`);
  }
  if (to) {
    parts.push('day' in to ? sql`${column} < ${to.day}::date + 1` : sql`${column} <= ${to.instant}::timestamp`);
  }
  return parts.length === 0 ? TRUE : sql`(${sql.join(parts, sql` AND `)})`;
}

export function dateCondition(column: SQL, operator: string, values: readonly string[], today: string): SQL {
  const at = (i: number) => parseFilterDate(values[i] ?? '');
  switch (operator) {
    case '=':
      return dateRange(column, at(0), at(0));
    case '>=':
      return dateRange(column, at(0), undefined);
    case '<=':
      return dateRange(column, undefined, at(0));
    case '><':
      return dateRange(column, at(0), at(1));
    case '!*':
      return sql`${column} IS NULL`;
    case '*':
      return sql`${column} IS NOT NULL`;
    default: {
      const [from, to] = relativeDays(operator, rubyInt(values[0]), today);
      return dateRange(column, from === undefined ? undefined : { day: from }, to === undefined ? undefined : { day: to });
    }
  }
}

// Numbers

export function numberCondition(column: SQL, type: FilterType, operator: string, values: readonly string[]): SQL {
  const number = (i: number) => sql`${rubyFloat(values[i])}::double precision`;
  switch (operator) {
    case '=':
      if (type === 'integer') {
        const ints = scanIds(values[0], /[+-]?\d+/g);
        return ints.length === 0 ? FALSE : sql`${column} IN ${list(ints)}`;
      }
      return sql`${column} BETWEEN ${rubyFloat(values[0]) - 1e-5}::double precision AND ${rubyFloat(values[0]) + 1e-5}::double precision`;
    case '>=':
      return sql`${column} >= ${number(0)}`;
    case '<=':
      return sql`${column} <= ${number(0)}`;
    case '><':
      return sql`${column} BETWEEN ${number(0)} AND ${number(1)}`;
    case '!*':
      return sql`${column} IS NULL`;
    case '*':
      return sql`${column} IS NOT NULL`;
    default:
      return FALSE;
  }
}
