/**
 * The values of a key/value list (Redmine's custom_field_enumerations/index and destroy): every value
 * with its name, active flag and place, saved at once; a form to add a value; and, for a value still
 * stored somewhere, the page that asks which value its records get instead. Without JavaScript the
 * places are numbers to edit, and each delete button posts a form of its own (forms cannot nest).
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { CustomFieldDraft } from '../custom-field-definition.rules.ts';
import type { EnumerationRow } from '../custom-field-enumeration.repository.ts';
import { CUSTOM_FIELD_TYPE_LABELS } from './custom-field-labels.ts';

function Title({ t, field }: { t: Translate; field: CustomFieldDraft }): VNode {
  return (
    <h2>
      <a href="/custom_fields">{t('label_custom_field_plural')}</a> » <a href={`/custom_fields?tab=${field.type}`}>{t(CUSTOM_FIELD_TYPE_LABELS[field.type])}</a> »{' '}
      <a href={`/custom_fields/${field.id}/edit`}>{field.name}</a>
    </h2>
  );
}

export interface EnumerationsPageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly field: CustomFieldDraft;
  readonly values: readonly EnumerationRow[];
  readonly errors: readonly string[];
  /** The name typed in the "new value" box of a refused addition. */
  readonly newName?: string;
}

export function CustomFieldEnumerations({ t, csrfToken, field, values, errors, newName }: EnumerationsPageProps): VNode {
  const base = `/custom_fields/${field.id}/enumerations`;
  return (
    <>
      <Title t={t} field={field} />
      <ErrorExplanation errors={errors} t={t} />
      {values.length === 0 ? (
        <p class="nodata">{t('text_custom_field_enumerations_none')}</p>
      ) : (
        <form method="post" action={`${base}/update`} id="custom_field_enumerations_form">
          <CsrfField token={csrfToken} />
          <div class="box">
            <ul id="custom_field_enumerations" class="flat">
              {values.map((value, index) => {
                const prefix = `custom_field_enumerations[${value.id}]`;
                return (
                  <li id={`custom_field_enumeration_${value.id}`}>
                    <input
                      type="number"
                      name={`${prefix}[position]`}
                      value={String(index + 1)}
                      min={1}
                      class="position"
                      style="width: 4em"
                      aria-label={`${t('field_position')}: ${value.name}`}
                    />{' '}
                    <input type="text" name={`${prefix}[name]`} value={value.name} size={40} maxLength={60} aria-label={t('field_name')} />{' '}
                    <input type="hidden" name={`${prefix}[active]`} value="0" />
                    <label>
                      <input type="checkbox" name={`${prefix}[active]`} value="1" checked={value.active} /> {t('field_active')}
                    </label>{' '}
                    <button type="submit" form={`delete_enumeration_${value.id}`} class="icon icon-del">
                      {t('button_delete')}
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
          <p>
            <button type="submit">{t('button_save')}</button> | <a href={`/custom_fields/${field.id}/edit`}>{t('button_back')}</a>
          </p>
        </form>
      )}
      {values.map((value) => (
        <form method="post" action={`${base}/${value.id}/delete`} id={`delete_enumeration_${value.id}`} data-confirm={t('text_are_you_sure')} hidden>
          <CsrfField token={csrfToken} />
        </form>
      ))}
      <form method="post" action={base} id="add-element">
        <CsrfField token={csrfToken} />
        <p>
          <label for="custom_field_enumeration_name">{t('label_enumeration_new')}</label>
        </p>
        <p>
          <input type="text" id="custom_field_enumeration_name" name="custom_field_enumeration[name]" value={newName ?? ''} size={40} maxLength={60} />{' '}
          <button type="submit">{t('button_add')}</button>
        </p>
      </form>
    </>
  );
}

export interface EnumerationDestroyProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly field: CustomFieldDraft;
  readonly value: EnumerationRow;
  readonly others: readonly EnumerationRow[];
}

/** A value still in use: which other value its records get (Redmine's destroy page). */
export function CustomFieldEnumerationDestroy({ t, csrfToken, field, value, others }: EnumerationDestroyProps): VNode {
  const base = `/custom_fields/${field.id}/enumerations`;
  return (
    <>
      <Title t={t} field={field} />
      <form method="post" action={`${base}/${value.id}/delete`}>
        <CsrfField token={csrfToken} />
        <div class="box">
          <p>
            <strong>{t('text_enumeration_destroy_question', { name: value.name, count: String(value.objects_count) })}</strong>
          </p>
          <p>
            <label for="reassign_to_id">{t('text_enumeration_category_reassign_to')}</label>{' '}
            <select id="reassign_to_id" name="reassign_to_id" required>
              <option value="">--- {t('label_please_select')} ---</option>
              {others.map((other) => (
                <option value={String(other.id)}>{other.name}</option>
              ))}
            </select>
          </p>
        </div>
        <button type="submit">{t('button_apply')}</button> <a href={base}>{t('button_cancel')}</a>
      </form>
    </>
  );
}
