/** Choosing the class of a new custom field (Redmine's custom_fields/select_type). */
import type { VNode } from 'preact';
import type { CustomFieldType } from '#src/db/schema/custom-fields.ts';
import type { Translate } from '#src/i18n/index.ts';
import { CUSTOM_FIELD_TYPES } from '../custom-field-definition.rules.ts';
import { CUSTOM_FIELD_TYPE_LABELS } from './custom-field-labels.ts';

export function CustomFieldSelectType({ t, selected }: { t: Translate; selected: CustomFieldType | undefined }): VNode {
  const chosen = selected ?? 'IssueCustomField';
  return (
    <>
      <h2>
        <a href="/custom_fields">{t('label_custom_field_plural')}</a> » {t('label_custom_field_new')}
      </h2>
      <form method="get" action="/custom_fields/new" id="custom_field_select_type">
        <div class="box">
          <p>{t('label_custom_field_select_type')}:</p>
          <p>
            {CUSTOM_FIELD_TYPES.map((type) => (
              <label class="block">
                <input type="radio" name="type" value={type} checked={type === chosen} /> {t(CUSTOM_FIELD_TYPE_LABELS[type])}
              </label>
            ))}
          </p>
        </div>
        <p>
          <button type="submit">{t('label_next')} »</button>
        </p>
      </form>
    </>
  );
}
