/**
 * Password inputs of every form that sets or asks for one (/my/password, the administrator's user
 * form, the lost-password reset). Plain `type=password` inputs that password managers and paste work
 * with; the `password-fields` island (add `scripts: ['password-fields']` to the page) reveals the
 * "show password" box and the strength meter, which stay hidden without JavaScript.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';

export interface PasswordInputProps {
  readonly id: string;
  readonly name: string;
  readonly autocomplete: 'current-password' | 'new-password';
  readonly required?: boolean | undefined;
  readonly disabled?: boolean | undefined;
  /** Show a strength meter under the input (new passwords only). */
  readonly strength?: boolean | undefined;
  readonly t: Translate;
}

/**
 * No `maxlength`: the browser counts UTF-16 units, the policy counts characters (an emoji is one), and
 * the server answers a too long password with its own message.
 */
export function PasswordInput({ id, name, autocomplete, required, disabled, strength, t }: PasswordInputProps): VNode {
  return (
    <>
      <input type="password" id={id} name={name} autocomplete={autocomplete} required={required} disabled={disabled} size={25} data-password-input="" />
      {strength ? (
        <span class="password-strength" data-strength-for={id} hidden>
          {t('label_password_strength')}{' '}
          <meter min={0} max={4} low={2} high={3} optimum={4} value={0} />{' '}
          <span data-strength-label="" data-labels={[t('label_password_strength_weak'), t('label_password_strength_fair'), t('label_password_strength_strong')].join('|')} />
        </span>
      ) : null}
    </>
  );
}

/** A checkbox that shows the typed passwords of its form as text while it is checked. */
export function ShowPasswordToggle({ t }: { t: Translate }): VNode {
  return (
    <p class="password-show" hidden>
      <label>
        <input type="checkbox" data-show-passwords="" /> {t('label_show_password')}
      </label>
    </p>
  );
}

/** "Must be at least 8 characters long. Must contain uppercase letters, digits." */
export function passwordRulesHint(t: Translate, minLength: number, requiredCharClasses: readonly string[]): string {
  const classes = requiredCharClasses.map((c) => t(`label_password_char_class_${c}` as MessageKey)).join(', ');
  return [t('text_caracters_minimum', { count: String(minLength) }), ...(classes ? [t('text_characters_must_contain', { character_classes: classes })] : [])].join(' ');
}

/**
 * The new password and its confirmation, with the policy's hint: the one pair every form that sets a
 * password shows (My account → Password, the lost-password link).
 */
export function NewPasswordFields({ t, minLength, requiredCharClasses }: { t: Translate; minLength: number; requiredCharClasses: readonly string[] }): VNode {
  return (
    <>
      <p>
        <label for="new_password">{t('field_new_password')}</label>
        <PasswordInput t={t} id="new_password" name="new_password" autocomplete="new-password" required strength />
        <em class="info">{passwordRulesHint(t, minLength, requiredCharClasses)}</em>
      </p>
      <p>
        <label for="new_password_confirmation">{t('field_password_confirmation')}</label>
        <PasswordInput t={t} id="new_password_confirmation" name="new_password_confirmation" autocomplete="new-password" required />
      </p>
    </>
  );
}
