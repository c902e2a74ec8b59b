/**
 * The form to log or change time (Redmine's timelog/new and edit): project (when the page is of no
 * project), issue, user (for those who may log time for others), date, hours, activity, comment and
 * the entry's custom fields, as `time_entry[...]`. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { CustomFieldInput } from '#src/features/custom-fields/views/custom-field-input.tsx';
import { CsrfField, ErrorExplanation, Field, Select, type SelectOption } from '#src/views/form.tsx';

export interface TimeEntryFormValues {
  readonly projectId: string;
  readonly issueId: string;
  readonly userId: string;
  readonly spentOn: string;
  readonly hours: string;
  readonly activityId: string;
  readonly comments: string;
  readonly customValues: ReadonlyMap<number, readonly string[]>;
}

export interface TimeEntryFormProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly action: string;
  readonly isNew: boolean;
  readonly errors: readonly string[];
  readonly values: TimeEntryFormValues;
  /** Projects to choose from (a page of no project); undefined when the project is given. */
  readonly projects: readonly SelectOption[] | undefined;
  /** The issue the page is of: shown, not chosen. */
  readonly issue: { readonly id: number; readonly label: string } | undefined;
  readonly users: readonly SelectOption[] | undefined;
  readonly activities: readonly SelectOption[];
  readonly customFields: readonly CustomFieldDef[];
  readonly requiredFields: ReadonlySet<string>;
  readonly cancelHref: string;
}

export function TimeEntryForm(props: TimeEntryFormProps): VNode {
  const { t, values } = props;
  return (
    <div id="time-entry-form-page">
      <h2>{t('label_spent_time')}</h2>
      <form method="post" action={props.action} class="tabular" id={props.isNew ? 'new_time_entry' : 'edit_time_entry'}>
        <CsrfField token={props.csrfToken} />
        <ErrorExplanation errors={props.errors} t={t} />
        <div class="box tabular">
          {props.projects ? (
            <Field id="time_entry_project_id" label={t('label_project')} required>
              <Select id="time_entry_project_id" name="time_entry[project_id]" options={props.projects} value={values.projectId} blank="" />
            </Field>
          ) : null}
          {props.issue ? (
            <p>
              <label>{t('field_issue')}</label>
              <input type="hidden" name="time_entry[issue_id]" value={String(props.issue.id)} />
              <a href={`/issues/${props.issue.id}`} class="issue">
                {props.issue.label}
              </a>
            </p>
          ) : (
            <Field id="time_entry_issue_id" label={t('field_issue')} required={props.requiredFields.has('issue_id')}>
              <input type="text" id="time_entry_issue_id" name="time_entry[issue_id]" value={values.issueId} size={6} inputmode="numeric" />
            </Field>
          )}
          {props.users ? (
            <Field id="time_entry_user_id" label={t('field_user')} required>
              <Select id="time_entry_user_id" name="time_entry[user_id]" options={props.users} value={values.userId} />
            </Field>
          ) : null}
          <Field id="time_entry_spent_on" label={t('field_spent_on')} required>
            <input type="date" id="time_entry_spent_on" name="time_entry[spent_on]" value={values.spentOn} required />
          </Field>
          <Field id="time_entry_hours" label={t('field_hours')} required hint={t('text_hours_formats')}>
            <input type="text" id="time_entry_hours" name="time_entry[hours]" value={values.hours} size={6} required />
          </Field>
          <Field id="time_entry_activity_id" label={t('field_activity')} required>
            <Select id="time_entry_activity_id" name="time_entry[activity_id]" options={props.activities} value={values.activityId} blank={`--- ${t('label_please_select')} ---`} />
          </Field>
          <Field id="time_entry_comments" label={t('field_comments')} required={props.requiredFields.has('comments')}>
            <input type="text" id="time_entry_comments" name="time_entry[comments]" value={values.comments} size={100} maxlength={1024} />
          </Field>
          {props.customFields.map((field) => (
            <CustomFieldInput t={t} record="time_entry" field={field} values={values.customValues.get(field.id) ?? []} />
          ))}
        </div>
        <p class="buttons">
          {props.isNew ? (
            <>
              <button type="submit" name="commit" class="primary">
                {t('button_create')}
              </button>{' '}
              <button type="submit" name="continue" value="1">
                {t('button_create_and_continue')}
              </button>
            </>
          ) : (
            <button type="submit" name="commit" class="primary">
              {t('button_save')}
            </button>
          )}{' '}
          <a href={props.cancelHref}>{t('button_cancel')}</a>
        </p>
      </form>
    </div>
  );
}
