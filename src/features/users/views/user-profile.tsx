/**
 * A user's profile (Redmine's users/show): name, login (administrators), e-mail unless hidden,
 * registration and last connection, the custom fields everyone may see, the issues assigned to and
 * reported by the user with links to their lists, and the projects the viewer sees the user in,
 * with the user's roles. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import type { IssueCounts } from '../user-profile.repository.ts';

export interface UserProfileProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly user: {
    readonly id: number;
    readonly name: string;
    /** Shown to administrators only. */
    readonly login: string | undefined;
    /** Undefined when the user hides it from this viewer. */
    readonly mail: string | undefined;
    readonly createdOn: Date | null;
    readonly lastLoginOn: Date | null;
  };
  readonly customFields: readonly { readonly name: string; readonly value: string }[];
  readonly counts: IssueCounts;
  readonly memberships: readonly { readonly project: { readonly id: number; readonly name: string }; readonly roles: readonly string[] }[];
  readonly editHref: string | undefined;
}

function issuesHref(field: 'assigned_to_id' | 'author_id', userId: number, status: 'o' | 'c' | '*'): string {
  return `/issues?set_filter=1&${field}=${userId}&status_id=${encodeURIComponent(status)}`;
}

function CountRow({ label, field, userId, counts }: { label: string; field: 'assigned_to_id' | 'author_id'; userId: number; counts: { open: number; closed: number } }): VNode {
  return (
    <tr class={field === 'assigned_to_id' ? 'assigned' : 'reported'}>
      <td class="name">{label}</td>
      <td class="open">
        <a href={issuesHref(field, userId, 'o')}>{counts.open}</a>
      </td>
      <td class="closed">
        <a href={issuesHref(field, userId, 'c')}>{counts.closed}</a>
      </td>
      <td class="total">
        <a href={issuesHref(field, userId, '*')}>{counts.open + counts.closed}</a>
      </td>
    </tr>
  );
}

export function UserProfile({ t, format, user, customFields, counts, memberships, editHref }: UserProfileProps): VNode {
  return (
    <div id="user-profile">
      <div class="contextual">
        {editHref ? (
          <a href={editHref} class="icon icon-edit">
            {t('button_edit')}
          </a>
        ) : null}
      </div>
      <h2>{user.name}</h2>
      <div class="splitcontent">
        <div class="splitcontentleft">
          <ul id="user-attributes">
            {user.login !== undefined ? (
              <li>
                {t('field_login')}: {user.login}
              </li>
            ) : null}
            {user.mail !== undefined ? (
              <li class="mail">
                {t('field_mail')}: <a href={`mailto:${user.mail}`}>{user.mail}</a>
              </li>
            ) : null}
            {customFields.map((field) => (
              <li class="custom-field">
                {field.name}: {field.value}
              </li>
            ))}
            <li>
              {t('label_registered_on')}: {format.date(user.createdOn)}
            </li>
            {user.lastLoginOn ? (
              <li class="last-login">
                {t('field_last_login_on')}: <span class="time">{format.time(user.lastLoginOn)}</span>
              </li>
            ) : null}
          </ul>
          <h3>{t('label_issue_plural')}</h3>
          <table class="list issue-report">
            <thead>
              <tr>
                <th></th>
                <th>{t('label_open_issues')}</th>
                <th>{t('label_closed_issues')}</th>
                <th>{t('label_total')}</th>
              </tr>
            </thead>
            <tbody>
              <CountRow label={t('label_assigned_issues')} field="assigned_to_id" userId={user.id} counts={counts.assigned} />
              <CountRow label={t('label_reported_issues')} field="author_id" userId={user.id} counts={counts.reported} />
            </tbody>
          </table>
        </div>
        <div class="splitcontentright">
          {memberships.length > 0 ? (
            <>
              <h3>{t('label_project_plural')}</h3>
              <ul id="user-memberships">
                {memberships.map((m) => (
                  <li>
                    <a href={`/projects/${m.project.id}`}>{m.project.name}</a> ({m.roles.join(', ')})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      </div>
    </div>
  );
}
