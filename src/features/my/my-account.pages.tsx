/**
 * HTML routes of the signed-in user's account (Redmine's MyController#account, #show_api_key,
 * #reset_api_key): the form goes through updateOwnAccount, the rules of `PUT /my/account.json`; the
 * API access key is shown (made on first show) and reset only while the REST API is on. A new
 * language applies from the next page, which reads the user again.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramBool, paramObject, paramString, type Params } from '#src/api/params.ts';
import { NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { accountMailContext, apiKeyCreatedOn, apiKeyOf, findPreferences, resetApiKey, type User } from '#src/features/account/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { customFieldsOfKind, customValueSheet } from '#src/features/custom-fields/index.ts';
import { backupCodesLeft, isTwofaEnabled, TwofaAccountBox } from '#src/features/twofa/index.ts';
import { updateOwnAccount, type UserContext } from '#src/features/users/user.service.ts';
import { userInputOf } from '#src/features/users/users.api.ts';
import { actorOf } from '#src/http/actor.ts';
import { setFlash } from '#src/http/flash.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import { timeZoneChoices } from '#src/lib/time-zones.ts';
import type { Platform } from '#src/platform/platform.ts';
import { ApiKeyPage, MyAccount, MyAccountSidebar, type MyAccountValues } from './views/my-account.tsx';

/** IANA time zones the platform knows, for the preference's select. */
const TIME_ZONES: readonly string[] = timeZoneChoices().map((zone) => zone.value);

function signedInUser(request: FastifyRequest): User {
  if (!request.user) {
    throw new UnauthenticatedError();
  }
  return request.user;
}

async function contextOf(request: FastifyRequest): Promise<UserContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date(), auditSource: auditSourceOf(request) };
}

/** A stored preference flag (`'1'`, `true`…) as a boolean, or the default when it was never set. */
function flag(value: unknown, fallback: boolean): boolean {
  return value === undefined || value === null ? fallback : value === true || value === '1' || value === 1;
}

async function storedValues(ctx: UserContext, user: User): Promise<MyAccountValues> {
  const [preferences, sheet] = await Promise.all([findPreferences(ctx.db.orm, user.id), customValueSheet(ctx.db, 'User', [user.id])]);
  const others = preferences.others;
  return {
    firstname: user.firstname,
    lastname: user.lastname,
    mail: user.mail ?? '',
    language: user.language,
    timeZone: preferences.timeZone,
    hideMail: preferences.hideMail,
    commentsSorting: others.comments_sorting === 'desc' ? 'desc' : 'asc',
    warnOnLeavingUnsaved: flag(others.warn_on_leaving_unsaved, true),
    noSelfNotified: flag(others.no_self_notified, true),
    customValues: sheet.values.get(user.id) ?? new Map(),
  };
}

/** What the refused form sent, over what is stored. */
function submittedValues(params: Params, stored: MyAccountValues): MyAccountValues {
  const user = paramObject(params.user) ?? {};
  const pref = paramObject(params.pref) ?? {};
  const text = (source: Params, key: string, fallback: string) => (Object.hasOwn(source, key) ? (paramString(source[key]) ?? '') : fallback);
  const custom = new Map(stored.customValues);
  for (const [id, value] of Object.entries(paramObject(user.custom_field_values) ?? {})) {
    custom.set(Number(id), Array.isArray(value) ? value.map((v) => paramString(v) ?? '').filter((v) => v !== '') : [paramString(value) ?? '']);
  }
  return {
    firstname: text(user, 'firstname', stored.firstname),
    lastname: text(user, 'lastname', stored.lastname),
    mail: text(user, 'mail', stored.mail),
    language: text(user, 'language', stored.language),
    timeZone: text(pref, 'time_zone', stored.timeZone),
    hideMail: Object.hasOwn(pref, 'hide_mail') ? (paramBool(pref.hide_mail) ?? false) : stored.hideMail,
    commentsSorting: text(pref, 'comments_sorting', stored.commentsSorting),
    warnOnLeavingUnsaved: Object.hasOwn(pref, 'warn_on_leaving_unsaved') ? (paramBool(pref.warn_on_leaving_unsaved) ?? false) : stored.warnOnLeavingUnsaved,
    noSelfNotified: Object.hasOwn(pref, 'no_self_notified') ? (paramBool(pref.no_self_notified) ?? false) : stored.noSelfNotified,
    customValues: custom,
  };
}

async function renderAccount(platform: Platform, request: FastifyRequest, reply: FastifyReply, ctx: UserContext, user: User, values: MyAccountValues, errors: readonly string[]) {
  const restApi = ctx.settings.rest_api_enabled === '1';
  const [fields, keyCreatedOn] = await Promise.all([customFieldsOfKind(ctx.db, 'User'), restApi ? apiKeyCreatedOn(ctx.db.orm, user.id) : undefined]);
  const twofa = isTwofaEnabled(ctx.settings) ? { active: Boolean(user.twofaScheme), backupCodesLeft: user.twofaScheme ? await backupCodesLeft(ctx, user.id) : 0 } : undefined;
  const timeZones = values.timeZone && !TIME_ZONES.includes(values.timeZone) ? [values.timeZone, ...TIME_ZONES] : TIME_ZONES;
  return sendPage(platform, request, reply, {
    title: (t) => t('label_my_account'),
    status: errors.length > 0 ? 422 : 200,
    body: (view) => (
      <MyAccount t={view.t} csrfToken={view.csrfToken} errors={errors} values={values} timeZones={timeZones} customFields={fields.filter((f) => f.editable)} />
    ),
    sidebar: (view) => (
      <>
        <MyAccountSidebar
          t={view.t}
          format={view.format}
          csrfToken={view.csrfToken}
          login={user.login}
          userId={user.id}
          createdOn={user.createdOn}
          apiKey={restApi ? { createdOn: keyCreatedOn ?? null } : undefined}
        />
        {twofa ? <TwofaAccountBox t={view.t} csrfToken={view.csrfToken} active={twofa.active} backupCodesLeft={twofa.backupCodesLeft} /> : null}
      </>
    ),
  });
}

function requireRestApi(ctx: UserContext): void {
  if (ctx.settings.rest_api_enabled !== '1') {
    throw new NotFoundError('the REST API is off');
  }
}

export async function myAccountPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/my/account', async (request, reply) => {
    const user = signedInUser(request);
    const ctx = await contextOf(request);
    return renderAccount(platform, request, reply, ctx, user, await storedValues(ctx, user), []);
  });

  app.post('/my/account', async (request, reply) => {
    const user = signedInUser(request);
    const ctx = await contextOf(request);
    const params = request.body && typeof request.body === 'object' ? (request.body as Params) : {};
    try {
      await updateOwnAccount({ ...ctx, mail: accountMailContext(platform, request) }, userInputOf(params));
    } catch (error) {
      if (error instanceof ValidationError) {
        return renderAccount(platform, request, reply, ctx, user, submittedValues(params, await storedValues(ctx, user)), error.errors);
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_account_updated' });
    return reply.redirect('/my/account', 303);
  });

  app.get('/my/api_key', async (request, reply) => {
    const user = signedInUser(request);
    const ctx = await contextOf(request);
    requireRestApi(ctx);
    const apiKey = await apiKeyOf(ctx.db.orm, user.id, ctx.now);
    return sendPage(platform, request, reply, {
      title: (t) => t('label_api_access_key'),
      body: (view) => <ApiKeyPage t={view.t} apiKey={apiKey} />,
    });
  });

  app.post('/my/api_key', async (request, reply) => {
    const user = signedInUser(request);
    const ctx = await contextOf(request);
    requireRestApi(ctx);
    await resetApiKey(ctx.db.orm, user.id, ctx.now);
    request.log.info({ category: 'auth', user: user.id }, 'API key reset');
    setFlash(reply, { kind: 'notice', key: 'notice_api_access_key_reseted' });
    return reply.redirect('/my/account', 303);
  });
}
