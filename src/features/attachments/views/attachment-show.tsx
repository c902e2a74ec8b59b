/**
 * An attachment's page (Redmine's attachments/show with layouts/file): its name, description, author
 * and date, size, a download link, and the picture itself for images. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { isImageFile, urlSegment } from '../attachment.filename.ts';
import type { AttachmentRow } from '../attachment.repository.ts';
import { humanSize } from './file-size.ts';

export function AttachmentShow({ row, t, format }: { row: AttachmentRow; t: Translate; format: Formatter }): VNode {
  const download = `/attachments/download/${row.id}/${urlSegment(row.filename)}`;
  return (
    <>
      <div class="contextual">
        <a href={download} class="icon icon-download" download>
          {t('button_download')}
        </a>
      </div>
      <h2>{row.filename}</h2>
      <div class="attachments">
        {row.containerType === 'Issue' && row.containerId !== null ? (
          <p>
            <a href={`/issues/${row.containerId}`}>{t('label_issue_ref', { id: String(row.containerId) })}</a>
          </p>
        ) : null}
        <p>
          {row.description ? `${row.description} - ` : ''}
          <span class="author">
            {row.authorName ?? t('label_user_anonymous')}
            {row.createdOn ? `, ${format.time(new Date(row.createdOn))}` : ''}
          </span>
        </p>
        <p>
          <a href={download} download>
            {t('button_download')}
          </a>{' '}
          <span class="size">({humanSize(row.filesize, t)})</span>
        </p>
      </div>
      {isImageFile(row.filename) ? (
        <div class="filecontent image">
          <img src={download} alt={row.filename} />
        </div>
      ) : null}
    </>
  );
}
