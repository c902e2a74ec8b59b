/** The roadmap (Redmine's versions/index) and its sidebar (tracker checkboxes, completed versions, subprojects). Pure. */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import type { Roadmap } from '../version.roadmap.ts';
import { versionName } from './versions-tab.tsx';
import { RelatedIssues, VersionOverview } from './version-overview.tsx';

export function RoadmapPage({ view, roadmap, today, canManage }: { view: PageView; roadmap: Roadmap; today: string; canManage: boolean }): VNode {
  const { t } = view;
  const { project } = roadmap;
  const identifier = project.identifier ?? String(project.id);
  return (
    <div id="roadmap-page">
      {canManage ? (
        <div class="contextual">
          <a href={`/projects/${encodeURIComponent(identifier)}/versions/new`} class="icon icon-add">
            {t('label_version_new')}
          </a>
        </div>
      ) : null}
      <h2>{t('label_roadmap')}</h2>
      {roadmap.versions.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <div id="roadmap">
          {roadmap.versions.map(({ version, progress, completed, issues }) => (
            <article class={`version-article ${version.status ?? 'open'}`} id={`roadmap-version-${version.id}`}>
              <header>
                <h3 class="version">
                  <a href={`/versions/${version.id}`} id={`version-${version.id}`}>
                    {versionName(version, project.id)}
                  </a>
                </h3>
              </header>
              <VersionOverview
                view={view}
                version={version}
                projectIdentifier={version.project_id === project.id ? identifier : undefined}
                progress={progress}
                completed={completed}
                today={today}
              />
              <RelatedIssues view={view} issues={issues} projectId={project.id} />
            </article>
          ))}
        </div>
      )}
      {roadmap.completedVersions.length > 0 ? (
        <details id="completed-versions">
          <summary>{t('label_completed_versions')}</summary>
          <ul>
            {roadmap.completedVersions.map((v) => (
              <li>
                <a href={`/versions/${v.id}`}>{versionName(v, project.id)}</a>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function RoadmapSidebar({ view, roadmap }: { view: PageView; roadmap: Roadmap }): VNode {
  const { t } = view;
  const { project } = roadmap;
  const hasSubprojects = (project.rgt ?? 0) - (project.lft ?? 0) > 1;
  return (
    <>
      <form method="get" action={`/projects/${encodeURIComponent(project.identifier ?? String(project.id))}/roadmap`} id="roadmap-options">
        <h3>{t('label_roadmap')}</h3>
        <ul>
          {roadmap.trackers.map((tracker) => (
            <li>
              <label>
                <input type="checkbox" name="tracker_ids[]" value={String(tracker.id)} id={`tracker-${tracker.id}`} checked={roadmap.selectedTrackerIds.includes(tracker.id)} />{' '}
                {tracker.name}
              </label>
            </li>
          ))}
        </ul>
        <ul>
          <li>
            <label>
              <input type="checkbox" name="completed" value="1" id="completed" checked={roadmap.completed} /> {t('label_show_completed_versions')}
            </label>
          </li>
          {hasSubprojects ? (
            <li>
              <input type="hidden" name="with_subprojects" value="0" />
              <label>
                <input type="checkbox" name="with_subprojects" value="1" id="with_subprojects" checked={roadmap.withSubprojects} /> {t('label_subproject_plural')}
              </label>
            </li>
          ) : null}
        </ul>
        <p>
          <button type="submit" class="button-small">
            {t('button_apply')}
          </button>
        </p>
      </form>
      {roadmap.versions.length > 0 ? (
        <>
          <h3>{t('label_version_plural')}</h3>
          <ul id="roadmap-versions">
            {roadmap.versions.map(({ version }) => (
              <li>
                <a href={`#roadmap-version-${version.id}`}>{versionName(version, project.id)}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
