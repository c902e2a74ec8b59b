/**
 * Edit and update (Redmine's IssuesController#edit and #update): the form (with `?quote_journal=N`
 * quoting a note, `?quote_description=1` the description), the form again for a changed project, tracker or status, and the post through
 * updateIssue — the workflow's statuses and field rules, notes and private notes, files, the time
 * logged with the change (stored in the update's transaction), and the lock version: a stale form comes
 * back with the user's input and Redmine's choices (overwrite, keep only the notes, cancel).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { paramInt, paramObject, paramString, type Params } from '#src/api/params.ts';
import { allowedTo } from '#src/domain/authorization.ts';
import { ValidationError } from '#src/errors.ts';
import { humanSize, purgeAttachmentFiles } from '#src/features/attachments/index.ts';
import { prepareTimeEntry, storePreparedTimeEntry, timeEntryInputOf, type PreparedTimeEntry } from '#src/features/time-entries/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { issueInputOf } from './issue.input.ts';
import { ISSUE_UPDATE_CONFLICT, refuse, type IssueContext } from './issue.plan.ts';
import { issueRightsOf } from './issue.policy.ts';
import { getIssueForChange, updateIssue, type UpdateExtension } from './issue.service.ts';
import { bodyParams, formContext, issueIdParam, sendFormFragment, sendFormPage } from './issue-form.http.tsx';
import { loadIssueFormModel } from './issue-form.model.ts';
import { storeFormUploads } from './issue-form.multipart.ts';

/** GET /issues/:id/edit. */
export async function showEditIssue(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await formContext(request);
  const query = request.query as Params;
  const model = await loadIssueFormModel(ctx, {
    issueId: issueIdParam(request),
    params: {},
    quoteJournalId: paramInt(query.quote_journal),
    quoteDescription: paramString(query.quote_description) === '1',
  });
  return sendFormPage(platform, request, reply, model);
}

/** POST /issues/:id/edit/form: the attributes again for the input so far. */
export async function editIssueFragment(request: FastifyRequest, reply: FastifyReply) {
  const ctx = await formContext(request);
  return sendFormFragment(request, reply, await loadIssueFormModel(ctx, { issueId: issueIdParam(request), params: bodyParams(request) }));
}

/**
 * The time logged with the change, as Redmine's update does: when hours or a comment are given and the
 * user may log time in the issue's project (otherwise ignored). Its errors refuse the update with the
 * issue's own; a blank activity takes the default one.
 */
async function timeEntryExtension(ctx: IssueContext, issueId: number, params: Params, mayLogTime: boolean): Promise<UpdateExtension | undefined> {
  const entry = timeEntryInputOf(params);
  const given = (value: string | null | undefined) => value !== undefined && value !== null && value.trim() !== '';
  const hoursText = paramString(paramObject(params.time_entry)?.hours);
  if (!entry || !mayLogTime || !(given(hoursText) || given(entry.comments))) {
    return undefined;
  }
  if (entry.activityId === null) {
    delete entry.activityId;
  }
  let prepared: PreparedTimeEntry | undefined;
  let errors: readonly string[] = [];
  try {
    prepared = await prepareTimeEntry(ctx, { issueId: String(issueId) }, entry);
  } catch (error) {
    if (!(error instanceof ValidationError)) {
      throw error;
    }
    errors = error.errors;
  }
  return {
    errors,
    afterUpdate: async (tx) => {
      if (prepared) {
        await storePreparedTimeEntry(tx, prepared, ctx.now);
      }
    },
  };
}

/** Redmine's conflict_resolution: `overwrite` drops the stale lock version, `add_notes` keeps only the notes. */
function resolveConflict(params: Params): Params {
  const choice = paramString(params.conflict_resolution);
  const issue = paramObject(params.issue) ?? {};
  if (choice === 'overwrite') {
    const { lock_version: _stale, ...rest } = issue;
    return { ...params, issue: rest };
  }
  if (choice === 'add_notes') {
    const { notes, private_notes } = issue;
    return { ...params, issue: { ...(notes === undefined ? {} : { notes }), ...(private_notes === undefined ? {} : { private_notes }) }, time_entry: {} };
  }
  return params;
}

/** POST /issues/:id. */
export async function updateFromForm(platform: Platform, request: FastifyRequest, reply: FastifyReply) {
  const issueId = issueIdParam(request);
  const ctx = await formContext(request);
  // Who may change the issue is settled before the post's files are stored.
  const { record, access } = await getIssueForChange(ctx, issueId);
  const rights = issueRightsOf(ctx.actor, access, { trackerId: record.tracker_id, authorId: record.author_id });
  if (!rights.attributesEditable && !rights.notesAddable) {
    refuse(ctx.actor);
  }
  const posted = bodyParams(request);
  if (paramString(posted.conflict_resolution) === 'cancel') {
    return reply.redirect(`/issues/${issueId}`, 303);
  }
  const params = resolveConflict(posted);
  const t = translator(pageLanguage(request, request.user?.language));
  const uploads = await storeFormUploads(request, ctx, params, (maxBytes) => t('error_attachment_too_big', { max_size: humanSize(maxBytes, t) }));
  const again = async (errors: readonly string[], status: number, conflict = false) =>
    sendFormPage(platform, request, reply, await loadIssueFormModel(ctx, { issueId, params: posted, errors, uploads: uploads.kept, conflict }), status);
  if (params.update_form !== undefined) {
    return again(uploads.errors, 200);
  }
  const { input, errors } = issueInputOf(params);
  if (errors.length > 0 || uploads.errors.length > 0) {
    return again([...errors, ...uploads.errors], 422);
  }
  try {
    const extension = await timeEntryExtension(ctx, issueId, params, allowedTo(ctx.actor, 'log_time', access));
    const removed = await updateIssue(ctx, issueId, input, extension);
    await purgeAttachmentFiles(ctx.db, tenantOf(request).files, removed);
  } catch (error) {
    if (!(error instanceof ValidationError)) {
      throw error;
    }
    const conflict = error.errors.includes(ISSUE_UPDATE_CONFLICT);
    return again(
      error.errors.filter((message) => message !== ISSUE_UPDATE_CONFLICT),
      conflict ? 409 : 422,
      conflict,
    );
  }
  setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
  return reply.redirect(`/issues/${issueId}`, 303);
}
