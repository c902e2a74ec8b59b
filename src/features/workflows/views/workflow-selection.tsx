/**
 * What the two workflow editors share: the action links, the tabs (status transitions, field
 * permissions) and the GET form choosing roles, trackers and "only used statuses".
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { roleName } from '#src/views/role-name.ts';
import type { WorkflowChoices } from '../workflow.service.ts';

export type WorkflowTab = 'edit' | 'permissions';

/** The query string that reopens an editor on the same choice. */
export function selectionQuery(choices: Pick<WorkflowChoices, 'selectedRoles' | 'selectedTrackers' | 'usedStatusesOnly'>): string {
  const query = new URLSearchParams();
  for (const role of choices.selectedRoles ?? []) {
    query.append('role_id[]', String(role.id));
  }
  for (const tracker of choices.selectedTrackers ?? []) {
    query.append('tracker_id[]', String(tracker.id));
  }
  query.set('used_statuses_only', choices.usedStatusesOnly ? '1' : '0');
  return query.toString();
}

export function WorkflowActions({ t }: { t: Translate }): VNode {
  return (
    <div class="contextual">
      <a href="/workflows/copy" class="icon icon-copy">
        {t('button_copy')}
      </a>{' '}
      <a href="/workflows" class="icon icon-summary">
        {t('field_summary')}
      </a>
    </div>
  );
}

function ChoiceSelect(props: {
  t: Translate;
  id: string;
  name: string;
  rows: readonly { id: number; name: string }[];
  selected: readonly { id: number }[] | undefined;
}): VNode {
  const { rows, selected } = props;
  const all = selected !== undefined && selected.length === rows.length && rows.every((row) => selected.some((s) => s.id === row.id));
  const ids = new Set(selected ? selected.map((s) => s.id) : rows.slice(0, 1).map((r) => r.id));
  return (
    <select id={props.id} name={props.name} multiple size={Math.min(rows.length + 1, 6)} class="expandable">
      <option value="all" selected={all}>
        {props.t('label_all')}
      </option>
      {rows.map((row) => (
        <option value={String(row.id)} selected={!all && ids.has(row.id)}>
          {row.name}
        </option>
      ))}
    </select>
  );
}

/** Tabs, the explanation and the chooser form of an editor. */
export function WorkflowSelection({ t, tab, choices }: { t: Translate; tab: WorkflowTab; choices: WorkflowChoices }): VNode {
  const query = selectionQuery(choices);
  return (
    <>
      <div class="tabs">
        <ul>
          <li>
            <a href={`/workflows/edit?${query}`} class={tab === 'edit' ? 'selected' : undefined}>
              {t('label_status_transitions')}
            </a>
          </li>
          <li>
            <a href={`/workflows/permissions?${query}`} class={tab === 'permissions' ? 'selected' : undefined}>
              {t('label_fields_permissions')}
            </a>
          </li>
        </ul>
      </div>
      <p>{t('text_workflow_edit')}</p>
      <form method="get" action={`/workflows/${tab}`} id="workflow_filter" class="workflow-filter">
        <p>
          <label>
            {t('label_role')}{' '}
            <ChoiceSelect t={t} id="role_id" name="role_id[]" rows={choices.roles.map((r) => ({ id: r.id, name: roleName(t, r) }))} selected={choices.selectedRoles} />
          </label>{' '}
          <label>
            {t('label_tracker')}{' '}
            <ChoiceSelect t={t} id="tracker_id" name="tracker_id[]" rows={choices.trackers} selected={choices.selectedTrackers} />
          </label>{' '}
          <button type="submit">{t('button_edit')}</button>
          <input type="hidden" name="used_statuses_only" value="0" />{' '}
          <label>
            <input type="checkbox" name="used_statuses_only" value="1" checked={choices.usedStatusesOnly} /> {t('label_display_used_statuses_only')}
          </label>
        </p>
      </form>
    </>
  );
}

/** The chosen trackers and roles, carried by the editor's save form. */
export function SelectionFields({ choices }: { choices: WorkflowChoices }): VNode {
  return (
    <>
      {(choices.selectedTrackers ?? []).map((tracker) => (
        <input type="hidden" name="tracker_id[]" value={String(tracker.id)} />
      ))}
      {(choices.selectedRoles ?? []).map((role) => (
        <input type="hidden" name="role_id[]" value={String(role.id)} />
      ))}
      <input type="hidden" name="used_statuses_only" value={choices.usedStatusesOnly ? '1' : '0'} />
    </>
  );
}
