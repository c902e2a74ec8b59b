/**
 * Attachment use cases: upload (the bytes go to the tenant's file area, the row waits for a
 * container), show, download, rename/describe, delete. Reading and changing an attachment is decided by
 * its container (an issue, a project's files) or, for an upload nobody attached yet, by its author.
 * Containers in projects the actor cannot see answer 404, as projects themselves do.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Queryable } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { customFieldVisibleTo, customValueOwner } from '#src/features/custom-fields/index.ts';
import { insertJournal } from '#src/features/issues/journal.repository.ts';
import { getVisibleProject, loadProjectAccess, type ProjectContext } from '#src/features/projects/index.ts';
import { FileTooLargeError, type FileStore } from '#src/storage/file-store.ts';
import { extensionOf, isExtensionAllowed, isImageFile, mimeTypeOf, sanitizeFilename } from './attachment.filename.ts';
import { canDeleteAttachment, canEditAttachment, canViewAttachment, mayUpload, type AttachmentContainer } from './attachment.policy.ts';
import {
  deleteAttachmentRows,
  incrementDownloads,
  insertAttachment,
  isDiskFileReferenced,
  selectAttachment,
  selectIssueFacts,
  selectUnarchivedProjectIds,
  selectVersionProjectId,
  updateAttachmentFields,
  type AttachmentChanges,
  type AttachmentRow,
} from './attachment.repository.ts';

export interface AttachmentContext extends ProjectContext {
  /** The tenant's file area. */
  readonly files: FileStore;
}

type Rule = (actor: Actor, authorId: number, container: AttachmentContainer) => boolean;

const MAX_LENGTH = 255;

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/** Redmine asks anonymous visitors to sign in everywhere when login is required. */
function requireLoginIfNeeded(ctx: AttachmentContext): void {
  if (ctx.actor.userId === undefined && ctx.settings.login_required === '1') {
    throw new UnauthenticatedError();
  }
}

/** The facts about the attachment's container its rules need; 404 when its project is invisible. */
async function containerOf(ctx: AttachmentContext, row: AttachmentRow): Promise<AttachmentContainer> {
  if (row.containerId === null || row.containerType === null) {
    return { kind: 'none' };
  }
  const accessOf = async (projectId: number) => loadProjectAccess(ctx.db.orm, await getVisibleProject(ctx, String(projectId)));
  switch (row.containerType) {
    case 'Issue': {
      const issue = await selectIssueFacts(ctx.db, row.containerId);
      return issue ? { kind: 'issue', project: await accessOf(issue.projectId), issue } : { kind: 'other' };
    }
    case 'CustomValue': {
      const owner = await customValueOwner(ctx.db, row.containerId);
      const issue = owner?.customizedType === 'Issue' ? await selectIssueFacts(ctx.db, owner.customizedId) : undefined;
      if (!owner || !issue) {
        return { kind: 'other' };
      }
      const project = await accessOf(issue.projectId);
      return customFieldVisibleTo(owner.field, ctx.actor, project.id, project) ? { kind: 'custom_value', project, issue } : { kind: 'other' };
    }
    case 'Project':
      return { kind: 'files', project: await accessOf(row.containerId) };
    case 'Version': {
      const projectId = await selectVersionProjectId(ctx.db, row.containerId);
      return projectId === undefined ? { kind: 'other' } : { kind: 'files', project: await accessOf(projectId) };
    }
    default:
      return { kind: 'other' };
  }
}

/** The attachment if the rule allows it; `filename`, when given, must be its name (else 404). */
async function findAllowed(ctx: AttachmentContext, id: number, rule: Rule, filename?: string): Promise<{ row: AttachmentRow; container: AttachmentContainer }> {
  requireLoginIfNeeded(ctx);
  const row = await selectAttachment(ctx.db, id);
  if (!row || (filename !== undefined && filename !== row.filename)) {
    throw new NotFoundError(`no attachment ${id}`);
  }
  const container = await containerOf(ctx, row);
  if (!rule(ctx.actor, row.authorId, container)) {
    refuse(ctx.actor);
  }
  return { row, container };
}

function tooBigMessage(maxBytes: number): string {
  // Redmine's API message carries the limit in bytes (its web form shows "5 MB" instead).
  return `This file cannot be uploaded because it exceeds the maximum allowed file size (${maxBytes})`;
}

function extensionMessage(filename: string): string {
  return `Attachment extension ${extensionOf(filename)} is not allowed`;
}

function filenameErrors(filename: string): string[] {
  if (filename === '') {
    return ['File cannot be blank'];
  }
  return filename.length > MAX_LENGTH ? [`File is too long (maximum is ${MAX_LENGTH} characters)`] : [];
}

function extensionRules(ctx: { settings: AttachmentContext['settings'] }) {
  return { allowed: ctx.settings.attachment_extensions_allowed, denied: ctx.settings.attachment_extensions_denied };
}

/** Ruby's `presence`: blank (empty or only white space) counts as not given. */
function presence(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * May the actor upload at all (Redmine's authorize_global)? Checked before anything is read from the
 * request body, so a refused upload writes nothing.
 */
export async function checkUploadAllowed(ctx: AttachmentContext): Promise<void> {
  requireLoginIfNeeded(ctx);
  const unarchived = await selectUnarchivedProjectIds(ctx.db, [...ctx.actor.memberRoles.keys()]);
  if (!mayUpload(ctx.actor, unarchived)) {
    refuse(ctx.actor);
  }
}

export interface UploadInput {
  /** The request body: read as it arrives, never held in memory whole. */
  readonly content: Readable | Buffer;
  /** The Content-Length the client announced, if any: too large is refused before reading. */
  readonly declaredSize: number | undefined;
  /** `filename` parameter; blank gives a random name, as Redmine does. */
  readonly filename: string | undefined;
  /** `content_type` parameter, stored as given; blank: guessed from the name. */
  readonly contentType: string | undefined;
}

/**
 * Stores an upload: the file in the tenant's area, then the attachments row (no container, authored
 * by the actor) — or nothing at all when it is refused. The answer's token is `<id>.<digest>`.
 */
export async function uploadAttachment(ctx: AttachmentContext, input: UploadInput): Promise<AttachmentRow> {
  await checkUploadAllowed(ctx);
  const given = presence(input.filename);
  const filename = given === undefined ? randomBytes(16).toString('hex') : sanitizeFilename(given);
  const maxBytes = Number(ctx.settings.attachment_max_size) * 1024;
  const errors = filenameErrors(filename);
  if (input.declaredSize !== undefined && input.declaredSize > maxBytes) {
    errors.push(tooBigMessage(maxBytes));
  }
  if (!isExtensionAllowed(filename, extensionRules(ctx))) {
    errors.push(extensionMessage(filename));
  }
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  let stored;
  try {
    stored = await ctx.files.put(input.content, { now: ctx.now, maxBytes });
  } catch (error) {
    if (error instanceof FileTooLargeError) {
      throw new ValidationError([tooBigMessage(maxBytes)]);
    }
    throw error;
  }
  const contentType = presence(input.contentType) ?? mimeTypeOf(filename) ?? null;
  let id: number;
  try {
    id = await insertAttachment(ctx.db, {
      filename,
      diskDirectory: stored.diskDirectory,
      diskFilename: stored.diskFilename,
      filesize: stored.size,
      // Redmine drops a content type too long to keep rather than cutting it.
      contentType: contentType !== null && contentType.length > MAX_LENGTH ? null : contentType,
      digest: stored.digest,
      authorId: ctx.actor.userId ?? 0,
      createdOn: ctx.now,
    });
  } catch (error) {
    await ctx.files.delete(stored).catch(() => {});
    throw error;
  }
  const row = await selectAttachment(ctx.db, id);
  if (!row) {
    throw new Error('attachment vanished after upload');
  }
  return row;
}

/** The token that attaches an upload: Redmine's `<id>.<digest>`. */
export function tokenOf(row: AttachmentRow): string {
  return `${row.id}.${row.digest}`;
}

/** An attachment the actor may see. */
export async function getAttachment(ctx: AttachmentContext, id: number): Promise<AttachmentRow> {
  return (await findAllowed(ctx, id, canViewAttachment)).row;
}

/** An attachment the actor may see, with the project its container belongs to (the frame of its page). */
export async function getAttachmentInProject(ctx: AttachmentContext, id: number): Promise<{ row: AttachmentRow; projectId: number | undefined }> {
  const { row, container } = await findAllowed(ctx, id, canViewAttachment);
  return { row, projectId: container.kind === 'issue' || container.kind === 'custom_value' || container.kind === 'files' ? container.project.id : undefined };
}

/**
 * The picture behind an image attachment's thumbnail, for those who may see the attachment: Kanri
 * resizes nothing, it sends the image itself (pages show it small). Other files have no thumbnail (404).
 */
export async function openThumbnail(ctx: AttachmentContext, id: number): Promise<{ row: AttachmentRow; stream: Readable; size: number; contentType: string }> {
  const { row } = await findAllowed(ctx, id, canViewAttachment);
  // The type follows the name, never the stored type: a thumbnail is only ever sent as an image.
  const contentType = isImageFile(row.filename) ? mimeTypeOf(row.filename) : undefined;
  const file = contentType?.startsWith('image/') ? await ctx.files.open(row) : undefined;
  if (!file || !contentType) {
    throw new NotFoundError(`no thumbnail for attachment ${id}`);
  }
  return { row, ...file, contentType };
}

/**
 * The content of an attachment the actor may see, when `filename` (if given) is its name. Downloads
 * of project files are counted, as Redmine counts them (not those of issue attachments).
 */
export async function openAttachment(
  ctx: AttachmentContext,
  id: number,
  filename: string | undefined,
): Promise<{ row: AttachmentRow; stream: Readable; size: number }> {
  const { row } = await findAllowed(ctx, id, canViewAttachment, filename);
  const file = await ctx.files.open(row);
  if (!file) {
    throw new NotFoundError(`the file of attachment ${id} is missing`);
  }
  if (row.containerType === 'Project' || row.containerType === 'Version') {
    await incrementDownloads(ctx.db, row.id);
  }
  return { row, ...file };
}

/** The safe attributes; an absent one stays as it is (a null filename is blank, as in Rails). */
export interface AttachmentUpdate {
  readonly filename?: string | undefined;
  readonly description?: string | null | undefined;
  readonly contentType?: string | null | undefined;
}

/** Renames, describes or retypes an attachment (Redmine's safe attributes), for those who may edit it. */
export async function updateAttachment(ctx: AttachmentContext, id: number, update: AttachmentUpdate): Promise<void> {
  const { row } = await findAllowed(ctx, id, canEditAttachment);
  const changes: { -readonly [K in keyof AttachmentChanges]: AttachmentChanges[K] } = {};
  const errors: string[] = [];
  if (update.filename !== undefined) {
    const filename = sanitizeFilename(update.filename);
    errors.push(...filenameErrors(filename));
    if (filename !== row.filename && errors.length === 0 && !isExtensionAllowed(filename, extensionRules(ctx))) {
      errors.push(extensionMessage(filename));
    }
    changes.filename = filename;
  }
  if (update.description !== undefined) {
    if (update.description !== null && update.description.length > MAX_LENGTH) {
      errors.push(`Description is too long (maximum is ${MAX_LENGTH} characters)`);
    }
    changes.description = update.description;
  }
  if (update.contentType !== undefined) {
    changes.contentType = update.contentType;
  }
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  await updateAttachmentFields(ctx.db, row.id, changes);
}

/**
 * Deletes an attachment for those who may: the row, with a journal entry on its issue ("attachment"
 * detail with the old name), then the file once nothing refers to it any more.
 */
export async function destroyAttachment(ctx: AttachmentContext, id: number): Promise<void> {
  const { row } = await findAllowed(ctx, id, canDeleteAttachment);
  await ctx.db.transaction(async (tx) => {
    await deleteAttachmentRows(tx, [row.id]);
    if (row.containerType === 'Issue' && row.containerId !== null) {
      await insertJournal(tx, {
        issueId: row.containerId,
        userId: ctx.actor.userId ?? 0,
        notes: '',
        privateNotes: false,
        createdOn: ctx.now,
        details: [{ property: 'attachment', propKey: String(row.id), oldValue: row.filename, value: null }],
      });
    }
  });
  await purgeAttachmentFiles(ctx.db, ctx.files, [row]);
}

/**
 * Removes the stored files of deleted attachment rows that no other row still names (copied issues
 * share their files). Call it after the deletion is committed; failures are left for a later sweep.
 */
export async function purgeAttachmentFiles(db: Queryable, files: FileStore, rows: readonly AttachmentRow[]): Promise<void> {
  for (const row of rows) {
    try {
      if (row.diskFilename !== '' && !(await isDiskFileReferenced(db, row.diskDirectory, row.diskFilename))) {
        await files.delete(row);
      }
    } catch {
      // Best effort: an orphaned file wastes space but harms nobody.
    }
  }
}
