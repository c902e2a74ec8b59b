/**
 * The answer to a user form that generated a password: the one time the password is ever shown
 * (it is stored only hashed and never e-mailed). The page is not cached (`no-store`), and reloading
 * it would post the form again, which makes another password.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';

export interface GeneratedPasswordPageProps {
  readonly t: Translate;
  readonly user: { readonly id: number; readonly login: string };
  readonly password: string;
  /** Where to go on: the user's edit page, or a new user form ("Create and continue"). */
  readonly next: string;
}

export function GeneratedPasswordPage({ t, user, password, next }: GeneratedPasswordPageProps): VNode {
  return (
    <>
      <h2>
        <a href="/users">{t('label_user_plural')}</a> » <a href={`/users/${user.id}/edit`}>{user.login}</a>
      </h2>
      <div class="box" id="generated-password">
        <p>{t('text_generated_password_once', { login: user.login })}</p>
        <p>
          <strong>{t('label_generated_password')}:</strong> <code class="generated-password">{password}</code>
        </p>
      </div>
      <p>
        <a href={next}>{t('button_back')}</a>
      </p>
    </>
  );
}
