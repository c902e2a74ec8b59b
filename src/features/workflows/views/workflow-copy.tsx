/**
 * The workflow copy form (Redmine's workflows/copy): a source tracker and role (either may be "same
 * as target"), and the target trackers and roles whose rules are replaced.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import type { NamedRow } from '../workflow.repository.ts';

export interface WorkflowCopyForm {
  readonly sourceTrackerId: string;
  readonly sourceRoleId: string;
  readonly targetTrackerIds: readonly number[];
  readonly targetRoleIds: readonly number[];
}

function SourceSelect({ t, id, rows, value }: { t: Translate; id: string; rows: readonly NamedRow[]; value: string }): VNode {
  return (
    <select id={id} name={id}>
      <option value="">--- {t('label_please_select')} ---</option>
      <option value="any" selected={value === 'any'}>
        --- {t('label_copy_same_as_target')} ---
      </option>
      {rows.map((row) => (
        <option value={String(row.id)} selected={value === String(row.id)}>
          {row.name}
        </option>
      ))}
    </select>
  );
}

function TargetSelect({ id, rows, values }: { id: string; rows: readonly NamedRow[]; values: readonly number[] }): VNode {
  return (
    <select id={id} name={`${id}[]`} multiple size={Math.min(Math.max(rows.length, 2), 10)}>
      {rows.map((row) => (
        <option value={String(row.id)} selected={values.includes(row.id)}>
          {row.name}
        </option>
      ))}
    </select>
  );
}

export function WorkflowCopyPage(props: { t: Translate; csrfToken: string; trackers: readonly NamedRow[]; roles: readonly NamedRow[]; form: WorkflowCopyForm }): VNode {
  const { t, form } = props;
  return (
    <>
      <h2>
        <a href="/workflows/edit">{t('label_workflow')}</a> » {t('button_copy')}
      </h2>
      <form method="post" action="/workflows/copy" id="workflow_copy_form">
        <CsrfField token={props.csrfToken} />
        <fieldset class="tabular box">
          <legend>{t('label_copy_source')}</legend>
          <p>
            <label for="source_tracker_id">{t('label_tracker')}</label>
            <SourceSelect t={t} id="source_tracker_id" rows={props.trackers} value={form.sourceTrackerId} />
          </p>
          <p>
            <label for="source_role_id">{t('label_role')}</label>
            <SourceSelect t={t} id="source_role_id" rows={props.roles} value={form.sourceRoleId} />
          </p>
        </fieldset>
        <fieldset class="tabular box">
          <legend>{t('label_copy_target')}</legend>
          <p>
            <label for="target_tracker_ids">{t('label_tracker')}</label>
            <TargetSelect id="target_tracker_ids" rows={props.trackers} values={form.targetTrackerIds} />
          </p>
          <p>
            <label for="target_role_ids">{t('label_role')}</label>
            <TargetSelect id="target_role_ids" rows={props.roles} values={form.targetRoleIds} />
          </p>
        </fieldset>
        <button type="submit">{t('button_copy')}</button>
      </form>
    </>
  );
}
