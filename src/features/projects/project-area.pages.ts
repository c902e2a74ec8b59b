/**
 * Every page of the projects area as one plugin for the app: projects list, overview and settings,
 * and the pages the settings lead to (members, versions and roadmap, issue categories).
 */
import type { FastifyInstance } from 'fastify';
import { issueCategoriesPages } from '#src/features/issue-categories/issue-categories.pages.tsx';
import { membershipsPages } from '#src/features/memberships/memberships.pages.tsx';
import { versionsPages } from '#src/features/versions/versions.pages.tsx';
import type { Platform } from '#src/platform/platform.ts';
import { projectSettingsPages } from './project-settings.pages.tsx';
import { projectsPages } from './projects.pages.tsx';

export async function projectAreaPages(app: FastifyInstance, options: { platform: Platform }): Promise<void> {
  await app.register(projectsPages, options);
  await app.register(projectSettingsPages, options);
  await app.register(membershipsPages, options);
  await app.register(versionsPages, options);
  await app.register(issueCategoriesPages, options);
}
