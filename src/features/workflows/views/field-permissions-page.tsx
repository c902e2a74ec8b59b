/**
 * The field-permission editor (Redmine's workflows/permissions): per field (core fields, then the
 * trackers' custom fields) and status, whether the field is read-only or required for the chosen
 * roles and trackers. Fields always required offer only read-only; custom fields none of the roles
 * may see show "Hidden" and cannot be set.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import { fieldRuleCell } from '../workflow.matrix.ts';
import type { FieldPermissionEditor, WorkflowField } from '../workflow.service.ts';
import { SelectionFields, WorkflowActions, WorkflowSelection } from './workflow-selection.tsx';

/** Labels of the core fields (Redmine's `field_<name without _id>`). */
const CORE_FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  project_id: 'field_project',
  tracker_id: 'field_tracker',
  subject: 'field_subject',
  is_private: 'field_is_private',
  assigned_to_id: 'field_assigned_to',
  category_id: 'field_category',
  fixed_version_id: 'field_fixed_version',
  parent_issue_id: 'field_parent_issue',
  start_date: 'field_start_date',
  due_date: 'field_due_date',
  estimated_hours: 'field_estimated_hours',
  done_ratio: 'field_done_ratio',
  description: 'field_description',
  priority_id: 'field_priority',
};

export function coreFieldLabel(t: Translate, field: string): string {
  const key = CORE_FIELD_LABELS[field];
  return key ? t(key) : field;
}

function RuleSelect(props: { t: Translate; field: WorkflowField; statusId: number; rules: readonly string[] | undefined; combinations: number; label: string }): VNode {
  const { t, field } = props;
  const selected = field.hidden ? '' : fieldRuleCell(props.rules, props.combinations);
  return (
    <select name={`permissions[${props.statusId}][${field.key}]`} disabled={field.hidden} aria-label={props.label}>
      <option value="">{field.hidden ? t('label_hidden') : ''}</option>
      <option value="readonly" selected={selected === 'readonly'}>
        {t('label_readonly')}
      </option>
      {field.required ? null : (
        <option value="required" selected={selected === 'required'}>
          {t('label_required')}
        </option>
      )}
      {selected === 'no_change' ? (
        <option value="no_change" selected>
          {t('label_no_change_option')}
        </option>
      ) : null}
    </select>
  );
}

function FieldRows({ t, editor, fields }: { t: Translate; editor: FieldPermissionEditor; fields: readonly WorkflowField[] }): VNode {
  const combinations = (editor.selectedRoles?.length ?? 0) * (editor.selectedTrackers?.length ?? 0);
  return (
    <>
      {fields.map((field) => {
        const name = field.isCustom ? field.name : coreFieldLabel(t, field.key);
        return (
          <tr>
            <td class="name">
              {name} {field.required ? <span class="required">*</span> : null}
            </td>
            {editor.statuses.map((status) => {
              const rules = editor.rules.get(status.id)?.get(field.key);
              return (
                <td class={rules?.join(' ')} title={`${name} (${status.name})`}>
                  <RuleSelect t={t} field={field} statusId={status.id} rules={rules} combinations={combinations} label={`${name} (${status.name})`} />
                </td>
              );
            })}
          </tr>
        );
      })}
    </>
  );
}

export function FieldPermissionsPage({ t, csrfToken, editor }: { t: Translate; csrfToken: string; editor: FieldPermissionEditor }): VNode {
  const ready = editor.selectedRoles && editor.selectedTrackers && editor.statuses.length > 0;
  const core = editor.fields.filter((f) => !f.isCustom);
  const custom = editor.fields.filter((f) => f.isCustom);
  const span = editor.statuses.length + 1;
  return (
    <>
      <WorkflowActions t={t} />
      <h2>{t('label_workflow')}</h2>
      <WorkflowSelection t={t} tab="permissions" choices={editor} />
      {ready ? (
        <form method="post" action="/workflows/permissions" id="workflow_form">
          <CsrfField token={csrfToken} />
          <SelectionFields choices={editor} />
          <div class="autoscroll">
            <table class="list workflows fields_permissions">
              <thead>
                <tr>
                  <th></th>
                  <th colSpan={editor.statuses.length}>{t('label_issue_status')}</th>
                </tr>
                <tr>
                  <td></td>
                  {editor.statuses.map((status) => (
                    <td>{status.name}</td>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr class="group open">
                  <td colSpan={span}>{t('field_core_fields')}</td>
                </tr>
                <FieldRows t={t} editor={editor} fields={core} />
                {custom.length > 0 ? (
                  <tr class="group open">
                    <td colSpan={span}>{t('label_custom_field_plural')}</td>
                  </tr>
                ) : null}
                <FieldRows t={t} editor={editor} fields={custom} />
              </tbody>
            </table>
          </div>
          <p>
            <button type="submit" name="commit">
              {t('button_save')}
            </button>
          </p>
        </form>
      ) : null}
    </>
  );
}
