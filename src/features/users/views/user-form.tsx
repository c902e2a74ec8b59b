/**
 * The fields of Redmine's users/_form: information (login, names, address, language, administrator,
 * custom fields), authentication (password or a generated one, change at next sign-in), e-mail
 * notifications and preferences. Shared by the new-user page and the general tab of the edit page.
 */
import type { VNode } from 'preact';
import { CustomFieldInput } from '#src/features/custom-fields/views/custom-field-input.tsx';
import type { PasswordRules } from '#src/features/account/index.ts';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import type { Translate } from '#src/i18n/index.ts';
import { Field, Select } from '#src/views/form.tsx';
import { PasswordInput, passwordRulesHint, ShowPasswordToggle } from '#src/views/password-fields.tsx';
import type { UserFormValues } from '../user.form.ts';
import { languageOptions, mailNotificationOptions, timeZoneOptions } from './choices.ts';

export interface UserFieldsProps {
  readonly t: Translate;
  readonly values: UserFormValues;
  readonly customFields: readonly CustomFieldDef[];
  /** A new user needs a password; an existing one keeps theirs when it is left blank. */
  readonly isNew: boolean;
  /** Administrators cannot take their own administrator flag away (Redmine disables the box). */
  readonly isSelf: boolean;
  /** The tenant's password policy, told beside the password field. */
  readonly passwordRules: PasswordRules;
}

/** A checkbox that always sends a value: the hidden `0` is overridden by the box's `1` when checked. */
export function CheckBox({ id, name, checked, disabled }: { id: string; name: string; checked: boolean; disabled?: boolean }): VNode {
  return (
    <>
      {disabled ? null : <input type="hidden" name={name} value="0" />}
      <input type="checkbox" id={id} name={name} value="1" checked={checked} disabled={disabled} />
    </>
  );
}

export function UserFields({ t, values, customFields, isNew, isSelf, passwordRules }: UserFieldsProps): VNode {
  return (
    <div class="splitcontent">
      <div class="splitcontentleft">
        <fieldset class="box tabular">
          <legend>{t('label_information')}</legend>
          <Field id="user_login" label={t('field_login')} required>
            <input type="text" id="user_login" name="user[login]" value={values.login} size={25} maxLength={60} autocomplete="off" required />
          </Field>
          <Field id="user_firstname" label={t('field_firstname')} required>
            <input type="text" id="user_firstname" name="user[firstname]" value={values.firstname} size={30} maxLength={30} required />
          </Field>
          <Field id="user_lastname" label={t('field_lastname')} required>
            <input type="text" id="user_lastname" name="user[lastname]" value={values.lastname} size={30} maxLength={255} required />
          </Field>
          <Field id="user_mail" label={t('field_mail')} required>
            <input type="email" id="user_mail" name="user[mail]" value={values.mail} size={40} maxLength={254} required />
          </Field>
          <Field id="user_language" label={t('field_language')}>
            <Select id="user_language" name="user[language]" value={values.language} blank={t('label_language_auto')} options={languageOptions(t)} />
          </Field>
          <Field id="user_admin" label={t('field_admin')}>
            <CheckBox id="user_admin" name="user[admin]" checked={values.admin} disabled={isSelf} />
          </Field>
          {customFields.map((field) => (
            <CustomFieldInput t={t} record="user" field={field} values={values.customValues.get(field.id) ?? []} />
          ))}
        </fieldset>
        <fieldset class="box tabular" id="password_fields">
          <legend>{t('label_authentication')}</legend>
          <Field
            id="user_password"
            label={t('field_password')}
            required={isNew}
            hint={passwordRulesHint(t, passwordRules.minLength, passwordRules.requiredCharClasses)}
          >
            <PasswordInput t={t} id="user_password" name="user[password]" autocomplete="new-password" strength />
          </Field>
          <Field id="user_password_confirmation" label={t('field_password_confirmation')} required={isNew}>
            <PasswordInput t={t} id="user_password_confirmation" name="user[password_confirmation]" autocomplete="new-password" />
          </Field>
          <ShowPasswordToggle t={t} />
          <Field id="user_generate_password" label={t('field_generate_password')}>
            <CheckBox id="user_generate_password" name="user[generate_password]" checked={values.generatePassword} />
          </Field>
          <Field id="user_must_change_passwd" label={t('field_must_change_passwd')}>
            <CheckBox id="user_must_change_passwd" name="user[must_change_passwd]" checked={values.mustChangePasswd} />
          </Field>
          {isNew ? null : <em class="info">{t('text_password_unchanged_when_blank')}</em>}
        </fieldset>
      </div>
      <div class="splitcontentright">
        <fieldset class="box tabular">
          <legend>{t('field_mail_notification')}</legend>
          <Field id="user_mail_notification" label={t('field_mail_notification')}>
            <Select id="user_mail_notification" name="user[mail_notification]" value={values.mailNotification} options={mailNotificationOptions(t)} />
          </Field>
        </fieldset>
        <fieldset class="box tabular">
          <legend>{t('label_preferences')}</legend>
          <Field id="pref_hide_mail" label={t('field_hide_mail')}>
            <CheckBox id="pref_hide_mail" name="pref[hide_mail]" checked={values.hideMail} />
          </Field>
          <Field id="pref_time_zone" label={t('field_time_zone')}>
            <Select id="pref_time_zone" name="pref[time_zone]" value={values.timeZone} blank="" options={timeZoneOptions()} />
          </Field>
        </fieldset>
      </div>
    </div>
  );
}
