/**
 * HTML routes acting on issues selected in a list: the context menu fragment
 * (`GET /issues/context_menu`), bulk edit (`GET|POST /issues/bulk_edit`, `POST /issues/bulk_update`;
 * with `copy=1` the same form copies the issues, with `issue[project_id]` it moves them), bulk delete (`POST /issues/delete`, asking about logged time first) and watching
 * (`POST /watchers/watch`, `/watchers/unwatch`). Parameters come from the query string (links of the
 * context menu) and the body (forms) alike.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { render } from 'preact-render-to-string';
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import { ValidationError } from '#src/errors.ts';
import { findProject } from '#src/features/projects/index.ts';
import { settingList } from '#src/features/settings/index.ts';
import { setIssuesWatched } from '#src/features/watchers/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { pageFormatter, safeBackUrl, sendPage } from '#src/http/page.tsx';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import {
  allWatched,
  bulkAbilities,
  bulkChoices,
  bulkCopyIssues,
  bulkCopyOffer,
  bulkCustomFields,
  bulkDeleteIssues,
  bulkDroppedValues,
  bulkTargetOf,
  bulkTargetProjects,
  bulkUpdateIssues,
  checkBulkCopy,
  type BulkCopyResult,
  loggedHoursOf,
  selectedIdsOf,
  selectedIssues,
  type SelectedIssue,
} from './issue-bulk.service.ts';
import type { IssueContext } from './issue.plan.ts';
import { refuse } from './issue.plan.ts';
import { selectIssueRecords, selectProjectTrackers } from './issue.records.ts';
import { BulkDeletePage, BulkEditPage, type BulkIssueRef } from './views/bulk-edit.tsx';
import { ContextMenu } from './views/context-menu.tsx';

async function contextOf(request: FastifyRequest): Promise<IssueContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

/** Where to go back to: the request's `back_url` when it is a path of this site, else the list. */
function backUrlOf(params: Params, issues: readonly SelectedIssue[]): string {
  const given = paramString(params.back_url);
  if (given) {
    return safeBackUrl(given);
  }
  const projects = new Set(issues.map((i) => i.project.id));
  const project = projects.size === 1 ? issues[0]?.project : undefined;
  return project ? `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}/issues` : '/issues';
}

async function issueRefs(ctx: IssueContext, issues: readonly SelectedIssue[]): Promise<BulkIssueRef[]> {
  const trackers = new Map<number, string>();
  for (const projectId of new Set(issues.map((i) => i.project.id))) {
    for (const tracker of await selectProjectTrackers(ctx.db, projectId)) {
      trackers.set(tracker.id, tracker.name);
    }
  }
  return issues.map((i) => ({ id: i.record.id, tracker: trackers.get(i.record.tracker_id) ?? '', subject: i.record.subject }));
}

/** The string values of `issue[…]` as sent, to show them again after a refusal. */
function sentValues(params: Params): Record<string, string> {
  const issue = params.issue && typeof params.issue === 'object' && !Array.isArray(params.issue) ? params.issue : {};
  return Object.fromEntries(Object.entries(issue).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The `issue[custom_field_values]` as sent, to show them again. */
function sentCustomValues(params: Params): Record<string, string | readonly string[]> {
  const sent = paramObject(paramObject(params.issue)?.custom_field_values) ?? {};
  const values: Record<string, string | readonly string[]> = {};
  for (const [key, value] of Object.entries(sent)) {
    if (typeof value === 'string') {
      values[key] = value;
    } else if (Array.isArray(value)) {
      values[key] = value.filter((v): v is string => typeof v === 'string');
    }
  }
  return values;
}

/** The saved issues with their projects now (where a move's "and follow" goes). */
async function movedIssues(ctx: IssueContext, ids: readonly number[]): Promise<{ id: number; projectId: number }[]> {
  const records = await selectIssueRecords(ctx.db, ids);
  return records.map((r) => ({ id: r.id, projectId: r.project_id }));
}

/**
 * Where a successful bulk update goes (Redmine's bulk_update): with `follow` ("Copy and follow", "Move
 * and follow"), the one issue saved, or the list of the one project they are all in; else back.
 */
async function afterBulkUpdate(ctx: IssueContext, params: Params, issues: readonly SelectedIssue[], saved: readonly { id: number; projectId: number }[]): Promise<string> {
  if (paramString(params.follow) !== undefined) {
    if (issues.length === 1 && saved.length === 1 && saved[0]) {
      return `/issues/${saved[0].id}`;
    }
    const projects = [...new Set(saved.map((s) => s.projectId))];
    const project = projects.length === 1 ? await findProject(ctx.db.orm, String(projects[0])) : undefined;
    if (project) {
      return `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}/issues`;
    }
  }
  return backUrlOf(params, issues);
}

export async function issueBulkPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/issues/context_menu', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    const issues = await selectedIssues(ctx, selectedIdsOf(params));
    const [choices, watched] = await Promise.all([bulkChoices(ctx, issues), allWatched(ctx, issues)]);
    const lang = pageLanguage(request, request.user?.language);
    const t = translator(lang);
    const format = await pageFormatter(request, t, lang);
    const one = issues.length === 1 ? issues[0] : undefined;
    const html = render(
      <ContextMenu
        t={t}
        format={format}
        ids={issues.map((i) => i.record.id).sort((a, b) => a - b)}
        choices={choices}
        single={
          one && {
            id: one.record.id,
            projectIdentifier: one.project.identifier ?? String(one.project.id),
            statusId: one.record.status_id,
            trackerId: one.record.tracker_id,
            priorityId: one.record.priority_id,
            assignedToId: one.record.assigned_to_id,
            fixedVersionId: one.record.fixed_version_id,
            categoryId: one.record.category_id,
            doneRatio: one.record.done_ratio,
          }
        }
        can={bulkAbilities(ctx, issues)}
        watched={watched}
        backUrl={backUrlOf(params, issues)}
      />,
    );
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });

  const bulkEditPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: IssueContext,
    issues: readonly SelectedIssue[],
    params: Params,
    refusal?: { errors: readonly string[]; status: number },
  ) => {
    const copy = paramString(params.copy) ? true : false;
    if (copy) {
      await checkBulkCopy(ctx, issues);
    } else if (!refusal && !issues.some((i) => i.rights.attributesEditable || i.rights.notesAddable)) {
      // After a bulk update the issues it could not save come back, whatever the actor may do to them.
      refuse(ctx.actor);
    }
    const allowed = await bulkTargetProjects(ctx);
    const target = await bulkTargetOf(ctx, params, allowed);
    const trackerId = Number(paramString(paramObject(params.issue)?.tracker_id));
    const mode = { copy, target, trackerId: Number.isSafeInteger(trackerId) && trackerId > 0 ? trackerId : undefined };
    const [choices, customFields, refs, offer, dropped] = await Promise.all([
      bulkChoices(ctx, issues, mode),
      bulkCustomFields(ctx, issues, mode),
      issueRefs(ctx, issues),
      copy ? bulkCopyOffer(ctx, issues) : undefined,
      bulkDroppedValues(ctx, issues, mode),
    ]);
    const ownProjects = new Set(issues.map((i) => i.project.id));
    return sendPage(platform, request, reply, {
      status: refusal?.status ?? 200,
      title: (t) => (copy ? t('button_copy') : t('label_query_bulk_edit_selected')),
      project: ownProjects.size === 1 ? issues[0]?.project : undefined,
      menuItem: 'issues',
      scripts: ['bulk-edit'],
      body: ({ t, format, csrfToken }) => (
        <BulkEditPage
          t={t}
          format={format}
          csrfToken={csrfToken}
          issues={refs}
          choices={choices}
          customFields={customFields}
          projects={{
            choices: allowed,
            selected: target?.project.id,
            // A copy may stay in the issues' projects only when the user may add issues to all of them.
            noChange: !copy || [...ownProjects].every((id) => allowed.some((p) => p.id === id)),
          }}
          copy={offer && { ...offer, values: { link: paramList(params.link_copy).at(-1), attachments: paramList(params.copy_attachments).at(-1), subtasks: paramList(params.copy_subtasks).at(-1), watchers: paramList(params.copy_watchers).at(-1) } }}
          moving={target !== undefined}
          backUrl={backUrlOf(params, issues)}
          values={sentValues(params)}
          customValues={sentCustomValues(params)}
          notes={paramString(params.notes) ?? ''}
          dropped={dropped}
          errors={refusal?.errors ?? []}
        />
      ),
    });
  };

  const bulkEdit = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    return bulkEditPage(request, reply, ctx, await selectedIssues(ctx, selectedIdsOf(params)), params);
  };
  app.get('/issues/bulk_edit', bulkEdit);
  app.post('/issues/bulk_edit', bulkEdit);

  app.post('/issues/bulk_update', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    const issues = await selectedIssues(ctx, selectedIdsOf(params));
    const copy = paramString(params.copy) ? true : false;
    if (!copy && !issues.some((i) => i.rights.attributesEditable || i.rights.notesAddable)) {
      refuse(ctx.actor);
    }
    const result = copy ? await bulkCopyIssues(ctx, issues, params) : await bulkUpdateIssues(ctx, issues, params, tenantOf(request).files);
    if (result.failed.length === 0) {
      if (result.saved.length > 0) {
        setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
      }
      return reply.redirect(await afterBulkUpdate(ctx, params, issues, copy ? (result as BulkCopyResult).copies : await movedIssues(ctx, result.saved)), 303);
    }
    const t = translator(pageLanguage(request, request.user?.language));
    const summary = t('notice_failed_to_save_issues', {
      count: String(result.failed.length),
      total: String(issues.length),
      ids: result.failed.map((f) => `#${f.id}`).join(', '),
    });
    const details = result.failed.flatMap((f) => f.errors.map((e) => `#${f.id}: ${e}`));
    const failedIds = new Set(result.failed.map((f) => f.id));
    return bulkEditPage(request, reply, ctx, issues.filter((i) => failedIds.has(i.record.id)), params, { errors: [summary, ...details], status: 422 });
  });

  app.post('/issues/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    const issues = await selectedIssues(ctx, selectedIdsOf(params));
    if (!issues.every((i) => i.rights.deletable)) {
      refuse(ctx.actor);
    }
    const todo = paramString(params.todo);
    const hours = await loggedHoursOf(ctx, issues);
    const confirm = async (errors: readonly string[], status: number) => {
      const refs = await issueRefs(ctx, issues);
      const format = await pageFormatter(request, translator(pageLanguage(request, request.user?.language)), pageLanguage(request, request.user?.language));
      return sendPage(platform, request, reply, {
        status,
        title: (t) => t('label_confirmation'),
        menuItem: 'issues',
        body: ({ t, csrfToken }) => (
          <BulkDeletePage
            t={t}
            csrfToken={csrfToken}
            issues={refs}
            hours={format.hours(hours)}
            mayNullify={!settingList(ctx.settings, 'timelog_required_fields').includes('issue_id')}
            mayReassign={new Set(issues.map((i) => i.project.id)).size === 1}
            backUrl={backUrlOf(params, issues)}
            errors={errors}
            todo={todo ?? 'destroy'}
            reassignToId={paramString(params.reassign_to_id) ?? ''}
          />
        ),
      });
    };
    if (hours > 0 && !todo) {
      return confirm([], 200);
    }
    try {
      await bulkDeleteIssues(ctx, issues, { todo, reassignToId: paramString(params.reassign_to_id) }, tenantOf(request).files);
    } catch (error) {
      if (error instanceof ValidationError) {
        return confirm(error.errors, 422);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    const back = backUrlOf(params, issues);
    // A deleted issue's own page is gone: go to the list instead.
    return reply.redirect(/^\/issues\/\d+/.test(back) ? '/issues' : back, 303);
  });

  const watch = (watching: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = await contextOf(request);
    const params = apiParams(request);
    if (paramString(params.object_type) !== 'issue') {
      return reply.callNotFound();
    }
    const ids = [...new Set(paramList(params.object_id).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647))];
    await setIssuesWatched(ctx, ids, watching);
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    const back = paramString(params.back_url);
    return reply.redirect(back ? safeBackUrl(back) : ids.length === 1 ? `/issues/${ids[0]}` : '/issues', 303);
  };
  app.post('/watchers/watch', watch(true));
  app.post('/watchers/unwatch', watch(false));
}
