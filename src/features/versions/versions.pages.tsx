/**
 * HTML routes of versions: the roadmap (`/projects/:id/roadmap`), a version's page (`/versions/:id`),
 * new / edit / delete (`/projects/:id/versions/new`, `POST /projects/:id/versions`,
 * `/versions/:id/edit`, `POST /versions/:id`, `POST /versions/:id/delete`) and "close completed
 * versions" (`POST /projects/:id/versions/close_completed`). Writes go through version.service.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramBool, paramIdList, paramInt, paramObject, paramString, type Params } from '#src/api/params.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { customFieldsOfKind, customFieldVisibleTo, customValueSheet } from '#src/features/custom-fields/index.ts';
import { getVisibleProject, loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { pageFormatter, safeBackUrl, sendPage } from '#src/http/page.tsx';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import type { VersionSharing } from '#src/db/schema/core-tracker.ts';
import { versionInputOf } from './version.input.ts';
import { canManageVersions, isVersionSharing } from './version.policy.ts';
import { closeCompletedVersions, loadRoadmap, loadVersionPage, todayIn } from './version.roadmap.ts';
import { createVersion, deleteVersion, getVersion, sharingsFor, updateVersion, type VersionContext } from './version.service.ts';
import { RoadmapPage, RoadmapSidebar } from './views/roadmap.tsx';
import { VersionFormPage, type VersionFormValues } from './views/version-form.tsx';
import { VersionShowPage } from './views/version-show.tsx';

async function contextOf(request: FastifyRequest): Promise<VersionContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function bodyOf(request: FastifyRequest): Params {
  return request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {};
}

/** The viewer's date in their time zone (due dates and lateness are counted from it). */
async function viewerToday(request: FastifyRequest): Promise<string> {
  const lang = pageLanguage(request, request.user?.language);
  const format = await pageFormatter(request, translator(lang), lang);
  return todayIn(format.timeZone, format.now);
}

function versionIdOf(request: FastifyRequest): number {
  const id = paramInt((request.params as { id: string }).id);
  if (id === undefined || id < 1) {
    throw new NotFoundError('no such version');
  }
  return id;
}

function refuse(ctx: VersionContext): never {
  throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

const settingsUrl = (identifier: string) => `/projects/${encodeURIComponent(identifier)}/settings?tab=versions`;

/** Values of the form as the refused request sent them, over `base`. */
function submittedValues(base: VersionFormValues, body: Params): VersionFormValues {
  const v = paramObject(body.version) ?? {};
  const custom = paramObject(v.custom_field_values) ?? {};
  const customValues = new Map(base.customValues);
  for (const [key, value] of Object.entries(custom)) {
    if (/^\d+$/.test(key)) {
      customValues.set(Number(key), (Array.isArray(value) ? value : [value]).filter((x): x is string => typeof x === 'string' && x !== ''));
    }
  }
  return {
    name: paramString(v.name) ?? base.name,
    description: paramString(v.description) ?? base.description,
    status: paramString(v.status) ?? base.status,
    effectiveDate: paramString(v.effective_date) ?? paramString(v.due_date) ?? base.effectiveDate,
    sharing: paramString(v.sharing) ?? base.sharing,
    defaultProjectVersion: paramBool(v.default_project_version) ?? base.defaultProjectVersion,
    customValues,
  };
}

export async function versionsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/projects/:id/roadmap', async (request, reply) => {
    const ctx = await contextOf(request);
    const query = request.query as Params;
    const today = await viewerToday(request);
    const withSubprojects = paramString(query.with_subprojects);
    const roadmap = await loadRoadmap(ctx, (request.params as { id: string }).id, {
      trackerIds: query.tracker_ids === undefined ? undefined : paramIdList(query.tracker_ids),
      completed: paramString(query.completed) === '1',
      withSubprojects: withSubprojects === undefined ? undefined : withSubprojects === '1',
      today,
    });
    const canManage = canManageVersions(ctx.actor, await loadProjectAccess(ctx.db.orm, roadmap.project));
    return sendPage(platform, request, reply, {
      title: (t) => `${t('label_roadmap')} - ${roadmap.project.name}`,
      project: roadmap.project,
      menuItem: 'roadmap',
      body: (view) => <RoadmapPage view={view} roadmap={roadmap} today={today} canManage={canManage} />,
      sidebar: (view) => <RoadmapSidebar view={view} roadmap={roadmap} />,
    });
  });

  app.get('/versions/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const today = await viewerToday(request);
    const page = await loadVersionPage(ctx, versionIdOf(request), today);
    return sendPage(platform, request, reply, {
      title: () => `${page.details.version.name} - ${page.project.name}`,
      project: page.project,
      menuItem: 'roadmap',
      body: (view) => <VersionShowPage view={view} page={page} today={today} />,
    });
  });

  /** Sends the version form of `project` (new when `versionId` is undefined). */
  const sendForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: VersionContext,
    project: ProjectRow,
    form: { versionId?: number; current: VersionSharing; values: VersionFormValues; errors: readonly string[]; backUrl: string },
    status = 200,
  ) => {
    const access = await loadProjectAccess(ctx.db.orm, project);
    const [sharings, fields] = await Promise.all([sharingsFor(ctx, project.id, form.current), customFieldsOfKind(ctx.db, 'Version')]);
    return sendPage(platform, request, reply, {
      status,
      title: (t) => (form.versionId === undefined ? t('label_version_new') : `${t('label_version')} ${form.values.name}`),
      project,
      menuItem: 'settings',
      body: (view) => (
        <VersionFormPage
          view={view}
          versionId={form.versionId}
          projectIdentifier={project.identifier ?? String(project.id)}
          values={form.values}
          sharings={sharings}
          customFields={fields.filter((f) => customFieldVisibleTo(f, ctx.actor, project.id, access))}
          errors={form.errors}
          backUrl={form.backUrl}
        />
      ),
    });
  };

  const newValues = async (ctx: VersionContext): Promise<VersionFormValues> => {
    const fields = await customFieldsOfKind(ctx.db, 'Version');
    return {
      name: '',
      description: '',
      status: 'open',
      effectiveDate: '',
      sharing: 'none',
      defaultProjectVersion: false,
      customValues: new Map(fields.filter((f) => f.defaultValue).map((f) => [f.id, [f.defaultValue ?? '']])),
    };
  };

  const backUrlOf = (params: Params, identifier: string) => {
    const given = paramString(params.back_url);
    return given ? safeBackUrl(given) : settingsUrl(identifier);
  };

  app.get('/projects/:id/versions/new', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, (request.params as { id: string }).id);
    if (!canManageVersions(ctx.actor, await loadProjectAccess(ctx.db.orm, project))) {
      refuse(ctx);
    }
    const identifier = project.identifier ?? String(project.id);
    return sendForm(request, reply, ctx, project, { current: 'none', values: await newValues(ctx), errors: [], backUrl: backUrlOf(request.query as Params, identifier) });
  });

  app.post('/projects/:id/versions', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, (request.params as { id: string }).id);
    const body = bodyOf(request);
    const identifier = project.identifier ?? String(project.id);
    try {
      await createVersion(ctx, String(project.id), versionInputOf(body) ?? {});
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendForm(request, reply, ctx, project, { current: 'none', values: submittedValues(await newValues(ctx), body), errors: error.errors, backUrl: backUrlOf(body, identifier) }, 422);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect(backUrlOf(body, identifier), 303);
  });

  /** The version to edit, its project, and the form's values from what is stored. */
  const editing = async (ctx: VersionContext, id: number) => {
    const { version } = await getVersion(ctx, id);
    const project = await getVisibleProject(ctx, String(version.project_id));
    const sheet = await customValueSheet(ctx.db, 'Version', [version.id]);
    const values: VersionFormValues = {
      name: version.name,
      description: version.description ?? '',
      status: version.status ?? 'open',
      effectiveDate: version.effective_date ?? '',
      sharing: version.sharing,
      defaultProjectVersion: project.defaultVersionId === version.id,
      customValues: sheet.values.get(version.id) ?? new Map(),
    };
    return { version, project, values, current: isVersionSharing(version.sharing) ? version.sharing : ('none' as VersionSharing) };
  };

  app.get('/versions/:id/edit', async (request, reply) => {
    const ctx = await contextOf(request);
    const { version, project, values, current } = await editing(ctx, versionIdOf(request));
    if (!canManageVersions(ctx.actor, await loadProjectAccess(ctx.db.orm, project))) {
      refuse(ctx);
    }
    const identifier = project.identifier ?? String(project.id);
    return sendForm(request, reply, ctx, project, { versionId: version.id, current, values, errors: [], backUrl: backUrlOf(request.query as Params, identifier) });
  });

  app.post('/versions/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = versionIdOf(request);
    const body = bodyOf(request);
    try {
      await updateVersion(ctx, id, versionInputOf(body));
    } catch (error) {
      if (error instanceof ValidationError) {
        const { project, values, current } = await editing(ctx, id);
        const identifier = project.identifier ?? String(project.id);
        return sendForm(request, reply, ctx, project, { versionId: id, current, values: submittedValues(values, body), errors: error.errors, backUrl: backUrlOf(body, identifier) }, 422);
      }
      throw error;
    }
    const { project } = await editing(ctx, id);
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(backUrlOf(body, project.identifier ?? String(project.id)), 303);
  });

  app.post('/versions/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = versionIdOf(request);
    const { version } = await getVersion(ctx, id);
    const project = await getVisibleProject(ctx, String(version.project_id));
    try {
      await deleteVersion(ctx, id);
      setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    } catch (error) {
      if (!(error instanceof ValidationError)) {
        throw error;
      }
      setFlash(reply, { kind: 'error', key: 'notice_unable_delete_version' });
    }
    return reply.redirect(settingsUrl(project.identifier ?? String(project.id)), 303);
  });

  app.post('/projects/:id/versions/close_completed', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, (request.params as { id: string }).id);
    await closeCompletedVersions(ctx, String(project.id), await viewerToday(request));
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(settingsUrl(project.identifier ?? String(project.id)), 303);
  });
}
