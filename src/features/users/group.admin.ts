/**
 * What the administrator's group pages read: the groups with their user counts, a group's users, and
 * the active users that may join it. Changes go through group.service.ts.
 */
import { assertAdministrator } from '#src/domain/administration.ts';
import { NotFoundError } from '#src/errors.ts';
import { customValueSheet, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { selectGroupUserCounts, selectGroupUsers, selectUsersOutsideGroup, type GroupUserRow } from './group.repository.ts';
import { findGroupRow, selectGroups, type GroupRow } from './user.repository.ts';
import type { UserContext } from './user.service.ts';

export type { GroupUserRow } from './group.repository.ts';

export async function listGroupsWithCounts(ctx: UserContext): Promise<{ group: GroupRow; userCount: number }[]> {
  assertAdministrator(ctx.actor);
  const [groups, counts] = await Promise.all([selectGroups(ctx.db.orm), selectGroupUserCounts(ctx.db.orm)]);
  return groups.map((group) => ({ group, userCount: counts.get(group.id) ?? 0 }));
}

export async function getGroupForAdmin(ctx: UserContext, id: number | undefined): Promise<GroupRow> {
  assertAdministrator(ctx.actor);
  const group = id === undefined ? undefined : await findGroupRow(ctx.db.orm, id);
  if (!group) {
    throw new NotFoundError(`no group ${String(id)}`);
  }
  return group;
}

/** The group's users, and up to `limit` active users outside it matching `q`. */
export async function loadGroupUsers(ctx: UserContext, groupId: number, q: string, limit: number): Promise<{ users: GroupUserRow[]; candidates: GroupUserRow[] }> {
  assertAdministrator(ctx.actor);
  const [users, candidates] = await Promise.all([selectGroupUsers(ctx.db.orm, groupId), selectUsersOutsideGroup(ctx.db.orm, groupId, q.trim().slice(0, 100), limit)]);
  return { users, candidates };
}

/** The group custom fields and the group's values (none for a new group). */
export async function groupCustomValues(ctx: UserContext, groupId: number | undefined): Promise<{ fields: readonly CustomFieldDef[]; values: ReadonlyMap<number, readonly string[]> }> {
  assertAdministrator(ctx.actor);
  const sheet = await customValueSheet(ctx.db, 'Group', groupId === undefined ? [] : [groupId]);
  return { fields: sheet.fields, values: (groupId === undefined ? undefined : sheet.values.get(groupId)) ?? new Map() };
}
