/**
 * My account → Sessions: the browsers signed in to the account (signed in, last seen, address,
 * browser, sign-in method), "this session" marked; each other session can be ended, or all of them at
 * once. Pure.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { describeUserAgent } from '#src/lib/user-agent.ts';
import { CsrfField } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';
import type { SessionListRow } from '../session.service.ts';

const METHOD_LABELS: Readonly<Record<string, MessageKey>> = {
  password: 'label_sign_in_method_password',
  autologin: 'label_sign_in_method_autologin',
  oidc: 'label_sign_in_method_oidc',
};

function browserOf(t: Translate, userAgent: string): string {
  const { browser, os } = describeUserAgent(userAgent);
  if (browser && os) {
    return t('label_browser_on_os', { browser, os });
  }
  return browser ?? os ?? t('label_unknown_browser');
}

export interface SessionsPageProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  readonly sessions: readonly SessionListRow[];
}

export function SessionsPage({ t, format, csrfToken, sessions }: SessionsPageProps): VNode {
  const hasOthers = sessions.some((session) => !session.isCurrent);
  return (
    <div id="my-sessions">
      <div class="contextual">
        {hasOthers ? (
          <form method="post" action="/my/sessions/delete_others" class="inline" data-confirm={t('text_are_you_sure')}>
            <CsrfField token={csrfToken} />
            <button type="submit" class="link icon icon-del" id="end-other-sessions">
              {t('button_end_other_sessions')}
            </button>
          </form>
        ) : null}
      </div>
      <h2>
        <a href="/my/account">{t('label_my_account')}</a> » {t('label_session_plural')}
      </h2>
      <p>{t('text_sessions_intro')}</p>
      <div class="autoscroll">
        <table class="list sessions">
          <thead>
            <tr>
              <th>{t('field_session_created_on')}</th>
              <th>{t('field_session_last_seen_on')}</th>
              <th>{t('field_session_ip')}</th>
              <th>{t('field_session_browser')}</th>
              <th>{t('field_session_sign_in_method')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr id={`session-${session.id}`} class={session.isCurrent ? 'session current' : 'session'}>
                <td class="created_on">{format.time(session.createdOn)}</td>
                <td class="last_seen_on" title={format.time(session.lastSeenOn)}>
                  {format.ago(session.lastSeenOn)}
                </td>
                <td class="ip">{session.ip}</td>
                <td class="browser" title={session.userAgent}>
                  {browserOf(t, session.userAgent)}
                </td>
                <td class="sign_in_method">{t(METHOD_LABELS[session.signInMethod] ?? 'label_sign_in_method_unknown')}</td>
                <td class="buttons">
                  {session.isCurrent ? (
                    <strong class="this-session">{t('label_this_session')}</strong>
                  ) : (
                    <form method="post" action={`/my/sessions/${session.id}/delete`} class="inline" data-confirm={t('text_are_you_sure')}>
                      <CsrfField token={csrfToken} />
                      <button type="submit" class="link icon icon-del">
                        {t('button_end_session')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
