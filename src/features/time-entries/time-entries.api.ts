/**
 * REST routes of time entries (§6.6): list (everywhere, or a project and its subprojects), show, log
 * (also scoped to a project or an issue), update, delete.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pageOf } from '#src/api/pagination.ts';
import { paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { NotFoundError } from '#src/errors.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { timeEntryInputOf } from './time-entry.input.ts';
import { presentTimeEntry } from './time-entry.presenter.ts';
import { createTimeEntry, deleteTimeEntry, getTimeEntry, listTimeEntries, updateTimeEntry, type TimeEntryContext, type TimeEntryScope } from './time-entry.service.ts';

async function contextOf(request: FastifyRequest): Promise<TimeEntryContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function timeEntryIdOf(params: Params): number {
  const id = paramString(params.id) ?? '';
  if (!/^\d{1,9}$/.test(id)) {
    throw new NotFoundError(`no time entry ${id}`);
  }
  return Number(id);
}

/** A top-level parameter (path, query or body) that is present, as text. */
function given(params: Params, name: string): string | undefined {
  const value = paramString(params[name]);
  return value === undefined || value.trim() === '' ? undefined : value;
}

async function list(request: FastifyRequest) {
  const params = apiParams(request);
  const page = pageOf(params, request.headers['x-redmine-nometa'] as string | undefined);
  const { views, total } = await listTimeEntries(await contextOf(request), params, page, given(params, 'project_id'));
  const items = views.map(presentTimeEntry);
  return collection('time_entries', 'time_entry', items, page.nometa ? undefined : { totalCount: total, offset: page.offset, limit: page.limit });
}

export async function timeEntriesApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/time_entries', async (request, reply) => sendApi(request, reply, await list(request)));
  apiGet(app, '/projects/:project_id/time_entries', async (request, reply) => sendApi(request, reply, await list(request)));

  apiGet(app, '/time_entries/:id', async (request, reply) => {
    const view = await getTimeEntry(await contextOf(request), timeEntryIdOf(apiParams(request)));
    return sendApi(request, reply, resource('time_entry', presentTimeEntry(view)));
  });

  const create = async (request: FastifyRequest) => {
    const params = apiParams(request);
    // Redmine's find_optional_issue / find_optional_project read the top-level parameters.
    const scope: TimeEntryScope = { issueId: given(params, 'issue_id'), projectId: given(params, 'project_id') };
    return createTimeEntry(await contextOf(request), scope, timeEntryInputOf(params));
  };
  for (const path of ['/time_entries', '/projects/:project_id/time_entries', '/issues/:issue_id/time_entries']) {
    apiRoute(app, ['POST'], path, async (request, reply) => {
      const view = await create(request);
      reply.header('location', `${baseUrl(request)}/time_entries/${view.row.id}`);
      return sendApi(request, reply, resource('time_entry', presentTimeEntry(view)), 201);
    });
  }

  apiRoute(app, ['PUT', 'PATCH'], '/time_entries/:id', async (request, reply) => {
    const params = apiParams(request);
    await updateTimeEntry(await contextOf(request), timeEntryIdOf(params), timeEntryInputOf(params));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/time_entries/:id', async (request, reply) => {
    await deleteTimeEntry(await contextOf(request), timeEntryIdOf(apiParams(request)));
    return sendNoContent(reply);
  });
}
