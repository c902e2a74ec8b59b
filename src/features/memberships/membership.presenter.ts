/** A membership as Redmine's API shows it (§6.3): the principal's key is its type (`user` / `group`). */
import { list, ref, type ApiObject } from '#src/api/resource.ts';
import type { MembershipRow, PrincipalType } from './membership.repository.ts';

const PRINCIPAL_KEY: Record<PrincipalType, string> = { User: 'user', Group: 'group' };

export function presentMembership(m: MembershipRow): ApiObject {
  return {
    id: m.id,
    project: ref({ id: m.project.id, name: m.project.name }),
    [PRINCIPAL_KEY[m.principal.type]]: ref({ id: m.principal.id, name: m.principal.name }),
    roles: list(
      'role',
      m.roles.map((role) => ref(role.inherited ? { id: role.id, name: role.name, inherited: true } : { id: role.id, name: role.name })),
    ),
  };
}
