/**
 * Redmine's bulk edit form (issues/bulk_edit: change, move to another project, or copy the selected
 * issues) and the bulk delete confirmation (issues/destroy when time was logged). Each field starts at
 * "(No change)"; `none` clears (a "Clear" checkbox for dates and numbers, sent after the field so that
 * it wins, as the last of two same-named parameters does). The project, tracker and status selects
 * reload the form (src/client/bulk-edit.ts; without script, the "Update form" button). Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';
import { NONE_VALUE, type BulkChoices, type BulkCopyOffer, type BulkCustomField, type DroppedCustomValues } from '../issue-bulk.service.ts';
import type { ProjectChoice } from '../issue-form.repository.ts';

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
  /** The label of the `none` choice that clears the field, if offered. */
  none?: string;
  /** Changing it reloads the form (its choices depend on it). */
  refresh?: boolean;
  value?: string | undefined;
}): VNode {
  const { t } = props;
  return (
    <p>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name} data-refresh-form={props.refresh ? '' : undefined}>
        <option value="">{t('label_query_no_change_option')}</option>
        {props.none ? (
          <option value="none" selected={props.value === 'none'}>
            {props.none}
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

/**
 * A custom field's control (Redmine's bulk_edit_tag): "(No change)", "none" (`__none__`) unless the
 * field is required, and the values every issue accepts; a text box (with "none" as a checkbox) for
 * typed values.
 */
function CustomFieldControl(props: { t: Translate; field: BulkCustomField; value: string | readonly string[] | undefined }): VNode {
  const { t, field } = props;
  const id = `issue_custom_field_values_${field.id}`;
  const name = `issue[custom_field_values][${field.id}]`;
  const values = props.value === undefined ? [] : typeof props.value === 'string' ? [props.value] : props.value;
  const none = field.required ? null : (
    <option value={NONE_VALUE} selected={values.includes(NONE_VALUE)}>
      {t('label_none')}
    </option>
  );
  if (field.choices.length > 0 || ['list', 'bool', 'enumeration', 'user', 'version'].includes(field.format)) {
    const choices = field.format === 'bool' ? [{ value: '1', label: t('general_text_Yes') }, { value: '0', label: t('general_text_No') }] : field.choices;
    return (
      <select id={id} name={field.multiple ? `${name}[]` : name} multiple={field.multiple} size={field.multiple ? Math.min(choices.length + 2, 10) : undefined}>
        <option value="" selected={values.length === 0 || values.includes('')}>
          {t('label_query_no_change_option')}
        </option>
        {none}
        {choices.map((c) => (
          <option value={c.value} selected={values.includes(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  const typed = values[0] === NONE_VALUE ? '' : (values[0] ?? '');
  return (
    <>
      {field.format === 'text' ? (
        <textarea id={id} name={name} rows={3} cols={40} value={typed} />
      ) : field.format === 'date' ? (
        <input type="date" id={id} name={name} value={typed} />
      ) : (
        <input type="text" id={id} name={name} size={field.format === 'int' || field.format === 'float' ? 10 : 30} value={typed} />
      )}
      {field.required ? null : <ClearBox t={t} name={name} value={NONE_VALUE} checked={values[0] === NONE_VALUE} disables={id} />}
    </>
  );
}

/**
 * Redmine's "Clear" checkbox after a date, number or text field: same name, so when checked its value
 * (`none`, `__none__` for custom values) is the one that counts; with script it also disables the field.
 */
function ClearBox(props: { t: Translate; name: string; value: string; checked: boolean; disables: string }): VNode {
  return (
    <label class="inline">
      <input type="checkbox" name={props.name} value={props.value} checked={props.checked} data-disables={`#${props.disables}`} /> {props.t('button_clear')}
    </label>
  );
}

/** A date, a number or an issue id with its "Clear" checkbox (`none` clears it on every issue). */
function ClearableField(props: { t: Translate; id: string; label: string; name: string; type: 'date' | 'text'; value: string | undefined }): VNode {
  const cleared = props.value === 'none';
  return (
    <p>
      <label for={props.id}>{props.label}</label>
      {props.type === 'date' ? (
        <input type="date" id={props.id} name={props.name} value={cleared ? '' : (props.value ?? '')} />
      ) : (
        <input type="text" id={props.id} name={props.name} size={10} value={cleared ? '' : (props.value ?? '')} />
      )}{' '}
      <ClearBox t={props.t} name={props.name} value="none" checked={cleared} disables={props.id} />
    </p>
  );
}

/**
 * Redmine's warning that the move or the tracker change deletes values: each field and on how many of
 * the issues.
 */
function DroppedValuesWarning({ t, dropped }: { t: Translate; dropped: readonly DroppedCustomValues[] }): VNode | null {
  if (dropped.length === 0) {
    return null;
  }
  return (
    <div class="flash warning" id="bulk-dropped-values">
      {t('warning_fields_cleared_on_bulk_edit')}:<br />
      {dropped.flatMap((d, i) => [
        i > 0 ? ', ' : null,
        <span>
          {d.name} ({d.count})
        </span>,
      ])}
    </div>
  );
}

/** The copy part of the form: the checkboxes Redmine shows only when there is something to copy (each checked unless sent unchecked). */
function CopyOptions({ t, copy }: { t: Translate; copy: BulkCopyProps }): VNode {
  const box = (name: string, shown: boolean, sent: string | undefined, label: string) =>
    shown ? (
      <label class="block">
        <input type="hidden" name={name} value="0" />
        <input type="checkbox" name={name} id={name} value="1" checked={sent !== '0'} /> {label}
      </label>
    ) : null;
  return (
    <>
      {copy.link ? (
        <p>
          <label for="link_copy">{t('label_link_copied_issue')}</label>
          <input type="hidden" name="link_copy" value="0" />
          <input type="checkbox" name="link_copy" id="link_copy" value="1" checked={copy.values.link !== '0'} />
        </p>
      ) : null}
      {copy.attachments || copy.subtasks || copy.watchers ? (
        <p>
          <label>{t('button_copy')}</label>
          {box('copy_attachments', copy.attachments, copy.values.attachments, t('label_attachment_plural'))}
          {box('copy_subtasks', copy.subtasks, copy.values.subtasks, t('label_subtask_plural'))}
          {box('copy_watchers', copy.watchers, copy.values.watchers, t('label_issue_watchers'))}
        </p>
      ) : null}
    </>
  );
}

export interface BulkCopyProps extends BulkCopyOffer {
  /** The checkboxes as last sent (`0` unchecked). */
  readonly values: { readonly link?: string | undefined; readonly attachments?: string | undefined; readonly subtasks?: string | undefined; readonly watchers?: string | undefined };
}

export interface BulkEditProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  readonly issues: readonly BulkIssueRef[];
  readonly choices: BulkChoices;
  readonly customFields: readonly BulkCustomField[];
  /** The projects the issues may go to; `noChange` offers "(No change)" first. */
  readonly projects: { readonly choices: readonly ProjectChoice[]; readonly selected: number | undefined; readonly noChange: boolean };
  /** Set when the form copies the issues. */
  readonly copy: BulkCopyProps | undefined;
  /** A target project is chosen: the buttons say "Move". */
  readonly moving: boolean;
  readonly backUrl: string;
  /** The request's values (after a refusal). */
  readonly values: Readonly<Record<string, string>>;
  readonly customValues: Readonly<Record<string, string | readonly string[]>>;
  readonly notes: string;
  /** Custom fields whose values the chosen project or tracker deletes. */
  readonly dropped: readonly DroppedCustomValues[];
  /** "Failed to save N issue(s) on M selected: #…" and each issue's messages. */
  readonly errors: readonly string[];
}

export function BulkEditPage(props: BulkEditProps): VNode {
  const { t, choices, values, copy, projects } = props;
  const named = (rows: readonly { id: number; name: string }[]) => rows.map((r) => ({ value: String(r.id), label: r.name }));
  return (
    <div id="bulk-edit">
      <h2>{copy ? t('button_copy') : t('label_query_bulk_edit_selected')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action="/issues/bulk_update" id="bulk_edit_form" class="tabular" data-refresh-url="/issues/bulk_edit">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="back_url" value={props.backUrl} />
        {copy ? <input type="hidden" name="copy" value="1" /> : null}
        <IssueRefs issues={props.issues} />
        <div class="box tabular">
          <fieldset class="attributes">
            <legend>{t('label_change_properties')}</legend>
            {choices.canEdit && projects.choices.length > 0 ? (
              <p>
                <label for="issue_project_id">{t('field_project')}</label>
                <select id="issue_project_id" name="issue[project_id]" data-refresh-form="">
                  {projects.noChange ? <option value="">{t('label_query_no_change_option')}</option> : null}
                  {projects.choices.map((p) => (
                    <option value={String(p.id)} selected={projects.selected === p.id}>
                      {'\u00bb '.repeat(p.depth)}
                      {p.name}
                    </option>
                  ))}
                </select>{' '}
                {/* The project decides the other choices: the form is shown again for it (the script does it on change). */}
                <button type="submit" formaction="/issues/bulk_edit" formnovalidate name="update_form" value="1" data-update-form="">
                  {t('button_update_form')}
                </button>
              </p>
            ) : null}
            {choices.canEdit ? (
              <>
                <ChoiceField t={t} id="issue_tracker_id" label={t('field_tracker')} name="issue[tracker_id]" refresh options={named(choices.trackers)} value={values.tracker_id} />
                <ChoiceField t={t} id="issue_priority_id" label={t('field_priority')} name="issue[priority_id]" options={named(choices.priorities)} value={values.priority_id} />
              </>
            ) : null}
            {choices.statuses.length > 0 ? (
              <ChoiceField t={t} id="issue_status_id" label={t('field_status')} name="issue[status_id]" refresh options={named(choices.statuses)} value={values.status_id} />
            ) : null}
            {choices.canEdit ? (
              <>
                <ChoiceField
                  t={t}
                  id="issue_assigned_to_id"
                  label={t('field_assigned_to')}
                  name="issue[assigned_to_id]"
                  none={t('label_nobody')}
                  options={choices.assignees.map((p) => ({ value: String(p.id), label: p.type === 'Group' ? p.lastname : props.format.user(p) }))}
                  value={values.assigned_to_id}
                />
                {choices.categories ? (
                  <ChoiceField t={t} id="issue_category_id" label={t('field_category')} name="issue[category_id]" none={t('label_none')} options={named(choices.categories)} value={values.category_id} />
                ) : null}
                <ChoiceField t={t} id="issue_fixed_version_id" label={t('field_fixed_version')} name="issue[fixed_version_id]" none={t('label_none')} options={named(choices.versions)} value={values.fixed_version_id} />
                {choices.parent ? (
                  <ClearableField t={t} id="issue_parent_issue_id" label={t('field_parent_issue')} name="issue[parent_issue_id]" type="text" value={values.parent_issue_id} />
                ) : null}
                <ClearableField t={t} id="issue_start_date" label={t('field_start_date')} name="issue[start_date]" type="date" value={values.start_date} />
                <ClearableField t={t} id="issue_due_date" label={t('field_due_date')} name="issue[due_date]" type="date" value={values.due_date} />
                <ClearableField t={t} id="issue_estimated_hours" label={t('field_estimated_hours')} name="issue[estimated_hours]" type="text" value={values.estimated_hours} />
                {choices.isPrivate ? (
                  <ChoiceField
                    t={t}
                    id="issue_is_private"
                    label={t('field_is_private')}
                    name="issue[is_private]"
                    options={[
                      { value: '1', label: t('general_text_Yes') },
                      { value: '0', label: t('general_text_No') },
                    ]}
                    value={values.is_private}
                  />
                ) : null}
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
                {props.customFields.map((field) => (
                  <p>
                    <label for={`issue_custom_field_values_${field.id}`}>{field.name}</label>
                    <CustomFieldControl t={t} field={field} value={props.customValues[String(field.id)]} />
                  </p>
                ))}
                {copy ? <CopyOptions t={t} copy={copy} /> : null}
              </>
            ) : null}
          </fieldset>
          <fieldset>
            <legend>
              <label for="notes">{t('field_notes')}</label>
            </legend>
            <textarea id="notes" name="notes" rows={5} cols={60} value={props.notes} />
            {choices.privateNotes ? (
              <p class="private-notes">
                <input type="checkbox" id="issue_private_notes" name="issue[private_notes]" value="1" checked={values.private_notes === '1'} />{' '}
                <label for="issue_private_notes">{t('field_private_notes')}</label>
              </p>
            ) : null}
          </fieldset>
        </div>
        <DroppedValuesWarning t={t} dropped={props.dropped} />
        <p class="buttons">
          {copy || props.moving ? (
            <>
              <button type="submit" class="primary">
                {t(copy ? 'button_copy' : 'button_move')}
              </button>{' '}
              <button type="submit" name="follow" value="1">
                {t(copy ? 'button_copy_and_follow' : 'button_move_and_follow')}
              </button>
            </>
          ) : (
            <button type="submit" class="primary">
              {t('button_submit')}
            </button>
          )}
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
