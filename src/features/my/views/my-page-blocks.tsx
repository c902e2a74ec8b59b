/**
 * The contents of My page's blocks: a small issue table with a link to the full list, a saved issue
 * query in its own columns (with the form choosing it), the week's calendar, the spent time of the
 * last days, the news. Pure.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { cellText } from '#src/features/issues/issue-list.values.ts';
import { labelText } from '#src/features/issues/views/query-filters.tsx';
import { CsrfField } from '#src/views/form.tsx';
import type { CalendarBlock, IssueBlock, QueryBlock, TimelogBlock } from '../my-page.blocks.ts';

interface Common {
  readonly t: Translate;
  readonly format: Formatter;
}

export function IssuesBlockView({ t, format, title, data }: Common & { title: MessageKey; data: IssueBlock }): VNode {
  return (
    <>
      <h3>
        <a href={data.href}>{t(title)}</a> ({data.total})
      </h3>
      {data.rows.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <table class="list issues">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('field_project')}</th>
              <th>{t('field_tracker')}</th>
              <th>{t('field_status')}</th>
              <th>{t('field_subject')}</th>
              <th>{t('field_updated_on')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((issue) => (
              <tr id={`issue-${issue.id}`} class={`issue tracker-${issue.tracker_id} status-${issue.status_id} priority-${issue.priority_id}${issue.status_is_closed ? ' closed' : ''}`}>
                <td class="id">
                  <a href={`/issues/${issue.id}`}>{issue.id}</a>
                </td>
                <td class="project">
                  <a href={`/projects/${issue.project_id}`}>{issue.project_name}</a>
                </td>
                <td class="tracker">{issue.tracker_name}</td>
                <td class="status">{issue.status_name}</td>
                <td class="subject">
                  <a href={`/issues/${issue.id}`}>{issue.subject}</a>
                </td>
                <td class="updated_on">{issue.updated_on ? format.time(new Date(issue.updated_on)) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.total > data.rows.length ? (
        <p class="small">
          <a href={data.href}>{t('label_issue_view_all')}</a>
        </p>
      ) : null}
    </>
  );
}

/** The block's settings: which saved query it shows (Redmine's issue query selection). Open while none is chosen. */
function QuerySettings({ t, block, data, csrfToken }: { t: Translate; block: string; data: QueryBlock; csrfToken: string }): VNode {
  return (
    <details id={`${block}-settings`} open={data.shown === undefined}>
      <summary>{t('label_options')}</summary>
      <form method="post" action="/my/page">
        <CsrfField token={csrfToken} />
        <div class="box">
          <p>
            <label>
              {t('label_query')}{' '}
              <select name={`settings[${block}][query_id]`}>
                <option value="" />
                {data.choices.map((q) => (
                  <option value={String(q.id)} selected={data.selected === q.id}>
                    {q.name}
                  </option>
                ))}
              </select>
            </label>
          </p>
        </div>
        <p>
          <button type="submit">{t('button_save')}</button>
        </p>
      </form>
    </details>
  );
}

export function QueryBlockView({ t, format, block, data, csrfToken }: Common & { block: string; data: QueryBlock; csrfToken: string }): VNode {
  const { shown } = data;
  if (!shown) {
    return (
      <>
        <h3>{t('label_issue_plural')}</h3>
        <QuerySettings t={t} block={block} data={data} csrfToken={csrfToken} />
      </>
    );
  }
  return (
    <>
      <h3>
        {shown.project ? `${shown.project.name} | ` : ''}
        <a href={shown.href}>{shown.name}</a> ({shown.total})
      </h3>
      <QuerySettings t={t} block={block} data={data} csrfToken={csrfToken} />
      {shown.rows.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <table class="list issues">
          <thead>
            <tr>
              <th>#</th>
              {shown.columns.map((column) => (
                <th class={column.name.replace(/\./g, '-')}>{labelText(t, column.label)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((row) => {
              const issue = row.issue;
              return (
                <tr id={`issue-${issue.id}`} class={`issue tracker-${issue.tracker_id} status-${issue.status_id} priority-${issue.priority_id}${issue.status_is_closed ? ' closed' : ''}`}>
                  <td class="id">
                    <a href={`/issues/${issue.id}`}>{issue.id}</a>
                  </td>
                  {shown.columns.map((column) => (
                    <td class={column.name.replace(/\./g, '-')}>
                      {column.name === 'subject' ? <a href={`/issues/${issue.id}`}>{issue.subject}</a> : cellText(column, row, shown.names, t, format)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {shown.total > shown.rows.length ? (
        <p class="small">
          <a href={shown.href}>{t('label_issue_view_all')}</a>
        </p>
      ) : null}
    </>
  );
}

const DAY_KEYS: readonly MessageKey[] = [
  'datetime_abbr_day_0',
  'datetime_abbr_day_1',
  'datetime_abbr_day_2',
  'datetime_abbr_day_3',
  'datetime_abbr_day_4',
  'datetime_abbr_day_5',
  'datetime_abbr_day_6',
];

export function CalendarBlockView({ t, data }: Common & { data: CalendarBlock }): VNode {
  return (
    <>
      <h3>{t('label_calendar')}</h3>
      <table class="cal">
        <thead>
          <tr>
            {data.days.map((day) => (
              <th scope="col">{t(DAY_KEYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {data.days.map((day) => {
              const issues = data.issues.filter((i) => i.start_date === day || i.due_date === day);
              return (
                <td class={`even${day === data.today ? ' today' : ''}`} data-date={day}>
                  <p class="day-num">{Number(day.slice(8, 10))}</p>
                  {issues.map((issue) => {
                    const starts = issue.start_date === day;
                    const ends = issue.due_date === day;
                    const tip: MessageKey = starts && ends ? 'text_tip_issue_begin_end_day' : starts ? 'text_tip_issue_begin_day' : 'text_tip_issue_end_day';
                    return (
                      <div class={`issue tracker-${issue.tracker_id}${starts ? ' starting' : ''}${ends ? ' ending' : ''}`} title={t(tip)}>
                        <a href={`/issues/${issue.id}`}>
                          {issue.tracker_name} #{issue.id}
                        </a>
                        : {issue.subject}
                      </div>
                    );
                  })}
                </td>
              );
            })}
          </tr>
        </tbody>
      </table>
      <ul class="cal-legend">
        <li class="starting">{t('text_tip_issue_begin_day')}</li>
        <li class="ending">{t('text_tip_issue_end_day')}</li>
        <li class="starting ending">{t('text_tip_issue_begin_end_day')}</li>
      </ul>
    </>
  );
}

export function TimelogBlockView({ t, format, data, listHref, newHref }: Common & { data: TimelogBlock; listHref: string; newHref: string | undefined }): VNode {
  const days = [...new Set(data.entries.map((e) => e.spentOn))];
  return (
    <>
      <h3>
        <a href={listHref}>{t('label_spent_time')}</a> ({t('label_last_n_days', { count: String(data.days) })})
      </h3>
      {newHref ? (
        <p class="contextual-inline">
          <a href={newHref} class="icon icon-time-add">
            {t('button_log_time')}
          </a>
        </p>
      ) : null}
      <p class="total-hours">
        {t('label_total_time')}: <span class="hours">{format.hours(data.total)}</span>
      </p>
      {data.entries.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <table class="list time-entries">
          <thead>
            <tr>
              <th>{t('field_activity')}</th>
              <th>{t('field_project')}</th>
              <th>{t('field_comments')}</th>
              <th>{t('field_hours')}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => {
              const entries = data.entries.filter((e) => e.spentOn === day);
              return (
                <>
                  <tr class="odd">
                    <td colspan={3}>
                      <strong>{format.date(day)}</strong>
                    </td>
                    <td class="hours">
                      <em>{format.hours(entries.reduce((sum, e) => sum + e.hours, 0))}</em>
                    </td>
                  </tr>
                  {entries.map((entry) => (
                    <tr class="time-entry" id={`time-entry-${entry.id}`}>
                      <td class="activity">{entry.activity}</td>
                      <td class="subject">
                        <a href={`/projects/${entry.projectId}`}>{entry.project}</a>
                        {entry.issue ? (
                          <>
                            {' - '}
                            <a href={`/issues/${entry.issue.id}`}>{entry.issue.label ?? `#${entry.issue.id}`}</a>
                          </>
                        ) : null}
                      </td>
                      <td class="comments">{entry.comments}</td>
                      <td class="hours">{format.hours(entry.hours)}</td>
                    </tr>
                  ))}
                </>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

export function NewsBlockView({ t }: Common): VNode {
  return (
    <>
      <h3>{t('label_news_latest')}</h3>
      <p class="nodata">{t('label_no_data')}</p>
    </>
  );
}
