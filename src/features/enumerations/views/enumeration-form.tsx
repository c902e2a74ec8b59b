/** The enumeration form (Redmine's enumerations/_form): name, active, default. */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { EnumerationDraft } from '../enumeration.service.ts';
import { ENUMERATION_TYPE_LABELS } from './enumeration-labels.ts';

export function EnumerationForm({ t, csrfToken, draft, errors }: { t: Translate; csrfToken: string; draft: EnumerationDraft; errors: readonly string[] }): VNode {
  const isNew = draft.id === undefined;
  return (
    <>
      <h2>
        <a href="/enumerations">{t(ENUMERATION_TYPE_LABELS[draft.type])}</a> » {isNew ? t('label_enumeration_new') : draft.name}
      </h2>
      <form method="post" action={isNew ? '/enumerations' : `/enumerations/${draft.id}`} id={isNew ? 'new_enumeration' : 'edit_enumeration'} class="tabular">
        <CsrfField token={csrfToken} />
        {isNew ? <input type="hidden" name="enumeration[type]" value={draft.type} /> : null}
        <ErrorExplanation errors={errors} t={t} />
        <div class="box tabular">
          <p>
            <label for="enumeration_name">
              {t('field_name')} <span class="required">*</span>
            </label>
            <input type="text" id="enumeration_name" name="enumeration[name]" value={draft.name} size={30} maxLength={30} required />
          </p>
          <p>
            <label for="enumeration_active">{t('field_active')}</label>
            <input type="hidden" name="enumeration[active]" value="0" />
            <input type="checkbox" id="enumeration_active" name="enumeration[active]" value="1" checked={draft.active} />
          </p>
          <p>
            <label for="enumeration_is_default">{t('field_is_default')}</label>
            <input type="hidden" name="enumeration[is_default]" value="0" />
            <input type="checkbox" id="enumeration_is_default" name="enumeration[is_default]" value="1" checked={draft.is_default} />
          </p>
        </div>
        <button type="submit" name="commit">
          {isNew ? t('button_create') : t('button_save')}
        </button>
      </form>
    </>
  );
}
