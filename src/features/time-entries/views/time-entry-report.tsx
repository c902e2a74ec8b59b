/**
 * The time report (Redmine's timelog/report): the criteria and period form, then `table#time-report`
 * with one column per criterion, one per period and the total; each criterion value is a row with
 * the rows of the next criterion under it, and the last row is the total. Pure.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { ReportCriterion, ReportNode, ReportPeriod, TimeReport } from '../time-entry.report.ts';
import { TimeEntryTabs } from './time-entry-list.tsx';

export const CRITERION_LABELS: Readonly<Record<ReportCriterion, MessageKey>> = {
  project: 'label_project',
  status: 'field_status',
  version: 'label_version',
  category: 'field_category',
  user: 'field_user',
  tracker: 'field_tracker',
  activity: 'field_activity',
  issue: 'field_issue',
};

export const PERIOD_LABELS: Readonly<Record<ReportPeriod, MessageKey>> = {
  year: 'label_year',
  month: 'label_month',
  week: 'label_week',
  day: 'label_day_plural',
};

export interface TimeEntryReportProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly report: TimeReport;
  readonly available: readonly ReportCriterion[];
  readonly periods: readonly ReportPeriod[];
  /** Where the form goes and the filter parameters it carries (long form). */
  readonly action: string;
  readonly filterParams: readonly (readonly [string, string])[];
  readonly clearHref: string;
  readonly detailsHref: string;
  readonly csvHref: string;
  readonly newHref: string | undefined;
  readonly filters: VNode;
}

function hoursCell(format: Formatter, hours: number | undefined): VNode {
  return <td class="hours">{hours ? format.hours(hours) : ''}</td>;
}

function Rows(props: { t: Translate; format: Formatter; nodes: readonly ReportNode[]; level: number; depth: number; periods: readonly string[] }): VNode {
  const { t, format, nodes, level, depth, periods } = props;
  return (
    <>
      {nodes.map((node) => (
        <>
          <tr class={level + 1 === depth ? 'last-level' : `level-${level}`}>
            {Array.from({ length: depth }, (_, i) => (
              <td class={i === level ? 'name' : undefined}>{i === level ? (node.label ?? `[${t('label_none')}]`) : ''}</td>
            ))}
            {periods.map((period) => hoursCell(format, node.hours.get(period)))}
            <td class="hours total">{format.hours(node.total)}</td>
          </tr>
          <Rows t={t} format={format} nodes={node.children} level={level + 1} depth={depth} periods={periods} />
        </>
      ))}
    </>
  );
}

export function TimeEntryReport(props: TimeEntryReportProps): VNode {
  const { t, format, report } = props;
  const depth = report.criteria.length;
  const remaining = props.available.filter((c) => !report.criteria.includes(c));
  return (
    <div id="time-report-page">
      <div class="contextual">
        {props.newHref ? (
          <a href={props.newHref} class="icon icon-time-add">
            {t('button_log_time')}
          </a>
        ) : null}
      </div>
      <h2>{t('label_spent_time')}</h2>
      {props.filters}
      <TimeEntryTabs t={t} detailsHref={props.detailsHref} reportHref="" selected="report" />
      <form id="report-form" method="get" action={props.action}>
        {props.filterParams.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        {report.criteria.map((criterion) => (
          <input type="hidden" name="criteria[]" value={criterion} />
        ))}
        <p>
          <label for="columns">{t('label_details')}</label>{' '}
          <select id="columns" name="columns" data-auto-submit="">
            {props.periods.map((period) => (
              <option value={period} selected={period === report.period}>
                {t(PERIOD_LABELS[period])}
              </option>
            ))}
          </select>{' '}
          <label for="criterias">{t('button_add')}</label>{' '}
          <select id="criterias" name="criteria[]" data-auto-submit="" disabled={remaining.length === 0 || depth >= 3}>
            <option value=""></option>
            {remaining.map((criterion) => (
              <option value={criterion}>{t(CRITERION_LABELS[criterion])}</option>
            ))}
          </select>{' '}
          <button type="submit">{t('button_apply')}</button>{' '}
          <a href={props.clearHref} class="icon icon-reload">
            {t('button_clear')}
          </a>
        </p>
      </form>
      {depth === 0 ? null : report.rows.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <div class="autoscroll">
          <table class="list" id="time-report">
            <thead>
              <tr>
                {report.criteria.map((criterion) => (
                  <th>{t(CRITERION_LABELS[criterion])}</th>
                ))}
                {report.periods.map((period) => (
                  <th class="period">{period}</th>
                ))}
                <th class="total">{t('label_total_time')}</th>
              </tr>
            </thead>
            <tbody>
              <Rows t={t} format={format} nodes={report.rows} level={0} depth={depth} periods={report.periods} />
              <tr class="total">
                <td>{t('label_total_time')}</td>
                {Array.from({ length: depth - 1 }, () => (
                  <td></td>
                ))}
                {report.periods.map((period) => hoursCell(format, report.hours.get(period)))}
                <td class="hours total">{format.hours(report.total)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {depth > 0 ? (
        <p class="other-formats">
          {t('label_export_to')}{' '}
          <span>
            <a href={props.csvHref} class="csv" rel="nofollow">
              CSV
            </a>
          </span>
        </p>
      ) : null}
    </div>
  );
}
