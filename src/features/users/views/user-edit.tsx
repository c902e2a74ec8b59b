/**
 * Redmine's users/new and users/edit: the new-user form, and the edit page with its tabs — general
 * (the same form), groups (check the groups the user belongs to) and projects (memberships).
 */
import type { VNode } from 'preact';
import { Tabs } from '#src/features/admin/index.ts';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { UserRow } from '../user.repository.ts';
import { StatusButton } from './user-list.tsx';
import { UserFields, type UserFieldsProps } from './user-form.tsx';

export type UserTab = 'general' | 'groups' | 'memberships';

/**
 * Redmine's "Send account information to the user" box (`send_information`): the mail it sends holds a
 * link to choose a password, never a password (features/account/account-information.ts).
 */
function SendInformationField({ t, checked }: { t: Translate; checked: boolean }): VNode {
  return (
    <p id="send-information">
      <label>
        <input type="checkbox" name="send_information" value="1" checked={checked} /> {t('label_send_information')}
      </label>{' '}
      <em class="info">{t('text_send_information_link')}</em>
    </p>
  );
}

export function NewUserPage(props: Omit<UserFieldsProps, 'isNew' | 'isSelf'> & { csrfToken: string; errors: readonly string[]; sendInformation: boolean }): VNode {
  const { t } = props;
  return (
    <>
      <h2>
        <a href="/users">{t('label_user_plural')}</a> » {t('label_user_new')}
      </h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action="/users" id="new_user" class="new_user">
        <CsrfField token={props.csrfToken} />
        <UserFields {...props} isNew isSelf={false} />
        <SendInformationField t={t} checked={props.sendInformation} />
        <p class="buttons">
          <button type="submit" name="commit" class="primary">
            {t('button_create')}
          </button>
          <button type="submit" name="continue" value="1">
            {t('button_create_and_continue')}
          </button>
        </p>
      </form>
    </>
  );
}

export interface UserEditFrameProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly user: UserRow;
  readonly tab: UserTab;
  readonly isSelf: boolean;
  readonly hasGroups: boolean;
  readonly errors: readonly string[];
}

/** The heading, the status button and the tabs around one tab's content. */
export function UserEditFrame(props: UserEditFrameProps & { children: VNode }): VNode {
  const { t, user } = props;
  const base = `/users/${user.id}/edit`;
  const tabs = [
    { name: 'general', label: t('label_general'), href: `${base}?tab=general` },
    ...(props.hasGroups ? [{ name: 'groups', label: t('label_group_plural'), href: `${base}?tab=groups` }] : []),
    { name: 'memberships', label: t('label_project_plural'), href: `${base}?tab=memberships` },
  ];
  return (
    <>
      <div class="contextual">
        {props.isSelf ? null : <StatusButton t={t} csrfToken={props.csrfToken} user={user} backUrl={`${base}?tab=${props.tab}`} />}
        {props.isSelf ? null : (
          <form method="post" action={`/users/${user.id}/sessions/delete`} class="inline" id="end-all-sessions" data-confirm={t('text_are_you_sure')}>
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="link icon icon-lock">
              {t('button_end_all_sessions')}
            </button>
          </form>
        )}
        {props.isSelf ? null : (
          <a href={`/users/${user.id}/delete`} class="icon icon-del delete">
            {t('button_delete')}
          </a>
        )}
      </div>
      <h2>
        <a href="/users">{t('label_user_plural')}</a> » {user.login}
      </h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <Tabs tabs={tabs} selected={props.tab}>
        {props.children}
      </Tabs>
    </>
  );
}

/** `sendInformation`: whether the box is checked, or undefined where it is not offered (Redmine: active users but oneself). */
export function UserGeneralTab(props: Omit<UserFieldsProps, 'isNew'> & { csrfToken: string; userId: number; sendInformation?: boolean | undefined }): VNode {
  return (
    <form method="post" action={`/users/${props.userId}`} id="edit_user" class="edit_user">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="tab" value="general" />
      <UserFields {...props} isNew={false} />
      {props.sendInformation === undefined ? null : <SendInformationField t={props.t} checked={props.sendInformation} />}
      <p class="buttons">
        <button type="submit" class="primary">
          {props.t('button_save')}
        </button>
      </p>
    </form>
  );
}

export function UserGroupsTab(props: { t: Translate; csrfToken: string; userId: number; groups: readonly { id: number; name: string }[]; groupIds: readonly number[] }): VNode {
  const { t } = props;
  return (
    <form method="post" action={`/users/${props.userId}`} id="user-groups">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="tab" value="groups" />
      <fieldset class="box" id="user_group_ids">
        <legend>{t('label_group_plural')}</legend>
        {/* Sent even with every box cleared, so the user can leave every group. */}
        <input type="hidden" name="user[group_ids][]" value="" />
        {props.groups.map((group) => (
          <label class="block">
            <input type="checkbox" name="user[group_ids][]" value={String(group.id)} checked={props.groupIds.includes(group.id)} /> {group.name}
          </label>
        ))}
      </fieldset>
      <p class="buttons">
        <button type="submit" class="primary">
          {t('button_save')}
        </button>
      </p>
    </form>
  );
}

/** Redmine 5's deletion confirmation: the administrator types the login to confirm, or locks instead. */
export function UserDeletePage(props: { t: Translate; csrfToken: string; user: UserRow; errors: readonly string[] }): VNode {
  const { t, user } = props;
  return (
    <>
      <h2>{t('label_confirmation')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action={`/users/${user.id}/delete`} id="user-delete">
        <CsrfField token={props.csrfToken} />
        <div class="warning">
          <p>{t('text_user_destroy_confirmation', { user: `${user.firstname} ${user.lastname} (${user.login})` })}</p>
          <p>
            <label for="confirm">{t('text_user_destroy_enter_login', { login: user.login })}</label>{' '}
            <input type="text" id="confirm" name="confirm" autocomplete="off" required />
          </p>
        </div>
        <p class="buttons">
          <button type="submit" class="danger">
            {t('button_delete')}
          </button>
          <a href={`/users/${user.id}/edit`}>{t('button_cancel')}</a>
        </p>
      </form>
      {user.status === 3 ? null : (
        <form method="post" action={`/users/${user.id}`} id="user-lock-instead">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="user[status]" value="3" />
          <input type="hidden" name="back_url" value="/users" />
          <p>
            <button type="submit">{t('button_lock')}</button>
          </p>
        </form>
      )}
    </>
  );
}
