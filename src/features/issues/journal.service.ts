/**
 * Journals after the fact: editing a note (PUT /journals/:id, §6.22, and the issue page's form) — the
 * journal must be visible (else 404) and editable (edit_issue_notes, or edit_own_issue_notes for one's
 * own; else 403), and a journal left with neither notes nor details is deleted, as Redmine does — and
 * reading one change for the diff page.
 */
import { paramBool, paramObject, paramString, type Params } from '#src/api/params.ts';
import { allowedTo, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewPrivateNote } from '#src/domain/issue-visibility.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { visibleIssueFieldIds } from '#src/features/custom-fields/index.ts';
import type { IssueContext } from './issue.plan.ts';
import { getIssueForChange } from './issue.service.ts';
import { deleteJournal, selectJournalDetail, selectJournalRecord, updateJournalNotes, type JournalDetailRecord, type JournalRecord } from './journal.repository.ts';

/** A journal the actor may edit, with its issue's project facts. */
export interface EditableJournal {
  readonly journal: JournalRecord;
  readonly access: ProjectAccess;
  /** May the actor make the note private or public (set_notes_private)? */
  readonly mayChangePrivacy: boolean;
}

/**
 * The journal if the actor may edit its notes: 404 when it is unknown or invisible to them (its issue,
 * or a private note they may not read), 403 (401 anonymous) when they see it but may not edit it —
 * Redmine's JournalsController#find_journal and editable_by?.
 */
export async function getEditableJournal(ctx: IssueContext, id: string): Promise<EditableJournal> {
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
  if (!canEditJournal(actor, access, journal.user_id)) {
    throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('journal not editable');
  }
  return { journal, access, mayChangePrivacy: allowedTo(actor, 'set_notes_private', access) };
}

/** Journal#editable_by?: edit_issue_notes, or edit_own_issue_notes for one's own notes; never anonymous. */
export function canEditJournal(actor: Actor, access: ProjectAccess, authorId: number): boolean {
  const own = actor.userId !== undefined && authorId === actor.userId;
  return actor.userId !== undefined && (allowedTo(actor, 'edit_issue_notes', access) || (own && allowedTo(actor, 'edit_own_issue_notes', access)));
}

/** Changes a journal's notes and privacy (`journal[notes]`, `journal[private_notes]`); empty notes on a journal without changes delete it. */
export async function editJournal(ctx: IssueContext, id: string, params: Params): Promise<void> {
  const { journal, mayChangePrivacy } = await getEditableJournal(ctx, id);
  const { actor } = ctx;
  if (actor.userId === undefined) {
    throw new UnauthenticatedError();
  }
  const body = paramObject(params.journal) ?? {};
  const notesGiven = Object.hasOwn(body, 'notes');
  const notes = notesGiven ? (body.notes === null ? '' : paramString(body.notes)) : (journal.notes ?? '');
  const privateGiven = Object.hasOwn(body, 'private_notes');
  const privateValue = privateGiven ? paramBool(body.private_notes) : undefined;
  if (notes === undefined || (privateGiven && privateValue === undefined)) {
    throw new ValidationError([notes === undefined ? 'Notes is invalid' : 'Private notes is invalid']);
  }
  const privateNotes = privateValue !== undefined && mayChangePrivacy ? privateValue : journal.private_notes;
  if (notes === '' && journal.detail_count === 0) {
    await deleteJournal(ctx.db, journal.id);
    return;
  }
  await updateJournalNotes(ctx.db, journal.id, notes, privateNotes && notes !== '', actor.userId, ctx.now);
}

/**
 * A change of a journal for the diff page (Redmine's JournalsController#diff): the journal must be
 * visible (its issue, its private note) else 404; a custom field's change needs the field visible
 * (else 403). Without `detailParam`, the journal's description change.
 */
export async function getJournalDetail(ctx: IssueContext, journalParam: string, detailParam: string | undefined): Promise<{ detail: JournalDetailRecord; access: ProjectAccess }> {
  const journalId = /^\d{1,9}$/.test(journalParam) ? Number(journalParam) : undefined;
  const detailId = detailParam !== undefined && /^\d{1,9}$/.test(detailParam) ? Number(detailParam) : undefined;
  const detail = journalId === undefined || (detailParam !== undefined && detailParam !== '' && detailId === undefined) ? undefined : await selectJournalDetail(ctx.db, journalId, detailId);
  if (!detail) {
    throw new NotFoundError(`no journal detail ${journalParam}`);
  }
  let access;
  try {
    ({ access } = await getIssueForChange(ctx, detail.issue_id));
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof UnauthenticatedError) {
      throw new NotFoundError(`no journal ${journalParam}`);
    }
    throw error;
  }
  if (detail.private_notes && !canViewPrivateNote(ctx.actor, access, detail.journal_user_id)) {
    throw new NotFoundError(`no journal ${journalParam}`);
  }
  if (detail.property === 'cf' && !(await visibleIssueFieldIds(ctx.db, ctx.actor, access)).has(Number(detail.prop_key))) {
    throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('custom field not visible');
  }
  return { detail, access };
}
