/**
 * Attachments (Redmine's Attachment and acts_as_attachable): files uploaded for a token, then
 * attached to a container (an issue; project files, news, wiki pages later). Containers call these
 * inside their own transactions; the REST routes are `attachmentsApi` in attachments.api.ts, the
 * attachment page `attachmentPages`.
 */
export {
  attachmentsById,
  attachmentsOf,
  attachToCustomValue,
  attachUploads,
  copyAttachments,
  deleteAttachments,
  deleteAttachmentsOf,
  type AttachmentContainerType,
  type AttachUploadsInput,
  type UploadParam,
  unattachedUpload,
} from './attachable.service.ts';
export { uploadParamsOf } from './attachment.params.ts';
export { isImageFile, urlSegment } from './attachment.filename.ts';
export { humanSize } from './views/file-size.ts';
export { presentAttachment } from './attachment.presenter.ts';
export type { AttachmentRow } from './attachment.repository.ts';
export { purgeAttachmentFiles, tokenOf, uploadAttachment, type AttachmentContext } from './attachment.service.ts';
