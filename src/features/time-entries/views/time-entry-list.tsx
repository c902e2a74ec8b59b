/**
 * The spent-time list (Redmine's timelog/index): the Details/Report tabs, the total, a sortable
 * `table.list.time-entries` with edit and delete actions where allowed, the pager and the CSV link.
 * Pure: rows, links and rights arrive in the props.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { CsrfField, Pagination } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';

export interface TimeEntryListRow {
  readonly id: number;
  readonly spentOn: string;
  readonly project: { readonly name: string; readonly href: string };
  readonly user: { readonly name: string; readonly href: string } | undefined;
  readonly activity: string;
  /** The issue: its label when the viewer sees it, else only its number. */
  readonly issue: { readonly id: number; readonly label: string | undefined } | undefined;
  readonly comments: string;
  readonly hours: number;
  readonly editable: boolean;
}

export type SortKey = 'spent_on' | 'user' | 'activity' | 'issue' | 'project' | 'hours';

export interface TimeEntryListProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  readonly rows: readonly TimeEntryListRow[];
  readonly showProject: boolean;
  readonly totalHours: number;
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
  /** The current sort: key and direction of the first criterion. */
  readonly sort: { readonly key: string; readonly descending: boolean };
  readonly sortHref: (key: SortKey, descending: boolean) => string;
  readonly pageHref: (page: number) => string;
  readonly csvHref: string;
  /** This list and the report of the same filters. */
  readonly detailsHref: string;
  readonly reportHref: string;
  /** Where "Log time" leads, when the viewer may log time here. */
  readonly newHref: string | undefined;
  readonly filters: VNode;
}

const COLUMNS: readonly (readonly [SortKey | 'comments', MessageKey])[] = [
  ['project', 'label_project'],
  ['spent_on', 'field_spent_on'],
  ['user', 'field_user'],
  ['activity', 'field_activity'],
  ['issue', 'field_issue'],
  ['comments', 'field_comments'],
  ['hours', 'field_hours'],
];

/** Redmine's default directions: dates newest first, the rest ascending. */
const DESCENDING_FIRST: ReadonlySet<string> = new Set(['spent_on', 'hours']);

export function TimeEntryTabs({ t, detailsHref, reportHref, selected }: { t: Translate; detailsHref: string; reportHref: string; selected: 'details' | 'report' }): VNode {
  return (
    <div class="tabs">
      <ul>
        <li>
          <a href={detailsHref} class={selected === 'details' ? 'selected' : undefined} aria-current={selected === 'details' ? 'page' : undefined}>
            {t('label_details')}
          </a>
        </li>
        <li>
          <a href={reportHref} class={selected === 'report' ? 'selected' : undefined} aria-current={selected === 'report' ? 'page' : undefined}>
            {t('label_report')}
          </a>
        </li>
      </ul>
    </div>
  );
}

export function TimeEntryList(props: TimeEntryListProps): VNode {
  const { t, format, rows } = props;
  const columns = COLUMNS.filter(([key]) => key !== 'project' || props.showProject);
  return (
    <div id="time-entries">
      <div class="contextual">
        {props.newHref ? (
          <a href={props.newHref} class="icon icon-time-add">
            {t('button_log_time')}
          </a>
        ) : null}
      </div>
      <h2>{t('label_spent_time')}</h2>
      {props.filters}
      <p class="query-totals">
        <span class="total-for-hours">
          {t('label_total_time')}: <span class="value hours">{format.hours(props.totalHours)}</span>
        </span>
      </p>
      <TimeEntryTabs t={t} detailsHref={props.detailsHref} reportHref={props.reportHref} selected="details" />
      {rows.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <div class="autoscroll">
          <table class="list time-entries">
            <thead>
              <tr>
                {columns.map(([key, label]) =>
                  key === 'comments' ? (
                    <th>{t(label)}</th>
                  ) : (
                    <th>
                      <a
                        href={props.sortHref(key, props.sort.key === key ? !props.sort.descending : DESCENDING_FIRST.has(key))}
                        class={props.sort.key === key ? `sort ${props.sort.descending ? 'desc' : 'asc'}` : undefined}
                      >
                        {t(label)}
                      </a>
                    </th>
                  ),
                )}
                <th>
                  <span class="visually-hidden">{t('label_actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr id={`time-entry-${row.id}`} class="time-entry hascontextmenu">
                  {props.showProject ? (
                    <td class="project">
                      <a href={row.project.href}>{row.project.name}</a>
                    </td>
                  ) : null}
                  <td class="spent_on">{format.date(row.spentOn)}</td>
                  <td class="user">{row.user ? <a href={row.user.href}>{row.user.name}</a> : null}</td>
                  <td class="activity">{row.activity}</td>
                  <td class="issue subject">
                    {row.issue ? <a href={`/issues/${row.issue.id}`}>{row.issue.label ?? `#${row.issue.id}`}</a> : null}
                  </td>
                  <td class="comments">{row.comments}</td>
                  <td class="hours">{format.hours(row.hours)}</td>
                  <td class="buttons">
                    {row.editable ? (
                      <>
                        <a href={`/time_entries/${row.id}/edit`} class="icon-only icon-edit" title={t('button_edit')}>
                          {t('button_edit')}
                        </a>{' '}
                        <form method="post" action={`/time_entries/${row.id}/delete`} class="inline" data-confirm={t('text_are_you_sure')}>
                          <CsrfField token={props.csrfToken} />
                          <button type="submit" class="link icon-only icon-del" title={t('button_delete')}>
                            {t('button_delete')}
                          </button>
                        </form>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination t={t} page={props.page} perPage={props.perPage} total={props.total} href={props.pageHref} />
      <p class="other-formats">
        {t('label_export_to')}{' '}
        <span>
          <a href={props.csvHref} class="csv" rel="nofollow">
            CSV
          </a>
        </span>
      </p>
    </div>
  );
}
