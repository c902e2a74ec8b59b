/**
 * HTML routes of the administration area itself: the index, the list of all projects and the
 * information page. Users, groups and settings have their own plugins; every route is for
 * administrators only (403 for others, before anything is read).
 */
import type { FastifyInstance } from 'fastify';
import { PROJECT_STATUS } from '#src/domain/authorization.ts';
import { listProjectsForAdmin, type ProjectRow } from '#src/features/projects/index.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { collectSystemInfo } from './admin-info.ts';
import { requireAdministrator, sendAdminPage } from './admin.page.tsx';
import { listPageOf } from './admin.paging.ts';
import { AdminIndexPage } from './views/admin-index.tsx';
import { AdminInfoPage } from './views/admin-info.tsx';
import { AdminProjectsPage, type AdminProjectItem } from './views/admin-projects.tsx';

const STATUS_FILTERS = new Set(['', String(PROJECT_STATUS.active), String(PROJECT_STATUS.closed), String(PROJECT_STATUS.archived)]);

/** Depth of each row among the rows listed (tree order), and whether its parent is archived. */
function projectItems(rows: readonly ProjectRow[], archivedParents: ReadonlySet<number>): AdminProjectItem[] {
  const stack: ProjectRow[] = [];
  return rows.map((row) => {
    while (stack.length > 0 && (stack.at(-1)!.rgt ?? 0) < (row.lft ?? 0)) {
      stack.pop();
    }
    const depth = stack.length;
    stack.push(row);
    return {
      id: row.id,
      identifier: row.identifier ?? String(row.id),
      name: row.name,
      isPublic: row.isPublic,
      status: row.status,
      createdOn: row.createdOn,
      depth,
      parentArchived: row.parentId !== null && archivedParents.has(row.parentId),
    };
  });
}

export async function adminPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/admin', async (request, reply) => {
    await requireAdministrator(request);
    return sendAdminPage(platform, request, reply, undefined, {
      title: (t) => t('label_administration'),
      body: ({ t }) => <AdminIndexPage t={t} />,
    });
  });

  app.get('/admin/projects', async (request, reply) => {
    const actor = await requireAdministrator(request);
    const { db, settings } = tenantOf(request);
    const query = request.query as Record<string, unknown>;
    // Redmine lists active projects unless told otherwise; `status=` (blank) means every status.
    const status = typeof query.status === 'string' && STATUS_FILTERS.has(query.status) ? query.status : String(PROJECT_STATUS.active);
    const name = typeof query.name === 'string' ? query.name.trim().slice(0, 255) : '';
    const paging = listPageOf(query, settings);
    const statuses = status === '' ? [PROJECT_STATUS.active, PROJECT_STATUS.closed, PROJECT_STATUS.archived] : [Number(status)];
    const ctx = { db, settings, actor, now: new Date() };
    const { rows, total } = await listProjectsForAdmin(ctx, { statuses, nameContains: name || undefined }, paging);
    const parentIds = [...new Set(rows.map((r) => r.parentId).filter((id): id is number => id !== null))];
    const archivedParents = new Set(
      parentIds.length === 0 ? [] : (await listProjectsForAdmin(ctx, { statuses: [PROJECT_STATUS.archived] }, { offset: 0, limit: 100_000 })).rows.map((r) => r.id),
    );
    const backUrl = `/admin/projects?${new URLSearchParams({ status, name }).toString()}`;
    return sendAdminPage(platform, request, reply, 'projects', {
      title: (t) => t('label_project_plural'),
      body: ({ t, format, csrfToken }) => (
        <AdminProjectsPage
          t={t}
          format={format}
          csrfToken={csrfToken}
          status={status}
          name={name}
          projects={projectItems(rows, archivedParents)}
          page={paging.page}
          perPage={paging.perPage}
          total={total}
          backUrl={backUrl}
        />
      ),
    });
  });

  app.get('/admin/info', async (request, reply) => {
    await requireAdministrator(request);
    const { db, files } = tenantOf(request);
    const info = await collectSystemInfo(db, files, new Date());
    return sendAdminPage(platform, request, reply, 'info', {
      title: (t) => t('label_information_plural'),
      body: ({ t }) => <AdminInfoPage t={t} info={info} />,
    });
  });
}
