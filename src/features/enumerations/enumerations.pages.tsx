/**
 * HTML routes of enumerations (administrators only): `/enumerations` (every type),
 * `/enumerations/new?type=IssuePriority`, `POST /enumerations`, `/enumerations/:id/edit`, `POST
 * /enumerations/:id` (update, or a new position alone), `POST /enumerations/:id/delete` (with
 * `reassign_to_id` when the value is in use; without it the question is asked).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramObject, paramString, type Params } from '#src/api/params.ts';
import type { EnumerationType } from '#src/db/schema/tracker-reference.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Platform } from '#src/platform/platform.ts';
import {
  applyEnumerationInput,
  createEnumeration,
  deleteEnumeration,
  enumerationForm,
  isEnumerationType,
  listEnumerations,
  updateEnumeration,
  type EnumerationContext,
  type EnumerationInput,
} from './enumeration.service.ts';
import { EnumerationDeletePage } from './views/enumeration-delete.tsx';
import { EnumerationForm } from './views/enumeration-form.tsx';
import { EnumerationsList } from './views/enumerations-list.tsx';

const ID = /^\d{1,9}$/;

async function contextOf(request: FastifyRequest): Promise<EnumerationContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await requireAdministrator(request), now: new Date() };
}

function idOf(request: FastifyRequest): number {
  const { id } = request.params as { id: string };
  if (!ID.test(id)) {
    throw new NotFoundError(`no enumeration ${id}`);
  }
  return Number(id);
}

/** `enumeration[...]` of a form body; keys not sent stay undefined (unchanged). */
function enumerationInputOf(params: Params): EnumerationInput {
  const form = paramObject(params.enumeration) ?? {};
  const flag = (key: string) => (Object.hasOwn(form, key) ? ['1', 'true'].includes(paramString(form[key]) ?? '') : undefined);
  const position = paramString(form.position) ?? '';
  return {
    ...(Object.hasOwn(form, 'name') ? { name: paramString(form.name) ?? '' } : {}),
    ...(flag('active') !== undefined ? { active: flag('active') } : {}),
    ...(flag('is_default') !== undefined ? { isDefault: flag('is_default') } : {}),
    ...(/^\d{1,6}$/.test(position) ? { position: Number(position) } : {}),
  };
}

function typeOf(value: Params[string] | undefined): EnumerationType {
  const type = paramString(value) ?? '';
  if (!isEnumerationType(type)) {
    throw new NotFoundError(`no enumeration type ${type}`);
  }
  return type;
}

export async function enumerationsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const showForm = async (request: FastifyRequest, reply: FastifyReply, ctx: EnumerationContext, target: { type: EnumerationType } | { id: number }, input: EnumerationInput, errors: readonly string[]) => {
    const draft = applyEnumerationInput(await enumerationForm(ctx, target), input);
    return sendAdminPage(platform, request, reply, 'enumerations', {
      status: errors.length > 0 ? 422 : 200,
      title: (t) => t('label_enumerations'),
      body: ({ t, csrfToken }) => <EnumerationForm t={t} csrfToken={csrfToken} draft={draft} errors={errors} />,
    });
  };

  app.get('/enumerations', async (request, reply) => {
    const lists = await listEnumerations(await contextOf(request));
    return sendAdminPage(platform, request, reply, 'enumerations', {
      title: (t) => t('label_enumerations'),
      body: ({ t, csrfToken }) => <EnumerationsList t={t} csrfToken={csrfToken} lists={lists} />,
    });
  });

  app.get('/enumerations/new', async (request, reply) => {
    const ctx = await contextOf(request);
    return showForm(request, reply, ctx, { type: typeOf((request.query as Params).type) }, {}, []);
  });

  app.post('/enumerations', async (request, reply) => {
    const ctx = await contextOf(request);
    const params = (request.body ?? {}) as Params;
    const type = typeOf(paramObject(params.enumeration)?.type ?? params.type);
    const input = enumerationInputOf(params);
    try {
      await createEnumeration(ctx, type, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showForm(request, reply, ctx, { type }, input, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_create' });
    return reply.redirect('/enumerations', 303);
  });

  app.get('/enumerations/:id/edit', async (request, reply) => showForm(request, reply, await contextOf(request), { id: idOf(request) }, {}, []));

  app.post('/enumerations/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const id = idOf(request);
    const input = enumerationInputOf((request.body ?? {}) as Params);
    try {
      await updateEnumeration(ctx, id, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        return showForm(request, reply, ctx, { id }, input, error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect('/enumerations', 303);
  });

  app.post('/enumerations/:id/delete', async (request, reply) => {
    const ctx = await contextOf(request);
    const reassign = paramString(((request.body ?? {}) as Params).reassign_to_id) ?? '';
    const result = await deleteEnumeration(ctx, idOf(request), ID.test(reassign) ? Number(reassign) : undefined);
    if (result.deleted) {
      setFlash(reply, { kind: 'notice', key: 'notice_successful_delete' });
      return reply.redirect('/enumerations', 303);
    }
    return sendAdminPage(platform, request, reply, 'enumerations', {
      title: (t) => t('label_enumerations'),
      body: ({ t, csrfToken }) => <EnumerationDeletePage t={t} csrfToken={csrfToken} question={result} />,
    });
  });
}
