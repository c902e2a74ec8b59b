/**
 * What the home page shows (Redmine's WelcomeController#index): the tenant's welcome text and, for a
 * signed-in user, the five newest projects they see with the start of each description, every text
 * rendered by features/formatting (each description in its own project).
 */
import type { FastifyRequest } from 'fastify';
import { renderTexts } from '#src/features/formatting/index.ts';
import { latestVisibleProjects } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import type { LatestProject } from './views/home-page.tsx';

/** Redmine's Project#short_description: up to the end of the line where 255 characters are reached. */
function shortDescription(text: string | null): string {
  const description = (text ?? '').trim();
  const cut = /^(.{255}[^\n\r]*)[\s\S]*$/.exec(description);
  return cut ? `${cut[1]}...` : description;
}

export async function loadHome(request: FastifyRequest): Promise<{ welcomeHtml: string; latestProjects: LatestProject[] | undefined }> {
  const { db, settings } = tenantOf(request);
  const actor = await actorOf(request);
  const lang = pageLanguage(request, request.user?.language);
  const projects = request.user ? await latestVisibleProjects(db, actor) : [];
  const [welcome, ...descriptions] = await Promise.all([
    renderTexts({ db, actor, settings, lang }, [settings.welcome_text]),
    ...projects.map((project) => renderTexts({ db, actor, settings, lang, projectId: project.id }, [shortDescription(project.description)])),
  ]);
  return {
    welcomeHtml: welcome?.[0] ?? '',
    latestProjects: request.user
      ? projects.map((project, i) => ({
          identifier: project.identifier ?? String(project.id),
          name: project.name,
          createdOn: project.createdOn,
          descriptionHtml: descriptions[i]?.[0] ?? '',
        }))
      : undefined,
  };
}
