/** An attachment as Redmine's API shows it (§6.12), on its own and inside `include=attachments`. */
import { ref, time, type ApiObject } from '#src/api/resource.ts';
import { urlSegment } from './attachment.filename.ts';
import type { AttachmentRow } from './attachment.repository.ts';
import { tokenOf } from './attachment.service.ts';

/**
 * `content_url` is absolute, on the request's host (`baseUrl`: `http(s)://host`). No `thumbnail_url`:
 * Kanri makes no thumbnails (Redmine omits it too without ImageMagick). `author` is omitted when the
 * author is no user any more.
 */
export function presentAttachment(row: AttachmentRow, baseUrl: string): ApiObject {
  return {
    id: row.id,
    filename: row.filename,
    filesize: row.filesize,
    content_type: row.contentType,
    description: row.description,
    content_url: `${baseUrl}/attachments/download/${row.id}/${urlSegment(row.filename)}`,
    author: row.authorName !== null ? ref({ id: row.authorId, name: row.authorName }) : undefined,
    created_on: time(row.createdOn === null ? null : new Date(row.createdOn)),
  };
}

/** The answer to an upload: the new id and the token that attaches it. */
export function presentUpload(row: AttachmentRow): ApiObject {
  return { id: row.id, token: tokenOf(row) };
}
