/**
 * The pages of one journal: editing its note (Redmine's journals/edit, the form the issue page opens
 * without JavaScript) and the diff of a text change (journals/diff). Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { DiffLine } from '#src/lib/line-diff.ts';
import type { Formatter } from '#src/views/format.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { PrincipalName } from '../issue-page.repository.ts';
import type { IssueRow } from '../issue.repository.ts';
import { Ago, IssueLink, PrincipalLink, Sentence } from './issue-format.tsx';

export interface JournalEditProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly issue: IssueRow;
  readonly journalId: number;
  readonly notes: string;
  readonly privateNotes: boolean;
  /** Shows the private checkbox (set_notes_private). */
  readonly mayChangePrivacy: boolean;
  readonly errors: readonly string[];
}

export function JournalEdit(props: JournalEditProps): VNode {
  const { t, issue, journalId } = props;
  const rows = Math.min(100, Math.max(10, Math.round(props.notes.length / 50)));
  return (
    <>
      <h2>{t('label_journal_edit')}</h2>
      <p class="breadcrumb">
        <IssueLink issue={issue} t={t} />
      </p>
      <form id={`journal-${journalId}-form`} method="post" action={`/journals/${journalId}`}>
        <CsrfField token={props.csrfToken} />
        <ErrorExplanation errors={props.errors} t={t} />
        <p>
          <label for={`journal_${journalId}_notes`} class="visually-hidden">
            {t('field_notes')}
          </label>
          <textarea id={`journal_${journalId}_notes`} name="journal[notes]" class="wiki-edit" rows={rows}>
            {props.notes}
          </textarea>
        </p>
        {props.mayChangePrivacy ? (
          <p>
            <input type="hidden" name="journal[private_notes]" value="0" />
            <input type="checkbox" name="journal[private_notes]" value="1" id={`journal_${journalId}_private_notes`} checked={props.privateNotes} />{' '}
            <label for={`journal_${journalId}_private_notes`}>{t('field_private_notes')}</label>
          </p>
        ) : null}
        <p class="buttons">
          <input type="submit" value={t('button_save')} class="primary" />
          <a href={`/issues/${issue.id}#change-${journalId}`}>{t('button_cancel')}</a>
        </p>
      </form>
    </>
  );
}

export interface JournalDiffProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly issue: IssueRow;
  readonly author: PrincipalName | undefined;
  readonly createdOn: Date;
  readonly label: string;
  readonly lines: readonly DiffLine[];
}

export function JournalDiff(props: JournalDiffProps): VNode {
  const { t, format, issue } = props;
  return (
    <>
      <h2>{t('label_issue_heading', { tracker: issue.tracker_name, id: String(issue.id) })}</h2>
      <p>
        <Sentence t={t} k="label_updated_time_by" parts={{ author: <PrincipalLink principal={props.author} t={t} format={format} />, age: <Ago at={props.createdOn} format={format} /> }} />
      </p>
      <h3>{props.label}</h3>
      <div class="text-diff">
        {props.lines.map((line) =>
          line.kind === 'same' ? <div class="diff_same">{line.text || '\u00a0'}</div> : line.kind === 'removed' ? <del class="diff_out">{line.text || '\u00a0'}</del> : <ins class="diff_in">{line.text || '\u00a0'}</ins>,
        )}
      </div>
      <p>
        <a href={`/issues/${issue.id}`}>{t('button_back')}</a>
      </p>
    </>
  );
}
