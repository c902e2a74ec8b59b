/**
 * HTML routes of spent time, everywhere and per project (Redmine's TimelogController#index and
 * #report): the list with its filters, total and pager, its CSV export, and the report by criteria
 * and period with its CSV. The entries shown are exactly the API's (same scope, filters and
 * visibility); the form routes are in time-entry-form.pages.tsx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiParams } from '#src/api/reply.ts';
import { paramString, type Params } from '#src/api/params.ts';
import { ValidationError } from '#src/errors.ts';
import { allowedGlobally, getVisibleProject, type ProjectRow } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import type { VNode } from 'preact';
import { pageFormatter, sendPage, type PageView } from '#src/http/page.tsx';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { customFieldsOfKind, issueListCustomFields, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { loadListChoices } from '#src/features/issues/issue-list.choices.ts';
import { customFieldFilterType, type ListScope } from '#src/features/issues/issue-list.service.ts';
import { activityFilterChoices, issueLabels, userFilterChoices } from './time-entry.choices.ts';
import { timeEntryFilterDefinitions, type TimeEntryFilterChoices } from './time-entry.filters.ts';
import { timeEntryFilterCatalogue } from './time-entry.query.ts';
import { selectDescendantProjectIds } from './time-entry.repository.ts';
import { csvDocument, decimalHours, reportCsvRows } from './time-entry.csv.ts';
import { criteriaOf, filterFormState, filterParamsOf, linkWith, pagingOf, searchOf, shownSort } from './time-entry.page-query.ts';
import { canLogTime } from './time-entry.policy.ts';
import { REPORT_CRITERIA, REPORT_PERIODS, reportShapeOf, timeEntryReport } from './time-entry.report.ts';
import {
  editableTimeEntryIds,
  timeEntryListScope,
  timeEntryPage,
  timeEntryTotalHours,
  type TimeEntryContext,
  type TimeEntryListScope,
  type TimeEntryView,
} from './time-entry.service.ts';
import { TimeEntryFilters } from './views/time-entry-filters.tsx';
import { TimeEntryList, type TimeEntryListRow } from './views/time-entry-list.tsx';
import { CRITERION_LABELS, TimeEntryReport } from './views/time-entry-report.tsx';
import { timeEntryFormPages } from './time-entry-form.pages.tsx';

/** Most rows a CSV export holds. */
const CSV_LIMIT = 10_000;

async function contextOf(request: FastifyRequest): Promise<TimeEntryContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

/** The list's path: `/projects/:id/time_entries` or `/time_entries`. */
function basePath(project: ProjectRow | undefined): string {
  return project ? `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}/time_entries` : '/time_entries';
}

interface Listing {
  readonly ctx: TimeEntryContext;
  readonly params: Params;
  readonly project: ProjectRow | undefined;
  /** Undefined when the filters were refused (their messages are in `errors`). */
  readonly scope: TimeEntryListScope | undefined;
  readonly errors: readonly string[];
}

/** The scope of the request's list; refused filters leave no scope and their messages. */
async function listingOf(request: FastifyRequest): Promise<Listing> {
  const ctx = await contextOf(request);
  const params = apiParams(request);
  const projectId = paramString((request.params as Record<string, string | undefined>).project_id);
  try {
    const scope = await timeEntryListScope(ctx, params, projectId);
    return { ctx, params, project: scope.project?.row, scope, errors: [] };
  } catch (error) {
    if (!(error instanceof ValidationError)) {
      throw error;
    }
    const project = projectId === undefined ? undefined : await getVisibleProject(ctx, projectId);
    return { ctx, params, project, scope: undefined, errors: error.errors };
  }
}

/** Where "Log time" leads, when the actor may log time here. */
async function newHrefOf(listing: Listing): Promise<string | undefined> {
  const { ctx, project, scope } = listing;
  if (project) {
    return scope?.project && canLogTime(ctx.actor, scope.project.access) ? `${basePath(project)}/new` : undefined;
  }
  return allowedGlobally(ctx.actor, 'log_time') ? '/time_entries/new' : undefined;
}

/**
 * The filter form of a list or report, its choices loaded now (the issue list's, and the list's users
 * and activities), rendered with the page's formats.
 */
async function filterForm(listing: Listing, action: string, hidden: readonly (readonly [string, string])[]): Promise<(view: PageView) => VNode> {
  const { ctx, project } = listing;
  const descendants = project ? await selectDescendantProjectIds(ctx.db, project) : [];
  const projectIds = project ? [project.id, ...descendants] : undefined;
  const today = ctx.now.toISOString().slice(0, 10);
  const scope: ListScope = {
    project,
    projectIds,
    today,
    filterContext: { hasProject: project !== undefined, projectHasChildren: descendants.length > 0, isLoggedIn: ctx.actor.userId !== undefined, mayFilterPrivate: false },
  };
  const [users, activities, list, timeEntryFields, projectFields, issueFields, userFields] = await Promise.all([
    userFilterChoices(ctx.db, ctx.actor, projectIds),
    activityFilterChoices(ctx.db),
    loadListChoices(ctx, scope, undefined),
    customFieldsOfKind(ctx.db, 'TimeEntry'),
    customFieldsOfKind(ctx.db, 'Project'),
    issueListCustomFields(ctx.db, ctx.actor, projectIds),
    customFieldsOfKind(ctx.db, 'User'),
  ]);
  const held = new Set([...ctx.actor.memberRoles.values()].flat().map((role) => role.id));
  // Redmine's <Class>CustomField.visible: to all, to administrators, or to those holding one of its roles.
  const seen = (fields: readonly CustomFieldDef[]) => fields.filter((f) => f.visible || ctx.actor.isAdmin || f.roleIds.some((id) => held.has(id)));
  const choices: TimeEntryFilterChoices = {
    list,
    users,
    activities,
    timeEntryFields: seen(timeEntryFields),
    projectFields: seen(projectFields),
    issueFields,
    userFields: seen(userFields),
  };
  const catalogue = timeEntryFilterCatalogue({ hasProject: project !== undefined, projectHasChildren: descendants.length > 0 });
  return (view) => {
    const definitions = timeEntryFilterDefinitions(view.t, catalogue, choices, customFieldFilterType);
    const customFilters = new Map(definitions.filter((d) => d.section === 'custom').map((d) => [d.field, { type: d.type, label: '', values: 'any' as const }]));
    return (
      <TimeEntryFilters
        t={view.t}
        format={view.format}
        action={action}
        definitions={definitions}
        filters={filterFormState(listing.params, customFilters)}
        hidden={hidden}
        clearHref={`${action}?set_filter=1`}
        errors={listing.errors}
      />
    );
  };
}

async function listRows(ctx: TimeEntryContext, views: readonly TimeEntryView[]): Promise<TimeEntryListRow[]> {
  const rows = views.map((v) => v.row);
  const issueIds = [...new Set(rows.map((r) => r.issue_id).filter((id): id is number => id !== null))];
  const [labels, editable] = await Promise.all([issueLabels(ctx.db, ctx.actor, issueIds), editableTimeEntryIds(ctx, rows)]);
  return rows.map((row) => {
    const issue = row.issue_id === null ? undefined : labels.get(row.issue_id);
    return {
      id: row.id,
      spentOn: row.spent_on,
      project: { name: row.project_name, href: `/projects/${row.project_id}` },
      user: row.user_name === null ? undefined : { name: row.user_name, href: `/users/${row.user_id}` },
      activity: row.activity_name ?? '',
      issue: row.issue_id === null ? undefined : { id: row.issue_id, label: issue && `${issue.tracker} #${row.issue_id}: ${issue.subject}` },
      comments: row.comments ?? '',
      hours: row.hours,
      editable: editable.has(row.id),
    };
  });
}

async function sendList(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const listing = await listingOf(request);
  const { ctx, params, project, scope } = listing;
  const paging = pagingOf(params, ctx.settings);
  const [page, totalHours] = scope
    ? await Promise.all([timeEntryPage(ctx, scope, { offset: paging.offset, limit: paging.perPage, nometa: false }), timeEntryTotalHours(ctx, scope)])
    : [{ views: [], total: 0 }, 0];
  const rows = await listRows(ctx, page.views);
  const path = basePath(project);
  const search = searchOf(request.url);
  const newHref = await newHrefOf(listing);
  const filters = await filterForm(listing, path, []);
  return sendPage(platform, request, reply, {
    title: (tr) => tr('label_spent_time'),
    project,
    menuItem: project ? 'time_entries' : undefined,
    status: listing.errors.length > 0 ? 422 : 200,
    scripts: ['issue-query'],
    body: (view) => (
      <TimeEntryList
        t={view.t}
        format={view.format}
        csrfToken={view.csrfToken}
        rows={rows}
        showProject={project === undefined || (project.rgt ?? 0) - (project.lft ?? 0) > 1}
        totalHours={totalHours}
        page={paging.page}
        perPage={paging.perPage}
        total={page.total}
        sort={shownSort(params)}
        sortHref={(key, descending) => linkWith(path, search, { sort: `${key}${descending ? ':desc' : ''}`, page: undefined })}
        pageHref={(n) => linkWith(path, search, { page: String(n) })}
        csvHref={linkWith(`${path}.csv`, search, { page: undefined, per_page: undefined })}
        detailsHref={linkWith(path, search, {})}
        reportHref={linkWith(`${path}/report`, new URLSearchParams(filterParamsOf(search)), {})}
        newHref={newHref}
        filters={filters(view)}
      />
    ),
  });
}

async function sendListCsv(request: FastifyRequest, reply: FastifyReply) {
  const listing = await listingOf(request);
  if (!listing.scope) {
    throw new ValidationError([...listing.errors]);
  }
  const { ctx, project } = listing;
  const lang = pageLanguage(request, request.user?.language);
  const t = translator(lang);
  const format = await pageFormatter(request, t, lang);
  const { views } = await timeEntryPage(ctx, listing.scope, { offset: 0, limit: CSV_LIMIT, nometa: true });
  const rows = await listRows(ctx, views);
  const header = [t('label_project'), t('field_spent_on'), t('field_user'), t('field_activity'), t('field_issue'), t('field_comments'), t('field_hours')];
  const lines = rows.map((row) => [
    row.project.name,
    format.date(row.spentOn),
    row.user?.name ?? '',
    row.activity,
    row.issue ? (row.issue.label ?? `#${row.issue.id}`) : '',
    row.comments,
    decimalHours(row.hours),
  ]);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${project ? `${project.identifier ?? project.id}-` : ''}timelog.csv"`)
    .header('cache-control', 'no-store')
    .send(csvDocument(header, lines));
}

async function reportOf(listing: Listing) {
  const { ctx, params } = listing;
  const shape = reportShapeOf(criteriaOf(params), paramString(params.columns));
  const report = listing.scope
    ? await timeEntryReport(ctx, listing.scope, shape.criteria, shape.period)
    : { criteria: shape.criteria, period: shape.period, periods: [], rows: [], hours: new Map<string, number>(), total: 0 };
  return report;
}

async function sendReport(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const listing = await listingOf(request);
  const { project } = listing;
  const report = await reportOf(listing);
  const path = basePath(project);
  const search = searchOf(request.url);
  const filterParams = filterParamsOf(search);
  const carried: [string, string][] = [...report.criteria.map((c): [string, string] => ['criteria[]', c]), ['columns', report.period]];
  const filters = await filterForm(listing, `${path}/report`, carried);
  const newHref = await newHrefOf(listing);
  return sendPage(platform, request, reply, {
    title: (tr) => tr('label_spent_time'),
    project,
    menuItem: project ? 'time_entries' : undefined,
    status: listing.errors.length > 0 ? 422 : 200,
    scripts: ['issue-query'],
    body: (view) => (
      <TimeEntryReport
        t={view.t}
        format={view.format}
        report={report}
        available={REPORT_CRITERIA.filter((c) => c !== 'project' || project === undefined || (project.rgt ?? 0) - (project.lft ?? 0) > 1)}
        periods={REPORT_PERIODS}
        action={`${path}/report`}
        filterParams={filterParams}
        clearHref={linkWith(`${path}/report`, new URLSearchParams(filterParams), { columns: report.period })}
        detailsHref={linkWith(path, new URLSearchParams(filterParams), {})}
        csvHref={linkWith(`${path}/report.csv`, search, {})}
        newHref={newHref}
        filters={filters(view)}
      />
    ),
  });
}

async function sendReportCsv(request: FastifyRequest, reply: FastifyReply) {
  const listing = await listingOf(request);
  if (!listing.scope) {
    throw new ValidationError([...listing.errors]);
  }
  const report = await reportOf(listing);
  const t = translator(pageLanguage(request, request.user?.language));
  const header = [...report.criteria.map((c) => t(CRITERION_LABELS[c])), ...report.periods, t('label_total_time')];
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', 'attachment; filename="timelog.csv"')
    .header('cache-control', 'no-store')
    .send(csvDocument(header, reportCsvRows(report, t('label_none'), t('label_total_time'))));
}

export async function timeEntriesPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  await app.register(timeEntryFormPages, { platform });
  for (const path of ['/time_entries', '/projects/:project_id/time_entries']) {
    app.get(path, (request, reply) => sendList(platform, request, reply));
    app.get(`${path}.csv`, (request, reply) => sendListCsv(request, reply));
    app.get(`${path}/report`, (request, reply) => sendReport(platform, request, reply));
    app.get(`${path}/report.csv`, (request, reply) => sendReportCsv(request, reply));
  }
}
