/**
 * What My page's blocks show (Redmine's MyHelper render_*_block): the user's open issues (assigned,
 * reported, watched) and the issues they updated, as the issue list would find them — same filters,
 * same visibility — with a link to that list; a saved issue query chosen in the block's settings,
 * with its columns (up to three such blocks); this week's issues starting or ending in the user's
 * projects; the user's spent time of the last days. Latest news: Kanri has no news yet, the block
 * says there is nothing.
 */
import { and, sql, type SQL } from 'drizzle-orm';
import type { Params } from '#src/api/params.ts';
import type { Database } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, KanriError } from '#src/errors.ts';
import { addDays } from '#src/features/issues/issue-filter.dates.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { issueFilters } from '#src/features/issues/issue.query.ts';
import { selectIssuePage, type IssueRow } from '#src/features/issues/issue.repository.ts';
import type { ListColumn } from '#src/features/issues/issue-list.columns.ts';
import { issueListPath, listScope, prepareIssueList, runIssueList, shownColumns } from '#src/features/issues/issue-list.service.ts';
import type { ListRow, ValueNames } from '#src/features/issues/issue-list.values.ts';
import { getVisibleProject, type ProjectRow } from '#src/features/projects/index.ts';
import { listVisibleQueries } from '#src/features/queries/index.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { issueLabels, timeEntryListScope, timeEntryPage } from '#src/features/time-entries/index.ts';
import { blockOf, type MyPageSettings } from './my-page.layout.ts';
import { weekIssuesCondition } from './my-page.repository.ts';

export interface MyPageContext {
  readonly db: Database;
  readonly settings: Settings;
  readonly actor: Actor;
  readonly now: Date;
}

/** Issues an issue block lists at most (Redmine: 10). */
const ISSUE_BLOCK_LIMIT = 10;
/** Days the spent-time block covers (Redmine's default). */
export const TIMELOG_DAYS = 7;

export interface IssueBlock {
  readonly kind: 'issues';
  readonly rows: readonly IssueRow[];
  readonly total: number;
  /** The full list with the block's filters. */
  readonly href: string;
}

export interface CalendarBlock {
  readonly kind: 'calendar';
  /** The week's days, first day of the week first (`YYYY-MM-DD`). */
  readonly days: readonly string[];
  readonly today: string;
  readonly issues: readonly IssueRow[];
}

export interface TimelogEntry {
  readonly id: number;
  readonly spentOn: string;
  readonly project: string;
  readonly projectId: number;
  readonly activity: string;
  readonly issue: { readonly id: number; readonly label: string | undefined } | undefined;
  readonly comments: string;
  readonly hours: number;
}

export interface TimelogBlock {
  readonly kind: 'timelog';
  readonly days: number;
  readonly entries: readonly TimelogEntry[];
  readonly total: number;
}

export interface NewsBlock {
  readonly kind: 'news';
}

/** An issue query block: the saved query chosen in its settings, or the choice of one. */
export interface QueryBlock {
  readonly kind: 'query';
  /** The query shown, with its first issues in its columns; undefined: none chosen (or no longer visible). */
  readonly shown:
    | {
        readonly name: string;
        readonly project: ProjectRow | undefined;
        readonly href: string;
        readonly columns: readonly ListColumn[];
        readonly rows: readonly ListRow[];
        readonly names: ValueNames;
        readonly total: number;
      }
    | undefined;
  /** The saved issue queries the user sees, for the block's settings, and the one chosen. */
  readonly choices: readonly { readonly id: number; readonly name: string }[];
  readonly selected: number | undefined;
}

export type BlockData = IssueBlock | QueryBlock | CalendarBlock | TimelogBlock | NewsBlock;

type IssueBlockName = 'issuesassignedtome' | 'issuesreportedbyme' | 'issuesupdatedbyme' | 'issueswatched';

/** The filters of each issue block, in the issue list's long form, its sort, and whether only open issues count. */
const ISSUE_BLOCK_QUERIES: Readonly<Record<IssueBlockName, { field: string; sort: string; open: boolean }>> = {
  issuesassignedtome: { field: 'assigned_to_id', sort: 'priority:desc,updated_on:desc', open: true },
  issuesreportedbyme: { field: 'author_id', sort: 'updated_on:desc', open: true },
  // Redmine's "Updated issues": every issue the user changed or commented on, open or closed.
  issuesupdatedbyme: { field: 'updated_by', sort: 'updated_on:desc', open: false },
  issueswatched: { field: 'watcher_id', sort: 'updated_on:desc', open: true },
};

/** The block's query: the user's (open) issues in active projects, by the block's field. */
function issueBlockParams(block: IssueBlockName): Params {
  const { field, sort, open } = ISSUE_BLOCK_QUERIES[block];
  const status = open ? ['status_id'] : [];
  return {
    set_filter: '1',
    f: [...status, field, 'project.status'],
    op: { ...(open ? { status_id: 'o' } : {}), [field]: '=', 'project.status': '=' },
    v: { [field]: ['me'], 'project.status': ['1'] },
    sort,
  };
}

/** The issue list's URL for the same query. */
function issueListHref(block: IssueBlockName): string {
  const { field, sort, open } = ISSUE_BLOCK_QUERIES[block];
  const search = new URLSearchParams([
    ['set_filter', '1'],
    ...(open
      ? [
          ['f[]', 'status_id'],
          ['op[status_id]', 'o'],
        ]
      : []),
    ['f[]', field],
    [`op[${field}]`, '='],
    [`v[${field}][]`, 'me'],
    ['f[]', 'project.status'],
    ['op[project.status]', '='],
    ['v[project.status][]', '1'],
    ['sort', sort],
  ]);
  return `/issues?${search.toString()}`;
}

async function issueBlock(ctx: MyPageContext, block: IssueBlockName): Promise<IssueBlock> {
  const query = await issueFilters(ctx.db, issueBlockParams(block), ctx.actor, { displaySubprojects: ctx.settings.display_subprojects_issues === '1' });
  const where = and(visibleIssuesCondition(ctx.actor), ...query.conditions) ?? sql`TRUE`;
  const { rows, total } = await selectIssuePage(ctx.db, where, query.order, { offset: 0, limit: ISSUE_BLOCK_LIMIT });
  return { kind: 'issues', rows, total, href: issueListHref(block) };
}

/**
 * The first day of the week `today` is in: the tenant's start_of_week (1 Monday, 6 Saturday, 7
 * Sunday), else the languages' own, Sunday for both en and ja.
 */
export function weekStart(today: string, startOfWeek: string): string {
  const first = startOfWeek === '1' ? 1 : startOfWeek === '6' ? 6 : 0;
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  return addDays(today, -((weekday - first + 7) % 7));
}

async function calendarBlock(ctx: MyPageContext, today: string): Promise<CalendarBlock> {
  const start = weekStart(today, ctx.settings.start_of_week);
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const memberOf = [...ctx.actor.memberRoles.keys()];
  const where: SQL = and(visibleIssuesCondition(ctx.actor), weekIssuesCondition(memberOf, start, addDays(start, 6))) ?? sql`FALSE`;
  const { rows } = await selectIssuePage(ctx.db, where, sql.raw('i.id ASC'), { offset: 0, limit: 100 });
  return { kind: 'calendar', days, today, issues: rows };
}

async function timelogBlock(ctx: MyPageContext, today: string): Promise<TimelogBlock> {
  const params: Params = {
    set_filter: '1',
    f: ['spent_on', 'user_id'],
    op: { spent_on: '><', user_id: '=' },
    v: { spent_on: [addDays(today, 1 - TIMELOG_DAYS), today], user_id: ['me'] },
    sort: 'spent_on:desc',
  };
  let views;
  try {
    views = (await timeEntryPage(ctx, await timeEntryListScope(ctx, params, undefined), { offset: 0, limit: 500, nometa: true })).views;
  } catch (error) {
    // Without view_time_entries anywhere the block is empty, as the list would be forbidden.
    if (error instanceof ForbiddenError) {
      return { kind: 'timelog', days: TIMELOG_DAYS, entries: [], total: 0 };
    }
    throw error;
  }
  const rows = views.map((v) => v.row);
  const labels = await issueLabels(ctx.db, ctx.actor, [...new Set(rows.map((r) => r.issue_id).filter((id): id is number => id !== null))]);
  const entries = rows.map((row): TimelogEntry => {
    const issue = row.issue_id === null ? undefined : labels.get(row.issue_id);
    return {
      id: row.id,
      spentOn: row.spent_on,
      project: row.project_name,
      projectId: row.project_id,
      activity: row.activity_name ?? '',
      issue: row.issue_id === null ? undefined : { id: row.issue_id, label: issue && `${issue.tracker} #${row.issue_id}: ${issue.subject}` },
      comments: row.comments ?? '',
      hours: row.hours,
    };
  });
  return { kind: 'timelog', days: TIMELOG_DAYS, entries, total: entries.reduce((sum, e) => sum + e.hours, 0) };
}

/** Issue query blocks show this many issues (Redmine: 10). */
const QUERY_BLOCK_LIMIT = 10;

/**
 * The block's query, when one is chosen and the user still sees it: its first issues, in its columns
 * and order, with the issue list's visibility (and the project's, for a project's query).
 */
async function queryBlock(ctx: MyPageContext, queryId: string | undefined, today: string): Promise<QueryBlock> {
  const { rows } = await listVisibleQueries(ctx, 'IssueQuery', { offset: 0, limit: 500 });
  const choices = rows.map((q) => ({ id: q.id, name: q.name }));
  const chosen = rows.find((q) => String(q.id) === queryId);
  if (!chosen) {
    return { kind: 'query', shown: undefined, choices, selected: undefined };
  }
  try {
    const project = chosen.project_id === null ? undefined : await getVisibleProject(ctx, String(chosen.project_id));
    const prepared = await prepareIssueList(ctx, { query_id: String(chosen.id) }, await listScope(ctx, project, today));
    const { inline } = shownColumns(prepared);
    const result = await runIssueList(ctx, prepared, { offset: 0, limit: QUERY_BLOCK_LIMIT }, inline);
    return {
      kind: 'query',
      shown: { name: chosen.name, project, href: `${issueListPath(project)}?query_id=${chosen.id}`, columns: inline, rows: result.rows, names: result.names, total: result.total },
      choices,
      selected: chosen.id,
    };
  } catch (error) {
    // The query's project is closed to the user now (archived, no view_issues): they choose again.
    if (error instanceof KanriError) {
      return { kind: 'query', shown: undefined, choices, selected: undefined };
    }
    throw error;
  }
}

/** The data of each block shown (by its name on the page), loaded at once; `today` is the user's day (their time zone). */
export async function loadBlocks(ctx: MyPageContext, blocks: readonly string[], settings: MyPageSettings, today: string): Promise<Map<string, BlockData>> {
  const loaded = await Promise.all(
    blocks.map(async (name): Promise<[string, BlockData] | undefined> => {
      const block = blockOf(name);
      switch (block) {
        case 'issuesassignedtome':
        case 'issuesreportedbyme':
        case 'issuesupdatedbyme':
        case 'issueswatched':
          return [name, await issueBlock(ctx, block)];
        case 'issuequery':
          return [name, await queryBlock(ctx, settings[name]?.query_id, today)];
        case 'calendar':
          return [name, await calendarBlock(ctx, today)];
        case 'timelog':
          return [name, await timelogBlock(ctx, today)];
        case 'news':
          return [name, { kind: 'news' }];
        case undefined:
          return undefined;
      }
    }),
  );
  return new Map(loaded.filter((entry) => entry !== undefined));
}
