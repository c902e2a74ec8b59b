/**
 * What containers do with attachments (Redmine's acts_as_attachable), inside the container's own
 * transaction: attach uploads by token, list attachments for `include=attachments`, delete some. The
 * container feature checks its own permissions first; these functions only keep the attachment rules.
 */
import type { Queryable } from '#src/db/database.ts';
import { isExtensionAllowed, sanitizeFilename } from './attachment.filename.ts';
import {
  attachToContainer,
  deleteAttachmentRows,
  insertAttachmentCopies,
  lockUnattached,
  selectAttachmentsById,
  selectContainerAttachments,
  type AttachmentChanges,
  type AttachmentRow,
} from './attachment.repository.ts';

/** Redmine's container_type values (CustomValue: the file of a file custom field's value). */
export type AttachmentContainerType = 'Issue' | 'Project' | 'Version' | 'News' | 'WikiPage' | 'Document' | 'Message' | 'CustomValue';

/** One item of `uploads` / `attachments`: the token of an upload and what to change on it. */
export interface UploadParam {
  readonly token: string;
  readonly filename?: string | undefined;
  readonly contentType?: string | undefined;
  readonly description?: string | undefined;
}

export interface AttachUploadsInput {
  readonly containerType: AttachmentContainerType;
  readonly containerId: number;
  /** Who attaches (0 for anonymous): only their own unattached uploads can be attached. */
  readonly authorId: number;
  readonly uploads: readonly UploadParam[];
  /** The tenant's attachment_extensions_allowed/denied, applied to renamed uploads; absent: no rule. */
  readonly extensionRules?: { readonly allowed: string; readonly denied: string };
}

const TOKEN = /^(\d{1,9})\.([0-9a-f]+)$/;

function parseToken(token: string): { id: number; digest: string } | undefined {
  const match = TOKEN.exec(token);
  return match?.[1] && match[2] ? { id: Number(match[1]), digest: match[2] } : undefined;
}

/**
 * The changes an upload item asks for (Redmine's save_attachments): a non-blank filename or
 * content_type replaces the stored one, the description is always set (trimmed, '' when absent).
 * Undefined when the result would be an invalid attachment, which Redmine leaves unattached.
 */
function changesOf(item: UploadParam, rules: AttachUploadsInput['extensionRules']): AttachmentChanges | undefined {
  const description = (item.description ?? '').trim();
  const filename = item.filename !== undefined && item.filename.trim() !== '' ? sanitizeFilename(item.filename) : undefined;
  const contentType = item.contentType !== undefined && item.contentType.trim() !== '' ? item.contentType : undefined;
  if (description.length > 255 || (filename !== undefined && (filename === '' || filename.length > 255))) {
    return undefined;
  }
  if (filename !== undefined && rules && !isExtensionAllowed(filename, rules)) {
    return undefined;
  }
  return {
    description,
    ...(filename !== undefined ? { filename } : {}),
    ...(contentType !== undefined ? { contentType } : {}),
  };
}

/**
 * Attaches the uploads named by their tokens to the container. A token that names no unattached
 * upload of `authorId` (unknown, wrong digest, already attached, someone else's) fails the whole
 * request, as Redmine fails the container's save: nothing is attached and `errors` holds Redmine's
 * "N file(s) could not be saved." for the caller's 422. Items whose overrides would make the
 * attachment invalid (name or description too long, extension not allowed) are skipped silently.
 * Returns the attached rows, in id order.
 */
export async function attachUploads(db: Queryable, input: AttachUploadsInput): Promise<{ attached: AttachmentRow[]; errors: string[] }> {
  const items = input.uploads.map((upload) => ({ upload, token: parseToken(upload.token) }));
  const ids = [...new Set(items.flatMap((item) => (item.token ? [item.token.id] : [])))];
  const available = new Map((await lockUnattached(db, ids)).map((row) => [row.id, row]));
  const failed = items.filter(({ token }) => {
    const row = token && available.get(token.id);
    return !row || row.digest !== token.digest || row.authorId !== input.authorId;
  }).length;
  if (failed > 0) {
    return { attached: [], errors: [`${failed} file(s) could not be saved.`] };
  }
  const attached = new Set<number>();
  for (const { upload, token } of items) {
    const changes = changesOf(upload, input.extensionRules);
    if (token && changes) {
      await attachToContainer(db, token.id, { type: input.containerType, id: input.containerId }, changes);
      attached.add(token.id);
    }
  }
  return { attached: await selectAttachmentsById(db, [...attached]), errors: [] };
}

/** The attachments of each container (oldest first); every id asked for is in the map, [] when none. */
export async function attachmentsOf(
  db: Queryable,
  containerType: AttachmentContainerType,
  containerIds: readonly number[],
): Promise<Map<number, AttachmentRow[]>> {
  const byContainer = new Map<number, AttachmentRow[]>(containerIds.map((id) => [id, []]));
  for (const row of await selectContainerAttachments(db, containerType, [...new Set(containerIds)])) {
    byContainer.get(row.containerId ?? -1)?.push(row);
  }
  return byContainer;
}

/**
 * Deletes those of `ids` that belong to the container (others are ignored) and returns them, for the
 * caller's journal details. Their files stay until `purgeAttachmentFiles` is called after the commit.
 */
export async function deleteAttachments(
  db: Queryable,
  containerType: AttachmentContainerType,
  containerId: number,
  ids: readonly number[],
): Promise<AttachmentRow[]> {
  const wanted = new Set(ids);
  const rows = (await selectContainerAttachments(db, containerType, [containerId])).filter((row) => wanted.has(row.id));
  await deleteAttachmentRows(
    db,
    rows.map((row) => row.id),
  );
  return rows;
}

/**
 * Deletes every attachment of these containers (the container itself is being destroyed) and returns
 * them; their files stay until `purgeAttachmentFiles` is called after the commit.
 */
export async function deleteAttachmentsOf(
  db: Queryable,
  containerType: AttachmentContainerType,
  containerIds: readonly number[],
): Promise<AttachmentRow[]> {
  const rows = await selectContainerAttachments(db, containerType, [...new Set(containerIds)]);
  await deleteAttachmentRows(
    db,
    rows.map((row) => row.id),
  );
  return rows;
}

/**
 * Gives the target container a copy of each attachment of the source (an issue being copied), inside
 * the caller's transaction. The copies name the same stored file rather than a duplicate, as Redmine's
 * do: nothing is written to the file area (so a failed copy leaves nothing behind), and
 * purgeAttachmentFiles removes a file only once no row names it, so deleting either side's attachment
 * keeps the other's file.
 */
export async function copyAttachments(
  db: Queryable,
  from: { readonly type: AttachmentContainerType; readonly id: number },
  to: { readonly type: AttachmentContainerType; readonly id: number },
): Promise<void> {
  await insertAttachmentCopies(db, from, to);
}

/**
 * The upload a token names, if it is an unattached upload of `authorId` (a file custom field's new
 * value, Redmine's AttachmentFormat with `token`); locked until the caller's transaction ends.
 */
export async function unattachedUpload(db: Queryable, token: string, authorId: number): Promise<AttachmentRow | undefined> {
  const parsed = parseToken(token);
  const [locked] = parsed ? await lockUnattached(db, [parsed.id]) : [];
  if (!parsed || !locked || locked.digest !== parsed.digest || locked.authorId !== authorId) {
    return undefined;
  }
  return (await selectAttachmentsById(db, [locked.id]))[0];
}

/** The attachments with these ids, whatever their container (names of file custom values). */
export function attachmentsById(db: Queryable, ids: readonly number[]): Promise<AttachmentRow[]> {
  return selectAttachmentsById(db, [...new Set(ids)]);
}

/**
 * A file custom field's value changed (Redmine's AttachmentFormat#after_save_custom_value): the new
 * upload's container becomes the stored custom value, and the file it replaces is deleted — returned
 * for `purgeAttachmentFiles` after the commit.
 */
export async function attachToCustomValue(
  db: Queryable,
  change: { readonly customValueId: number | undefined; readonly newId: number | undefined; readonly oldId: number | undefined },
): Promise<AttachmentRow[]> {
  if (change.newId !== undefined && change.customValueId !== undefined) {
    await attachToContainer(db, change.newId, { type: 'CustomValue', id: change.customValueId }, {});
  }
  if (change.oldId === undefined || change.oldId === change.newId) {
    return [];
  }
  const old = (await selectAttachmentsById(db, [change.oldId])).filter((row) => row.containerType === 'CustomValue');
  await deleteAttachmentRows(
    db,
    old.map((row) => row.id),
  );
  return old;
}
