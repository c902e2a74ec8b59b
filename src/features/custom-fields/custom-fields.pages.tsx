/**
 * HTML routes of custom fields (administrators only): `/custom_fields` (`?tab=IssueCustomField`),
 * `/custom_fields/new` (no `type`: choose the class; `type=…&custom_field[field_format]=…`, `copy=ID`),
 * `POST /custom_fields` (`continue` to add another), `/custom_fields/:id/edit`, `POST
 * /custom_fields/:id` (update, or a new position alone), `POST /custom_fields/:id/delete`; a key/value
 * list's values are custom-field-enumerations.pages.tsx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramString, type Params } from '#src/api/params.ts';
import type { CustomFieldType } from '#src/db/schema/custom-fields.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import { customFieldInputOf, type CustomFieldInput } from './custom-field-definition.input.ts';
import { isCustomFieldType } from './custom-field-definition.rules.ts';
import {
  createCustomField,
  deleteCustomField,
  editCustomFieldForm,
  listCustomFieldDefinitions,
  newCustomFieldForm,
  updateCustomField,
  type CustomFieldContext,
} from './custom-field-definition.service.ts';
import { customFieldEnumerationsPages } from './custom-field-enumerations.pages.tsx';
import { CustomFieldForm } from './views/custom-field-form.tsx';
import { CustomFieldSelectType } from './views/custom-field-select-type.tsx';
import { CustomFieldsList } from './views/custom-fields-list.tsx';

const ID = /^\d{1,9}$/;

async function contextOf(request: FastifyRequest): Promise<CustomFieldContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await requireAdministrator(request), now: new Date() };
}

function idOf(request: FastifyRequest): number {
  const { id } = request.params as { id: string };
  if (!ID.test(id)) {
    throw new NotFoundError(`no custom field ${id}`);
  }
  return Number(id);
}

function typeOf(value: Params[string] | undefined): CustomFieldType | undefined {
  const text = paramString(value) ?? '';
  return isCustomFieldType(text) ? text : undefined;
}

function optionalId(value: Params[string] | undefined): number | undefined {
  const text = paramString(value) ?? '';
  return ID.test(text) ? Number(text) : undefined;
}

export async function customFieldsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  await customFieldEnumerationsPages(app, { platform });
  const showNew = async (request: FastifyRequest, reply: FastifyReply, ctx: CustomFieldContext, type: CustomFieldType, copyId: number | undefined, input: CustomFieldInput, errors: readonly string[]) => {
    const { draft, choices, copiedFrom } = await newCustomFieldForm(ctx, type, copyId, input);
    return sendAdminPage(platform, request, reply, 'custom_fields', {
      status: errors.length > 0 ? 422 : 200,
      title: (t) => `${t('label_custom_field_plural')} - ${t('label_custom_field_new')}`,
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <CustomFieldForm t={t} csrfToken={csrfToken} draft={draft} choices={choices} errors={errors} copiedFrom={copiedFrom} />,
    });
  };

  const showEdit = async (request: FastifyRequest, reply: FastifyReply, ctx: CustomFieldContext, id: number, input: CustomFieldInput, errors: readonly string[]) => {
    const { draft, choices } = await editCustomFieldForm(ctx, id, input);
    return sendAdminPage(platform, request, reply, 'custom_fields', {
      status: errors.length > 0 ? 422 : 200,
      title: (t) => `${t('label_custom_field_plural')} - ${draft.name}`,
      scripts: ['toggle-checkboxes'],
      body: ({ t, csrfToken }) => <CustomFieldForm t={t} csrfToken={csrfToken} draft={draft} choices={choices} errors={errors} />,
    });
  };

  app.get('/custom_fields', async (request, reply) => {
    const fields = await listCustomFieldDefinitions(await contextOf(request));
    const tab = typeOf((request.query as Params).tab);
    return sendAdminPage(platform, request, reply, 'custom_fields', {
      title: (t) => t('label_custom_field_plural'),
      body: ({ t, csrfToken }) => <CustomFieldsList t={t} csrfToken={csrfToken} fields={fields} tab={tab} />,
    });
  });

  app.get('/custom_fields/new', async (request, reply) => {
    const ctx = await contextOf(request);
    const query = request.query as Params;
    const type = typeOf(query.type);
    if (!type) {
      const selected = typeOf(query.tab);
      return sendAdminPage(platform, request, reply, 'custom_fields', {
        title: (t) => `${t('label_custom_field_plural')} - ${t('label_custom_field_new')}`,
        body: ({ t }) => <CustomFieldSelectType t={t} selected={selected} />,
      });
    }
    return showNew(request, reply, ctx, type, optionalId(query.copy), customFieldInputOf(query), []);
  });

  app.post('/custom_fields', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = (request.body ?? {}) as Params;
    const type = typeOf(params.type);
    if (!type) {
      throw new NotFoundError('no custom field type');
    }
    const input = customFieldInputOf(params);
    try {
      await createCustomField(ctx, type, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showNew(request, reply, ctx, type, undefined, input, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect(paramString(params.continue) ? `/custom_fields/new?type=${type}` : `/custom_fields?tab=${type}`, 303);
  });

  app.get('/custom_fields/:id/edit', async (request, reply) => showEdit(request, reply, await contextOf(request), idOf(request), { attributes: {}, formatStore: {} }, []));

  app.post('/custom_fields/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = idOf(request);
    const input = customFieldInputOf((request.body ?? {}) as Params);
    let type: CustomFieldType;
    try {
      type = await updateCustomField(ctx, id, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showEdit(request, reply, ctx, id, input, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    // Moving a field from the list goes back to the list; saving the form stays on the field.
    const moved = Object.keys(input.attributes).length === 0 && Object.keys(input.formatStore).length === 0;
    return reply.redirect(moved ? `/custom_fields?tab=${type}` : `/custom_fields/${id}/edit`, 303);
  });

  app.post('/custom_fields/:id/delete', async (request, reply) => {
    const type = await deleteCustomField(await contextOf(request), idOf(request));
    setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
    return reply.redirect(`/custom_fields?tab=${type}`, 303);
  });
}
