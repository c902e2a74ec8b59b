/**
 * The issue statuses list (Redmine's issue_statuses/index): name, default done ratio (when the done
 * ratio follows the status), closed, description, a warning when no transition uses the status.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import { DeleteButton, ReorderButtons } from '#src/views/list-buttons.tsx';
import type { IssueStatusListRow } from '../issue-status.repository.ts';

export interface IssueStatusesListProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly statuses: readonly IssueStatusListRow[];
  /** The done ratio follows the status (setting issue_done_ratio = issue_status). */
  readonly doneRatioByStatus: boolean;
}

export function IssueStatusesList({ t, csrfToken, statuses, doneRatioByStatus }: IssueStatusesListProps): VNode {
  return (
    <>
      <div class="contextual">
        <a href="/issue_statuses/new" class="icon icon-add">
          {t('label_issue_status_new')}
        </a>{' '}
        {doneRatioByStatus ? (
          <form method="post" action="/issue_statuses/update_issue_done_ratio" class="inline" data-confirm={t('text_are_you_sure')}>
            <CsrfField token={csrfToken} />
            <button type="submit" class="icon icon-multiple">
              {t('label_update_issue_done_ratios')}
            </button>
          </form>
        ) : null}
      </div>
      <h2>{t('label_issue_status_plural')}</h2>
      <table class="list issue_statuses">
        <thead>
          <tr>
            <th>{t('field_status')}</th>
            {doneRatioByStatus ? <th>{t('field_done_ratio')}</th> : null}
            <th>{t('field_is_closed')}</th>
            <th>{t('field_description')}</th>
            <th></th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {statuses.map((status, i) => (
            <tr id={`issue-status-${status.id}`}>
              <td class="name">
                <a href={`/issue_statuses/${status.id}/edit`}>{status.name}</a>
              </td>
              {doneRatioByStatus ? <td>{status.default_done_ratio ?? ''}</td> : null}
              <td class="tick">{status.is_closed ? <span class="icon-only icon-checked">{t('general_text_Yes')}</span> : null}</td>
              <td class="description">{status.description ?? ''}</td>
              <td>
                {status.has_workflow ? null : (
                  <span class="icon icon-warning">
                    {t('text_status_no_workflow')} (<a href="/workflows/edit?used_statuses_only=0">{t('button_edit')}</a>)
                  </span>
                )}
              </td>
              <td class="buttons">
                <ReorderButtons t={t} csrfToken={csrfToken} action={`/issue_statuses/${status.id}`} param="issue_status" index={i + 1} count={statuses.length} />
                <DeleteButton t={t} csrfToken={csrfToken} action={`/issue_statuses/${status.id}/delete`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
