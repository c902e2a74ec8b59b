/** On a user's edit page (administrators): the account's soft lock, and the button that lifts it. */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';

export interface SignInLockNoticeProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly userId: number;
  /** The lock's end, as the page shows times. */
  readonly until: string;
}

export function SignInLockNotice({ t, csrfToken, userId, until }: SignInLockNoticeProps): VNode {
  return (
    <div class="flash warning" id="sign-in-lock">
      {t('text_sign_in_locked_until', { until })}{' '}
      <form method="post" action={`/users/${userId}/sign_in_lock/delete`} class="inline">
        <CsrfField token={csrfToken} />
        <button type="submit" id="sign-in-unlock">
          {t('button_unlock')}
        </button>
      </form>
    </div>
  );
}
