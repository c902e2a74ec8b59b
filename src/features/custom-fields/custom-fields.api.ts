/** REST route of custom fields (§6.18): `GET /custom_fields` lists every field, for administrators only. */
import type { FastifyInstance } from 'fastify';
import { apiGet, sendApi } from '#src/api/reply.ts';
import { collection } from '#src/api/resource.ts';
import { ForbiddenError, UnauthenticatedError } from '#src/errors.ts';
import { actorOf } from '#src/http/actor.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { presentCustomField } from './custom-field.presenter.ts';
import { selectAllCustomFields, selectSystemVersions } from './custom-field.repository.ts';

export async function customFieldsApi(app: FastifyInstance): Promise<void> {
  apiGet(app, '/custom_fields', async (request, reply) => {
    const actor = await actorOf(request);
    if (!actor.isAdmin) {
      throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('administrators only');
    }
    const { db } = tenantOf(request);
    const fields = await selectAllCustomFields(db);
    const systemVersions = fields.some(({ def }) => def.fieldFormat === 'version') ? await selectSystemVersions(db) : [];
    const items = fields.map(({ def, ...associations }) => presentCustomField(def, associations, systemVersions));
    return sendApi(request, reply, collection('custom_fields', 'custom_field', items));
  });
}
