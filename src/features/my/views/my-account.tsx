/**
 * My account (Redmine's my/account): the user's information (names, e-mail, language, the custom
 * fields users may edit) and preferences (time zone, hiding the e-mail address, comment order,
 * warnings, own notifications) in one `form.tabular`; the sidebar has the account facts and, when the
 * REST API is on, the API access key. Pure.
 */
import type { VNode } from 'preact';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { CustomFieldInput } from '#src/features/custom-fields/views/custom-field-input.tsx';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation, Field, Select } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';

export interface MyAccountValues {
  readonly firstname: string;
  readonly lastname: string;
  readonly mail: string;
  readonly language: string;
  readonly timeZone: string;
  readonly hideMail: boolean;
  readonly commentsSorting: string;
  readonly warnOnLeavingUnsaved: boolean;
  readonly noSelfNotified: boolean;
  readonly customValues: ReadonlyMap<number, readonly string[]>;
}

export interface MyAccountProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly errors: readonly string[];
  readonly values: MyAccountValues;
  readonly timeZones: readonly string[];
  readonly customFields: readonly CustomFieldDef[];
}

function Checkbox({ id, name, checked, label }: { id: string; name: string; checked: boolean; label: string }): VNode {
  return (
    <p>
      <label for={id}>{label}</label>
      <input type="hidden" name={name} value="0" />
      <input type="checkbox" id={id} name={name} value="1" checked={checked} />
    </p>
  );
}

export function MyAccount({ t, csrfToken, errors, values, timeZones, customFields }: MyAccountProps): VNode {
  return (
    <div id="my-account">
      <div class="contextual">
        <a href="/my/password" class="icon icon-passwd">
          {t('label_change_password')}
        </a>
      </div>
      <h2>{t('label_my_account')}</h2>
      <ErrorExplanation errors={errors} t={t} />
      <form method="post" action="/my/account" id="my_account_form" class="tabular">
        <CsrfField token={csrfToken} />
        <div class="splitcontent">
          <div class="splitcontentleft">
            <fieldset class="box tabular">
              <legend>{t('label_information_plural')}</legend>
              <Field id="user_firstname" label={t('field_firstname')} required>
                <input type="text" id="user_firstname" name="user[firstname]" value={values.firstname} maxlength={30} required />
              </Field>
              <Field id="user_lastname" label={t('field_lastname')} required>
                <input type="text" id="user_lastname" name="user[lastname]" value={values.lastname} maxlength={255} required />
              </Field>
              <Field id="user_mail" label={t('field_mail')} required>
                <input type="email" id="user_mail" name="user[mail]" value={values.mail} maxlength={254} required />
              </Field>
              <Field id="user_language" label={t('field_language')}>
                <Select
                  id="user_language"
                  name="user[language]"
                  value={values.language}
                  options={[
                    { value: '', label: t('label_language_auto') },
                    { value: 'en', label: t('general_lang_name_en') },
                    { value: 'ja', label: t('general_lang_name_ja') },
                  ]}
                />
              </Field>
              {customFields.map((field) => (
                <CustomFieldInput t={t} record="user" field={field} values={values.customValues.get(field.id) ?? []} />
              ))}
            </fieldset>
          </div>
          <div class="splitcontentright">
            <fieldset class="box tabular" id="preferences">
              <legend>{t('label_preferences')}</legend>
              <Checkbox id="pref_hide_mail" name="pref[hide_mail]" checked={values.hideMail} label={t('field_hide_mail')} />
              <Field id="pref_time_zone" label={t('field_time_zone')}>
                <Select id="pref_time_zone" name="pref[time_zone]" value={values.timeZone} blank="" options={timeZones.map((zone) => ({ value: zone, label: zone.replace(/_/g, ' ') }))} />
              </Field>
              <Field id="pref_comments_sorting" label={t('field_comments_sorting')}>
                <Select
                  id="pref_comments_sorting"
                  name="pref[comments_sorting]"
                  value={values.commentsSorting}
                  options={[
                    { value: 'asc', label: t('label_chronological_order') },
                    { value: 'desc', label: t('label_reverse_chronological_order') },
                  ]}
                />
              </Field>
              <Checkbox id="pref_warn_on_leaving_unsaved" name="pref[warn_on_leaving_unsaved]" checked={values.warnOnLeavingUnsaved} label={t('field_warn_on_leaving_unsaved')} />
              <Checkbox id="pref_no_self_notified" name="pref[no_self_notified]" checked={values.noSelfNotified} label={t('label_user_mail_no_self_notified')} />
            </fieldset>
          </div>
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_save')}
          </button>
        </p>
      </form>
    </div>
  );
}

export interface MyAccountSidebarProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  readonly login: string;
  readonly userId: number;
  readonly createdOn: Date | null;
  /** When the REST API is on: when the key was made, or null when the user has none yet. */
  readonly apiKey: { readonly createdOn: Date | null } | undefined;
}

export function MyAccountSidebar({ t, format, csrfToken, login, userId, createdOn, apiKey }: MyAccountSidebarProps): VNode {
  return (
    <>
      <h3>{t('label_my_account')}</h3>
      <p>
        {t('field_login')}:{' '}
        <strong>
          <a href={`/users/${userId}`} class="user active">
            {login}
          </a>
        </strong>
        <br />
        {t('field_created_on')}: {format.time(createdOn)}
      </p>
      <p>
        <a href="/my/sessions" id="my-sessions-link">
          {t('label_session_plural')}
        </a>
      </p>
      {apiKey ? (
        <div id="api-access-key-box">
          <h4>{t('label_api_access_key')}</h4>
          <p>
            <a href="/my/api_key" id="show-api-key">
              {t('button_show')}
            </a>
          </p>
          <p>
            {apiKey.createdOn ? t('label_api_access_key_created_on', { value: format.ago(apiKey.createdOn) }) : t('label_missing_api_access_key')}
          </p>
          <form method="post" action="/my/api_key" class="inline" data-confirm={t('text_are_you_sure')}>
            <CsrfField token={csrfToken} />
            <button type="submit" class="link" id="reset-api-key">
              {t('button_reset')}
            </button>
          </form>
        </div>
      ) : null}
    </>
  );
}

/** Redmine's my/show_api_key: the key, and the way back. */
export function ApiKeyPage({ t, apiKey }: { t: Translate; apiKey: string }): VNode {
  return (
    <div id="api-key-page">
      <h2>{t('label_api_access_key')}</h2>
      <div class="box">
        <pre id="api-access-key">{apiKey}</pre>
      </div>
      <p>
        <a href="/my/account">{t('button_back')}</a>
      </p>
    </div>
  );
}
