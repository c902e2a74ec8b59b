/**
 * HTML routes of the workflow editor (administrators only): `/workflows` (summary),
 * `/workflows/edit` (status transitions), `/workflows/permissions` (field permissions),
 * `/workflows/copy`. The editors' forms post back to their own path.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramList, paramString, type Params, type ParamValue } from '#src/api/params.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { fieldRuleChoicesOf, transitionChoicesOf } from './workflow.matrix.ts';
import {
  copyWorkflows,
  fieldPermissionEditor,
  saveFieldPermissions,
  saveTransitions,
  transitionEditor,
  workflowCopyChoices,
  workflowSummary,
  type IdChoice,
  type WorkflowContext,
  type WorkflowCopyInput,
  type WorkflowSelection,
} from './workflow.service.ts';
import { FieldPermissionsPage } from './views/field-permissions-page.tsx';
import { TransitionsPage } from './views/transitions-page.tsx';
import { WorkflowCopyPage, type WorkflowCopyForm } from './views/workflow-copy.tsx';
import { selectionQuery } from './views/workflow-selection.tsx';
import { WorkflowSummaryPage } from './views/workflow-summary.tsx';
import { roleName } from '#src/views/role-name.ts';

async function contextOf(request: FastifyRequest): Promise<WorkflowContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await requireAdministrator(request), now: new Date() };
}

const ID = /^\d{1,9}$/;

/** `role_id[]=1&role_id[]=3`, `role_id=all`, or nothing. */
function idChoiceOf(value: ParamValue | undefined): IdChoice {
  const items = paramList(value);
  if (items.length === 0) {
    return undefined;
  }
  if (items.includes('all')) {
    return 'all';
  }
  return items.filter((item) => ID.test(item)).map(Number);
}

function selectionOf(params: Params): WorkflowSelection {
  return {
    roleIds: idChoiceOf(params.role_id),
    trackerIds: idChoiceOf(params.tracker_id),
    usedStatusesOnly: paramString(params.used_statuses_only) !== '0',
  };
}

function idsOf(value: ParamValue | undefined): number[] {
  return paramList(value).filter((item) => ID.test(item)).map(Number);
}

function copyFormOf(params: Params): WorkflowCopyForm {
  return {
    sourceTrackerId: paramString(params.source_tracker_id) ?? '',
    sourceRoleId: paramString(params.source_role_id) ?? '',
    targetTrackerIds: idsOf(params.target_tracker_ids),
    targetRoleIds: idsOf(params.target_role_ids),
  };
}

function sourceOf(value: string): number | 'any' | undefined {
  return value === 'any' ? 'any' : ID.test(value) ? Number(value) : undefined;
}

export async function workflowsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/workflows', async (request, reply) => {
    const summary = await workflowSummary(await contextOf(request));
    return sendAdminPage(platform, request, reply, 'workflows', {
      title: (t) => `${t('label_workflow')} - ${t('field_summary')}`,
      body: ({ t }) => <WorkflowSummaryPage t={t} summary={summary} />,
    });
  });

  app.get('/workflows/edit', async (request, reply) => {
    const editor = await transitionEditor(await contextOf(request), selectionOf(request.query as Params));
    return sendAdminPage(platform, request, reply, 'workflows', {
      title: (t) => t('label_workflow'),
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <TransitionsPage t={t} csrfToken={csrfToken} editor={editor} />,
    });
  });

  app.post('/workflows/edit', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = (request.body ?? {}) as Params;
    const selection = selectionOf(params);
    if (await saveTransitions(ctx, selection, transitionChoicesOf(params))) {
      setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    }
    const editor = await transitionEditor(ctx, selection);
    return reply.redirect(`/workflows/edit?${selectionQuery(editor)}`, 303);
  });

  app.get('/workflows/permissions', async (request, reply) => {
    const editor = await fieldPermissionEditor(await contextOf(request), selectionOf(request.query as Params));
    return sendAdminPage(platform, request, reply, 'workflows', {
      title: (t) => t('label_workflow'),
      body: ({ t, csrfToken }) => <FieldPermissionsPage t={t} csrfToken={csrfToken} editor={editor} />,
    });
  });

  app.post('/workflows/permissions', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = (request.body ?? {}) as Params;
    const selection = selectionOf(params);
    if (await saveFieldPermissions(ctx, selection, fieldRuleChoicesOf(params))) {
      setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    }
    const editor = await fieldPermissionEditor(ctx, selection);
    return reply.redirect(`/workflows/permissions?${selectionQuery(editor)}`, 303);
  });

  app.get('/workflows/copy', async (request, reply) => {
    const choices = await workflowCopyChoices(await contextOf(request));
    const form = copyFormOf(request.query as Params);
    return sendAdminPage(platform, request, reply, 'workflows', {
      title: (t) => `${t('label_workflow')} - ${t('button_copy')}`,
      body: ({ t, csrfToken }) => <WorkflowCopyPage t={t} csrfToken={csrfToken} trackers={choices.trackers} roles={choices.roles.map((r) => ({ id: r.id, name: roleName(t, r) }))} form={form} />,
    });
  });

  app.post('/workflows/copy', async (request, reply) => {
    const ctx = await contextOf(request);
    const form = copyFormOf((request.body ?? {}) as Params);
    const input: WorkflowCopyInput = {
      sourceTrackerId: sourceOf(form.sourceTrackerId),
      sourceRoleId: sourceOf(form.sourceRoleId),
      targetTrackerIds: form.targetTrackerIds,
      targetRoleIds: form.targetRoleIds,
    };
    const result = await copyWorkflows(ctx, input);
    if (result === 'copied') {
      setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
      const query = new URLSearchParams({ source_tracker_id: form.sourceTrackerId, source_role_id: form.sourceRoleId });
      return reply.redirect(`/workflows/copy?${query.toString()}`, 303);
    }
    const choices = await workflowCopyChoices(ctx);
    return sendAdminPage(platform, request, reply, 'workflows', {
      status: 422,
      title: (t) => `${t('label_workflow')} - ${t('button_copy')}`,
      flash: { kind: 'error', message: (t) => t(result === 'missing_source' ? 'error_workflow_copy_source' : 'error_workflow_copy_target') },
      body: ({ t, csrfToken }) => <WorkflowCopyPage t={t} csrfToken={csrfToken} trackers={choices.trackers} roles={choices.roles.map((r) => ({ id: r.id, name: roleName(t, r) }))} form={form} />,
    });
  });
}
