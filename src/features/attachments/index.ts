/**
 * Attachments (Redmine's Attachment and acts_as_attachable): files uploaded for a token, then
 * attached to a container (an issue; project files, news, wiki pages later). Containers call these
 * inside their own transactions; the REST routes are `attachmentsApi` in attachments.api.ts.
 */
export {
  attachmentsOf,
  attachUploads,
  copyAttachments,
  deleteAttachments,
  deleteAttachmentsOf,
  type AttachmentContainerType,
  type AttachUploadsInput,
  type UploadParam,
} from './attachable.service.ts';
export { uploadParamsOf } from './attachment.params.ts';
export { presentAttachment } from './attachment.presenter.ts';
export type { AttachmentRow } from './attachment.repository.ts';
export { purgeAttachmentFiles, type AttachmentContext } from './attachment.service.ts';
