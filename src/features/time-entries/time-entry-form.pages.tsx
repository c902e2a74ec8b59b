/**
 * HTML routes that log and change time (Redmine's TimelogController#new, #create, #edit, #update,
 * #destroy): the form everywhere, in a project or on an issue; the posts go through the same services
 * and permission checks as the REST API (log_time, log_time_for_other_users, edit_time_entries,
 * edit_own_time_entries). A refused form comes back with Redmine's messages and status 422.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import type { ProjectAccess } from '#src/domain/authorization.ts';
import { formatHours } from '#src/domain/hours.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { customFieldsOfKind, customFieldVisibleTo } from '#src/features/custom-fields/index.ts';
import { settingList } from '#src/features/settings/index.ts';
import type { ProjectRow } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { pageFormatter, safeBackUrl, sendPage } from '#src/http/page.tsx';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import { todayInZone } from '#src/lib/zoned-today.ts';
import type { Platform } from '#src/platform/platform.ts';
import { formatUserName } from '#src/views/format.ts';
import { activityChoices, issueLabels, loggableProjects, timeLoggerChoices } from './time-entry.choices.ts';
import { defaultActivityId } from './time-entry.draft.ts';
import { timeEntryInputOf } from './time-entry.input.ts';
import { canLogTimeForOthers } from './time-entry.policy.ts';
import {
  createTimeEntry,
  deleteTimeEntry,
  getEditableTimeEntry,
  getTimeEntry,
  resolveTimeEntryScope,
  updateTimeEntry,
  type TimeEntryContext,
  type TimeEntryScope,
} from './time-entry.service.ts';
import { TimeEntryForm, type TimeEntryFormValues } from './views/time-entry-form.tsx';

async function contextOf(request: FastifyRequest): Promise<TimeEntryContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function entryIdOf(request: FastifyRequest): number {
  const id = (request.params as { id?: string }).id ?? '';
  if (!/^\d{1,9}$/.test(id)) {
    throw new NotFoundError(`no time entry ${id}`);
  }
  return Number(id);
}

/** A path or body parameter that is present, as text. */
function given(params: Params, name: string): string | undefined {
  const value = paramString(params[name]);
  return value === undefined || value.trim() === '' ? undefined : value;
}

const projectPath = (project: Pick<ProjectRow, 'id' | 'identifier'>) => `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}`;

/** Where the form is and what it is of: the project (fixed, or to choose), the issue, the post target. */
interface Situation {
  readonly project: { readonly row: ProjectRow; readonly access: ProjectAccess } | undefined;
  readonly issueId: number | undefined;
  readonly action: string;
  readonly cancelHref: string;
  readonly isNew: boolean;
}

/** Text of a submitted `time_entry[...]` value. */
const textOf = (value: ParamValue | undefined) => paramString(value) ?? '';

/** The custom values of a submitted `time_entry` hash, by field id. */
function submittedCustomValues(entry: Params | undefined): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [id, value] of Object.entries(paramObject(entry?.custom_field_values) ?? {})) {
    const list = Array.isArray(value) ? value.map((v) => paramString(v) ?? '').filter((v) => v !== '') : [paramString(value) ?? ''];
    out.set(Number(id), list);
  }
  return out;
}

/** The form's values from a `time_entry` hash (a refused post, or the defaults "create and continue" passes). */
function valuesFrom(entry: Params | undefined, defaults: TimeEntryFormValues): TimeEntryFormValues {
  if (!entry) {
    return defaults;
  }
  const pick = (key: string, fallback: string) => (Object.hasOwn(entry, key) ? textOf(entry[key]) : fallback);
  const custom = submittedCustomValues(entry);
  return {
    projectId: pick('project_id', defaults.projectId),
    issueId: pick('issue_id', defaults.issueId),
    userId: pick('user_id', defaults.userId),
    spentOn: pick('spent_on', defaults.spentOn),
    hours: pick('hours', defaults.hours),
    activityId: pick('activity_id', defaults.activityId),
    comments: pick('comments', defaults.comments),
    customValues: custom.size > 0 ? new Map([...defaults.customValues, ...custom]) : defaults.customValues,
  };
}

async function renderForm(
  platform: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: TimeEntryContext,
  situation: Situation,
  values: TimeEntryFormValues,
  errors: readonly string[],
) {
  const { project } = situation;
  const projectId = project?.row.id;
  const mayLogForOthers = project !== undefined && canLogTimeForOthers(ctx.actor, project.access);
  const [projects, activities, loggers, fields, labels] = await Promise.all([
    project ? undefined : loggableProjects(ctx.db, ctx.actor),
    activityChoices(ctx.db, projectId),
    mayLogForOthers && projectId !== undefined ? timeLoggerChoices(ctx.db, projectId) : undefined,
    customFieldsOfKind(ctx.db, 'TimeEntry'),
    situation.issueId === undefined ? undefined : issueLabels(ctx.db, ctx.actor, [situation.issueId]),
  ]);
  const issue = situation.issueId === undefined ? undefined : labels?.get(situation.issueId);
  const self = request.user;
  const users = loggers && self && !loggers.some((u) => u.id === self.id) ? [self, ...loggers] : loggers;
  return sendPage(platform, request, reply, {
    title: (t) => t('label_spent_time'),
    project: project?.row,
    menuItem: project ? 'time_entries' : undefined,
    status: errors.length > 0 ? 422 : 200,
    body: (view) => (
      <TimeEntryForm
        t={view.t}
        csrfToken={view.csrfToken}
        action={situation.action}
        isNew={situation.isNew}
        errors={errors}
        values={values}
        projects={projects?.map((p) => ({ value: String(p.id), label: p.name }))}
        issue={situation.issueId === undefined ? undefined : { id: situation.issueId, label: issue ? `${issue.tracker} #${situation.issueId}: ${issue.subject}` : `#${situation.issueId}` }}
        users={users?.map((u) => ({ value: String(u.id), label: formatUserName(u, ctx.settings.user_format) }))}
        activities={activities.map((a) => ({ value: String(a.id), label: a.name }))}
        customFields={fields.filter((field) => customFieldVisibleTo(field, ctx.actor, projectId ?? -1, project?.access))}
        requiredFields={new Set(settingList(ctx.settings, 'timelog_required_fields'))}
        cancelHref={situation.cancelHref}
      />
    ),
  });
}

/** Where a new entry's form is, from its route: everywhere, a project, or an issue. */
async function newSituation(ctx: TimeEntryContext, route: TimeEntryScope): Promise<Situation> {
  const scoped = await resolveTimeEntryScope(ctx, route);
  const project = scoped.project;
  const action = route.issueId !== undefined ? `/issues/${scoped.issue?.id}/time_entries` : project ? `${projectPath(project.row)}/time_entries` : '/time_entries';
  const cancelHref = route.issueId !== undefined ? `/issues/${scoped.issue?.id}` : project ? `${projectPath(project.row)}/time_entries` : '/time_entries';
  return { project, issueId: scoped.issue?.id, action, cancelHref, isNew: true };
}

async function defaultValues(request: FastifyRequest, ctx: TimeEntryContext, situation: Situation): Promise<TimeEntryFormValues> {
  const lang = pageLanguage(request, request.user?.language);
  const format = await pageFormatter(request, translator(lang), lang);
  const fields = await customFieldsOfKind(ctx.db, 'TimeEntry');
  const activity = await defaultActivityId(ctx, situation.project?.row.id);
  return {
    projectId: situation.project ? String(situation.project.row.id) : '',
    issueId: situation.issueId === undefined ? '' : String(situation.issueId),
    userId: String(ctx.actor.userId ?? ''),
    spentOn: todayInZone(ctx.now, format.timeZone),
    hours: '',
    activityId: activity === null ? '' : String(activity),
    comments: '',
    customValues: new Map(fields.filter((f) => f.defaultValue).map((f) => [f.id, [f.defaultValue ?? '']])),
  };
}

function routeScope(request: FastifyRequest): TimeEntryScope {
  const params = apiParams(request);
  return { issueId: given(params, 'issue_id'), projectId: given(params, 'project_id') };
}

async function showNew(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await contextOf(request);
  const situation = await newSituation(ctx, routeScope(request));
  const entry = paramObject((request.query as Params | undefined)?.time_entry);
  return renderForm(platform, request, reply, ctx, situation, valuesFrom(entry, await defaultValues(request, ctx, situation)), []);
}

async function create(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await contextOf(request);
  const params = apiParams(request);
  const route = routeScope(request);
  const situation = await newSituation(ctx, route);
  let created;
  try {
    created = await createTimeEntry(ctx, route, timeEntryInputOf(params) ?? { body: {} });
  } catch (error) {
    if (error instanceof ValidationError) {
      const values = valuesFrom(paramObject(params.time_entry), await defaultValues(request, ctx, situation));
      return renderForm(platform, request, reply, ctx, situation, values, error.errors);
    }
    throw error;
  }
  setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
  const row = created.row;
  if (params.continue !== undefined) {
    const next = new URLSearchParams({
      'time_entry[project_id]': situation.project ? '' : String(row.project_id),
      'time_entry[issue_id]': route.issueId === undefined ? String(row.issue_id ?? '') : '',
      'time_entry[spent_on]': row.spent_on,
      'time_entry[activity_id]': String(row.activity_id),
    });
    return reply.redirect(`${situation.action}/new?${next.toString()}`, 303);
  }
  const back = paramString(params.back_url);
  if (back) {
    return reply.redirect(safeBackUrl(back), 303);
  }
  return reply.redirect(route.issueId !== undefined ? `/issues/${row.issue_id}` : `/projects/${row.project_id}/time_entries`, 303);
}

async function editSituation(ctx: TimeEntryContext, id: number) {
  const entry = await getEditableTimeEntry(ctx, id);
  const situation: Situation = {
    project: { row: entry.project, access: entry.access },
    issueId: undefined,
    action: `/time_entries/${id}`,
    cancelHref: `${projectPath(entry.project)}/time_entries`,
    isNew: false,
  };
  const { row } = entry;
  const values: TimeEntryFormValues = {
    projectId: String(row.project_id),
    issueId: row.issue_id === null ? '' : String(row.issue_id),
    userId: String(row.user_id),
    spentOn: row.spent_on,
    hours: formatHours(row.hours, ctx.settings.timespan_format === 'decimal' ? 'decimal' : 'minutes'),
    activityId: String(row.activity_id),
    comments: row.comments ?? '',
    customValues: new Map(entry.customFields.map((f) => [f.id, [...(entry.customValues?.get(f.id) ?? [])]])),
  };
  return { situation, values };
}

export async function timeEntryFormPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  for (const path of ['/time_entries', '/projects/:project_id/time_entries', '/issues/:issue_id/time_entries']) {
    app.get(`${path}/new`, (request, reply) => showNew(platform, request, reply));
    app.post(path, (request, reply) => create(platform, request, reply));
  }

  app.get('/time_entries/:id/edit', async (request, reply) => {
    const ctx = await contextOf(request);
    const { situation, values } = await editSituation(ctx, entryIdOf(request));
    return renderForm(platform, request, reply, ctx, situation, values, []);
  });

  app.post('/time_entries/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = entryIdOf(request);
    const { situation, values } = await editSituation(ctx, id);
    const params = apiParams(request);
    try {
      await updateTimeEntry(ctx, id, timeEntryInputOf(params));
    } catch (error) {
      if (error instanceof ValidationError) {
        return renderForm(platform, request, reply, ctx, situation, valuesFrom(paramObject(params.time_entry), values), error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    const back = paramString(params.back_url);
    return reply.redirect(back ? safeBackUrl(back) : situation.cancelHref, 303);
  });

  app.post('/time_entries/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = entryIdOf(request);
    const { row } = await getTimeEntry(ctx, id);
    await deleteTimeEntry(ctx, id);
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    const back = paramString(apiParams(request).back_url);
    return reply.redirect(back ? safeBackUrl(back) : `/projects/${row.project_id}/time_entries`, 303);
  });
}
