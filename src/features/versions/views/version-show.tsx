/**
 * A version's page (Redmine's versions/show): its overview, time tracking (estimated and spent), issues
 * by tracker, and its issues. Pure.
 */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import { DeleteButton } from '#src/views/list-buttons.tsx';
import type { VersionPage } from '../version.roadmap.ts';
import { ProgressBar, RelatedIssues, VersionOverview, versionIssuesUrl } from './version-overview.tsx';

export function VersionShowPage({ view, page, today }: { view: PageView; page: VersionPage; today: string }): VNode {
  const { t, format, csrfToken } = view;
  const { version, hours } = page.details;
  const identifier = page.project.identifier ?? String(page.project.id);
  const issuesUrl = (status: 'o' | 'c' | '*', extra = '') => versionIssuesUrl(version, identifier, status, extra);
  return (
    <div id="version-page">
      {page.canManage ? (
        <div class="contextual">
          <a href={`/versions/${version.id}/edit`} class="icon icon-edit">
            {t('button_edit')}
          </a>
          <DeleteButton t={t} csrfToken={csrfToken} action={`/versions/${version.id}/delete`} />
        </div>
      ) : null}
      <h2>{version.name}</h2>
      <div id="roadmap" class="version-show splitcontent">
        <div class="splitcontentleft">
          <VersionOverview
            view={view}
            version={version}
            projectIdentifier={identifier}
            progress={page.progress}
            completed={page.completed}
            today={today}
            customFields={page.customFields}
          />
          <RelatedIssues view={view} issues={page.issues} projectId={page.project.id} />
        </div>
        <div class="splitcontentright">
          {hours ? (
            <fieldset class="time-tracking">
              <legend>{t('label_time_tracking')}</legend>
              <table>
                <tbody>
                  <tr>
                    <th scope="row">{t('field_estimated_hours')}</th>
                    <td class="total-hours estimated-hours">
                      <a href={issuesUrl('*')}>{format.hours(hours.estimated)}</a>
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">{t('field_spent_hours')}</th>
                    <td class="total-hours spent-hours">
                      <a href={`/projects/${encodeURIComponent(identifier)}/time_entries?set_filter=1&issue.fixed_version_id=${version.id}`}>{format.hours(hours.spent)}</a>
                    </td>
                  </tr>
                </tbody>
              </table>
            </fieldset>
          ) : null}
          {page.byTracker.length > 0 ? (
            <div id="status_by">
              <fieldset>
                <legend>{t('label_issues_by', { value: t('field_tracker') })}</legend>
                <table class="category">
                  <tbody>
                    {page.byTracker.map((row) => {
                      const total = row.open + row.closed;
                      return (
                        <tr id={`status-by-tracker-${row.id}`}>
                          <td class="name">
                            <a href={issuesUrl('*', `&tracker_id=${row.id}`)}>{row.name}</a>
                          </td>
                          <td class="progress-cell">
                            <ProgressBar
                              closed={(row.closed * 100) / total}
                              done={(row.closed * 100) / total}
                              titles={[`${t('label_closed_issues')}: ${row.closed}`, `${t('label_open_issues')}: ${row.open}`]}
                            />
                          </td>
                          <td class="counts">
                            <a href={issuesUrl('c', `&tracker_id=${row.id}`)} class="closed-count">
                              {row.closed}
                            </a>
                            /
                            <a href={issuesUrl('*', `&tracker_id=${row.id}`)} class="total-count">
                              {total}
                            </a>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </fieldset>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
