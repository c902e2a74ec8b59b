/**
 * The members tab of a project's settings (Redmine's projects/settings/_members), the "New member"
 * page (members/new: search users and groups, pick roles) and a membership's role form (members/edit).
 * Roles inherited from a group or the parent project are shown but cannot be changed. Pure.
 */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { DeleteButton } from '#src/views/list-buttons.tsx';
import type { MemberLine, MemberSettings, PrincipalChoiceRow } from '../membership.settings.ts';

const principalClass = (type: string) => (type === 'Group' ? 'group' : 'user');

function RoleNames({ line, view }: { line: MemberLine; view: PageView }): VNode {
  const roles = line.membership.roles;
  return (
    <span id={`member-${line.membership.id}-roles`}>
      {roles.map((role, i) => (
        <>
          {i > 0 ? ', ' : ''}
          {role.inherited ? (
            <span class="inherited" title={view.t('label_inherited_role')}>
              {role.name}
            </span>
          ) : (
            role.name
          )}
        </>
      ))}
    </span>
  );
}

export function MembersTab({ view, settings }: { view: PageView; settings: MemberSettings }): VNode {
  const { t, csrfToken } = view;
  const identifier = settings.project.identifier ?? String(settings.project.id);
  return (
    <div id="tab-members">
      <p>
        <a href={`/projects/${encodeURIComponent(identifier)}/memberships/new`} class="icon icon-add" id="new-membership">
          {t('label_member_new')}
        </a>
      </p>
      {settings.members.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <table class="list members">
          <thead>
            <tr>
              <th scope="col">
                {t('label_user')} / {t('label_group')}
              </th>
              <th scope="col">{t('label_role_plural')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {settings.members.map((line) => {
              const { membership } = line;
              const editable = settings.managedRoleIds.size > 0;
              return (
                <tr id={`member-${membership.id}`} class={`member ${principalClass(membership.principal.type)}`}>
                  <td class={`name ${principalClass(membership.principal.type)}`}>{membership.principal.name}</td>
                  <td class="roles">
                    <RoleNames line={line} view={view} />
                  </td>
                  <td class="buttons">
                    {editable ? (
                      <a href={`/memberships/${membership.id}/edit`} class="icon icon-edit">
                        {t('button_edit')}
                      </a>
                    ) : null}{' '}
                    {line.deletable ? <DeleteButton t={t} csrfToken={csrfToken} action={`/memberships/${membership.id}/delete`} /> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RoleCheckboxes(props: { view: PageView; roles: MemberSettings['roles']; managed: ReadonlySet<number>; checked: ReadonlySet<number>; inherited: ReadonlySet<number> }): VNode {
  return (
    <fieldset class="box" id="membership-roles">
      <legend>{props.view.t('label_role_plural')}</legend>
      <input type="hidden" name="membership[role_ids][]" value="" />
      {props.roles.map((role) => {
        const fixed = !props.managed.has(role.id) || props.inherited.has(role.id);
        return (
          <label class="floating">
            <input
              type="checkbox"
              name="membership[role_ids][]"
              value={String(role.id)}
              id={`membership_role_ids_${role.id}`}
              checked={props.checked.has(role.id) || props.inherited.has(role.id)}
              disabled={fixed}
            />{' '}
            {role.name}
          </label>
        );
      })}
    </fieldset>
  );
}

export interface NewMemberProps {
  readonly view: PageView;
  readonly settings: MemberSettings;
  readonly candidates: readonly PrincipalChoiceRow[];
  readonly q: string;
  readonly errors: readonly string[];
  /** Principal and role ids of the refused attempt. */
  readonly chosenPrincipals: ReadonlySet<number>;
  readonly chosenRoles: ReadonlySet<number>;
}

export function NewMemberPage(props: NewMemberProps): VNode {
  const { view, settings, candidates } = props;
  const { t, csrfToken, format } = view;
  const path = `/projects/${encodeURIComponent(settings.project.identifier ?? String(settings.project.id))}`;
  return (
    <div id="new-member">
      <h2>{t('label_member_new')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="get" action={`${path}/memberships/new`} id="principal-search">
        <p>
          <label for="principal_search">{t('label_principal_search')}</label>{' '}
          <input type="search" id="principal_search" name="q" value={props.q} size={30} />{' '}
          <button type="submit">{t('button_search')}</button>
        </p>
      </form>
      <form method="post" action={`${path}/memberships`} id="new_membership">
        <CsrfField token={csrfToken} />
        <fieldset class="box" id="principals">
          <legend>
            {t('label_user_plural')} / {t('label_group_plural')}
          </legend>
          {candidates.length === 0 ? <p class="nodata">{t('label_no_data')}</p> : null}
          {candidates.map((p) => (
            <label class={`floating ${principalClass(p.type)}`}>
              <input type="checkbox" name="membership[user_ids][]" value={String(p.id)} id={`membership_user_ids_${p.id}`} checked={props.chosenPrincipals.has(p.id)} />{' '}
              {p.type === 'Group' ? p.lastname : format.user(p)}
            </label>
          ))}
        </fieldset>
        <RoleCheckboxes view={view} roles={settings.roles} managed={settings.managedRoleIds} checked={props.chosenRoles} inherited={new Set()} />
        <p class="buttons">
          <button type="submit" class="primary" id="member-add-submit">
            {t('button_add')}
          </button>
          <a href={`${path}/settings?tab=members`}>{t('button_cancel')}</a>
        </p>
      </form>
    </div>
  );
}

export function EditMemberPage(props: { view: PageView; line: MemberLine; settings: MemberSettings; errors: readonly string[] }): VNode {
  const { view, line, settings } = props;
  const { t, csrfToken } = view;
  const { membership } = line;
  const own = new Set(membership.roles.filter((r) => !r.inherited).map((r) => r.id));
  const inherited = new Set(membership.roles.filter((r) => r.inherited).map((r) => r.id));
  const back = `/projects/${encodeURIComponent(settings.project.identifier ?? String(settings.project.id))}/settings?tab=members`;
  return (
    <div id="edit-member">
      <h2>{membership.principal.name}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action={`/memberships/${membership.id}`} id={`edit_membership_${membership.id}`}>
        <CsrfField token={csrfToken} />
        <RoleCheckboxes view={view} roles={settings.roles} managed={settings.managedRoleIds} checked={own} inherited={inherited} />
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_save')}
          </button>
          <a href={back}>{t('button_cancel')}</a>
        </p>
      </form>
    </div>
  );
}
