/**
 * HTML routes of the project form and settings: "New project" (`/projects/new`, `POST /projects`),
 * the settings page with Redmine's tabs (`/projects/:id/settings?tab=…`), the update of the
 * Information and Issue tracking tabs (`POST /projects/:id`) and of the modules
 * (`POST /projects/:id/modules`). Each tab is shown only to who has its permission; the services
 * check it again on every write.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { paramList, paramString, type Params } from '#src/api/params.ts';
import { allowedTo, type ProjectAccess } from '#src/domain/authorization.ts';
import { PROJECT_MODULES } from '#src/domain/permissions.ts';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { CategoriesTab } from '#src/features/issue-categories/views/categories-tab.tsx';
import { listProjectCategories } from '#src/features/issue-categories/index.ts';
import { listAssignablePrincipals, loadMemberSettings, syncInheritedMembers } from '#src/features/memberships/index.ts';
import { MembersTab } from '#src/features/memberships/views/members-tab.tsx';
import { listProjectVersions, sharedVersionChoices } from '#src/features/versions/index.ts';
import { VersionsTab } from '#src/features/versions/views/versions-tab.tsx';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { sendPage, type PageView } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { assets } from '#src/views/assets.ts';
import { formatUserName } from '#src/views/format.ts';
import { loadProjectFormChoices, newProjectFormValues, savedProjectFormValues, submittedProjectFormValues, type ProjectFormValues } from './project.form-data.ts';
import { projectInputOf } from './project.input.ts';
import { updateEnabledModules } from './project.modules.ts';
import { allowedGlobally } from './project.policy.ts';
import { findProject, selectEnabledModules, type ProjectRow } from './project.repository.ts';
import { createProject, getVisibleProject, loadProjectAccess, updateProject, type ProjectContext } from './project.service.ts';
import { NewProjectPage } from './views/project-form.tsx';
import { InfoTab, IssuesTab, ModulesTab, SETTINGS_TABS, SettingsPage, settingsPath, type SettingsTab } from './views/project-settings.tsx';

async function contextOf(request: FastifyRequest): Promise<ProjectContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

function bodyOf(request: FastifyRequest): Params {
  return request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {};
}

function refuse(ctx: ProjectContext): never {
  throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/** Islands of the project form: the identifier suggestion, and the text toolbar once it exists. */
function formScripts(): string[] {
  return ['project-identifier', 'wiki-toolbar'].filter((name) => assets().scripts.has(name));
}

const identifierOf = (project: ProjectRow) => project.identifier ?? String(project.id);

/** Redmine's project_settings_tabs: each tab for who holds its permission (issue tracking: with the module on). */
function allowedTabs(ctx: ProjectContext, access: ProjectAccess): SettingsTab[] {
  const can = (permission: string) => allowedTo(ctx.actor, permission, access);
  const permission: Record<SettingsTab, boolean> = {
    info: can('edit_project'),
    modules: can('select_project_modules'),
    members: can('manage_members'),
    issues: can('edit_project') && access.enabledModules.has('issue_tracking'),
    versions: can('manage_versions'),
    categories: can('manage_categories'),
  };
  return SETTINGS_TABS.filter((tab) => permission[tab]);
}

/** What a refused form sends back to its tab. */
interface TabState {
  readonly errors: readonly string[];
  readonly values?: ProjectFormValues | undefined;
  readonly modules?: readonly string[] | undefined;
}

async function tabContent(ctx: ProjectContext, request: FastifyRequest, project: ProjectRow, tab: SettingsTab, state: TabState): Promise<(view: PageView) => VNode> {
  const identifier = identifierOf(project);
  const ref = { id: project.id, identifier };
  switch (tab) {
    case 'info': {
      const [choices, values] = await Promise.all([loadProjectFormChoices(ctx, project), state.values ?? savedProjectFormValues(ctx, project)]);
      return (view) => <InfoTab view={view} project={ref} choices={choices} values={values} errors={state.errors} />;
    }
    case 'modules': {
      const enabled = state.modules ?? (await selectEnabledModules(ctx.db.orm, [project.id])).get(project.id)?.map((m) => m.name) ?? [];
      return (view) => <ModulesTab view={view} identifier={identifier} modules={PROJECT_MODULES} enabled={enabled} errors={state.errors} />;
    }
    case 'members': {
      const settings = await loadMemberSettings(ctx, identifier);
      return (view) => <MembersTab view={view} settings={settings} />;
    }
    case 'issues': {
      const [choices, values, versions, assignees] = await Promise.all([
        loadProjectFormChoices(ctx, project),
        state.values ?? savedProjectFormValues(ctx, project),
        sharedVersionChoices(ctx.db, project.id),
        listAssignablePrincipals(ctx.db, project.id, ctx.settings.issue_group_assignment === '1'),
      ]);
      // Redmine's project_default_version_options: the open shared versions, and the current default.
      const versionChoices = versions.filter((v) => v.status === 'open' || v.id === project.defaultVersionId);
      return (view) => (
        <IssuesTab
          view={view}
          identifier={identifier}
          choices={choices}
          values={values}
          versions={versionChoices.map((v) => ({ id: v.id, name: v.projectId === project.id ? v.name : `${v.projectName} - ${v.name}` }))}
          assignees={assignees.map((a) => ({ id: a.id, name: a.type === 'Group' ? a.lastname : formatUserName(a, ctx.settings.user_format) }))}
          defaultVersionId={project.defaultVersionId}
          defaultAssignedToId={project.defaultAssignedToId}
          errors={state.errors}
        />
      );
    }
    case 'versions': {
      const query = request.query as Params;
      const status = paramString(query.version_status) ?? 'open';
      const name = (paramString(query.version_name) ?? '').trim();
      const versions = (await listProjectVersions(ctx, identifier))
        .filter((v) => status === '' || v.status === status)
        .filter((v) => name === '' || v.name.toLowerCase().includes(name.toLowerCase()))
        .sort((a, b) => (a.effective_date ?? '9999').localeCompare(b.effective_date ?? '9999') || a.name.localeCompare(b.name) || a.id - b.id);
      return (view) => <VersionsTab view={view} project={ref} versions={versions} status={status} name={name} />;
    }
    case 'categories': {
      const categories = await listProjectCategories(ctx, identifier);
      return (view) => <CategoriesTab view={view} projectIdentifier={identifier} categories={categories} />;
    }
  }
}

/** The settings page on `tab` (the first allowed one when that one is not); 403 without any tab. */
async function sendSettings(platform: Platform, request: FastifyRequest, reply: FastifyReply, ctx: ProjectContext, project: ProjectRow, asked: string | undefined, state: TabState = { errors: [] }, status = 200) {
  const tabs = allowedTabs(ctx, await loadProjectAccess(ctx.db.orm, project));
  const tab = tabs.find((t) => t === asked) ?? tabs[0];
  if (!tab) {
    refuse(ctx);
  }
  const content = await tabContent(ctx, request, project, tab, state);
  return sendPage(platform, request, reply, {
    status,
    title: (t) => `${t('label_settings')} - ${project.name}`,
    project,
    menuItem: 'settings',
    scripts: tab === 'info' ? formScripts() : [],
    body: (view) => (
      <SettingsPage view={view} identifier={identifierOf(project)} tabs={tabs} selected={tab}>
        {content(view)}
      </SettingsPage>
    ),
  });
}

export async function projectSettingsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const sendNew = async (request: FastifyRequest, reply: FastifyReply, ctx: ProjectContext, values: ProjectFormValues, errors: readonly string[], status = 200) => {
    const choices = await loadProjectFormChoices(ctx, undefined);
    return sendPage(platform, request, reply, {
      status,
      title: (t) => t('label_project_new'),
      current: 'projects',
      scripts: formScripts(),
      body: (view) => <NewProjectPage view={view} choices={choices} values={values} errors={errors} />,
    });
  };

  app.get('/projects/new', async (request, reply) => {
    const ctx = await contextOf(request);
    if (!allowedGlobally(ctx.actor, 'add_project') && !allowedGlobally(ctx.actor, 'add_subprojects')) {
      refuse(ctx);
    }
    const parentParam = paramString((request.query as Params).parent_id);
    const parent = parentParam ? await findProject(ctx.db.orm, parentParam) : undefined;
    return sendNew(request, reply, ctx, await newProjectFormValues(ctx, parent?.id ?? null), []);
  });

  app.post('/projects', async (request, reply) => {
    const ctx = await contextOf(request);
    const body = bodyOf(request);
    const input = projectInputOf(body);
    try {
      const project = await createProject(ctx, input, syncInheritedMembers);
      setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
      if (paramString(body.continue)) {
        return reply.redirect(`/projects/new${project.parentId === null ? '' : `?parent_id=${project.parentId}`}`, 303);
      }
      return reply.redirect(settingsPath(identifierOf(project)), 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        const base = await newProjectFormValues(ctx, null);
        return sendNew(request, reply, ctx, submittedProjectFormValues(base, input, body), error.errors, 422);
      }
      throw error;
    }
  });

  app.get('/projects/:id/settings', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, (request.params as { id: string }).id);
    return sendSettings(platform, request, reply, ctx, project, paramString((request.query as Params).tab));
  });

  app.post('/projects/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, (request.params as { id: string }).id);
    const body = bodyOf(request);
    const tab = paramString(body.tab) === 'issues' ? 'issues' : 'info';
    const input = projectInputOf(body);
    try {
      await updateProject(ctx, project, input, syncInheritedMembers);
    } catch (error) {
      if (error instanceof ValidationError) {
        const values = submittedProjectFormValues(await savedProjectFormValues(ctx, project), input, body);
        return sendSettings(platform, request, reply, ctx, project, tab, { errors: error.errors, values }, 422);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(settingsPath(identifierOf(project), tab), 303);
  });

  app.post('/projects/:id/modules', async (request, reply) => {
    const ctx = await contextOf(request);
    const project = await getVisibleProject(ctx, (request.params as { id: string }).id);
    const names = paramList(bodyOf(request).enabled_module_names);
    try {
      await updateEnabledModules(ctx, project, names);
    } catch (error) {
      if (error instanceof ValidationError) {
        return sendSettings(platform, request, reply, ctx, project, 'modules', { errors: error.errors, modules: names }, 422);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(settingsPath(identifierOf(project), 'modules'), 303);
  });
}
