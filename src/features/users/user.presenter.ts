/** Users and groups as Redmine's API shows them (§6.4, §6.5): list items, the show tree per viewer. */
import { list, ref, time, type ApiObject, type ListValue } from '#src/api/resource.ts';
import type { GroupDetails } from './group.service.ts';
import type { UserDetails } from './user.service.ts';
import type { GroupRow, MembershipRow, UserRow } from './user.repository.ts';

/** An item of `GET /users.json` (administrators only, so every field is shown), with its visible custom values. */
export function presentUserListItem(u: UserRow, customFields?: ListValue): ApiObject {
  return {
    id: u.id,
    login: u.login,
    admin: u.admin,
    firstname: u.firstname,
    lastname: u.lastname,
    mail: u.mail,
    created_on: time(u.createdOn),
    updated_on: time(u.updatedOn),
    last_login_on: time(u.lastLoginOn),
    passwd_changed_on: time(u.passwdChangedOn),
    twofa_scheme: u.twofaScheme,
    status: u.status,
    custom_fields: customFields,
  };
}

function presentMembership(m: MembershipRow): ApiObject {
  return {
    id: m.id,
    project: ref(m.project),
    roles: list(
      'role',
      m.roles.map((r) => ref({ id: r.id, name: r.name, ...(r.inherited ? { inherited: true } : {}) })),
    ),
  };
}

/** `GET /users/:id.json`: `admin`, `twofa_scheme`, `api_key` for administrators and the user itself,
 *  `status` for administrators; `mail` unless the user hides it from a non-administrator. */
export function presentUser(u: UserRow, details: UserDetails): ApiObject {
  const { viewer } = details;
  const privileged = viewer === 'admin' || viewer === 'self';
  return {
    id: u.id,
    login: u.login,
    admin: privileged ? u.admin : undefined,
    firstname: u.firstname,
    lastname: u.lastname,
    mail: viewer === 'admin' || !u.hideMail ? u.mail : undefined,
    created_on: time(u.createdOn),
    updated_on: time(u.updatedOn),
    last_login_on: time(u.lastLoginOn),
    passwd_changed_on: time(u.passwdChangedOn),
    twofa_scheme: privileged ? u.twofaScheme : undefined,
    api_key: privileged ? details.apiKey : undefined,
    status: viewer === 'admin' ? u.status : undefined,
    custom_fields: details.customFields,
    groups: details.groups ? list('group', details.groups.map((g) => ref({ id: g.id, name: g.name }))) : undefined,
    memberships: details.memberships ? list('membership', details.memberships.map(presentMembership)) : undefined,
  };
}

/** An item of `GET /groups.json`, with its visible custom values. */
export function presentGroupListItem(g: GroupRow, customFields?: ListValue): ApiObject {
  return { id: g.id, name: g.name, custom_fields: customFields };
}

/** `GET /groups/:id.json` with its asked-for sections. */
export function presentGroup(g: GroupRow, details: GroupDetails): ApiObject {
  return {
    id: g.id,
    name: g.name,
    custom_fields: details.customFields,
    users: details.users ? list('user', details.users.map((u) => ref({ id: u.id, name: u.name }))) : undefined,
    memberships: details.memberships ? list('membership', details.memberships.map(presentMembership)) : undefined,
  };
}
