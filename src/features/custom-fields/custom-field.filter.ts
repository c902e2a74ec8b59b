/**
 * The `cf_N` filters of a list (contract §5; Redmine's Query#sql_for_custom_field) as SQL conditions:
 * of an issue list over `issues i`, of a project list over `projects`, of a time-entry list over
 * `time_entries t JOIN projects p` (with `ti`, the entry's issue when visible). Short form `cf_1=~foo`,
 * or long form `f[]=cf_1&op[cf_1]=~&v[cf_1][]=foo` (when `f` is given the short parameters are
 * ignored, as in Redmine). A time-entry list also takes the fields of the entry's issue, project and
 * user (`issue.cf_N`, `project.cf_N`, `user.cf_N`: Redmine's associations' custom-field filters).
 * Only fields used as filters and visible to the actor are available; other `cf_N` parameters are
 * ignored. Every value is a bound parameter; an issue field applies only to issues of its trackers and
 * projects, and a role-restricted field only in projects where the actor holds one of its roles.
 */
import { sql, type SQL } from 'drizzle-orm';
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import type { Queryable } from '#src/db/database.ts';
import { idList } from '#src/db/sql.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { formatOf, isIsoDate, type FilterType } from './custom-field.format.ts';
import { selectFilterFields, type CustomFieldDef } from './custom-field.repository.ts';
import { parseShortExpression } from '#src/api/short-filter.ts';

/** Operators per filter type (§5.2). */
export const FILTER_OPERATORS: Readonly<Record<FilterType, readonly string[]>> = {
  string: ['~', '*~', '=', '!~', '!', '^', '$', '!*', '*'],
  text: ['~', '*~', '!~', '^', '$', '!*', '*'],
  integer: ['=', '>=', '<=', '><', '!*', '*'],
  float: ['=', '>=', '<=', '><', '!*', '*'],
  date: ['=', '>=', '<=', '><', '<t+', '>t+', '><t+', 't+', 'nd', 't', 'ld', 'nw', 'w', 'lw', 'l2w', 'nm', 'm', 'lm', 'y', '>t-', '<t-', '><t-', 't-', '!*', '*'],
  list_optional: ['=', '!', '!*', '*'],
};

const VALUELESS: ReadonlySet<string> = new Set(['!*', '*', 'nd', 't', 'ld', 'nw', 'w', 'lw', 'l2w', 'nm', 'm', 'lm', 'y']);
const DAYS_OPERATORS: ReadonlySet<string> = new Set(['>t-', '<t-', 't-', '>t+', '<t+', 't+', '><t+', '><t-']);

export interface FilterRequest {
  readonly operator: string;
  readonly values: readonly string[];
}

/** Redmine's add_short_filter over the field type's operators. */
export function parseShortFilter(type: FilterType, expression: string): FilterRequest {
  return parseShortExpression(FILTER_OPERATORS[type], expression);
}

function textValues(value: ParamValue | undefined): string[] | undefined {
  if (Array.isArray(value)) {
    return value.map((item) => paramString(item) ?? '');
  }
  const text = paramString(value);
  return text === undefined ? undefined : [text];
}

/** A `cf_N` filter the request names: the association prefix (`''`, `issue.`…), the field id, and the filter unparsed (short form) or parsed (long form). */
interface RequestedFilter {
  readonly prefix: string;
  readonly id: number;
  readonly request: { readonly expression: string } | FilterRequest;
}

/** The custom-field filters the request names, among the prefixes the list offers. */
function requestedFilters(params: Params, prefixes: readonly string[]): RequestedFilter[] {
  const requested = new Map<string, RequestedFilter>();
  const nameOf = (name: string) => {
    const match = /^([a-z_]+\.)?cf_([1-9]\d{0,8})$/.exec(name);
    const prefix = match?.[1] ?? '';
    return match && prefixes.includes(prefix) ? { prefix, id: Number(match[2]) } : undefined;
  };
  const names = params.f ?? params.fields;
  if (names !== undefined) {
    const operators = paramObject(params.op ?? params.operators) ?? {};
    const values = paramObject(params.v ?? params.values) ?? {};
    for (const name of textValues(names) ?? []) {
      const named = nameOf(name);
      if (named) {
        requested.set(name, { ...named, request: { operator: paramString(operators[name]) ?? '', values: textValues(values[name]) ?? [''] } });
      }
    }
    return [...requested.values()];
  }
  for (const [name, value] of Object.entries(params)) {
    const named = nameOf(name);
    const expression = textValues(value)?.join('|');
    if (named && expression !== undefined) {
      requested.set(name, { ...named, request: { expression } });
    }
  }
  return [...requested.values()];
}

/** Redmine's validate_query_filters for one filter: "is invalid" / "cannot be blank" fragments. */
export function filterErrors(type: FilterType, filter: FilterRequest): string[] {
  const errors: string[] = [];
  const present = filter.values.filter((value) => value.trim() !== '');
  const invalid =
    !FILTER_OPERATORS[type].includes(filter.operator) ||
    (type === 'integer' && present.some((value) => !/^[+-]?\d+(,[+-]?\d+)*$/.test(value))) ||
    (type === 'float' && present.some((value) => !/^[+-]?\d+(\.\d*)?$/.test(value))) ||
    (type === 'date' && ['=', '>=', '<=', '><'].includes(filter.operator) && present.some((value) => !isIsoDate(dateOf(value) ?? ''))) ||
    (type === 'date' && DAYS_OPERATORS.has(filter.operator) && present.some((value) => !/^\d{1,5}$/.test(value)));
  if (invalid) {
    errors.push('is invalid');
  }
  if (!VALUELESS.has(filter.operator) && (filter.values[0] ?? '').trim() === '') {
    errors.push('cannot be blank');
  }
  return errors;
}

/** The day of a date filter value: `YYYY-MM-DD` optionally followed by a time (ignored for custom fields). */
function dateOf(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}(T\d{2}(:?\d{2}){0,2}(Z|[+-]?\d{2}:?\d{2})?)?$/.test(value) ? value.slice(0, 10) : undefined;
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** [first, last] day of the period a relative date operator names, `today` being the user's today. */
function relativeRange(operator: string, n: number, today: string): [string | undefined, string | undefined] {
  const date = new Date(`${today}T00:00:00Z`);
  // Weeks start on Sunday (Redmine's general_first_day_of_week for en and ja).
  const daysAgo = date.getUTCDay();
  const monthStart = (offset: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
  const monthEnd = (offset: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset + 1, 0)).toISOString().slice(0, 10);
  const day = (offset: number) => addDays(today, offset);
  switch (operator) {
    case '><t-': return [day(-n), day(0)];
    case '>t-': return [day(-n), undefined];
    case '<t-': return [undefined, day(-n)];
    case 't-': return [day(-n), day(-n)];
    case '><t+': return [day(0), day(n)];
    case '>t+': return [day(n), undefined];
    case '<t+': return [undefined, day(n)];
    case 't+': return [day(n), day(n)];
    case 't': return [day(0), day(0)];
    case 'ld': return [day(-1), day(-1)];
    case 'nd': return [day(1), day(1)];
    case 'w': return [day(-daysAgo), day(-daysAgo + 6)];
    case 'lw': return [day(-daysAgo - 7), day(-daysAgo - 1)];
    case 'l2w': return [day(-daysAgo - 14), day(-daysAgo - 1)];
    case 'nw': return [day(-daysAgo + 7), day(-daysAgo + 13)];
    case 'm': return [monthStart(0), monthEnd(0)];
    case 'lm': return [monthStart(-1), monthEnd(-1)];
    case 'nm': return [monthStart(1), monthEnd(1)];
    case 'y': return [`${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`];
    default: return [undefined, undefined];
  }
}

// Stored values are strings; only well-formed numbers are compared as numbers (a stray value must not
// make the cast fail), rounded like Redmine's CAST(… AS decimal(30,3)).
const NUMBER_PATTERN = '^\\s*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?\\s*$';
const numeric = sql`(CASE WHEN cv.value ~ ${NUMBER_PATTERN} THEN round(CAST(cv.value AS numeric), 3) END)`;
// Dates are stored as YYYY-MM-DD text: byte order is date order.
const dateText = sql`(cv.value COLLATE "C")`;

function dateRange(from: string | undefined, to: string | undefined): SQL {
  const parts = [sql`cv.value <> ''`];
  if (from !== undefined) {
    parts.push(sql`${dateText} >= ${from}`);
  }
  if (to !== undefined) {
    parts.push(sql`${dateText} <= ${to}`);
  }
  return sql.join(parts, sql` AND `);
}

function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Redmine's search tokens: quoted phrases or words, at least 2 characters (1 for Han), at most 5. */
export function searchTokensOf(value: string): string[] {
  const tokens = [...value.matchAll(/"[^"]+"|[^\p{Zs}]+/gu)].map((m) => m[0].replace(/^"\p{Zs}*|\p{Zs}*"$/gu, ''));
  const kept = [...new Set(tokens)].filter((token) => [...token].length > 1 || /\p{Script=Han}/u.test(token)).slice(0, 5);
  return kept.length > 0 ? kept : [value];
}

function textMatch(operator: string, value: string): SQL {
  const tokens = searchTokensOf(value);
  const [prefix, suffix, joiner] =
    operator === '^' ? ['', '%', ' OR '] : operator === '$' ? ['%', '', ' OR '] : ['%', '%', operator === '*~' ? ' OR ' : ' AND '];
  const parts = tokens.map((token) => {
    const pattern = `${prefix}${likeEscaped(token)}${suffix}`;
    return operator === '!~' ? sql`cv.value NOT ILIKE ${pattern}` : sql`cv.value ILIKE ${pattern}`;
  });
  return sql`(${sql.join(parts, sql.raw(joiner))})`;
}

/** The condition one stored value `cv.value` must meet for the operator (`!`, `*` and `!*` are handled by the caller). */
function valueCondition(field: CustomFieldDef, type: FilterType, filter: FilterRequest, actor: Actor, today: string): SQL {
  const { operator, values } = filter;
  const first = values[0] ?? '';
  if (type === 'date') {
    if (operator === '=' || operator === '>=' || operator === '<=' || operator === '><') {
      const from = operator === '<=' ? undefined : dateOf(first);
      const to = operator === '>=' ? undefined : operator === '><' ? dateOf(values[1] ?? '') : dateOf(first);
      return dateRange(from, to);
    }
    const [from, to] = relativeRange(operator, Number(first || '0'), today);
    return dateRange(from, to);
  }
  if (type === 'integer' || type === 'float') {
    const number = (text: string | undefined) => Number.parseFloat(text ?? '') || 0;
    switch (operator) {
      case '=': {
        if (type === 'float') {
          return sql`${numeric} BETWEEN ${number(first) - 1e-5} AND ${number(first) + 1e-5}`;
        }
        const ints = [...first.matchAll(/[+-]?\d+/g)].map((m) => Number(m[0])).filter(Number.isSafeInteger);
        return ints.length === 0 ? sql`FALSE` : sql`${numeric} IN (${sql.join(ints.map((n) => sql`${n}`), sql`, `)})`;
      }
      case '>=':
        return sql`cv.value <> '' AND ${numeric} >= ${number(first)}`;
      case '<=':
        return sql`cv.value <> '' AND ${numeric} <= ${number(first)}`;
      default:
        return sql`cv.value <> '' AND ${numeric} BETWEEN ${number(first)} AND ${number(values[1])}`;
    }
  }
  if (operator === '=') {
    const wanted = field.fieldFormat === 'user' ? values.flatMap((v) => (v === 'me' ? (actor.userId === undefined ? [] : [String(actor.userId)]) : [v])) : values;
    return wanted.length === 0 ? sql`FALSE` : sql`cv.value IN (${sql.join(wanted.map((v) => sql`${v}`), sql`, `)})`;
  }
  return textMatch(operator, first);
}

/** Projects where the actor holds one of the roles that may see the field. */
function projectsSeeing(field: CustomFieldDef, actor: Actor): number[] {
  return [...actor.memberRoles].filter(([, roles]) => roles.some((role) => field.roleIds.includes(role.id))).map(([projectId]) => projectId);
}

/** CustomField#visibility_by_project_condition: a role-restricted field only where the actor holds one of its roles. */
function visibilityCondition(field: CustomFieldDef, actor: Actor, projectColumn: SQL): SQL | undefined {
  if (field.visible || actor.isAdmin) {
    return undefined;
  }
  const projects = actor.userId === undefined ? [] : projectsSeeing(field, actor);
  return projects.length === 0 ? sql`FALSE` : sql`${projectColumn} IN ${idList(projects)}`;
}

/** What the filters apply to: the field class, the customized records and the condition a field applies under. */
interface FilterTarget {
  readonly fieldType: string;
  readonly customizedType: string;
  readonly idColumn: SQL;
  readonly applicable: (field: CustomFieldDef, actor: Actor) => SQL;
  /** The filter's name in messages (Redmine's label_attribute_of_… for an association's field). */
  readonly label: (name: string) => string;
}

const ownName = (name: string) => name;

/** Issues under the alias (`i` in an issue list, `ti` for a time entry's visible issue). */
function issuesAt(alias: string, label: (name: string) => string = ownName): FilterTarget {
  const column = (name: string) => sql.raw(`${alias}.${name}`);
  return {
    fieldType: 'IssueCustomField',
    customizedType: 'Issue',
    idColumn: column('id'),
    // Redmine's IssueCustomField#visibility_by_project_condition: the field applies to the issue and the actor may see it there.
    applicable: (field, actor) => {
      const parts = [sql`${column('tracker_id')} IN (SELECT ct.tracker_id FROM custom_fields_trackers ct WHERE ct.custom_field_id = ${field.id})`];
      if (!field.isForAll) {
        parts.push(sql`${column('project_id')} IN (SELECT cp.project_id FROM custom_fields_projects cp WHERE cp.custom_field_id = ${field.id})`);
      }
      const visibility = visibilityCondition(field, actor, column('project_id'));
      return sql`(${sql.join(visibility ? [...parts, visibility] : parts, sql` AND `)})`;
    },
    label,
  };
}

/** Projects by their id column (ProjectCustomField#visibility_by_project_condition keys on the project itself). */
function projectsAt(idColumn: SQL, label: (name: string) => string = ownName): FilterTarget {
  return {
    fieldType: 'ProjectCustomField',
    customizedType: 'Project',
    idColumn,
    applicable: (field, actor) => visibilityCondition(field, actor, idColumn) ?? sql`TRUE`,
    label,
  };
}

/**
 * The users a column names. Redmine stores their values under the base class Principal; a user field
 * has no roles, so one hidden from the actor applies for administrators only.
 */
function usersAt(idColumn: SQL, label: (name: string) => string): FilterTarget {
  return {
    fieldType: 'UserCustomField',
    customizedType: 'Principal',
    idColumn,
    applicable: (field, actor) => (field.visible || actor.isAdmin ? sql`TRUE` : sql`FALSE`),
    label,
  };
}

const TIME_ENTRIES: FilterTarget = {
  fieldType: 'TimeEntryCustomField',
  customizedType: 'TimeEntry',
  idColumn: sql`t.id`,
  applicable: (field, actor) => visibilityCondition(field, actor, sql`t.project_id`) ?? sql`TRUE`,
  label: ownName,
};

const ISSUES = issuesAt('i');

/** Per list, the filters it offers by name prefix: `''` its own records' fields, `issue.`… an association's (TimeEntryQuery's filters). */
const TARGETS = {
  Issue: { '': ISSUES },
  Project: { '': projectsAt(sql`"projects"."id"`) },
  TimeEntry: {
    '': TIME_ENTRIES,
    'project.': projectsAt(sql`p.id`, (name) => `Project's ${name}`),
    'issue.': issuesAt('ti', (name) => `Issue's ${name}`),
    'user.': usersAt(sql`t.user_id`, (name) => `User's ${name}`),
  },
} as const satisfies Record<string, Readonly<Record<string, FilterTarget>>>;

function valuesOf(target: FilterTarget, field: CustomFieldDef, condition: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM custom_values cv
    WHERE cv.customized_type = ${target.customizedType} AND cv.customized_id = ${target.idColumn} AND cv.custom_field_id = ${field.id} AND ${condition})`;
}

/** One filter as a condition on `issues i` (or on the records of another target). */
export function customFieldCondition(field: CustomFieldDef, type: FilterType, filter: FilterRequest, actor: Actor, today: string, target: FilterTarget = ISSUES): SQL {
  const applicable = target.applicable(field, actor);
  const withValue = (condition: SQL) => valuesOf(target, field, condition);
  switch (filter.operator) {
    case '*':
      return sql`(${withValue(sql`cv.value <> ''`)} AND ${applicable})`;
    case '!*':
      return sql`(NOT ${withValue(sql`cv.value <> ''`)} AND ${applicable})`;
    case '!':
      // Redmine: NOT (some value in the list) — works for multiple fields, includes issues without the field.
      return sql`NOT (${withValue(valueCondition(field, type, { ...filter, operator: '=' }, actor, today))} AND ${applicable})`;
    default:
      return sql`(${withValue(valueCondition(field, type, filter, actor, today))} AND ${applicable})`;
  }
}

/** Can the actor filter on the field at all (Redmine's IssueCustomField.visible scope). */
function isAvailableTo(field: CustomFieldDef, actor: Actor): boolean {
  return field.visible || actor.isAdmin || (actor.userId !== undefined && projectsSeeing(field, actor).length > 0);
}

export interface CustomFieldFilterOptions {
  /** The requesting user's today (YYYY-MM-DD) for relative date operators; default: today in UTC. */
  readonly today?: string | undefined;
  /**
   * What is filtered: issues (`issues i`, the default), projects (`projects`), or time entries
   * (`time_entries t JOIN projects p`, and `ti`: the entry's issue when the actor sees it).
   */
  readonly target?: keyof typeof TARGETS | undefined;
}

/**
 * The custom-field filters of a list as SQL conditions (see the module comment for what each target
 * is over), with Redmine's messages ("<Field name> is invalid", "<Field name> cannot be blank";
 * "Issue's <Field name> …" for an association's field) for unusable values.
 */
export async function customFieldFilters(
  db: Queryable,
  params: Params,
  actor: Actor,
  options: CustomFieldFilterOptions = {},
): Promise<{ conditions: SQL[]; errors: string[] }> {
  const targets: Readonly<Record<string, FilterTarget>> = TARGETS[options.target ?? 'Issue'];
  const requested = requestedFilters(params, Object.keys(targets));
  if (requested.length === 0) {
    return { conditions: [], errors: [] };
  }
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const prefixes = Object.keys(targets).filter((prefix) => requested.some((r) => r.prefix === prefix));
  const fieldsByPrefix = await Promise.all(
    prefixes.map(async (prefix) => {
      const target = targets[prefix];
      const ids = requested.filter((r) => r.prefix === prefix).map((r) => r.id);
      return { prefix, fields: target ? await selectFilterFields(db, target.fieldType, ids) : [] };
    }),
  );
  // Redmine's order: the long form's, else the available filters' (own fields, then each association's, by position).
  const isLongForm = (params.f ?? params.fields) !== undefined;
  const order = isLongForm
    ? requested
    : fieldsByPrefix.flatMap(({ prefix, fields }) => fields.flatMap((field) => requested.filter((r) => r.prefix === prefix && r.id === field.id)));
  const conditions: SQL[] = [];
  const errors: string[] = [];
  for (const { prefix, id, request } of order) {
    const target = targets[prefix];
    const field = fieldsByPrefix.find((loaded) => loaded.prefix === prefix)?.fields.find((candidate) => candidate.id === id);
    const type = field && formatOf(field.fieldFormat).filterType;
    if (!target || !field || !type || !isAvailableTo(field, actor)) {
      continue;
    }
    const filter = 'expression' in request ? parseShortFilter(type, request.expression) : request;
    const messages = filterErrors(type, filter);
    if (messages.length > 0) {
      errors.push(...messages.map((message) => `${target.label(field.name)} ${message}`));
    } else {
      conditions.push(customFieldCondition(field, type, filter, actor, today, target));
    }
  }
  return { conditions, errors };
}
