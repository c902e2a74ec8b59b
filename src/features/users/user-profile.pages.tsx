/**
 * `GET /users/:id`, a user's profile (Redmine's UsersController#show): visible by Redmine's user
 * visibility (getVisibleUser: a 404 otherwise); what it shows of the user is what the viewer may see —
 * the e-mail address unless the user hides it, the custom fields marked visible, the projects the
 * viewer sees, the issues the viewer sees.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditSourceOf } from '#src/features/audit/index.ts';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { customValueSheet } from '#src/features/custom-fields/index.ts';
import { visibleIssuesCondition } from '#src/features/issues/issue.policy.ts';
import { actorOf } from '#src/http/actor.ts';
import { sendPage } from '#src/http/page.tsx';
import { tenantOf } from '#src/http/tenant-context.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Platform } from '#src/platform/platform.ts';
import { formatUserName } from '#src/views/format.ts';
import { selectIssueCounts } from './user-profile.repository.ts';
import { selectMembershipsOf, visibleProjectsCondition } from './user.repository.ts';
import { getVisibleUser, type UserContext } from './user.service.ts';
import { UserProfile } from './views/user-profile.tsx';

async function contextOf(request: FastifyRequest): Promise<UserContext> {
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date(), auditSource: auditSourceOf(request) };
}

/** A stored custom value as a page shows it (yes/no, an enumeration's name, several values joined). */
function shownValue(field: CustomFieldDef, values: readonly string[], t: Translate): string {
  return values
    .filter((v) => v !== '')
    .map((v) => {
      switch (field.fieldFormat) {
        case 'bool':
          return v === '1' ? t('label_yes') : t('label_no');
        case 'enumeration':
          return field.enumerations.find((e) => String(e.id) === v)?.name ?? v;
        default:
          return v;
      }
    })
    .join(', ');
}

export async function userProfilePages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/users/:id', async (request, reply) => {
    const ctx = await contextOf(request);
    const user = await getVisibleUser(ctx, (request.params as { id: string }).id);
    const { actor } = ctx;
    const [memberships, counts, sheet] = await Promise.all([
      selectMembershipsOf(ctx.db.orm, user.id, actor.isAdmin ? undefined : visibleProjectsCondition([...actor.memberRoles.keys()])),
      selectIssueCounts(ctx.db, user.id, visibleIssuesCondition(actor)),
      customValueSheet(ctx.db, 'User', [user.id]),
    ]);
    const values = sheet.values.get(user.id);
    const name = formatUserName(user, ctx.settings.user_format);
    return sendPage(platform, request, reply, {
      title: () => name,
      body: (view) => (
        <UserProfile
          t={view.t}
          format={view.format}
          user={{
            id: user.id,
            name,
            login: actor.isAdmin ? user.login : undefined,
            mail: user.mail && (!user.hideMail || actor.isAdmin) ? user.mail : undefined,
            createdOn: user.createdOn,
            lastLoginOn: user.lastLoginOn,
          }}
          customFields={sheet.fields
            .filter((field) => field.visible)
            .map((field) => ({ name: field.name, value: shownValue(field, values?.get(field.id) ?? [], view.t) }))
            .filter((field) => field.value !== '')}
          counts={counts}
          memberships={memberships.map((m) => ({ project: m.project, roles: [...new Set(m.roles.map((r) => r.name))] }))}
          editHref={actor.isAdmin ? `/users/${user.id}/edit` : undefined}
        />
      ),
    });
  });
}
