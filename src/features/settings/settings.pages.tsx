/**
 * HTML routes of Administration → Settings (Redmine's SettingsController#index/#edit): `GET /settings`
 * shows a tab, `POST /settings/edit?tab=…` saves that tab's settings — all of them or, when one is
 * refused, none (422 with the messages). Administrators only. What follows a change (audit rows,
 * security mails to administrators, 2FA unpaired when turned off) is `changeSettings`'s.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import { apiParams } from '#src/api/reply.ts';
import { requireAdministrator, sendAdminPage } from '#src/features/admin/index.ts';
import { auditSourceOf } from '#src/features/audit/index.ts';
import { nowOf } from '#src/http/clock.ts';
import { setFlash } from '#src/http/flash.ts';
import { tenantOf } from '#src/http/tenant-context.ts';
import { tenantBaseUrl } from '#src/http/tenant-url.ts';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { SettingsValidationError, type Settings } from './index.ts';
import type { SettingName } from './setting-definitions.ts';
import { selectSettingChoiceData } from './setting-choices.repository.ts';
import { changeSettings } from './settings.service.ts';
import { settingsTabNamed, type SettingsTab } from './settings.tabs.ts';
import { SettingsPage } from './views/settings-page.tsx';

/** The tab's settings the form sent, as the text they are stored as; settings not sent are left out. */
function sentValues(tab: SettingsTab, params: Params): Partial<Record<SettingName, string>> {
  const sent = paramObject(params.settings) ?? {};
  const values: Partial<Record<SettingName, string>> = {};
  for (const field of tab.fields) {
    if (!Object.hasOwn(sent, field.name)) {
      continue;
    }
    const raw = sent[field.name];
    if (field.input === 'checklist') {
      values[field.name] = JSON.stringify(paramList(raw).filter((item) => item !== ''));
    } else {
      const text = paramString(raw) ?? '';
      values[field.name] = field.input === 'number' ? text.trim() : text;
    }
  }
  return values;
}

export async function settingsPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  async function sendSettingsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    tab: SettingsTab,
    refused?: { values: Partial<Record<SettingName, string>>; errors: (t: Translate) => readonly string[] },
  ) {
    await requireAdministrator(request);
    const { db, settings } = tenantOf(request);
    const choiceData = await selectSettingChoiceData(db.orm);
    const values: Settings = refused ? { ...settings, ...refused.values } : settings;
    const user = request.user;
    return sendAdminPage(platform, request, reply, 'settings', {
      status: refused ? 422 : 200,
      title: (t) => t('label_settings'),
      scripts: tab.fields.some((f) => f.input === 'wiki') ? ['wiki-toolbar'] : [],
      body: ({ t, lang, csrfToken, format }) => (
        <SettingsPage
          t={t}
          lang={lang}
          csrfToken={csrfToken}
          tab={tab}
          values={values}
          errors={refused?.errors(t) ?? []}
          choiceData={choiceData}
          reader={{ firstname: user?.firstname ?? '', lastname: user?.lastname ?? '', login: user?.login ?? '' }}
          now={format.now}
        />
      ),
    });
  }

  app.get('/settings', (request, reply) => sendSettingsPage(request, reply, settingsTabNamed((request.query as Params).tab)));

  app.post('/settings/edit', async (request, reply) => {
    await requireAdministrator(request);
    const params = apiParams(request);
    const tab = settingsTabNamed(params.tab);
    const values = sentValues(tab, params);
    const { db, tenant, settings } = tenantOf(request);
    try {
      await changeSettings(
        { db, mail: { mailer: platform.mailer, tenant, settings, baseUrl: tenantBaseUrl(platform, request) }, source: auditSourceOf(request), now: nowOf(request) },
        values,
      );
    } catch (error) {
      if (error instanceof SettingsValidationError) {
        const { problems } = error;
        return sendSettingsPage(request, reply, tab, { values, errors: (t) => problems.map((p) => `${t(`setting_${p.name}` as MessageKey)} ${p.problem}`) });
      }
      throw error;
    }
    setFlash(reply, { kind: 'notice', key: 'notice_successful_update' });
    return reply.redirect(`/settings?tab=${tab.name}`, 303);
  });
}
