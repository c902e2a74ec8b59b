/**
 * `IssueForm`: Redmine's issue form, new or edit, as a pure component of its view model
 * (loadIssueFormModel). New: the attributes, copy options, files, watchers, Create / Create and
 * continue. Edit: "Change properties" (when the user may), Log time (with log_time), Notes with the
 * private flag, files, the lock version, Submit; a stale form offers Redmine's conflict choices.
 * Another page (the issue page) can render it as it is.
 */
import type { VNode } from 'preact';
import { humanSize } from '#src/features/attachments/index.ts';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation, Field } from '#src/views/form.tsx';
import type { IssueFormModel } from '../issue-form.types.ts';
import { IssueFormAttributes } from './issue-form-attributes.tsx';

export interface IssueFormProps {
  readonly model: IssueFormModel;
  readonly t: Translate;
  readonly csrfToken: string;
}

/** How many new files one post may bring; the later slots stay folded. */
const FILE_SLOTS = 3;

function Attachments({ model, t }: { model: IssueFormModel; t: Translate }): VNode {
  const slot = (n: number) => (
    <span class="attachment">
      <input type="file" name={`attachments[${n}][file]`} id={`attachments_${n}_file`} aria-label={t('label_attachment')} />
      <input type="text" name={`attachments[${n}][description]`} class="description" maxLength={255} placeholder={t('label_optional_description')} aria-label={t('label_optional_description')} />
    </span>
  );
  return (
    <p id="attachments_form">
      <label>{t('label_attachment_plural')}</label>
      <span id="attachments_fields">
        {model.uploads.map((u, i) => (
          <span class="attachment kept">
            <input type="hidden" name={`attachments[p${i}][token]`} value={u.token} />
            <input type="hidden" name={`attachments[p${i}][filename]`} value={u.filename} />
            <span class="filename icon icon-attachment">{u.filename}</span>
            <input type="text" name={`attachments[p${i}][description]`} class="description" maxLength={255} value={u.description} aria-label={t('label_optional_description')} />
          </span>
        ))}
        {slot(1)}
        <details class="more-attachments">
          <summary>{t('label_add_another_file')}</summary>
          {Array.from({ length: FILE_SLOTS - 1 }, (_, i) => slot(i + 2))}
        </details>
        <em class="info">({t('label_max_size', { size: humanSize(model.maxFileSizeKb * 1024, t) })})</em>
      </span>
    </p>
  );
}

function CopyOptions({ model, t }: { model: IssueFormModel; t: Translate }): VNode | null {
  const copy = model.copy;
  if (!copy) {
    return null;
  }
  const box = (id: string, label: string, checked: boolean) => (
    <p>
      <label for={id}>{label}</label>
      <input type="checkbox" id={id} name={id} value="1" checked={checked} />
    </p>
  );
  return (
    <>
      <input type="hidden" name="copy_from" value={String(copy.from)} />
      {copy.link ? box('link_copy', t('label_link_copied_issue'), copy.link.checked) : null}
      {copy.attachments ? box('copy_attachments', t('label_copy_attachments'), copy.attachments.checked) : null}
      {copy.subtasks ? box('copy_subtasks', t('label_copy_subtasks'), copy.subtasks.checked) : null}
    </>
  );
}

function LogTime({ model, t }: { model: IssueFormModel; t: Translate }): VNode | null {
  const entry = model.timeEntry;
  if (!entry) {
    return null;
  }
  return (
    <fieldset class="tabular" id="log_time">
      <legend>{t('button_log_time')}</legend>
      <div class="splitcontent">
        <div class="splitcontentleft">
          <Field id="time_entry_hours" label={t('field_hours')}>
            <input type="text" id="time_entry_hours" name="time_entry[hours]" value={entry.hours} size={6} />
          </Field>
        </div>
        <div class="splitcontentright">
          <Field id="time_entry_activity_id" label={t('field_activity')}>
            <select id="time_entry_activity_id" name="time_entry[activity_id]">
              <option value="">{t('label_blank_option')}</option>
              {entry.activities.map((a) => (
                <option value={a.value} selected={a.value === entry.activityId}>
                  {a.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </div>
      <Field id="time_entry_comments" label={t('field_comments')}>
        <input type="text" id="time_entry_comments" name="time_entry[comments]" value={entry.comments} size={60} maxLength={1024} />
      </Field>
    </fieldset>
  );
}

function Notes({ model, t }: { model: IssueFormModel; t: Translate }): VNode | null {
  const notes = model.notes;
  if (!notes) {
    return null;
  }
  // TODO(lead): swap for WikiTextarea (src/views/wiki-textarea.tsx) once the formatting helper adds it.
  return (
    <fieldset id="add_notes">
      <legend>{t('field_notes')}</legend>
      <textarea id="issue_notes" name="issue[notes]" class="wiki-edit" rows={10} cols={60} aria-label={t('field_notes')}>
        {notes.value}
      </textarea>
      {notes.privateAllowed ? (
        <label for="issue_private_notes" class="private-notes">
          <input type="hidden" name="issue[private_notes]" value="0" />
          <input type="checkbox" id="issue_private_notes" name="issue[private_notes]" value="1" checked={notes.privateNotes} /> {t('field_private_notes')}
        </label>
      ) : null}
    </fieldset>
  );
}

/** Redmine's choices after a conflicting update: overwrite, keep only the notes, or give up. */
function Conflict({ model, t }: { model: IssueFormModel; t: Translate }): VNode | null {
  if (!model.conflict) {
    return null;
  }
  const option = (value: string, label: string, checked = false) => (
    <label class="block">
      <input type="radio" name="conflict_resolution" value={value} checked={checked} /> {label}
    </label>
  );
  return (
    <div class="conflict" id="conflict" role="alert">
      <p>{t('notice_issue_update_conflict')}</p>
      <div class="conflict-resolution">
        {option('overwrite', t('text_issue_conflict_resolution_overwrite'))}
        {option('add_notes', t('text_issue_conflict_resolution_add_notes'), true)}
        {option('cancel', t('text_issue_conflict_resolution_cancel'))}
      </div>
    </div>
  );
}

export function IssueForm({ model, t, csrfToken }: IssueFormProps): VNode {
  const isNew = model.mode === 'new';
  const attributes = (
    <div id="all_attributes">
      <IssueFormAttributes model={model} t={t} />
    </div>
  );
  return (
    <form
      id="issue-form"
      class={isNew ? 'new_issue' : 'edit_issue'}
      method="post"
      action={model.action}
      enctype="multipart/form-data"
      data-refresh-url={model.refreshUrl}
    >
      <CsrfField token={csrfToken} />
      <ErrorExplanation errors={model.errors} t={t} />
      <Conflict model={model} t={t} />
      {model.issue ? <input type="hidden" name="issue[lock_version]" id="issue_lock_version" value={model.issue.lockVersion} /> : null}
      {isNew ? (
        <div class="box tabular">
          {attributes}
          <CopyOptions model={model} t={t} />
          <Attachments model={model} t={t} />
        </div>
      ) : (
        <div class="box">
          {model.attributesEditable ? (
            <fieldset class="tabular">
              <legend>{t('label_change_properties')}</legend>
              {attributes}
            </fieldset>
          ) : null}
          <LogTime model={model} t={t} />
          <Notes model={model} t={t} />
          <fieldset class="tabular" id="add_attachments">
            <legend>{t('label_attachment_plural')}</legend>
            <Attachments model={model} t={t} />
          </fieldset>
        </div>
      )}
      <p class="buttons">
        {isNew ? (
          <>
            <input type="submit" name="commit" value={t('button_create')} class="primary" />
            <input type="submit" name="continue" value={t('button_create_and_continue')} />
          </>
        ) : (
          <input type="submit" name="commit" value={t('button_submit')} class="primary" />
        )}
        {/* Without JavaScript the form is re-rendered for a changed project, tracker or status by this button. */}
        <noscript>
          <input type="submit" name="update_form" value={t('button_update_form')} formnovalidate />
        </noscript>
      </p>
    </form>
  );
}
