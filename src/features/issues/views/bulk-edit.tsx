/**
 * Redmine's bulk edit form (issues/bulk_edit) and the bulk delete confirmation (issues/destroy when
 * time was logged). Each field starts at "(No change)"; `none` clears. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';
import type { BulkChoices } from '../issue-bulk.service.ts';

export interface BulkIssueRef {
  readonly id: number;
  readonly tracker: string;
  readonly subject: string;
}

function IssueRefs({ issues }: { issues: readonly BulkIssueRef[] }): VNode {
  return (
    <ul id="bulk-selection">
      {issues.map((i) => (
        <li>
          <a href={`/issues/${i.id}`}>
            {i.tracker} #{i.id}
          </a>
          : {i.subject}
          <input type="hidden" name="ids[]" value={String(i.id)} />
        </li>
      ))}
    </ul>
  );
}

function ChoiceField(props: {
  t: Translate;
  id: string;
  label: string;
  name: string;
  options: readonly { value: string; label: string }[];
  withNone?: boolean;
  value?: string | undefined;
}): VNode {
  const { t } = props;
  return (
    <p>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name}>
        <option value="">{t('label_query_no_change_option')}</option>
        {props.withNone ? (
          <option value="none" selected={props.value === 'none'}>
            {t('label_none')}
          </option>
        ) : null}
        {props.options.map((o) => (
          <option value={o.value} selected={props.value === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </p>
  );
}

export interface BulkEditProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  readonly issues: readonly BulkIssueRef[];
  readonly choices: BulkChoices;
  readonly backUrl: string;
  /** The request's values (after a refusal). */
  readonly values: Readonly<Record<string, string>>;
  readonly notes: string;
  /** "Failed to save N issue(s) on M selected: #…" and each issue's messages. */
  readonly errors: readonly string[];
}

export function BulkEditPage(props: BulkEditProps): VNode {
  const { t, choices, values } = props;
  const named = (rows: readonly { id: number; name: string }[]) => rows.map((r) => ({ value: String(r.id), label: r.name }));
  return (
    <div id="bulk-edit">
      <h2>{t('label_query_bulk_edit_selected')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action="/issues/bulk_update" id="bulk_edit_form" class="tabular">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="back_url" value={props.backUrl} />
        <IssueRefs issues={props.issues} />
        <div class="box tabular">
          <fieldset class="attributes">
            <legend>{t('label_change_properties')}</legend>
            {choices.canEdit ? (
              <>
                <ChoiceField t={t} id="issue_tracker_id" label={t('field_tracker')} name="issue[tracker_id]" options={named(choices.trackers)} value={values.tracker_id} />
                <ChoiceField t={t} id="issue_priority_id" label={t('field_priority')} name="issue[priority_id]" options={named(choices.priorities)} value={values.priority_id} />
              </>
            ) : null}
            {choices.statuses.length > 0 ? (
              <ChoiceField t={t} id="issue_status_id" label={t('field_status')} name="issue[status_id]" options={named(choices.statuses)} value={values.status_id} />
            ) : null}
            {choices.canEdit ? (
              <>
                <ChoiceField
                  t={t}
                  id="issue_assigned_to_id"
                  label={t('field_assigned_to')}
                  name="issue[assigned_to_id]"
                  withNone
                  options={choices.assignees.map((p) => ({ value: String(p.id), label: p.type === 'Group' ? p.lastname : props.format.user(p) }))}
                  value={values.assigned_to_id}
                />
                {choices.categories ? (
                  <ChoiceField t={t} id="issue_category_id" label={t('field_category')} name="issue[category_id]" withNone options={named(choices.categories)} value={values.category_id} />
                ) : null}
                <ChoiceField t={t} id="issue_fixed_version_id" label={t('field_fixed_version')} name="issue[fixed_version_id]" withNone options={named(choices.versions)} value={values.fixed_version_id} />
                <p>
                  <label for="issue_start_date">{t('field_start_date')}</label>
                  <input type="date" id="issue_start_date" name="issue[start_date]" value={values.start_date ?? ''} />
                </p>
                <p>
                  <label for="issue_due_date">{t('field_due_date')}</label>
                  <input type="date" id="issue_due_date" name="issue[due_date]" value={values.due_date ?? ''} />
                </p>
                <p>
                  <label for="issue_estimated_hours">{t('field_estimated_hours')}</label>
                  <input type="text" id="issue_estimated_hours" name="issue[estimated_hours]" size={6} value={values.estimated_hours ?? ''} />
                </p>
                {choices.doneRatio ? (
                  <ChoiceField
                    t={t}
                    id="issue_done_ratio"
                    label={t('field_done_ratio')}
                    name="issue[done_ratio]"
                    options={Array.from({ length: 11 }, (_, i) => ({ value: String(i * 10), label: `${i * 10} %` }))}
                    value={values.done_ratio}
                  />
                ) : null}
              </>
            ) : null}
          </fieldset>
          <fieldset>
            <legend>
              <label for="notes">{t('field_notes')}</label>
            </legend>
            <textarea id="notes" name="notes" rows={5} cols={60} value={props.notes} />
          </fieldset>
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_submit')}
          </button>
        </p>
      </form>
    </div>
  );
}

export interface BulkDeleteProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly issues: readonly BulkIssueRef[];
  readonly hours: string;
  readonly mayNullify: boolean;
  readonly mayReassign: boolean;
  readonly backUrl: string;
  readonly errors: readonly string[];
  readonly todo: string;
  readonly reassignToId: string;
}

/** Redmine's destroy confirmation: what becomes of the hours logged on the issues. */
export function BulkDeletePage(props: BulkDeleteProps): VNode {
  const { t } = props;
  return (
    <div id="bulk-delete">
      <h2>{t('label_confirmation')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action="/issues/delete" id="bulk_delete_form">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="back_url" value={props.backUrl} />
        <IssueRefs issues={props.issues} />
        <div class="box">
          <p>
            <strong>{t('text_destroy_time_entries_question', { hours: props.hours })}</strong>
          </p>
          <p>
            <label>
              <input type="radio" name="todo" value="destroy" checked={props.todo !== 'nullify' && props.todo !== 'reassign'} /> {t('text_destroy_time_entries')}
            </label>
            <br />
            {props.mayNullify ? (
              <>
                <label>
                  <input type="radio" name="todo" value="nullify" checked={props.todo === 'nullify'} /> {t('text_assign_time_entries_to_project')}
                </label>
                <br />
              </>
            ) : null}
            {props.mayReassign ? (
              <label>
                <input type="radio" name="todo" value="reassign" checked={props.todo === 'reassign'} /> {t('text_reassign_time_entries')}{' '}
                <input type="text" name="reassign_to_id" size={6} value={props.reassignToId} aria-label={t('field_issue')} />
              </label>
            ) : null}
          </p>
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_apply')}
          </button>
        </p>
      </form>
    </div>
  );
}
