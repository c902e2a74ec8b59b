/**
 * HTML routes of a key/value list's values (administrators only; Redmine's custom_field_enumerations):
 * `GET /custom_fields/:id/enumerations`, `POST …/enumerations` (add one), `POST …/enumerations/update`
 * (Redmine's PUT update_each: names, active flags and places at once), `POST …/enumerations/:value/delete`
 * (`reassign_to_id` for a value in use; without it the page asks for one). Registered by customFieldsPages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramObject, paramString, type Params } from '#src/api/params.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import type { CustomFieldContext } from './custom-field-definition.service.ts';
import { addEnumeration, deleteEnumeration, listEnumerations, updateEnumerations, type EnumerationChange } from './custom-field-enumeration.service.ts';
import { CustomFieldEnumerationDestroy, CustomFieldEnumerations } from './views/custom-field-enumerations.tsx';

const ID = /^\d{1,9}$/;

async function contextOf(request: FastifyRequest): Promise<CustomFieldContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await requireAdministrator(request), now: new Date() };
}

function idParam(request: FastifyRequest, key: 'id' | 'value'): number {
  const value = (request.params as Record<string, string>)[key] ?? '';
  if (!ID.test(value)) {
    throw new NotFoundError(`no ${key} ${value}`);
  }
  return Number(value);
}

/** `custom_field_enumerations[ID][name|active|position]` → the changes by value id. */
export function enumerationChangesOf(params: Params): Map<number, EnumerationChange> {
  const changes = new Map<number, EnumerationChange>();
  for (const [key, raw] of Object.entries(paramObject(params.custom_field_enumerations) ?? {})) {
    const attributes = paramObject(raw);
    if (!ID.test(key) || !attributes) {
      continue;
    }
    const active = paramString(attributes.active);
    const position = (paramString(attributes.position) ?? '').trim();
    changes.set(Number(key), {
      name: paramString(attributes.name),
      active: active === undefined ? undefined : ['1', 'true'].includes(active),
      position: /^\d{1,6}$/.test(position) ? Number(position) : undefined,
    });
  }
  return changes;
}

export async function customFieldEnumerationsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const showList = async (request: FastifyRequest, reply: FastifyReply, ctx: CustomFieldContext, fieldId: number, errors: readonly string[], newName?: string) => {
    const { field, values } = await listEnumerations(ctx, fieldId);
    return sendAdminPage(platform, request, reply, 'custom_fields', {
      status: errors.length > 0 ? 422 : 200,
      title: (t) => `${t('label_custom_field_plural')} - ${field.name}`,
      body: ({ t, csrfToken }) => <CustomFieldEnumerations t={t} csrfToken={csrfToken} field={field} values={values} errors={errors} newName={newName} />,
    });
  };

  app.get('/custom_fields/:id/enumerations', async (request, reply) => showList(request, reply, await contextOf(request), idParam(request, 'id'), []));

  app.post('/custom_fields/:id/enumerations', async (request, reply) => {
    const ctx = await contextOf(request);
    const fieldId = idParam(request, 'id');
    const name = paramString(paramObject(((request.body ?? {}) as Params).custom_field_enumeration)?.name) ?? '';
    try {
      await addEnumeration(ctx, fieldId, name);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showList(request, reply, ctx, fieldId, error.errors, name);
      }
      throw error;
    }
    return reply.redirect(`/custom_fields/${fieldId}/enumerations`, 303);
  });

  app.post('/custom_fields/:id/enumerations/update', async (request, reply) => {
    const ctx = await contextOf(request);
    const fieldId = idParam(request, 'id');
    try {
      await updateEnumerations(ctx, fieldId, enumerationChangesOf((request.body ?? {}) as Params));
    } catch (error) {
      if (error instanceof ValidationError) {
        return showList(request, reply, ctx, fieldId, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(`/custom_fields/${fieldId}/enumerations`, 303);
  });

  app.post('/custom_fields/:id/enumerations/:value/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const fieldId = idParam(request, 'id');
    const reassign = paramString(((request.body ?? {}) as Params).reassign_to_id) ?? '';
    const outcome = await deleteEnumeration(ctx, fieldId, idParam(request, 'value'), ID.test(reassign) ? Number(reassign) : undefined);
    if (!outcome.deleted) {
      const { field } = await listEnumerations(ctx, fieldId);
      return sendAdminPage(platform, request, reply, 'custom_fields', {
        title: (t) => `${t('label_custom_field_plural')} - ${field.name}`,
        body: ({ t, csrfToken }) => <CustomFieldEnumerationDestroy t={t} csrfToken={csrfToken} field={field} value={outcome.value} others={outcome.others} />,
      });
    }
    return reply.redirect(`/custom_fields/${fieldId}/enumerations`, 303);
  });
}
