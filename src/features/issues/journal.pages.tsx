/**
 * Pages of one journal (Redmine's JournalsController): `GET /journals/:id/edit` and `POST /journals/:id`
 * (edit or, with empty notes, delete the note — through editJournal, as `PUT /journals/:id.json`),
 * and `GET /journals/:id/diff` (a text change line by line).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { paramObject, paramString, type Params } from '#src/api/params.ts';
import { ValidationError } from '#src/errors.ts';
import { visibleIssueFields } from '#src/features/custom-fields/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import { lineDiff } from '#src/lib/line-diff.ts';
import type { Platform } from '#src/platform/platform.ts';
import type { IssueContext } from './issue.plan.ts';
import { loadIssueFrame } from './issue-show.loader.ts';
import { editJournal, getEditableJournal, getJournalDetail } from './journal.service.ts';
import { JournalDiff, JournalEdit } from './views/journal-pages.tsx';

async function contextOf(request: FastifyRequest): Promise<IssueContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

const idOf = (request: FastifyRequest) => paramString((request.params as Params).id) ?? '';
const bodyOf = (request: FastifyRequest): Params => (request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Params) : {});

export async function journalPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  /** The edit form, as stored or as sent back with the refusal. */
  const sendEditPage = async (request: FastifyRequest, reply: Parameters<typeof sendPage>[2], shown?: { notes: string; privateNotes: boolean; errors: readonly string[] }) => {
    const ctx = await contextOf(request);
    const { journal, mayChangePrivacy } = await getEditableJournal(ctx, idOf(request));
    const { issue, project } = await loadIssueFrame(ctx, journal.issue_id, []);
    return sendPage(platform, request, reply, {
      title: (t) => t('label_journal_edit'),
      project,
      menuItem: 'issues',
      status: shown ? 422 : 200,
      body: ({ t, csrfToken }) => (
        <JournalEdit
          t={t}
          csrfToken={csrfToken}
          issue={issue}
          journalId={journal.id}
          notes={shown?.notes ?? journal.notes ?? ''}
          privateNotes={shown?.privateNotes ?? journal.private_notes}
          mayChangePrivacy={mayChangePrivacy}
          errors={shown?.errors ?? []}
        />
      ),
    });
  };

  app.get('/journals/:id/edit', async (request, reply) => sendEditPage(request, reply));

  app.post('/journals/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const body = bodyOf(request);
    const { journal } = await getEditableJournal(ctx, idOf(request));
    try {
      await editJournal(ctx, String(journal.id), body);
    } catch (error) {
      if (error instanceof ValidationError) {
        const sent = paramObject(body.journal) ?? {};
        return sendEditPage(request, reply, { notes: paramString(sent.notes) ?? '', privateNotes: paramString(sent.private_notes) === '1', errors: error.errors });
      }
      throw error;
    }
    const notes = paramObject(body.journal)?.notes;
    const removed = notes !== undefined && (paramString(notes) ?? '') === '';
    return reply.redirect(`/issues/${journal.issue_id}${removed ? '' : `#change-${journal.id}`}`, 302);
  });

  app.get('/journals/:id/diff', async (request, reply) => {
    const ctx = await contextOf(request);
    const { detail, access } = await getJournalDetail(ctx, idOf(request), paramString((request.query as Params).detail_id));
    const [{ issue, project, names }, fields] = await Promise.all([
      loadIssueFrame(ctx, detail.issue_id, [detail.journal_user_id]),
      detail.property === 'cf' ? visibleIssueFields(ctx.db, ctx.actor, access) : Promise.resolve([]),
    ]);
    const fieldName = fields.find((f) => f.id === Number(detail.prop_key))?.name;
    const lines = lineDiff(detail.old_value ?? '', detail.value ?? '');
    return sendPage(platform, request, reply, {
      title: (t) => t('label_issue_heading', { tracker: issue.tracker_name, id: String(issue.id) }),
      project,
      menuItem: 'issues',
      body: ({ t, format }) => (
        <JournalDiff
          t={t}
          format={format}
          issue={issue}
          author={names.principals.get(detail.journal_user_id)}
          createdOn={new Date(detail.created_on)}
          label={fieldName ?? (detail.prop_key === 'description' ? t('field_description') : detail.prop_key)}
          lines={lines}
        />
      ),
    });
  });
}
