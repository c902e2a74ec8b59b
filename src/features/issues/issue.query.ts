/**
 * The short-form filters and sort of `GET /issues.json` (contract §5, §6.1.1) turned into SQL over
 * `issues i JOIN projects p … issue_statuses s, enumerations e, trackers t`. Every value becomes a
 * bound parameter; an unusable value is a 422 naming the field.
 */
import { sql, type SQL } from 'drizzle-orm';
import { paramList, paramString, type Params } from '#src/api/params.ts';
import type { Actor } from '#src/domain/authorization.ts';

export interface IssueFilterResult {
  readonly conditions: SQL[];
  readonly errors: string[];
}

const LABELS: Record<string, string> = {
  status_id: 'Status',
  tracker_id: 'Tracker',
  priority_id: 'Priority',
  author_id: 'Author',
  assigned_to_id: 'Assignee',
  category_id: 'Category',
  fixed_version_id: 'Target version',
  created_on: 'Created',
  updated_on: 'Updated',
  closed_on: 'Closed',
  start_date: 'Start date',
  due_date: 'Due date',
  subject: 'Subject',
};

const ID_COLUMNS: Record<string, string> = {
  tracker_id: 'i.tracker_id',
  priority_id: 'i.priority_id',
  author_id: 'i.author_id',
  assigned_to_id: 'i.assigned_to_id',
  category_id: 'i.category_id',
  fixed_version_id: 'i.fixed_version_id',
};

const DATE_COLUMNS: Record<string, { column: string; isTimestamp: boolean }> = {
  created_on: { column: 'i.created_on', isTimestamp: true },
  updated_on: { column: 'i.updated_on', isTimestamp: true },
  closed_on: { column: 'i.closed_on', isTimestamp: true },
  start_date: { column: 'i.start_date', isTimestamp: false },
  due_date: { column: 'i.due_date', isTimestamp: false },
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function ids(values: string[], actor: Actor): number[] | undefined {
  const out: number[] = [];
  for (const value of values) {
    if (value === 'me') {
      out.push(actor.userId ?? -1);
    } else if (/^\d{1,9}$/.test(value)) {
      out.push(Number(value));
    } else {
      return undefined;
    }
  }
  return out;
}

function inList(column: string, values: number[]): SQL {
  return sql`${sql.raw(column)} IN (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

function dateCondition(column: string, isTimestamp: boolean, expression: string): SQL | undefined {
  const col = sql.raw(column);
  // A timestamp compares by calendar day: up to and including the whole of the last day.
  const dayAfter = (d: string) => (isTimestamp ? sql`${col} < (${d}::date + 1)` : sql`${col} <= ${d}::date`);
  if (expression.startsWith('>=') && DATE.test(expression.slice(2))) {
    return sql`${col} >= ${expression.slice(2)}::date`;
  }
  if (expression.startsWith('<=') && DATE.test(expression.slice(2))) {
    return dayAfter(expression.slice(2));
  }
  if (expression.startsWith('><')) {
    const [from = '', to = ''] = expression.slice(2).split('|');
    return DATE.test(from) && DATE.test(to) ? sql`${col} >= ${from}::date AND ${dayAfter(to)}` : undefined;
  }
  if (DATE.test(expression)) {
    return sql`${col} >= ${expression}::date AND ${col} < (${expression}::date + 1)`;
  }
  if (expression === '*') {
    return sql`${col} IS NOT NULL`;
  }
  if (expression === '!*') {
    return sql`${col} IS NULL`;
  }
  return undefined;
}

export function issueFilters(params: Params, actor: Actor): IssueFilterResult {
  const conditions: SQL[] = [];
  const errors: string[] = [];
  const invalid = (field: string) => errors.push(`${LABELS[field] ?? field} is invalid`);

  const status = paramString(params.status_id) ?? 'open';
  if (status === 'open') {
    conditions.push(sql`s.is_closed = FALSE`);
  } else if (status === 'closed') {
    conditions.push(sql`s.is_closed = TRUE`);
  } else if (status !== '*') {
    const list = ids(status.split('|'), actor);
    if (list) {
      conditions.push(inList('i.status_id', list));
    } else {
      invalid('status_id');
    }
  }

  for (const [field, column] of Object.entries(ID_COLUMNS)) {
    const raw = params[field];
    if (raw === undefined) {
      continue;
    }
    const expression = paramList(raw).join('|');
    if (expression === '*') {
      conditions.push(sql`${sql.raw(column)} IS NOT NULL`);
    } else if (expression === '!*') {
      conditions.push(sql`${sql.raw(column)} IS NULL`);
    } else {
      const negate = expression.startsWith('!');
      const list = ids((negate ? expression.slice(1) : expression).split('|'), actor);
      if (!list || list.length === 0) {
        invalid(field);
      } else {
        conditions.push(negate ? sql`(${sql.raw(column)} IS NULL OR NOT ${inList(column, list)})` : inList(column, list));
      }
    }
  }

  for (const [field, { column, isTimestamp }] of Object.entries(DATE_COLUMNS)) {
    const expression = paramString(params[field]);
    if (expression === undefined) {
      continue;
    }
    const condition = dateCondition(column, isTimestamp, expression);
    if (condition) {
      conditions.push(condition);
    } else {
      invalid(field);
    }
  }

  const subject = paramString(params.subject);
  if (subject !== undefined) {
    const text = subject.startsWith('~') ? subject.slice(1) : subject;
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(subject.startsWith('~') ? sql`i.subject ILIKE ${pattern}` : sql`i.subject = ${subject}`);
  }
  return { conditions, errors };
}

const SORTABLE: Record<string, string> = {
  id: 'i.id',
  subject: 'i.subject',
  created_on: 'i.created_on',
  updated_on: 'i.updated_on',
  closed_on: 'i.closed_on',
  start_date: 'i.start_date',
  due_date: 'i.due_date',
  done_ratio: 'i.done_ratio',
  estimated_hours: 'i.estimated_hours',
  priority: 'e.position',
  status: 's.position',
  tracker: 't.position',
  project: 'p.name',
};

/** `sort=priority:desc,updated_on` → ORDER BY; unknown columns are ignored, `id DESC` ends ties. */
export function issueOrder(params: Params): SQL {
  const parts: SQL[] = [];
  let hasId = false;
  for (const item of (paramString(params.sort) ?? '').split(',')) {
    const [name = '', direction] = item.trim().split(':');
    const column = SORTABLE[name];
    if (!column) {
      continue;
    }
    hasId ||= name === 'id';
    parts.push(sql.raw(`${column} ${direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`));
  }
  if (!hasId) {
    parts.push(sql.raw('i.id DESC'));
  }
  return sql.join(parts, sql`, `);
}
