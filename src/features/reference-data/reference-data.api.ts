/** REST routes of trackers, issue statuses, enumerations and roles: readable by anyone the API lets in. */
import type { FastifyInstance } from 'fastify';
import { apiGet, sendApi } from '#src/api/reply.ts';
import { collection, resource } from '#src/api/resource.ts';
import type { EnumerationType } from '#src/db/schema/tracker-reference.ts';
import { NotFoundError } from '#src/errors.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import {
  presentEnumeration,
  presentIssueStatus,
  presentRole,
  presentRoleRef,
  presentTracker,
} from './reference-data.presenter.ts';
import { findRole, listEnumerations, listGivableRoles, listIssueStatuses, listTrackers } from './reference-data.repository.ts';

/** The enumeration types the API names, with their class and XML item name. */
const ENUMERATION_TYPES: Record<string, { type: EnumerationType; item: string }> = {
  issue_priorities: { type: 'IssuePriority', item: 'issue_priority' },
  time_entry_activities: { type: 'TimeEntryActivity', item: 'time_entry_activity' },
  document_categories: { type: 'DocumentCategory', item: 'document_category' },
};

export async function referenceDataApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/trackers', async (request, reply) => {
    const rows = await listTrackers(tenantOf(request).db.orm);
    return sendApi(request, reply, collection('trackers', 'tracker', rows.map(presentTracker)));
  });

  apiGet(app, '/issue_statuses', async (request, reply) => {
    const rows = await listIssueStatuses(tenantOf(request).db.orm);
    return sendApi(request, reply, collection('issue_statuses', 'issue_status', rows.map(presentIssueStatus)));
  });

  apiGet(app, '/enumerations/:type', async (request, reply) => {
    const { type } = request.params as { type: string };
    const name = type.replace(/\.(json|xml)$/, '');
    const known = Object.hasOwn(ENUMERATION_TYPES, name) ? ENUMERATION_TYPES[name] : undefined;
    if (!known) {
      throw new NotFoundError(`no enumeration ${name}`);
    }
    const rows = await listEnumerations(tenantOf(request).db.orm, known.type);
    return sendApi(request, reply, collection(name, known.item, rows.map(presentEnumeration)));
  });

  apiGet(app, '/roles', async (request, reply) => {
    const rows = await listGivableRoles(tenantOf(request).db.orm);
    return sendApi(request, reply, collection('roles', 'role', rows.map(presentRoleRef)));
  });

  apiGet(app, '/roles/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const roleId = /^\d{1,9}$/.test(id) ? Number(id) : undefined;
    const role = roleId === undefined ? undefined : await findRole(tenantOf(request).db.orm, roleId);
    if (!role) {
      throw new NotFoundError(`no role ${id}`);
    }
    return sendApi(request, reply, resource('role', presentRole(role)));
  });
}
