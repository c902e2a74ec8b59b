/**
 * The tenant's home page (Redmine's welcome/index): the welcome text, and for signed-in users the
 * latest projects they see. Texts arrive rendered (features/formatting). Pure.
 */
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { WikiText } from '#src/views/wiki-text.tsx';

export interface LatestProject {
  readonly identifier: string;
  readonly name: string;
  readonly createdOn: Date | null;
  /** The description's first part, rendered. */
  readonly descriptionHtml: string;
}

export interface HomePageProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly appTitle: string;
  /** The welcome text, rendered; '' when the tenant has none. */
  readonly welcomeHtml: string;
  /** Undefined for visitors who are not signed in. */
  readonly latestProjects: readonly LatestProject[] | undefined;
}

export function HomePage({ t, format, appTitle, welcomeHtml, latestProjects }: HomePageProps) {
  return (
    <div id="home">
      <h2>{t('label_home')}</h2>
      <div class="splitcontent">
        <div class="splitcontentleft">{welcomeHtml ? <WikiText html={welcomeHtml} /> : <p class="wiki">{t('text_welcome', { app_title: appTitle })}</p>}</div>
        <div class="splitcontentright">
          {latestProjects && latestProjects.length > 0 ? (
            <div class="projects box" id="latest-projects">
              <h3>{t('label_project_latest')}</h3>
              <ul>
                {latestProjects.map((project) => (
                  <li>
                    <a href={`/projects/${encodeURIComponent(project.identifier)}`} class="project">
                      {project.name}
                    </a>{' '}
                    ({format.time(project.createdOn)})
                    {project.descriptionHtml ? <WikiText html={project.descriptionHtml} /> : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
