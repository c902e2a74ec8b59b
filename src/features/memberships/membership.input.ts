/** The `membership` hash of a create/update request (REST body or page form), read the Rails way. */
import { paramList, paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import type { MembershipRolesInput, NewMembershipsInput } from './membership.service.ts';

/** Ruby's `to_i`: leading digits, else 0. */
function rubyInt(value: string): number {
  const n = Number.parseInt(value, 10);
  return Number.isSafeInteger(n) ? n : 0;
}

/** Role ids the Rails way: `(ids || []).collect(&:to_i) - [0]`. */
function roleIdsOf(value: ParamValue | undefined): number[] {
  return paramList(value).map(rubyInt).filter((id) => id !== 0);
}

/** `user_id`, else `user_ids` (Array.wrap); ids that are no integer count as blank. */
function principalIdsOf(membership: Params): (number | undefined)[] {
  const given = membership.user_id ?? membership.user_ids;
  const ids = Array.isArray(given) ? given : given === undefined || given === null ? [] : [given];
  return ids.map((id) => {
    const n = rubyInt(paramString(id) ?? '');
    return n > 0 ? n : undefined;
  });
}

export function newMembershipsOf(params: Params): NewMembershipsInput {
  const membership = paramObject(params.membership);
  return membership ? { principalIds: principalIdsOf(membership), roleIds: roleIdsOf(membership.role_ids) } : { principalIds: [], roleIds: [] };
}

export function rolesInputOf(params: Params): MembershipRolesInput {
  const membership = paramObject(params.membership);
  return { roleIds: membership ? roleIdsOf(membership.role_ids) : undefined };
}
