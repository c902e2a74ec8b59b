/** The issue status form (Redmine's issue_statuses/_form): name, description, default done ratio (when the done ratio follows the status), closed. */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { IssueStatusDraft } from '../issue-status.input.ts';

export interface IssueStatusFormProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly status: IssueStatusDraft;
  readonly doneRatioByStatus: boolean;
  readonly errors: readonly string[];
}

const RATIOS = Array.from({ length: 11 }, (_, i) => i * 10);

export function IssueStatusForm({ t, csrfToken, status, doneRatioByStatus, errors }: IssueStatusFormProps): VNode {
  const isNew = status.id === undefined;
  return (
    <>
      <h2>
        <a href="/issue_statuses">{t('label_issue_status_plural')}</a> » {isNew ? t('label_issue_status_new') : status.name}
      </h2>
      <form method="post" action={isNew ? '/issue_statuses' : `/issue_statuses/${status.id}`} id={isNew ? 'new_issue_status' : 'edit_issue_status'} class="tabular">
        <CsrfField token={csrfToken} />
        <ErrorExplanation errors={errors} t={t} />
        <div class="box tabular">
          <p>
            <label for="issue_status_name">
              {t('field_name')} <span class="required">*</span>
            </label>
            <input type="text" id="issue_status_name" name="issue_status[name]" value={status.name} size={30} maxLength={30} required />
          </p>
          <p>
            <label for="issue_status_description">{t('field_description')}</label>
            <textarea id="issue_status_description" name="issue_status[description]" rows={4} cols={60}>
              {status.description ?? ''}
            </textarea>
          </p>
          {doneRatioByStatus ? (
            <p>
              <label for="issue_status_default_done_ratio">{t('field_done_ratio')}</label>
              <select id="issue_status_default_done_ratio" name="issue_status[default_done_ratio]">
                <option value=""></option>
                {RATIOS.map((ratio) => (
                  <option value={String(ratio)} selected={ratio === status.default_done_ratio}>
                    {ratio} %
                  </option>
                ))}
              </select>
            </p>
          ) : null}
          <p>
            <label for="issue_status_is_closed">{t('field_is_closed')}</label>
            <input type="hidden" name="issue_status[is_closed]" value="0" />
            <input type="checkbox" id="issue_status_is_closed" name="issue_status[is_closed]" value="1" checked={status.is_closed} />
          </p>
        </div>
        <button type="submit" name="commit">
          {isNew ? t('button_create') : t('button_save')}
        </button>
      </form>
    </>
  );
}
