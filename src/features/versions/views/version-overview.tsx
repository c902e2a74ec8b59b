/**
 * What the roadmap and a version's page show of a version (Redmine's versions/_overview): due date as
 * "Due in N days" / "N days late", description, custom fields, the progress bar (closed and done
 * parts) with the issue counts linking to the filtered issue list, and the list of its issues. Pure.
 */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import { daysUntil, type VersionProgress } from '../version.progress.ts';
import type { VersionIssueRow } from '../version.roadmap.repository.ts';
import type { VersionRow } from '../version.repository.ts';

/** Redmine's version_filtered_issues_path: the version's project, or every project for widely shared versions. */
export function versionIssuesUrl(version: VersionRow, projectIdentifier: string | undefined, status: 'o' | 'c' | '*', extra = ''): string {
  const base = ['tree', 'hierarchy', 'system'].includes(version.sharing) || !projectIdentifier ? '/issues' : `/projects/${encodeURIComponent(projectIdentifier)}/issues`;
  return `${base}?set_filter=1&fixed_version_id=${version.id}&status_id=${encodeURIComponent(status)}${extra}`;
}

const percent = (value: number) => `${Math.round(value)}%`;

/** Redmine's progress_bar: a table of closed, done and remaining parts (widths as attributes: the CSP forbids inline styles). */
export function ProgressBar({ closed, done, titles }: { closed: number; done: number; titles: readonly [string, string] }): VNode {
  const closedWidth = Math.max(0, Math.min(100, Math.round(closed)));
  const doneWidth = Math.max(0, Math.min(100 - closedWidth, Math.round(done) - closedWidth));
  const todo = 100 - closedWidth - doneWidth;
  return (
    <table class={`progress progress-${Math.round(done)}`} role="img" aria-label={`${titles[0]}, ${titles[1]}`}>
      <tbody>
        <tr>
          {closedWidth > 0 ? <td class="closed" width={`${closedWidth}%`} title={titles[0]} /> : null}
          {doneWidth > 0 ? <td class="done" width={`${doneWidth}%`} title={titles[1]} /> : null}
          {todo > 0 ? <td class="todo" width={`${todo}%`} /> : null}
        </tr>
      </tbody>
    </table>
  );
}

export interface VersionOverviewProps {
  readonly view: PageView;
  readonly version: VersionRow;
  /** The identifier of the version's own project (for the issue list links). */
  readonly projectIdentifier: string | undefined;
  readonly progress: VersionProgress;
  readonly completed: boolean;
  readonly today: string;
  readonly customFields?: readonly { name: string; values: readonly string[] }[] | undefined;
}

export function VersionOverview(props: VersionOverviewProps): VNode {
  const { view, version, progress } = props;
  const { t, format } = view;
  const days = daysUntil(version.effective_date, props.today);
  const distance = (n: number) => {
    const d = Math.abs(n);
    if (d === 1) {
      return t('label_roadmap_one_day');
    }
    if (d < 45) {
      return t('datetime_x_days', { count: String(d) });
    }
    return d < 365 ? t('datetime_x_months', { count: String(Math.round(d / 30)) }) : t('datetime_about_x_years', { count: String(Math.round(d / 365)) });
  };
  const url = (status: 'o' | 'c' | '*') => versionIssuesUrl(version, props.projectIdentifier, status);
  return (
    <div class="version-overview">
      {props.completed ? (
        <p class="completed-on">{format.date(version.effective_date)}</p>
      ) : days !== undefined ? (
        <p class="due-date">
          <strong class={days < 0 ? 'overdue' : undefined}>{days < 0 ? t('label_roadmap_overdue', { value: distance(days) }) : t('label_roadmap_due_in', { value: distance(days) })}</strong> (
          {format.date(version.effective_date)})
        </p>
      ) : null}
      {version.description ? <p class="description">{version.description}</p> : null}
      {props.customFields && props.customFields.length > 0 ? (
        <ul class="custom-fields">
          {props.customFields.map((f) => (
            <li>
              <span class="label">{f.name}:</span> {f.values.join(', ')}
            </li>
          ))}
        </ul>
      ) : null}
      {progress.count > 0 ? (
        <>
          <div class="progress-line">
            <ProgressBar
              closed={progress.closedPercent}
              done={progress.completedPercent}
              titles={[`${t('label_closed_issues')}: ${percent(progress.closedPercent)}`, `${t('field_done_ratio')}: ${percent(progress.completedPercent)}`]}
            />
            <p class="percent">{percent(progress.completedPercent)}</p>
          </div>
          <p class="progress-info">
            <a href={url('*')} class="issues-count">
              {t('label_x_issues', { count: String(progress.count) })}
            </a>{' '}
            (
            {progress.closedCount > 0 ? (
              <a href={url('c')} class="closed-count">
                {t('label_x_closed_issues_abbr', { count: String(progress.closedCount) })}
              </a>
            ) : (
              <span class="closed-count">{t('label_x_closed_issues_abbr', { count: '0' })}</span>
            )}{' '}
            —{' '}
            {progress.openCount > 0 ? (
              <a href={url('o')} class="open-count">
                {t('label_x_open_issues_abbr', { count: String(progress.openCount) })}
              </a>
            ) : (
              <span class="open-count">{t('label_x_open_issues_abbr', { count: '0' })}</span>
            )}
            )
          </p>
        </>
      ) : (
        <p class="progress-info">{t('label_roadmap_no_issues')}</p>
      )}
    </div>
  );
}

/** The issues of a version (Redmine's related-issues table); the project is named when it is not `projectId`. */
export function RelatedIssues({ view, issues, projectId }: { view: PageView; issues: readonly VersionIssueRow[]; projectId: number }): VNode | null {
  if (issues.length === 0) {
    return null;
  }
  const { t } = view;
  return (
    <table class="list related-issues">
      <caption>{t('label_related_issues')}</caption>
      <tbody>
        {issues.map((issue) => (
          <tr class={`issue hascontextmenu${issue.is_closed ? ' closed' : ''}`} id={`issue-${issue.id}`}>
            <td class="subject">
              {issue.project_id !== projectId ? `${issue.project_name} - ` : ''}
              <a href={`/issues/${issue.id}`} class={`issue tracker-${issue.tracker_id}${issue.is_closed ? ' closed' : ''}`}>
                {`${issue.tracker_name} #${issue.id}`}
              </a>
              : {issue.subject}
            </td>
            <td class="status">{issue.status_name}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
