/**
 * Small pieces the issue page writes in many places: a sentence with links inside, a user's or
 * group's name (linked for users), a link to an issue, Redmine's progress bar, hours, a time ago.
 * Pure.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { PrincipalName } from '../issue-page.repository.ts';
import type { IssueRow } from '../issue.repository.ts';

/**
 * A message whose placeholders are elements (a linked name, a time): the translation decides the
 * order of the parts, the view only supplies them.
 */
export function Sentence({ t, k, parts }: { t: Translate; k: MessageKey; parts: Readonly<Record<string, ComponentChildren>> }): VNode {
  const markers = Object.fromEntries(Object.keys(parts).map((name) => [name, `{{${name}}}`]));
  const pieces = t(k, markers).split(/(\{\{\w+\}\})/);
  return (
    <>
      {pieces.map((piece) => {
        const name = /^\{\{(\w+)\}\}$/.exec(piece)?.[1];
        return name !== undefined && Object.hasOwn(parts, name) ? parts[name] : piece;
      })}
    </>
  );
}

/** A principal's name: groups by their name, users in the tenant's format, the Anonymous user translated. */
export function principalName(principal: PrincipalName | undefined, t: Translate, format: Formatter): string {
  if (!principal || principal.type === 'AnonymousUser') {
    return t('label_user_anonymous');
  }
  return principal.type === 'Group' ? principal.lastname : format.user(principal);
}

/** A user links to their page (Redmine's link_to_user); groups and the Anonymous user do not. */
export function PrincipalLink({ principal, t, format }: { principal: PrincipalName | undefined; t: Translate; format: Formatter }): VNode {
  const name = principalName(principal, t, format);
  return principal?.type === 'User' ? (
    <a href={`/users/${principal.id}`} class="user active">
      {name}
    </a>
  ) : (
    <span class="user">{name}</span>
  );
}

/** "Bug #12" linked, then ": subject" — Redmine's link_to_issue. */
export function IssueLink({ issue, t, withProject }: { issue: IssueRow; t: Translate; withProject?: boolean }): VNode {
  return (
    <>
      {withProject ? `${issue.project_name} - ` : null}
      <a href={`/issues/${issue.id}`} class={`issue tracker-${issue.tracker_id} status-${issue.status_id} priority-${issue.priority_id}${issue.status_is_closed ? ' closed' : ''}`}>
        {t('label_issue_heading', { tracker: issue.tracker_name, id: String(issue.id) })}
      </a>
      {`: ${issue.subject}`}
    </>
  );
}

/**
 * Redmine's progress bar (`table.progress`): the widths are the cells' width attributes, since the
 * page's Content-Security-Policy allows no style attributes.
 */
export function ProgressBar({ percent, legend }: { percent: number; legend?: string }): VNode {
  const done = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <>
      <table class={`progress progress-${done}`} role="presentation">
        <tbody>
          <tr>
            {done > 0 ? <td class="closed" width={`${done}%`} title={`${done}%`} /> : null}
            {done < 100 ? <td class="todo" width={`${100 - done}%`} /> : null}
          </tr>
        </tbody>
      </table>
      {legend !== undefined ? <p class="percent">{legend}</p> : null}
    </>
  );
}

/** "2:30 h" (Redmine's l_hours_short), in the tenant's time span format. */
export function hoursText(hours: number, t: Translate, format: Formatter): string {
  return t('label_f_hour_short', { value: format.hours(hours) });
}

/** A moment as "3 days", with the full date and time in its tooltip. */
export function Ago({ at, format }: { at: Date; format: Formatter }): VNode {
  return (
    <time datetime={format.iso(at)} title={format.time(at)}>
      {format.ago(at)}
    </time>
  );
}
