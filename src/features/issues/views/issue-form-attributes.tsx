/**
 * Redmine's `#all_attributes` of the issue form: project, tracker, private flag, subject, description,
 * the attributes in two columns and the custom fields. This is what the form endpoint sends back when
 * the project, tracker or status changes, so the island swaps it in place. Pure.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { Field } from '#src/views/form.tsx';
import type { Choice, CoreField, CoreFieldName, IssueFormModel } from '../issue-form.types.ts';
import { IssueFormCustomFields } from './issue-form-custom-fields.tsx';

const LABELS: Record<CoreFieldName, MessageKey> = {
  project_id: 'field_project',
  tracker_id: 'field_tracker',
  is_private: 'field_is_private',
  subject: 'field_subject',
  description: 'field_description',
  status_id: 'field_status',
  priority_id: 'field_priority',
  assigned_to_id: 'field_assigned_to',
  category_id: 'field_category',
  fixed_version_id: 'field_fixed_version',
  parent_issue_id: 'field_parent_issue',
  start_date: 'field_start_date',
  due_date: 'field_due_date',
  estimated_hours: 'field_estimated_hours',
  done_ratio: 'field_done_ratio',
};

/** Selects whose change re-renders the form (Redmine's updateIssueFrom). */
const REFRESHING = new Set<CoreFieldName>(['project_id', 'tracker_id', 'status_id']);

interface Props {
  readonly model: IssueFormModel;
  readonly t: Translate;
}

const idOf = (name: string) => `issue_${name}`;
const nameOf = (name: string) => `issue[${name}]`;

function Options({ choices, value }: { choices: readonly Choice[]; value: string }): VNode {
  return (
    <>
      {choices.map((c) => (
        <option value={c.value} selected={c.value === value}>
          {c.label}
        </option>
      ))}
    </>
  );
}

/** A field the user may not change in this state: its value as text. */
function ReadOnly({ name, field, t }: { name: CoreFieldName; field: CoreField; t: Translate }): VNode {
  return (
    <p class={`readonly ${name}`}>
      <label>{t(LABELS[name])}</label>
      <span id={idOf(name)} class="value">
        {field.text}
      </span>
    </p>
  );
}

function FieldSelect({ name, field, t, blank, me }: { name: CoreFieldName; field: CoreField; t: Translate; blank?: boolean; me?: { id: string; label: string } | undefined }): VNode {
  return (
    <Field id={idOf(name)} label={t(LABELS[name])} required={field.required}>
      <select id={idOf(name)} name={nameOf(name)} required={field.required && !blank} data-refresh-form={REFRESHING.has(name) ? '' : undefined}>
        {blank ? <option value="" /> : null}
        {me ? <option value={me.id}>{me.label}</option> : null}
        <Options choices={field.choices} value={field.value} />
      </select>
    </Field>
  );
}

function FieldInput({ name, field, t, type = 'text', size }: { name: CoreFieldName; field: CoreField; t: Translate; type?: 'text' | 'date'; size?: number }): VNode {
  return (
    <Field id={idOf(name)} label={t(LABELS[name])} required={field.required}>
      {type === 'date' ? (
        <input type="date" id={idOf(name)} name={nameOf(name)} value={field.value} required={field.required} />
      ) : (
        <input type="text" id={idOf(name)} name={nameOf(name)} value={field.value} size={size} required={field.required} maxLength={name === 'subject' ? 255 : undefined} />
      )}
    </Field>
  );
}

/** One attribute, as its state says: a control, text, or nothing. */
function Attribute({ name, model, t }: { name: CoreFieldName; model: IssueFormModel; t: Translate }): VNode | null {
  const field = model.fields[name];
  if (field.state === 'hidden') {
    return null;
  }
  if (field.state === 'readonly') {
    return <ReadOnly name={name} field={field} t={t} />;
  }
  switch (name) {
    case 'status_id':
    case 'priority_id':
    case 'project_id':
    case 'tracker_id':
    case 'done_ratio':
      return <FieldSelect name={name} field={field} t={t} />;
    case 'assigned_to_id':
      return <FieldSelect name={name} field={field} t={t} blank={!field.required} me={model.meId ? { id: model.meId, label: t('label_me') } : undefined} />;
    case 'category_id':
    case 'fixed_version_id':
      return <FieldSelect name={name} field={field} t={t} blank={!field.required} />;
    case 'start_date':
    case 'due_date':
      return <FieldInput name={name} field={field} t={t} type="date" />;
    case 'parent_issue_id':
      return <FieldInput name={name} field={field} t={t} size={10} />;
    case 'estimated_hours':
      return <FieldInput name={name} field={field} t={t} size={6} />;
    case 'subject':
      return <FieldInput name={name} field={field} t={t} />;
    case 'description':
      return <Description model={model} t={t} />;
    case 'is_private':
      return <PrivateFlag model={model} t={t} />;
  }
}

function PrivateFlag({ model, t }: { model: IssueFormModel; t: Translate }): VNode | null {
  const field = model.fields.is_private;
  if (field.state === 'hidden') {
    return null;
  }
  return (
    <p id="is_private_wrap">
      <label for="issue_is_private">{t('field_is_private')}</label>
      <input type="hidden" name="issue[is_private]" value="0" disabled={field.state === 'readonly'} />
      <input type="checkbox" id="issue_is_private" name="issue[is_private]" value="1" checked={field.value === '1'} disabled={field.state === 'readonly'} />
    </p>
  );
}

function Description({ model, t }: { model: IssueFormModel; t: Translate }): VNode | null {
  const field = model.fields.description;
  if (field.state === 'hidden') {
    return null;
  }
  if (field.state === 'readonly') {
    return (
      <div class="readonly description">
        <label>{t('field_description')}</label>
        {field.html ? <div class="wiki" dangerouslySetInnerHTML={{ __html: field.html }} /> : <span class="value">{field.text}</span>}
      </div>
    );
  }
  // TODO(lead): swap for WikiTextarea (src/views/wiki-textarea.tsx) once the formatting helper adds it.
  return (
    <Field id="issue_description" label={t('field_description')} required={field.required}>
      <textarea id="issue_description" name="issue[description]" class="wiki-edit" rows={10} cols={60} required={field.required}>
        {field.value}
      </textarea>
    </Field>
  );
}

function Watchers({ model, t }: { model: IssueFormModel; t: Translate }): VNode | null {
  if (!model.watchers || model.watchers.choices.length === 0) {
    return null;
  }
  const checked = new Set(model.watchers.checked);
  return (
    <p id="watchers_form">
      <label>{t('label_watchers')}</label>
      <span id="watchers_inputs">
        <input type="hidden" name="issue[watcher_user_ids][]" value="" />
        {model.watchers.choices.map((c) => (
          <label class="floating">
            <input type="checkbox" name="issue[watcher_user_ids][]" value={c.value} checked={checked.has(c.value)} /> {c.label}
          </label>
        ))}
      </span>
    </p>
  );
}

/** The inside of `#all_attributes`. */
export function IssueFormAttributes({ model, t }: Props): VNode {
  const left: CoreFieldName[] = ['status_id', 'priority_id', 'assigned_to_id', 'category_id', 'fixed_version_id'];
  const right: CoreFieldName[] = ['parent_issue_id', 'start_date', 'due_date', 'estimated_hours', 'done_ratio'];
  return (
    <>
      <Attribute name="project_id" model={model} t={t} />
      <div class="tracker-and-private">
        <Attribute name="tracker_id" model={model} t={t} />
        <PrivateFlag model={model} t={t} />
      </div>
      <Attribute name="subject" model={model} t={t} />
      <Description model={model} t={t} />
      <div id="attributes" class="attributes">
        <div class="splitcontent">
          <div class="splitcontentleft">
            {left.map((name) => (
              <Attribute name={name} model={model} t={t} />
            ))}
          </div>
          <div class="splitcontentright">
            {right.map((name) => (
              <Attribute name={name} model={model} t={t} />
            ))}
          </div>
        </div>
        <IssueFormCustomFields fields={model.customFields} t={t} />
      </div>
      <Watchers model={model} t={t} />
    </>
  );
}
