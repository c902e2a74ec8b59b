/**
 * What My page's blocks show (Redmine's MyHelper render_*_block): the user's open issues (assigned,
 * reported, watched) as the issue list would find them — same filters, same visibility — with a link
 * to that list; this week's issues starting or ending in the user's projects; the user's spent time
 * of the last days. Latest news: Kanri has no news yet, the block says there is nothing.
 */
import { and, sql, type SQL } from 'drizzle-orm';
import type { Params } from '#src/api/params.ts';
import type { Database } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError } from '#src/errors.ts';
import { addDays } from '#src/features/issues/issue-filter.dates.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { issueFilters } from '#src/features/issues/issue.query.ts';
import { selectIssuePage, type IssueRow } from '#src/features/issues/issue.repository.ts';
import type { Settings } from '#src/features/settings/index.ts';
import { issueLabels, timeEntryListScope, timeEntryPage } from '#src/features/time-entries/index.ts';
import type { MyPageBlock } from './my-page.layout.ts';
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

export type BlockData = IssueBlock | CalendarBlock | TimelogBlock | NewsBlock;

type IssueBlockName = 'issuesassignedtome' | 'issuesreportedbyme' | 'issueswatched';

/** The filters of each issue block, in the issue list's long form, and its sort. */
const ISSUE_BLOCK_QUERIES: Readonly<Record<IssueBlockName, { field: string; sort: string }>> = {
  issuesassignedtome: { field: 'assigned_to_id', sort: 'priority:desc,updated_on:desc' },
  issuesreportedbyme: { field: 'author_id', sort: 'updated_on:desc' },
  issueswatched: { field: 'watcher_id', sort: 'updated_on:desc' },
};

/** The block's query: the user's open issues in active projects, by the block's field. */
function issueBlockParams(block: IssueBlockName): Params {
  const { field, sort } = ISSUE_BLOCK_QUERIES[block];
  return {
    set_filter: '1',
    f: ['status_id', field, 'project.status'],
    op: { status_id: 'o', [field]: '=', 'project.status': '=' },
    v: { [field]: ['me'], 'project.status': ['1'] },
    sort,
  };
}

/** The issue list's URL for the same query. */
function issueListHref(block: IssueBlockName): string {
  const { field, sort } = ISSUE_BLOCK_QUERIES[block];
  const search = new URLSearchParams([
    ['set_filter', '1'],
    ['f[]', 'status_id'],
    ['op[status_id]', 'o'],
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

/** The data of each block shown, loaded at once; `today` is the user's day (their time zone). */
export async function loadBlocks(ctx: MyPageContext, blocks: readonly MyPageBlock[], today: string): Promise<Map<MyPageBlock, BlockData>> {
  const loaded = await Promise.all(
    blocks.map(async (block): Promise<[MyPageBlock, BlockData]> => {
      switch (block) {
        case 'issuesassignedtome':
        case 'issuesreportedbyme':
        case 'issueswatched':
          return [block, await issueBlock(ctx, block)];
        case 'calendar':
          return [block, await calendarBlock(ctx, today)];
        case 'timelog':
          return [block, await timelogBlock(ctx, today)];
        case 'news':
          return [block, { kind: 'news' }];
      }
    }),
  );
  return new Map(loaded);
}
