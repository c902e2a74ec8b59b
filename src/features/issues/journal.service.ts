/**
 * Editing a note after the fact (PUT /journals/:id, §6.22): the journal must be visible (else 404)
 * and editable (edit_issue_notes, or edit_own_issue_notes for one's own; else 403). A journal left
 * with neither notes nor details is deleted, as Redmine does.
 */
import { paramBool, paramObject, paramString, type Params } from '#src/api/params.ts';
import { allowedTo } from '#src/domain/authorization.ts';
import { canViewPrivateNote } from '#src/domain/issue-visibility.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import type { IssueContext } from './issue.plan.ts';
import { getIssueForChange } from './issue.service.ts';
import { deleteJournal, selectJournalRecord, updateJournalNotes } from './journal.repository.ts';

export async function editJournal(ctx: IssueContext, id: string, params: Params): Promise<void> {
  const journal = /^\d{1,9}$/.test(id) ? await selectJournalRecord(ctx.db, Number(id)) : undefined;
  if (!journal) {
    throw new NotFoundError(`no journal ${id}`);
  }
  let access;
  try {
    ({ access } = await getIssueForChange(ctx, journal.issue_id));
  } catch (error) {
    // An invisible journal does not exist for the caller.
    if (error instanceof ForbiddenError || error instanceof UnauthenticatedError) {
      throw new NotFoundError(`no journal ${id}`);
    }
    throw error;
  }
  const { actor } = ctx;
  if (journal.private_notes && !canViewPrivateNote(actor, access, journal.user_id)) {
    throw new NotFoundError(`no journal ${id}`);
  }
  const own = actor.userId !== undefined && journal.user_id === actor.userId;
  const editable = actor.userId !== undefined && (allowedTo(actor, 'edit_issue_notes', access) || (own && allowedTo(actor, 'edit_own_issue_notes', access)));
  if (!editable) {
    throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('journal not editable');
  }
  const body = paramObject(params.journal) ?? {};
  const notesGiven = Object.hasOwn(body, 'notes');
  const notes = notesGiven ? (body.notes === null ? '' : paramString(body.notes)) : (journal.notes ?? '');
  const privateGiven = Object.hasOwn(body, 'private_notes');
  const privateValue = privateGiven ? paramBool(body.private_notes) : undefined;
  if (notes === undefined || (privateGiven && privateValue === undefined)) {
    throw new ValidationError([notes === undefined ? 'Notes is invalid' : 'Private notes is invalid']);
  }
  const privateNotes = privateValue !== undefined && allowedTo(actor, 'set_notes_private', access) ? privateValue : journal.private_notes;
  if (notes === '' && journal.detail_count === 0) {
    await deleteJournal(ctx.db, journal.id);
    return;
  }
  await updateJournalNotes(ctx.db, journal.id, notes, privateNotes && notes !== '', actor.userId, ctx.now);
}
