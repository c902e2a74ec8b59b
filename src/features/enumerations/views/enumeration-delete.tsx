/**
 * Deleting a value still in use (Redmine's enumerations/destroy): how many records use it, and the
 * value of the same type to move them to before it goes.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import type { EnumerationDeletionQuestion } from '../enumeration.service.ts';
import { ENUMERATION_TYPE_LABELS } from './enumeration-labels.ts';

export function EnumerationDeletePage({ t, csrfToken, question }: { t: Translate; csrfToken: string; question: EnumerationDeletionQuestion }): VNode {
  const { enumeration } = question;
  return (
    <>
      <h2>
        <a href="/enumerations">{t(ENUMERATION_TYPE_LABELS[enumeration.type])}</a> » {enumeration.name}
      </h2>
      <form method="post" action={`/enumerations/${enumeration.id}/delete`} id="enumeration_destroy">
        <CsrfField token={csrfToken} />
        <div class="box">
          <p>
            <strong>{t('text_enumeration_destroy_question', { name: enumeration.name, count: String(question.count) })}</strong>
          </p>
          <p>
            <label for="reassign_to_id">{t('text_enumeration_category_reassign_to')}</label>{' '}
            <select id="reassign_to_id" name="reassign_to_id">
              <option value="">--- {t('label_please_select')} ---</option>
              {question.others.map((other) => (
                <option value={String(other.id)}>{other.name}</option>
              ))}
            </select>
          </p>
        </div>
        <button type="submit">{t('button_apply')}</button> <a href="/enumerations">{t('button_cancel')}</a>
      </form>
    </>
  );
}
