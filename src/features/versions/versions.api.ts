/** REST routes of versions (§6.9): a project's versions (shared ones included), create, show, update, delete. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramInt, paramString, type Params } from '#src/api/params.ts';
import { apiGet, apiParams, apiRoute, baseUrl, sendApi, sendNoContent } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import { NotFoundError } from '#src/errors.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { versionInputOf } from './version.input.ts';
import { presentVersion } from './version.presenter.ts';
import {
  createVersion,
  deleteVersion,
  getVersion,
  listProjectVersions,
  updateVersion,
  versionCustomFields,
  type VersionContext,
  type VersionDetails,
} from './version.service.ts';

async function contextOf(request: FastifyRequest): Promise<VersionContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function versionIdOf(params: Params): number {
  const id = paramInt(params.id);
  if (id === undefined || id < 1) {
    throw new NotFoundError(`no version ${paramString(params.id) ?? ''}`);
  }
  return id;
}

function presented(details: VersionDetails) {
  return resource('version', presentVersion(details.version, details.hours, details.customFields));
}

export async function versionsApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/projects/:project_id/versions', async (request, reply) => {
    const params = apiParams(request);
    const ctx = await contextOf(request);
    const versions = await listProjectVersions(ctx, paramString(params.project_id) ?? '');
    const customFields = await versionCustomFields(ctx, versions);
    // Not paged: every version, with total_count only (§4).
    const items = versions.map((v) => presentVersion(v, undefined, customFields.get(v.id)));
    return sendApi(request, reply, collection('versions', 'version', items, { totalCount: versions.length }));
  });

  apiRoute(app, ['POST'], '/projects/:project_id/versions', async (request, reply) => {
    const params = apiParams(request);
    const created = await createVersion(await contextOf(request), paramString(params.project_id) ?? '', versionInputOf(params) ?? {});
    reply.header('location', `${baseUrl(request)}/versions/${created.version.id}`);
    return sendApi(request, reply, presented(created), 201);
  });

  apiGet(app, '/versions/:id', async (request, reply) => {
    const details = await getVersion(await contextOf(request), versionIdOf(apiParams(request)));
    return sendApi(request, reply, presented(details));
  });

  apiRoute(app, ['PUT', 'PATCH'], '/versions/:id', async (request, reply) => {
    const params = apiParams(request);
    await updateVersion(await contextOf(request), versionIdOf(params), versionInputOf(params));
    return sendNoContent(reply);
  });

  apiRoute(app, ['DELETE'], '/versions/:id', async (request, reply) => {
    await deleteVersion(await contextOf(request), versionIdOf(apiParams(request)));
    return sendNoContent(reply);
  });
}
