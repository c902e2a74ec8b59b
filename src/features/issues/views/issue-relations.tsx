/**
 * The issue's subtask tree (`#issue_tree`) and related issues (`#relations`) with the form that adds
 * a relation and the buttons that remove one, as Redmine lays them out. Without JavaScript the form
 * sits in a `<details>` that opens on "Add". Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { IssueShowModel } from '../issue-show.loader.ts';
import type { IssueRow } from '../issue.repository.ts';
import { IssueLink, PrincipalLink, ProgressBar } from './issue-format.tsx';
import { RELATION_LABELS, RELATION_TYPES } from './relation-labels.ts';

/** What the relation form shows again after a refusal. */
export interface RelationFormState {
  readonly errors: readonly string[];
  readonly relationType: string;
  readonly issueToId: string;
  readonly delay: string;
}

const rowClass = (issue: IssueRow) =>
  `issue tracker-${issue.tracker_id} status-${issue.status_id} priority-${issue.priority_id}${issue.status_is_closed ? ' closed' : ''}`;

export function IssueSubtasks({ model, t, format }: { model: IssueShowModel; t: Translate; format: Formatter }): VNode {
  const { issue, project } = model;
  const identifier = encodeURIComponent(project.identifier ?? String(project.id));
  const tracker = model.disabled.has('parent_issue_id') ? '' : `&issue%5Btracker_id%5D=${issue.tracker_id}`;
  return (
    <div id="issue_tree">
      {model.rights.manageSubtasks ? (
        <div class="contextual">
          <a href={`/projects/${identifier}/issues/new?issue%5Bparent_issue_id%5D=${issue.id}${tracker}`} class="icon icon-add" title={t('label_subtask_new')}>
            {t('button_add')}
          </a>
        </div>
      ) : null}
      <p>
        <strong>{t('label_subtask_plural')}</strong>
      </p>
      {model.children.length > 0 ? (
        <table class="list issues odd-even">
          <tbody>
            {model.children.map(({ row, depth }) => (
              <tr class={`${rowClass(row)} idnt idnt-${depth}`} id={`issue-${row.id}`}>
                <td class="subject">
                  <IssueLink issue={row} t={t} withProject={row.project_id !== issue.project_id} />
                </td>
                <td class="status">{row.status_name}</td>
                <td class="assigned_to">{row.assigned_to_id !== null ? <PrincipalLink principal={model.names.principals.get(row.assigned_to_id)} t={t} format={format} /> : null}</td>
                <td class="done_ratio">
                  <ProgressBar percent={row.done_ratio} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function RelationForm({ issueId, t, csrfToken, state }: { issueId: number; t: Translate; csrfToken: string; state: RelationFormState | undefined }): VNode {
  return (
    <details class="new-relation" open={state !== undefined}>
      <summary>{t('button_add')}</summary>
      <form id="new-relation-form" method="post" action={`/issues/${issueId}/relations`}>
        <CsrfField token={csrfToken} />
        {state ? <ErrorExplanation errors={state.errors} t={t} /> : null}
        <p>
          <label for="relation_relation_type" class="visually-hidden">
            {t('field_relation')}
          </label>
          <select id="relation_relation_type" name="relation[relation_type]">
            {RELATION_TYPES.map((type) => (
              <option value={type} selected={(state?.relationType ?? 'relates') === type}>
                {t(RELATION_LABELS[type]!)}
              </option>
            ))}
          </select>{' '}
          <label for="relation_issue_to_id">{t('label_issue')} #</label>
          <input type="text" id="relation_issue_to_id" name="relation[issue_to_id]" size={10} value={state?.issueToId ?? ''} required />{' '}
          <span id="predecessor_fields">
            <label for="relation_delay">{t('field_delay')}</label>:{' '}
            <input type="text" id="relation_delay" name="relation[delay]" size={3} value={state?.delay ?? ''} inputmode="numeric" /> {t('label_relation_delay_days')}
          </span>{' '}
          <input type="submit" value={t('button_add')} />
        </p>
      </form>
    </details>
  );
}

export function IssueRelations(props: { model: IssueShowModel; t: Translate; format: Formatter; csrfToken: string; form: RelationFormState | undefined }): VNode {
  const { model, t, format, csrfToken } = props;
  const { issue, rights } = model;
  return (
    <div id="relations">
      <p>
        <strong>{t('label_related_issues')}</strong>
      </p>
      {model.relations.length > 0 ? (
        <table class="list issues odd-even">
          <tbody>
            {model.relations.map(({ relation, type, other }) => {
              const label = RELATION_LABELS[type];
              return (
                <tr class={`${rowClass(other)} rel-${type}`} id={`relation-${relation.id}`}>
                  <td class="subject">
                    {label ? t(label) : type} {relation.delay ? `(${t('datetime_x_days', { count: String(relation.delay) })}) ` : ''}
                    <IssueLink issue={other} t={t} withProject={other.project_id !== issue.project_id} />
                  </td>
                  <td class="status">{other.status_name}</td>
                  <td class="start_date">{format.date(other.start_date)}</td>
                  <td class="due_date">{format.date(other.due_date)}</td>
                  <td class="done_ratio">
                    <ProgressBar percent={other.done_ratio} />
                  </td>
                  <td class="buttons">
                    {rights.manageRelations ? (
                      <form method="post" action={`/relations/${relation.id}/delete`} class="inline" data-confirm={t('text_are_you_sure')}>
                        <CsrfField token={csrfToken} />
                        <input type="hidden" name="issue_id" value={String(issue.id)} />
                        <button type="submit" class="link icon-only icon-link-break" title={t('label_relation_delete')}>
                          <span class="visually-hidden">{t('label_relation_delete')}</span>
                          {'×'}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {rights.manageRelations ? <RelationForm issueId={issue.id} t={t} csrfToken={csrfToken} state={props.form} /> : null}
    </div>
  );
}
