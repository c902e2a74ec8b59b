/**
 * File custom fields of issues (Redmine's AttachmentFormat): a value is the id of an attachment whose
 * container is the stored custom value. The form and the API send a new file as an upload token
 * (`{"token": "…"}`), keep the stored one by its id (`{"id": N}` or the id itself) and clear it with a
 * blank; the file a value replaces is deleted. Who may download the file is the attachments feature's
 * rule for CustomValue containers (the issue and the field must be visible).
 */
import type { Queryable } from '#src/db/database.ts';
import { attachToCustomValue, deleteAttachmentsOf, unattachedUpload, type AttachmentRow } from '#src/features/attachments/index.ts';
import { customValueId, fileValueIdsOf, humanFieldName, type CustomFieldDef } from '#src/features/custom-fields/index.ts';

const isFileField = (field: CustomFieldDef) => field.fieldFormat === 'attachment';

/** A value as sent: a string, or the JSON text of an object (custom-fields keeps nested objects as JSON). */
function objectOf(value: string): Record<string, unknown> | undefined {
  if (!value.trimStart().startsWith('{')) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Redmine's Attachment#extension_in?: the file's extension among the field's extensions_allowed. */
function extensionAllowed(filename: string, allowed: string): boolean {
  const extensions = allowed.split(/[\s,]+/).map((e) => e.trim().toLowerCase().replace(/^\.+/, '')).filter((e) => e !== '');
  if (extensions.length === 0) {
    return true;
  }
  const dot = filename.lastIndexOf('.');
  return dot >= 0 && extensions.includes(filename.slice(dot + 1).toLowerCase());
}

export interface ResolvedFileValues {
  /** The input with each file field's value as an attachment id ('' for none). */
  readonly given: Map<number, string | string[]>;
  /** Per file field, the new upload it may take (pass as allowedIdsByField). */
  readonly allowedIdsByField: Map<number, ReadonlySet<number>>;
  readonly errors: string[];
}

/**
 * Turns the file fields' values of a request into attachment ids: a token names an unattached upload
 * of `authorId` (an unknown token stays as sent, so validation answers "is invalid"); an id, alone or
 * as `{"id": N}`, keeps the stored file and names no other; an object with neither (the form's
 * `blank`) is no file. Uploads whose extension the field does not
 * allow are refused with Redmine's message.
 */
export async function resolveFileValues(
  db: Queryable,
  fields: readonly CustomFieldDef[],
  given: ReadonlyMap<number, string | string[]>,
  stored: ReadonlyMap<number, readonly string[]>,
  authorId: number,
): Promise<ResolvedFileValues> {
  const out = new Map(given);
  const allowedIdsByField = new Map<number, ReadonlySet<number>>();
  const errors: string[] = [];
  for (const field of fields.filter(isFileField)) {
    const value = given.get(field.id);
    const object = typeof value === 'string' ? objectOf(value) : undefined;
    const keptId = (id: string) => (stored.get(field.id)?.includes(id) ? id : '');
    if (typeof value === 'string' && !object) {
      // Only the stored file can be named by its id (Redmine blanks any other: a copied issue's, say).
      out.set(field.id, keptId(value.trim()));
      continue;
    }
    if (!object) {
      continue;
    }
    const token = typeof object.token === 'string' ? object.token.trim() : '';
    if (token !== '') {
      const upload = await unattachedUpload(db, token, authorId);
      if (!upload) {
        continue;
      }
      out.set(field.id, String(upload.id));
      allowedIdsByField.set(field.id, new Set([upload.id]));
      const extensions = typeof field.formatStore.extensions_allowed === 'string' ? field.formatStore.extensions_allowed : '';
      if (!extensionAllowed(upload.filename, extensions)) {
        errors.push(`${humanFieldName(field.name)} is invalid (Allowed extensions: ${extensions})`);
      }
    } else if (typeof object.id === 'string' || typeof object.id === 'number') {
      out.set(field.id, keptId(String(object.id)));
    } else {
      out.set(field.id, '');
    }
  }
  return { given: out, allowedIdsByField, errors };
}

/**
 * After the issue's values are stored: each changed file field's new attachment joins its custom
 * value, and the one it replaced is deleted. Returns the deleted attachments (files to purge after
 * the commit).
 */
export async function attachFileValues(
  db: Queryable,
  issueId: number,
  fields: readonly CustomFieldDef[],
  values: ReadonlyMap<number, readonly string[]>,
  stored: ReadonlyMap<number, readonly string[]>,
): Promise<AttachmentRow[]> {
  const removed: AttachmentRow[] = [];
  const idOf = (text: string | undefined) => (text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined);
  for (const field of fields.filter(isFileField)) {
    const next = values.get(field.id);
    if (next === undefined) {
      continue;
    }
    const newId = idOf(next[0]);
    const oldId = idOf(stored.get(field.id)?.[0]);
    if (newId === oldId) {
      continue;
    }
    const holder = newId === undefined ? undefined : await customValueId(db, 'Issue', issueId, field.id, String(newId));
    removed.push(...(await attachToCustomValue(db, { customValueId: holder, newId, oldId })));
  }
  return removed;
}

/** The files of the issues' file fields, deleted with the issues (returned for purging after the commit). */
export async function deleteFileValuesOf(db: Queryable, issueIds: readonly number[]): Promise<AttachmentRow[]> {
  const holders = await fileValueIdsOf(db, 'Issue', issueIds);
  return holders.length === 0 ? [] : deleteAttachmentsOf(db, 'CustomValue', holders);
}
