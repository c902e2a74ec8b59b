/**
 * HTML routes of trackers (administrators only): `/trackers` (list), `/trackers/new` (`?copy=ID`),
 * `POST /trackers`, `/trackers/:id/edit`, `POST /trackers/:id` (update, or a new position alone),
 * `POST /trackers/:id/delete`, and the fields summary `/trackers/fields` (GET and POST).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { trackerInputOf, TRACKER_CORE_FIELDS, type TrackerInput } from './tracker.input.ts';
import {
  createTracker,
  deleteTracker,
  editTrackerForm,
  listTrackers,
  newTrackerForm,
  saveTrackerFields,
  trackerDraftFor,
  trackerFieldsSummary,
  updateTracker,
  type TrackerContext,
} from './tracker.service.ts';
import { TrackerFieldsPage } from './views/tracker-fields.tsx';
import { TrackerForm } from './views/tracker-form.tsx';
import { TrackersList } from './views/trackers-list.tsx';

const ID = /^\d{1,9}$/;

async function contextOf(request: FastifyRequest): Promise<TrackerContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await requireAdministrator(request), now: new Date() };
}

function idOf(request: FastifyRequest): number {
  const { id } = request.params as { id: string };
  if (!ID.test(id)) {
    throw new NotFoundError(`no tracker ${id}`);
  }
  return Number(id);
}

function optionalId(value: Params[string] | undefined): number | undefined {
  const text = paramString(value) ?? '';
  return ID.test(text) ? Number(text) : undefined;
}

/** `trackers[<id>][core_fields][]` and `trackers[<id>][custom_field_ids][]` of the fields summary. */
function fieldsFormOf(params: Params): Map<number, { coreFields: string[]; customFieldIds: number[] }> {
  const byTracker = paramObject(params.trackers) ?? {};
  const result = new Map<number, { coreFields: string[]; customFieldIds: number[] }>();
  for (const [trackerId, value] of Object.entries(byTracker)) {
    const fields = paramObject(value);
    if (ID.test(trackerId) && fields) {
      result.set(Number(trackerId), {
        coreFields: paramList(fields.core_fields).filter((f) => (TRACKER_CORE_FIELDS as readonly string[]).includes(f)),
        customFieldIds: paramList(fields.custom_field_ids).filter((id) => ID.test(id)).map(Number),
      });
    }
  }
  return result;
}

export async function trackersPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const showList = async (request: FastifyRequest, reply: FastifyReply, ctx: TrackerContext, refusedProjects?: readonly string[]) => {
    const trackers = await listTrackers(ctx);
    return sendAdminPage(platform, request, reply, 'trackers', {
      title: (t) => t('label_tracker_plural'),
      ...(refusedProjects
        ? { status: 422, flash: { kind: 'error' as const, message: (t: Translate) => t('error_can_not_delete_tracker', { projects: refusedProjects.join(', ') }) } }
        : {}),
      body: ({ t, csrfToken }) => <TrackersList t={t} csrfToken={csrfToken} trackers={trackers} />,
    });
  };

  const showForm = async (request: FastifyRequest, reply: FastifyReply, ctx: TrackerContext, id: number | undefined, input: TrackerInput, errors: readonly string[], copyWorkflowFrom?: number) => {
    const { draft, choices } = await trackerDraftFor(ctx, id, input);
    return sendAdminPage(platform, request, reply, 'trackers', {
      status: 422,
      title: (t) => t('label_tracker_plural'),
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <TrackerForm t={t} csrfToken={csrfToken} draft={draft} choices={choices} errors={errors} copyWorkflowFrom={copyWorkflowFrom} />,
    });
  };

  app.get('/trackers', async (request, reply) => showList(request, reply, await contextOf(request)));

  app.get('/trackers/new', async (request, reply) => {
    const ctx = await contextOf(request);
    const { draft, choices, copiedFrom } = await newTrackerForm(ctx, optionalId((request.query as Params).copy));
    return sendAdminPage(platform, request, reply, 'trackers', {
      title: (t) => `${t('label_tracker_plural')} - ${t('label_tracker_new')}`,
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <TrackerForm t={t} csrfToken={csrfToken} draft={draft} choices={choices} errors={[]} copyWorkflowFrom={copiedFrom} />,
    });
  });

  app.post('/trackers', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = (request.body ?? {}) as Params;
    const input = trackerInputOf(params);
    const copyWorkflowFrom = optionalId(params.copy_workflow_from);
    try {
      await createTracker(ctx, input, copyWorkflowFrom);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showForm(request, reply, ctx, undefined, input, error.errors, copyWorkflowFrom);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect('/trackers', 303);
  });

  app.get('/trackers/fields', async (request, reply) => {
    const summary = await trackerFieldsSummary(await contextOf(request));
    return sendAdminPage(platform, request, reply, 'trackers', {
      title: (t) => `${t('label_tracker_plural')} - ${t('field_summary')}`,
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <TrackerFieldsPage t={t} csrfToken={csrfToken} summary={summary} />,
    });
  });

  app.post('/trackers/fields', async (request, reply) => {
    const ctx = await contextOf(request);
    await saveTrackerFields(ctx, fieldsFormOf((request.body ?? {}) as Params));
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect('/trackers/fields', 303);
  });

  app.get('/trackers/:id/edit', async (request, reply) => {
    const { draft, choices } = await editTrackerForm(await contextOf(request), idOf(request));
    return sendAdminPage(platform, request, reply, 'trackers', {
      title: (t) => t('label_tracker_plural'),
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <TrackerForm t={t} csrfToken={csrfToken} draft={draft} choices={choices} errors={[]} />,
    });
  });

  app.post('/trackers/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = idOf(request);
    const input = trackerInputOf((request.body ?? {}) as Params);
    try {
      await updateTracker(ctx, id, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showForm(request, reply, ctx, id, input, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect('/trackers', 303);
  });

  app.post('/trackers/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const result = await deleteTracker(ctx, idOf(request));
    if (!result.deleted) {
      return showList(request, reply, ctx, result.projects);
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect('/trackers', 303);
  });
}
