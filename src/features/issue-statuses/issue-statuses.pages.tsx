/**
 * HTML routes of issue statuses (administrators only): `/issue_statuses` (list),
 * `/issue_statuses/new`, `POST /issue_statuses`, `/issue_statuses/:id/edit`, `POST
 * /issue_statuses/:id` (update, or a new position alone), `POST /issue_statuses/:id/delete`, and
 * `POST /issue_statuses/update_issue_done_ratio`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Params } from '#src/api/params.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { applyIssueStatusInput, issueStatusInputOf, type IssueStatusInput } from './issue-status.input.ts';
import {
  createIssueStatus,
  deleteIssueStatus,
  issueStatusForm,
  listIssueStatuses,
  updateIssueDoneRatios,
  updateIssueStatus,
  type IssueStatusContext,
  type IssueStatusDeletion,
} from './issue-status.service.ts';
import { IssueStatusForm } from './views/issue-status-form.tsx';
import { IssueStatusesList } from './views/issue-statuses-list.tsx';

const ID = /^\d{1,9}$/;

async function contextOf(request: FastifyRequest): Promise<IssueStatusContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await requireAdministrator(request), now: new Date() };
}

function idOf(request: FastifyRequest): number {
  const { id } = request.params as { id: string };
  if (!ID.test(id)) {
    throw new NotFoundError(`no issue status ${id}`);
  }
  return Number(id);
}

function refusalMessage(t: Translate, refusal: Exclude<IssueStatusDeletion, { deleted: true }>): string {
  const reason =
    refusal.reason === 'issues'
      ? t('error_issue_status_in_use_by_issues', { projects: refusal.names.join(', ') })
      : t('error_issue_status_default_for_trackers', { trackers: refusal.names.join(', ') });
  return t('error_unable_delete_issue_status', { value: reason });
}

export async function issueStatusesPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const showList = async (request: FastifyRequest, reply: FastifyReply, ctx: IssueStatusContext, refusal?: Exclude<IssueStatusDeletion, { deleted: true }>) => {
    const statuses = await listIssueStatuses(ctx);
    const doneRatioByStatus = ctx.settings.issue_done_ratio === 'issue_status';
    return sendAdminPage(platform, request, reply, 'issue_statuses', {
      title: (t) => t('label_issue_status_plural'),
      ...(refusal ? { status: 422, flash: { kind: 'error' as const, message: (t: Translate) => refusalMessage(t, refusal) } } : {}),
      body: ({ t, csrfToken }) => <IssueStatusesList t={t} csrfToken={csrfToken} statuses={statuses} doneRatioByStatus={doneRatioByStatus} />,
    });
  };

  const showForm = async (request: FastifyRequest, reply: FastifyReply, ctx: IssueStatusContext, id: number | undefined, input: IssueStatusInput, errors: readonly string[]) => {
    const status = applyIssueStatusInput(await issueStatusForm(ctx, id), input);
    return sendAdminPage(platform, request, reply, 'issue_statuses', {
      status: errors.length > 0 ? 422 : 200,
      title: (t) => t('label_issue_status_plural'),
      body: ({ t, csrfToken }) => (
        <IssueStatusForm t={t} csrfToken={csrfToken} status={status} doneRatioByStatus={ctx.settings.issue_done_ratio === 'issue_status'} errors={errors} />
      ),
    });
  };

  app.get('/issue_statuses', async (request, reply) => showList(request, reply, await contextOf(request)));

  app.get('/issue_statuses/new', async (request, reply) => showForm(request, reply, await contextOf(request), undefined, {}, []));

  app.post('/issue_statuses', async (request, reply) => {
    const ctx = await contextOf(request);
    const input = issueStatusInputOf((request.body ?? {}) as Params);
    try {
      await createIssueStatus(ctx, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showForm(request, reply, ctx, undefined, input, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect('/issue_statuses', 303);
  });

  app.post('/issue_statuses/update_issue_done_ratio', async (request, reply) => {
    const updated = await updateIssueDoneRatios(await contextOf(request));
    setFlash(reply, updated ? { kind: 'notice', key: 'notice_issue_done_ratios_updated' } : { kind: 'error', key: 'error_issue_done_ratios_not_updated' });
    return reply.redirect('/issue_statuses', 303);
  });

  app.get('/issue_statuses/:id/edit', async (request, reply) => showForm(request, reply, await contextOf(request), idOf(request), {}, []));

  app.post('/issue_statuses/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = idOf(request);
    const input = issueStatusInputOf((request.body ?? {}) as Params);
    try {
      await updateIssueStatus(ctx, id, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showForm(request, reply, ctx, id, input, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect('/issue_statuses', 303);
  });

  app.post('/issue_statuses/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const result = await deleteIssueStatus(ctx, idOf(request));
    if (!result.deleted) {
      return showList(request, reply, ctx, result);
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect('/issue_statuses', 303);
  });
}
