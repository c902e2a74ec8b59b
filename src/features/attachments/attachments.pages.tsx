/**
 * The attachment page (`GET /attachments/:id`, Redmine's attachments#show): for those who may see the
 * attachment, inside its project's frame. Downloads and thumbnails are attachments.api.ts's routes.
 */
import type { FastifyInstance } from 'fastify';
import { paramString, type Params } from '#src/api/params.ts';
import { NotFoundError } from '#src/errors.ts';
import { findProject } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { getAttachmentInProject } from './attachment.service.ts';
import { AttachmentShow } from './views/attachment-show.tsx';

export async function attachmentPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/attachments/:id', async (request, reply) => {
    const id = paramString((request.params as Params).id) ?? '';
    if (!/^\d{1,9}$/.test(id)) {
      throw new NotFoundError(`no attachment ${id}`);
    }
    const { db, settings, files } = tenantOf(request);
    const { row, projectId } = await getAttachmentInProject({ db, settings, files, actor: await actorOf(request), now: new Date() }, Number(id));
    const project = projectId === undefined ? undefined : await findProject(db.orm, String(projectId));
    return sendPage(platform, request, reply, {
      title: () => row.filename,
      project,
      menuItem: row.containerType === 'Issue' ? 'issues' : undefined,
      body: ({ t, format }) => <AttachmentShow row={row} t={t} format={format} />,
    });
  });
}
