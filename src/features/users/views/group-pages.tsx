/**
 * Redmine's groups administration: the list with user counts, the new-group form, and the edit page
 * with its tabs — general (name, custom fields), users (remove, or add from a search) and projects.
 */
import type { VNode } from 'preact';
import { CustomFieldInput } from '#src/features/custom-fields/views/custom-field-input.tsx';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { Tabs } from '#src/features/admin/index.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { CsrfField, ErrorExplanation, Field } from '#src/views/form.tsx';
import type { GroupUserRow } from '../group.admin.ts';
import type { GroupRow } from '../user.repository.ts';

export type GroupTab = 'general' | 'users' | 'memberships';

export function GroupListPage(props: { t: Translate; csrfToken: string; groups: readonly { group: GroupRow; userCount: number }[] }): VNode {
  const { t } = props;
  return (
    <>
      <div class="contextual">
        <a href="/groups/new" class="icon icon-add">
          {t('label_group_new')}
        </a>
      </div>
      <h2>{t('label_group_plural')}</h2>
      {props.groups.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <table class="list groups" id="groups">
          <thead>
            <tr>
              <th>{t('field_name')}</th>
              <th>{t('label_user_plural')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.groups.map(({ group, userCount }) => (
              <tr id={`group-${group.id}`} class="group">
                <td class="name">
                  <a href={`/groups/${group.id}/edit`}>{group.name}</a>
                </td>
                <td class="user_count">{userCount}</td>
                <td class="buttons">
                  <form method="post" action={`/groups/${group.id}/delete`} class="inline" data-confirm={t('text_are_you_sure')}>
                    <CsrfField token={props.csrfToken} />
                    <button type="submit" class="link icon icon-del delete">
                      {t('button_delete')}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export interface GroupFieldsProps {
  readonly t: Translate;
  readonly name: string;
  readonly customFields: readonly CustomFieldDef[];
  readonly customValues: ReadonlyMap<number, readonly string[]>;
}

function GroupFields({ t, name, customFields, customValues }: GroupFieldsProps): VNode {
  return (
    <div class="box tabular">
      <Field id="group_name" label={t('field_name')} required>
        <input type="text" id="group_name" name="group[name]" value={name} size={40} maxLength={255} required />
      </Field>
      {customFields.map((field) => (
        <CustomFieldInput t={t} record="group" field={field} values={customValues.get(field.id) ?? []} />
      ))}
    </div>
  );
}

export function NewGroupPage(props: GroupFieldsProps & { csrfToken: string; errors: readonly string[] }): VNode {
  const { t } = props;
  return (
    <>
      <h2>
        <a href="/groups">{t('label_group_plural')}</a> » {t('label_group_new')}
      </h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action="/groups" id="new_group">
        <CsrfField token={props.csrfToken} />
        <GroupFields {...props} />
        <p class="buttons">
          <button type="submit" class="primary">
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

export function GroupEditFrame(props: { t: Translate; group: GroupRow; tab: GroupTab; errors: readonly string[]; children: VNode }): VNode {
  const { t, group } = props;
  const base = `/groups/${group.id}/edit`;
  const tabs = [
    { name: 'general', label: t('label_general'), href: `${base}?tab=general` },
    { name: 'users', label: t('label_user_plural'), href: `${base}?tab=users` },
    { name: 'memberships', label: t('label_project_plural'), href: `${base}?tab=memberships` },
  ];
  return (
    <>
      <h2>
        <a href="/groups">{t('label_group_plural')}</a> » {group.name}
      </h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <Tabs tabs={tabs} selected={props.tab}>
        {props.children}
      </Tabs>
    </>
  );
}

export function GroupGeneralTab(props: GroupFieldsProps & { csrfToken: string; groupId: number }): VNode {
  return (
    <form method="post" action={`/groups/${props.groupId}`} id="edit_group">
      <CsrfField token={props.csrfToken} />
      <GroupFields {...props} />
      <p class="buttons">
        <button type="submit" class="primary">
          {props.t('button_save')}
        </button>
      </p>
    </form>
  );
}

export interface GroupUsersTabProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  readonly groupId: number;
  readonly users: readonly GroupUserRow[];
  readonly candidates: readonly GroupUserRow[];
  readonly q: string;
}

export function GroupUsersTab(props: GroupUsersTabProps): VNode {
  const { t, format, groupId } = props;
  return (
    <div class="splitcontent">
      <div class="splitcontentleft">
        {props.users.length === 0 ? (
          <p class="nodata">{t('label_no_data')}</p>
        ) : (
          <table class="list users" id="group-users">
            <thead>
              <tr>
                <th>{t('label_user')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.users.map((user) => (
                <tr id={`user-${user.id}`} class="user">
                  <td class="name">
                    <a href={`/users/${user.id}/edit`}>{format.user(user)}</a>
                  </td>
                  <td class="buttons">
                    <form method="post" action={`/groups/${groupId}/users/${user.id}/delete`} class="inline">
                      <CsrfField token={props.csrfToken} />
                      <button type="submit" class="link icon icon-del delete">
                        {t('button_delete')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div class="splitcontentright">
        <fieldset class="box" id="group-add-users">
          <legend>{t('label_user_new')}</legend>
          <form method="get" action={`/groups/${groupId}/edit`} class="user-search">
            <input type="hidden" name="tab" value="users" />
            <label for="user_search">{t('label_user_search')}</label> <input type="search" id="user_search" name="q" value={props.q} size={20} />{' '}
            <button type="submit" class="small">
              {t('button_search')}
            </button>
          </form>
          {props.candidates.length === 0 ? (
            <p class="nodata">{t('label_no_data')}</p>
          ) : (
            <form method="post" action={`/groups/${groupId}/users`} id="add-users">
              <CsrfField token={props.csrfToken} />
              <div id="principals">
                {props.candidates.map((user) => (
                  <label class="block">
                    <input type="checkbox" name="user_ids[]" value={String(user.id)} /> {format.user(user)}
                  </label>
                ))}
              </div>
              <p>
                <button type="submit" class="primary">
                  {t('button_add')}
                </button>
              </p>
            </form>
          )}
        </fieldset>
      </div>
    </div>
  );
}
