/**
 * The status-transition editor (Redmine's workflows/edit): for the chosen roles and trackers, a
 * matrix of current status (rows, "new issue" first) × new status (columns), three times: for every
 * user, and the extra transitions when the user is the author or its assignee. A cell where
 * the chosen combinations differ offers Yes / No / no change instead of a checkbox.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import { ToggleCheckboxes } from '#src/views/toggle-checkboxes.tsx';
import { transitionCells, TRANSITION_RULES, type CellState, type TransitionRule } from '../workflow.matrix.ts';
import type { NamedRow } from '../workflow.repository.ts';
import type { TransitionEditor } from '../workflow.service.ts';
import { SelectionFields, WorkflowActions, WorkflowSelection } from './workflow-selection.tsx';

function TransitionCell(props: { t: Translate; rule: TransitionRule; old: NamedRow | undefined; next: NamedRow; state: CellState | undefined }): VNode {
  const { t, rule, old, next, state } = props;
  const oldId = old?.id ?? 0;
  const name = `transitions[${oldId}][${next.id}][${rule}]`;
  const classes = `old-status-${oldId} new-status-${next.id}`;
  if (old && old.id === next.id) {
    return <input type="checkbox" checked disabled class={classes} aria-label={`${old.name} » ${next.name}`} />;
  }
  if (state === 'mixed') {
    return (
      <select name={name} aria-label={`${old?.name ?? t('label_issue_new')} » ${next.name}`}>
        <option value="1">{t('general_text_Yes')}</option>
        <option value="0">{t('general_text_No')}</option>
        <option value="no_change" selected>
          {t('label_no_change_option')}
        </option>
      </select>
    );
  }
  return (
    <>
      <input type="hidden" name={name} value="0" />
      <input type="checkbox" name={name} value="1" checked={state === 'on'} class={classes} aria-label={`${old?.name ?? t('label_issue_new')} » ${next.name}`} />
    </>
  );
}

function TransitionTable({ t, rule, editor }: { t: Translate; rule: TransitionRule; editor: TransitionEditor }): VNode {
  const combinations = (editor.selectedRoles?.length ?? 0) * (editor.selectedTrackers?.length ?? 0);
  const cells = transitionCells(editor.transitions, rule, combinations);
  const table = `table.transitions-${rule}`;
  const olds: Array<NamedRow | undefined> = rule === 'always' ? [undefined, ...editor.statuses] : editor.statuses;
  return (
    <table class={`list workflows transitions transitions-${rule}`}>
      <thead>
        <tr>
          <th>
            <ToggleCheckboxes t={t} selector={`${table} input[type=checkbox]`} />
            {t('label_current_status')}
          </th>
          <th colSpan={editor.statuses.length}>{t('label_new_statuses_allowed')}</th>
        </tr>
        <tr>
          <td></td>
          {editor.statuses.map((status) => (
            <td>
              <ToggleCheckboxes t={t} selector={`${table} input[type=checkbox].new-status-${status.id}`} />
              {status.name}
            </td>
          ))}
        </tr>
      </thead>
      <tbody>
        {olds.map((old) => (
          <tr>
            <td class="name">
              <ToggleCheckboxes t={t} selector={`${table} input[type=checkbox].old-status-${old?.id ?? 0}`} />
              {old ? old.name : <em>{t('label_issue_new')}</em>}
            </td>
            {editor.statuses.map((next) => {
              const state = cells.get(`${old?.id ?? 0}:${next.id}`);
              const enabled = (old && old.id === next.id) || state === 'on';
              return (
                <td class={enabled ? 'enabled' : undefined} title={`${old?.name ?? t('label_issue_new')} » ${next.name}`}>
                  <TransitionCell t={t} rule={rule} old={old} next={next} state={state} />
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TransitionsPage({ t, csrfToken, editor }: { t: Translate; csrfToken: string; editor: TransitionEditor }): VNode {
  const ready = editor.selectedRoles && editor.selectedTrackers && editor.statuses.length > 0;
  const has = (rule: TransitionRule) => editor.transitions.some((row) => row[rule as 'author' | 'assignee']);
  return (
    <>
      <WorkflowActions t={t} />
      <h2>{t('label_workflow')}</h2>
      <WorkflowSelection t={t} tab="edit" choices={editor} />
      {ready ? (
        <form method="post" action="/workflows/edit" id="workflow_form">
          <CsrfField token={csrfToken} />
          <SelectionFields choices={editor} />
          <div class="autoscroll">
            {TRANSITION_RULES.map((rule) =>
              rule === 'always' ? (
                <TransitionTable t={t} rule={rule} editor={editor} />
              ) : (
                <details class="collapsible workflow-extra" id={`${rule}_workflows`} open={has(rule)}>
                  <summary>{t(rule === 'author' ? 'label_additional_workflow_transitions_for_author' : 'label_additional_workflow_transitions_for_assignee')}</summary>
                  <TransitionTable t={t} rule={rule} editor={editor} />
                </details>
              ),
            )}
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
