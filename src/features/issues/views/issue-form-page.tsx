/**
 * The pages around the issue form: New issue (also a copy), the edit page (Redmine shows the same form
 * at the bottom of the issue page), and the confirmation before deleting an issue, which asks what to
 * do with the time logged on it (Redmine's `todo`). Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { IssueFormModel } from '../issue-form.types.ts';
import { IssueForm } from './issue-form.tsx';

export function NewIssuePage({ model, t, csrfToken }: { model: IssueFormModel; t: Translate; csrfToken: string }): VNode {
  return (
    <div id="new-issue">
      <h2>{t('label_issue_new')}</h2>
      {model.noTracker ? (
        <p class="nodata" id="errorExplanation">
          {t('error_no_tracker_in_project')}
        </p>
      ) : (
        <IssueForm model={model} t={t} csrfToken={csrfToken} />
      )}
    </div>
  );
}

export function EditIssuePage({ model, t, csrfToken }: { model: IssueFormModel; t: Translate; csrfToken: string }): VNode {
  const issue = model.issue;
  return (
    <div id="edit-issue">
      <h2>
        {issue ? (
          <a href={`/issues/${issue.id}`}>{t('label_issue_edit_title', { tracker: issue.trackerName, id: String(issue.id), subject: issue.subject })}</a>
        ) : null}
      </h2>
      <div id="update">
        <IssueForm model={model} t={t} csrfToken={csrfToken} />
      </div>
    </div>
  );
}

export interface DeleteIssueModel {
  readonly issueId: number;
  readonly subject: string;
  /** Hours logged on the issue and its subtasks; 0 asks only "are you sure?". */
  readonly hours: string;
  readonly hasHours: boolean;
  readonly todo: string;
  readonly reassignToId: string;
  readonly errors: readonly string[];
}

/** Redmine's issues/destroy.html.erb: the choice of what becomes of the logged time, then Delete. */
export function DeleteIssuePage({ model, t, csrfToken }: { model: DeleteIssueModel; t: Translate; csrfToken: string }): VNode {
  const option = (value: string, label: string) => (
    <label class="block">
      <input type="radio" name="todo" value={value} id={`todo_${value}`} checked={model.todo === value} /> {label}
    </label>
  );
  return (
    <div id="delete-issue">
      <h2>{t('label_confirmation')}</h2>
      <ErrorExplanation errors={model.errors} t={t} />
      <form method="post" action={`/issues/${model.issueId}/delete`} id="issue-delete-form">
        <CsrfField token={csrfToken} />
        <div class="box">
          <p>
            <strong>
              <a href={`/issues/${model.issueId}`}>#{model.issueId}</a> {model.subject}
            </strong>
          </p>
          <p>{t('text_issues_destroy_confirmation')}</p>
          {model.hasHours ? (
            <>
              <p>{t('text_destroy_time_entries_question', { hours: model.hours })}</p>
              <p>
                {option('destroy', t('text_destroy_time_entries'))}
                {option('nullify', t('text_assign_time_entries_to_project'))}
                {option('reassign', t('text_reassign_time_entries'))}
                <input type="text" name="reassign_to_id" id="reassign_to_id" value={model.reassignToId} size={6} aria-label={t('field_issue')} />
              </p>
            </>
          ) : (
            <input type="hidden" name="todo" value="destroy" />
          )}
        </div>
        <p class="buttons">
          <input type="submit" value={t('button_delete')} class="primary" />
          <a href={`/issues/${model.issueId}`}>{t('button_cancel')}</a>
        </p>
      </form>
    </div>
  );
}
