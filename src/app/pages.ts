/**
 * The HTML pages of a tenant, one Fastify plugin per feature. Each receives the platform (for CSRF
 * tokens and the page frame).
 */
import type { FastifyInstance } from 'fastify';
import { accountPages } from '#src/features/account/account.pages.tsx';
import { sessionsPages } from '#src/features/account/sessions.pages.tsx';
import { lostPasswordPages } from '#src/features/account/lost-password.pages.tsx';
import { formattingPages } from '#src/features/formatting/formatting.pages.ts';
import { adminPages } from '#src/features/admin/admin.pages.tsx';
import { groupsPages } from '#src/features/users/groups.pages.tsx';
import { usersPages } from '#src/features/users/users.pages.tsx';
import { settingsPages } from '#src/features/settings/settings.pages.tsx';
import { ipFilterPages } from '#src/features/ip-filter/ip-filter.pages.tsx';
import { oidcPages } from '#src/features/oidc/index.ts';
import { throttlePages } from '#src/features/throttle/index.ts';
import { auditPages } from '#src/features/audit/audit.pages.tsx';
import { customFieldsPages } from '#src/features/custom-fields/custom-fields.pages.tsx';
import { enumerationsPages } from '#src/features/enumerations/enumerations.pages.tsx';
import { issueStatusesPages } from '#src/features/issue-statuses/issue-statuses.pages.tsx';
import { rolesPages } from '#src/features/roles/roles.pages.tsx';
import { trackersPages } from '#src/features/trackers/trackers.pages.tsx';
import { workflowsPages } from '#src/features/workflows/workflows.pages.tsx';
import { timeEntriesPages } from '#src/features/time-entries/time-entries.pages.tsx';
import { myPages } from '#src/features/my/my.pages.ts';
import { userProfilePages } from '#src/features/users/user-profile.pages.tsx';
import { issueFormPages } from '#src/features/issues/issue-form.pages.tsx';
import { issueListPages } from '#src/features/issues/issue-list.pages.tsx';
import { issueShowPages } from '#src/features/issues/issue-show.pages.tsx';
import { watchersPages } from '#src/features/watchers/watchers.pages.ts';
import { attachmentPages } from '#src/features/attachments/attachments.pages.tsx';
import { projectAreaPages } from '#src/features/projects/project-area.pages.ts';
import { twofaEnforcement, twofaPages } from '#src/features/twofa/index.ts';
import type { Platform } from '#src/platform/platform.ts';

export async function pages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  // First: its hook sends a user who must enrol in two-factor authentication to enrolment from every page below.
  await app.register(twofaEnforcement);
  await app.register(accountPages, { platform });
  await app.register(twofaPages, { platform });
  await app.register(lostPasswordPages, { platform });
  await app.register(projectAreaPages, { platform });
  await app.register(issueShowPages, { platform });
  await app.register(watchersPages);
  await app.register(attachmentPages, { platform });
  await app.register(issueFormPages, { platform });
  await app.register(formattingPages, { platform });
  await app.register(adminPages, { platform });
  await app.register(usersPages, { platform });
  await app.register(groupsPages, { platform });
  await app.register(settingsPages, { platform });
  await app.register(ipFilterPages, { platform });
  await app.register(oidcPages, { platform });
  await app.register(throttlePages);
  await app.register(auditPages, { platform });
  for (const adminSetup of [rolesPages, trackersPages, issueStatusesPages, workflowsPages, customFieldsPages, enumerationsPages]) {
    await app.register(adminSetup, { platform });
  }
  await app.register(timeEntriesPages, { platform });
  await app.register(myPages, { platform });
  await app.register(sessionsPages, { platform });
  await app.register(userProfilePages, { platform });
  await app.register(issueListPages, { platform });
}
