/**
 * Administration → Audit trail: the filter (event, user, target, dates, IP address), the events
 * newest first a page at a time, the exports of the filtered trail (CSV, JSON), and the download of
 * the application log for a range of UTC days. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { ErrorExplanation, Pagination, Select } from '#src/views/form.tsx';
import { AUDIT_EVENTS } from '../audit-events.ts';
import { auditFilterParams, type AuditFilterForm } from '../audit-filter.ts';
import { auditActorText, auditChanges, auditEventLabel, auditTargetText } from '../audit.presenter.ts';
import type { AuditEventRecord } from '../audit.repository.ts';

/** The page and its exports. The exports are no `.json`/`.csv` paths: a `.json` path is an API request, which ignores the session. */
export const AUDIT_TRAIL_PATH = '/admin/audit';
export const AUDIT_EXPORT_PATHS = { csv: '/admin/audit/export/csv', json: '/admin/audit/export/json' } as const;
export const APPLICATION_LOG_PATH = '/admin/application_log';

/** How much of a user agent the list shows (the whole one is its tooltip and in the exports). */
const AGENT_LENGTH = 60;

export interface AuditTrailProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly form: AuditFilterForm;
  readonly errors: readonly string[];
  readonly events: readonly AuditEventRecord[];
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
  /** The range the application log form shows (`YYYY-MM-DD`, UTC). */
  readonly logForm: { readonly from: string; readonly to: string };
}

function hrefOf(path: string, form: AuditFilterForm, page?: number): string {
  const query = new URLSearchParams({ ...auditFilterParams(form), ...(page !== undefined && page > 1 ? { page: String(page) } : {}) }).toString();
  return query === '' ? path : `${path}?${query}`;
}

export function AuditTrailPage(props: AuditTrailProps): VNode {
  const { t, form } = props;
  const eventOptions = AUDIT_EVENTS.map((event) => ({ value: event, label: auditEventLabel(t, event) }));
  return (
    <>
      <h2>{t('label_audit_trail')}</h2>
      <p>{t('text_audit_trail_kept')}</p>
      <ErrorExplanation t={t} errors={props.errors} />
      <form method="get" action={AUDIT_TRAIL_PATH} id="audit-filters">
        <fieldset>
          <legend>{t('label_filter_plural')}</legend>
          <label for="event">{t('field_audit_event')}:</label> <Select id="event" name="event" value={form.event} blank={t('label_all')} options={eventOptions} />{' '}
          <label for="actor">{t('field_audit_actor')}:</label> <input type="text" name="actor" id="actor" size={15} value={form.actor} />{' '}
          <label for="target">{t('field_audit_target')}:</label> <input type="text" name="target" id="target" size={15} value={form.target} />{' '}
          <label for="ip">{t('field_audit_ip')}:</label> <input type="text" name="ip" id="ip" size={15} value={form.ip} />{' '}
          <label for="from">{t('label_date_from')}:</label> <input type="date" name="from" id="from" value={form.from} />{' '}
          <label for="to">{t('label_date_to')}:</label> <input type="date" name="to" id="to" value={form.to} />{' '}
          <button type="submit" class="small">
            {t('button_apply')}
          </button>{' '}
          <a href={AUDIT_TRAIL_PATH} class="icon icon-reload">
            {t('button_clear')}
          </a>
        </fieldset>
      </form>
      {props.events.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <div class="autoscroll">
          <table class="list audit-events" id="audit-events">
            <thead>
              <tr>
                <th>{t('field_audit_time')}</th>
                <th>{t('field_audit_event')}</th>
                <th>{t('field_audit_actor')}</th>
                <th>{t('field_audit_ip')}</th>
                <th>{t('field_audit_user_agent')}</th>
                <th>{t('field_audit_target')}</th>
                <th>{t('field_audit_details')}</th>
              </tr>
            </thead>
            <tbody>
              {props.events.map((record) => (
                <AuditEventLine t={t} format={props.format} record={record} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination t={t} page={props.page} perPage={props.perPage} total={props.total} href={(n) => hrefOf(AUDIT_TRAIL_PATH, form, n)} />
      <p class="other-formats">
        {t('label_export_to')}{' '}
        <span>
          <a href={hrefOf(AUDIT_EXPORT_PATHS.csv, form)} class="csv" rel="nofollow">
            CSV
          </a>
        </span>{' '}
        <span>
          <a href={hrefOf(AUDIT_EXPORT_PATHS.json, form)} class="json" rel="nofollow">
            JSON
          </a>
        </span>
      </p>
      <h3>{t('label_application_log')}</h3>
      <form method="get" action={APPLICATION_LOG_PATH} id="application-log">
        <p>{t('text_application_log_download')}</p>
        <p>
          <label for="log_from">{t('label_date_from')}:</label> <input type="date" name="from" id="log_from" value={props.logForm.from} />{' '}
          <label for="log_to">{t('label_date_to')}:</label> <input type="date" name="to" id="log_to" value={props.logForm.to} />{' '}
          <button type="submit" class="small">
            {t('button_download')}
          </button>
        </p>
      </form>
    </>
  );
}

function AuditEventLine({ t, format, record }: { t: Translate; format: Formatter; record: AuditEventRecord }): VNode {
  const created = new Date(record.createdOn);
  const agent = record.userAgent.length > AGENT_LENGTH ? `${record.userAgent.slice(0, AGENT_LENGTH)}…` : record.userAgent;
  return (
    <tr id={`audit-event-${record.id}`} class={`audit-event ${record.event.replace(/[^a-z_]/g, '-')}`}>
      <td class="created_on">
        <time datetime={record.createdOn}>{format.time(created)}</time>
      </td>
      <td class="event" title={record.event}>
        {auditEventLabel(t, record.event)}
      </td>
      <td class="actor">{auditActorText(t, record)}</td>
      <td class="ip">{record.ip}</td>
      <td class="user_agent" title={record.userAgent}>
        {agent}
      </td>
      <td class="target">{auditTargetText(record)}</td>
      <td class="details">
        {auditChanges(record.details).map((change) => (
          <div>{change}</div>
        ))}
      </td>
    </tr>
  );
}
