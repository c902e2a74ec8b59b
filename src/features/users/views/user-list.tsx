/**
 * Redmine's /users for administrators: filters (status with counts, group, name), a sortable list
 * and, per user, the status button (lock, unlock, activate) and deletion.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { CsrfField, Pagination, Select } from '#src/views/form.tsx';
import type { UserRow } from '../user.repository.ts';

export type UserListColumn = 'login' | 'firstname' | 'lastname' | 'mail' | 'admin' | 'created_on' | 'last_login_on';

export const USER_LIST_COLUMNS: readonly [UserListColumn, MessageKey][] = [
  ['login', 'field_login'],
  ['firstname', 'field_firstname'],
  ['lastname', 'field_lastname'],
  ['mail', 'field_mail'],
  ['admin', 'field_admin'],
  ['created_on', 'field_created_on'],
  ['last_login_on', 'field_last_login_on'],
];

export interface UserListFilterValues {
  /** '' = every status. */
  readonly status: string;
  readonly name: string;
  readonly groupId: string;
  readonly sort: { readonly column: UserListColumn; readonly descending: boolean };
}

export interface UserListProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  readonly currentUserId: number | undefined;
  readonly filters: UserListFilterValues;
  readonly statusCounts: ReadonlyMap<number, number>;
  readonly groups: readonly { id: number; name: string }[];
  readonly users: readonly UserRow[];
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
}

const STATUS_LABELS: readonly [number, MessageKey][] = [
  [1, 'status_active'],
  [2, 'status_registered'],
  [3, 'status_locked'],
];

export function userListUrl(filters: UserListFilterValues, changes: { sort?: string; page?: number } = {}): string {
  const { column, descending } = filters.sort;
  const query = new URLSearchParams({
    status: filters.status,
    ...(filters.groupId ? { group_id: filters.groupId } : {}),
    ...(filters.name ? { name: filters.name } : {}),
    sort: changes.sort ?? `${column}${descending ? ':desc' : ''}`,
    ...(changes.page && changes.page > 1 ? { page: String(changes.page) } : {}),
  });
  return `/users?${query.toString()}`;
}

export function UserListPage(props: UserListProps): VNode {
  const { t, filters } = props;
  const sortHeader = (column: UserListColumn, label: string) => {
    const current = filters.sort.column === column;
    const next = current && !filters.sort.descending ? `${column}:desc` : column;
    return (
      <th>
        <a href={userListUrl(filters, { sort: next })} class={current ? `sort ${filters.sort.descending ? 'desc' : 'asc'}` : undefined}>
          {label}
        </a>
      </th>
    );
  };
  return (
    <>
      <div class="contextual">
        <a href="/users/new" class="icon icon-add">
          {t('label_user_new')}
        </a>
      </div>
      <h2>{t('label_user_plural')}</h2>
      <form method="get" action="/users" id="users-filters">
        <fieldset>
          <legend>{t('label_filter_plural')}</legend>
          <label for="status">{t('field_status')}:</label>{' '}
          <Select
            id="status"
            name="status"
            value={filters.status}
            blank={t('label_all')}
            options={STATUS_LABELS.map(([value, key]) => ({ value: String(value), label: `${t(key)} (${props.statusCounts.get(value) ?? 0})` }))}
            autoSubmit
          />{' '}
          {props.groups.length > 0 ? (
            <>
              <label for="group_id">{t('label_group')}:</label>{' '}
              <Select id="group_id" name="group_id" value={filters.groupId} blank="" options={props.groups.map((g) => ({ value: String(g.id), label: g.name }))} autoSubmit />{' '}
            </>
          ) : null}
          <label for="name">{t('label_user')}:</label> <input type="text" name="name" id="name" size={30} value={filters.name} />{' '}
          <button type="submit" class="small">
            {t('button_apply')}
          </button>{' '}
          <a href="/users" class="icon icon-reload">
            {t('button_clear')}
          </a>
        </fieldset>
      </form>
      {props.users.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <div class="autoscroll">
          <table class="list users" id="users">
            <thead>
              <tr>
                {USER_LIST_COLUMNS.map(([column, key]) => sortHeader(column, t(key)))}
                <th />
              </tr>
            </thead>
            <tbody>
              {props.users.map((user) => (
                <UserLine {...props} user={user} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination t={t} page={props.page} perPage={props.perPage} total={props.total} href={(n) => userListUrl(filters, { page: n })} />
    </>
  );
}

function UserLine(props: UserListProps & { user: UserRow }): VNode {
  const { t, format, user } = props;
  const status = user.status === 1 ? 'active' : user.status === 2 ? 'registered' : 'locked';
  const back = userListUrl(props.filters, { page: props.page });
  return (
    <tr id={`user-${user.id}`} class={`user ${status}`}>
      <td class="username">
        <a href={`/users/${user.id}/edit`}>{user.login}</a>
      </td>
      <td class="firstname">{user.firstname}</td>
      <td class="lastname">{user.lastname}</td>
      <td class="email">{user.mail ? <a href={`mailto:${user.mail}`}>{user.mail}</a> : null}</td>
      <td class="tick">{user.admin ? t('general_text_Yes') : ''}</td>
      <td class="created_on">{format.time(user.createdOn)}</td>
      <td class="last_login_on">{format.time(user.lastLoginOn)}</td>
      <td class="buttons">
        {user.id === props.currentUserId ? null : <StatusButton t={t} csrfToken={props.csrfToken} user={user} backUrl={back} />}{' '}
        {user.id === props.currentUserId ? null : (
          <a href={`/users/${user.id}/delete`} class="icon icon-del delete">
            {t('button_delete')}
          </a>
        )}
      </td>
    </tr>
  );
}

/** Redmine's change_status_link: lock an active user, unlock a locked one, activate a registered one. */
export function StatusButton({ t, csrfToken, user, backUrl }: { t: Translate; csrfToken: string; user: UserRow; backUrl: string }): VNode {
  const [target, label, icon] = user.status === 1 ? [3, t('button_lock'), 'lock'] : user.status === 3 ? [1, t('button_unlock'), 'unlock'] : [1, t('button_activate'), 'unlock'];
  return (
    <form method="post" action={`/users/${user.id}`} class="inline">
      <CsrfField token={csrfToken} />
      <input type="hidden" name="user[status]" value={String(target)} />
      <input type="hidden" name="back_url" value={backUrl} />
      <button type="submit" class={`link icon icon-${icon} ${icon}`}>
        {label}
      </button>
    </form>
  );
}
