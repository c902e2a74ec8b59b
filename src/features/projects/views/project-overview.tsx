/**
 * A project's overview (Redmine's projects/show): description, homepage, custom fields, subprojects,
 * issue counts per tracker, spent time, members by role, and the actions the viewer may take. Pure.
 */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import { CsrfField } from '#src/views/form.tsx';
import { WikiText } from '#src/views/wiki-text.tsx';
import type { ProjectOverview } from '../project.overview.ts';
import type { ProjectRow } from '../project.repository.ts';

export interface ProjectActions {
  readonly addSubproject: boolean;
  readonly close: boolean;
  readonly reopen: boolean;
  readonly archive: boolean;
  readonly delete: boolean;
  readonly logTime: boolean;
}

export interface ProjectOverviewProps {
  readonly view: PageView;
  readonly project: ProjectRow;
  readonly overview: ProjectOverview;
  /** The description, formatted. */
  readonly description: string;
  readonly actions: ProjectActions;
}

function ActionButton({ view, action, label, confirm, path }: { view: PageView; action: string; label: string; confirm: string; path: string }): VNode {
  return (
    <form method="post" action={`${path}/${action}`} class="inline" data-confirm={confirm}>
      <CsrfField token={view.csrfToken} />
      <button type="submit" class={`link icon icon-${action}`}>
        {label}
      </button>
    </form>
  );
}

export function ProjectOverviewPage(props: ProjectOverviewProps): VNode {
  const { view, project, overview, actions } = props;
  const { t, format } = view;
  const path = `/projects/${encodeURIComponent(project.identifier ?? String(project.id))}`;
  const issues = (query: string) => `${path}/issues?set_filter=1${query}`;
  return (
    <div id="project-overview">
      <div class="contextual">
        {actions.addSubproject ? (
          <a href={`/projects/new?parent_id=${project.id}`} class="icon icon-add">
            {t('label_subproject_new')}
          </a>
        ) : null}
        {actions.close ? <ActionButton view={view} path={path} action="close" label={t('button_close')} confirm={t('text_project_close_confirmation', { value: project.name })} /> : null}
        {actions.reopen ? <ActionButton view={view} path={path} action="reopen" label={t('button_reopen')} confirm={t('text_project_reopen_confirmation', { value: project.name })} /> : null}
        {actions.archive ? <ActionButton view={view} path={path} action="archive" label={t('button_archive')} confirm={t('text_project_archive_confirmation', { value: project.name })} /> : null}
        {actions.delete ? (
          <a href={`${path}/destroy`} class="icon icon-del">
            {t('button_delete')}
          </a>
        ) : null}
      </div>
      <h2>{t('label_overview')}</h2>
      {project.status === 5 ? (
        <div class="warning flash" id="project-closed-warning">
          <p>{t('text_project_closed')}</p>
        </div>
      ) : null}
      <div class="splitcontent">
        <div class="splitcontentleft">
          {props.description ? <WikiText html={props.description} /> : null}
          {project.homepage || overview.customFields.length > 0 || overview.subprojects.length > 0 ? (
            <ul class="project-attributes">
              {project.homepage ? (
                <li class="homepage">
                  <span class="label">{t('field_homepage')}:</span>{' '}
                  <a href={/^https?:\/\//i.test(project.homepage) ? project.homepage : `http://${project.homepage}`} class="external" rel="noopener noreferrer">
                    {project.homepage}
                  </a>
                </li>
              ) : null}
              {overview.customFields.map((field) => (
                <li class="custom-field">
                  <span class="label">{field.name}:</span> {field.values.join(', ')}
                </li>
              ))}
              {overview.subprojects.length > 0 ? (
                <li class="subprojects">
                  <span class="label">{t('label_subproject_plural')}:</span>{' '}
                  {overview.subprojects.map((sub, i) => (
                    <>
                      {i > 0 ? ', ' : ''}
                      <a href={`/projects/${encodeURIComponent(sub.identifier)}`}>{sub.name}</a>
                    </>
                  ))}
                </li>
              ) : null}
            </ul>
          ) : null}
          {overview.trackers ? (
            <div class="issues box">
              <h3 class="icon icon-issue">{t('label_issue_tracking')}</h3>
              {overview.trackers.length > 0 ? (
                <table class="list issue-report">
                  <thead>
                    <tr>
                      <th scope="col" />
                      <th scope="col">{t('label_open_issues')}</th>
                      <th scope="col">{t('label_closed_issues')}</th>
                      <th scope="col">{t('label_total')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview.trackers.map((tracker) => (
                      <tr id={`tracker-${tracker.id}`}>
                        <td class="name">
                          <a href={issues(`&tracker_id=${tracker.id}`)}>{tracker.name}</a>
                        </td>
                        <td class="open">
                          <a href={issues(`&tracker_id=${tracker.id}&status_id=o`)}>{tracker.open}</a>
                        </td>
                        <td class="closed">
                          <a href={issues(`&tracker_id=${tracker.id}&status_id=c`)}>{tracker.total - tracker.open}</a>
                        </td>
                        <td class="total">
                          <a href={issues(`&tracker_id=${tracker.id}&status_id=*`)}>{tracker.total}</a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              <p>
                <a href={issues('&status_id=*')}>{t('label_issue_view_all')}</a>
              </p>
            </div>
          ) : null}
          {overview.hours ? (
            <div class="spent_time box">
              <h3 class="icon icon-time">{t('label_spent_time')}</h3>
              <ul>
                {overview.hours.estimated > 0 ? (
                  <li class="total-estimated-hours">
                    <span class="label">{t('field_estimated_hours')}:</span> {format.hours(overview.hours.estimated)}
                  </li>
                ) : null}
                <li class="total-hours">
                  <span class="label">{t('field_spent_hours')}:</span> <a href={`${path}/time_entries`}>{format.hours(overview.hours.spent)}</a>
                </li>
              </ul>
              <p>
                <a href={`${path}/time_entries`}>{t('label_details')}</a>
                {actions.logTime ? (
                  <>
                    {' | '}
                    <a href={`${path}/time_entries/new`}>{t('button_log_time')}</a>
                  </>
                ) : null}
              </p>
            </div>
          ) : null}
        </div>
        <div class="splitcontentright">
          {overview.membersByRole && overview.membersByRole.length > 0 ? (
            <div class="members box">
              <h3 class="icon icon-group">{t('label_member_plural')}</h3>
              {overview.membersByRole.map((entry) => (
                <p class="role">
                  <span class="label">{entry.role}:</span> {entry.names.join(', ')}
                </p>
              ))}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
