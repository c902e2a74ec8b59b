/**
 * Groups (Redmine's GroupsController): the list for administrators, one group for logged users;
 * creating, renaming and deleting groups and changing their users for administrators. A user who
 * joins a group inherits the group's project memberships, and loses them on leaving (Redmine's
 * Group#user_added / user_removed), in the same transaction.
 */
import type { Params } from '#src/api/params.ts';
import type { ListValue } from '#src/api/resource.ts';
import type { Actor } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { deleteCustomValues, storeCustomValues } from '#src/features/custom-fields/index.ts';
import { giveGroupRolesToUsers, removeMembershipsOf, takeGroupRolesFromUser } from '#src/features/memberships/index.ts';
import type { Orm } from '#src/db/database.ts';
import { queryableOf } from '#src/db/sql.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
import {
  deleteGroupUser,
  deleteGroupWithReferences,
  insertGroup,
  insertGroupUser,
  isGroupNameTaken,
  isGroupTwofaRequired,
  isUserOrAnonymous,
  selectGroupIdsOfUser,
  selectGroupUserIds,
  selectPrincipalIdsAmong,
  selectPrincipalNames,
  selectUserIdsNotInGroup,
  updateGroupRow,
} from './group.repository.ts';
import {
  findGroupRow,
  selectGroups,
  selectMembershipsOf,
  selectUsersOfGroup,
  visibleProjectsCondition,
  type GroupRow,
  type MembershipRow,
} from './user.repository.ts';
import { planPrincipalCustomValues, principalCustomFields } from './user.custom-fields.ts';
import type { UserContext } from './user.service.ts';

export interface GroupDetails {
  users?: GroupRow[] | undefined;
  memberships?: MembershipRow[] | undefined;
  /** The group's visible custom values (§1.5); absent when none. */
  customFields?: ListValue | undefined;
}

/** Writable attributes of a group; absent = unchanged (or the default on create). */
export interface GroupInput {
  name?: string | undefined;
  /** `user_ids`: the group's users, replacing those it has. */
  userIds?: number[] | undefined;
  twofaRequired?: boolean | undefined;
  /** The `group` hash as sent, for its custom values (`custom_fields` / `custom_field_values`). */
  customValues?: Params | undefined;
}

function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) {
    throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('administrators only');
  }
}

/** Every regular group by name (administrators). */
export async function listGroups(ctx: UserContext): Promise<GroupRow[]> {
  requireAdmin(ctx.actor);
  return selectGroups(ctx.db.orm);
}

/** The group for an administrator's change: 403/401 before 404, as Redmine's filters run. */
async function groupForAdmin(ctx: UserContext, id: number | undefined): Promise<GroupRow> {
  requireAdmin(ctx.actor);
  const group = id === undefined ? undefined : await findGroupRow(ctx.db.orm, id);
  if (!group) {
    throw new NotFoundError(`no group ${String(id)}`);
  }
  return group;
}

/** Redmine's Group validations on the name (presence, case-insensitive uniqueness, length). */
async function nameErrors(orm: Orm, name: string, exceptId: number | undefined): Promise<string[]> {
  const errors: string[] = [];
  if (name.trim() === '') {
    errors.push('Name cannot be blank');
  } else if (await isGroupNameTaken(orm, name, exceptId)) {
    errors.push('Name has already been taken');
  }
  if (name.length > 255) {
    errors.push('Name is too long (maximum is 255 characters)');
  }
  return errors;
}

/** `user_ids` as Rails assigns them: every id must be a user, else the request is a 404. */
async function usersNamed(orm: Orm, ids: readonly number[]): Promise<number[]> {
  const wanted = [...new Set(ids)];
  const found = await selectPrincipalIdsAmong(orm, 'User', wanted);
  if (found.length !== wanted.length) {
    throw new NotFoundError(`no user ${wanted.filter((id) => !found.includes(id)).join(', ')}`);
  }
  return found;
}

/** Users join the group and inherit its member roles (the group's roles read once). */
async function addUsers(tx: Orm, groupId: number, userIds: readonly number[], now: Date): Promise<void> {
  for (const userId of userIds) {
    await insertGroupUser(tx, groupId, userId);
  }
  await giveGroupRolesToUsers(tx, groupId, userIds, now);
}

async function removeUser(tx: Orm, groupId: number, userId: number): Promise<void> {
  await deleteGroupUser(tx, groupId, userId);
  await takeGroupRolesFromUser(tx, groupId, userId);
}

/**
 * Records on the audit trail, in the transaction of the change, that users joined the group
 * (`group.add_users`, one event) and left it (`group.remove_user`, one event each), by login.
 */
async function recordGroupUsers(tx: Orm, source: AuditSource, group: GroupRow, added: readonly number[], removed: readonly number[]): Promise<void> {
  if (added.length === 0 && removed.length === 0) {
    return;
  }
  const logins = await selectPrincipalNames(tx, [...added, ...removed]);
  const login = (id: number) => logins.get(id) ?? `#${id}`;
  const target = { type: 'Group', id: group.id, name: group.name };
  if (added.length > 0) {
    await recordAudit(queryableOf(tx), { event: 'group.add_users', source, target, details: { users: added.map(login) } });
  }
  for (const userId of removed) {
    await recordAudit(queryableOf(tx), { event: 'group.remove_user', source, target, details: { user: login(userId) } });
  }
}

/**
 * A user's `group_ids` on update (administrators): the user's groups become these, every id must be
 * a group (else 404, as Rails' ids writer). Groups left take their inherited roles along, groups
 * joined give theirs; each is recorded on the audit trail. Runs inside the caller's transaction.
 */
export async function setGroupsOfUser(
  tx: Orm,
  user: { readonly id: number },
  groupIds: readonly number[],
  now: Date,
  source: AuditSource,
): Promise<void> {
  const wanted = [...new Set(groupIds)];
  const found = await selectPrincipalIdsAmong(tx, 'Group', wanted);
  if (found.length !== wanted.length) {
    throw new NotFoundError(`no group ${wanted.filter((id) => !found.includes(id)).join(', ')}`);
  }
  const current = await selectGroupIdsOfUser(tx, user.id);
  const left = current.filter((g) => !found.includes(g));
  const joined = found.filter((g) => !current.includes(g));
  const names = await selectPrincipalNames(tx, [...left, ...joined]);
  for (const groupId of left) {
    await removeUser(tx, groupId, user.id);
    await recordGroupUsers(tx, source, { id: groupId, name: names.get(groupId) ?? '' }, [], [user.id]);
  }
  for (const groupId of joined) {
    await addUsers(tx, groupId, [user.id], now);
    await recordGroupUsers(tx, source, { id: groupId, name: names.get(groupId) ?? '' }, [user.id], []);
  }
}

/** Creates a group with its users (administrators). */
export async function createGroup(ctx: UserContext, input: GroupInput): Promise<GroupRow> {
  requireAdmin(ctx.actor);
  const name = input.name ?? '';
  const custom = await planPrincipalCustomValues(ctx.db, 'Group', input.customValues, undefined, 'admin');
  const id = await ctx.db.orm.transaction(async (tx) => {
    const userIds = await usersNamed(tx, input.userIds ?? []);
    const errors = [...custom.errors, ...(await nameErrors(tx, name, undefined))];
    if (errors.length > 0) {
      throw new ValidationError(errors);
    }
    const twofaRequired = input.twofaRequired ?? false;
    const groupId = await insertGroup(tx, { name, twofaRequired, now: ctx.now });
    await storeCustomValues(tx, custom, groupId);
    await addUsers(tx, groupId, userIds, ctx.now);
    const target = { type: 'Group', id: groupId, name };
    await recordAudit(queryableOf(tx), { event: 'group.create', source: ctx.auditSource, target, details: { twofa_required: twofaRequired } });
    await recordGroupUsers(tx, ctx.auditSource, { id: groupId, name }, userIds, []);
    return groupId;
  });
  const created = await findGroupRow(ctx.db.orm, id);
  if (!created) {
    throw new Error('group vanished after creation');
  }
  return created;
}

/**
 * Renames a group or replaces its users (administrators): users left out lose what they inherited
 * from the group's memberships, new users inherit them.
 */
export async function updateGroup(ctx: UserContext, id: number | undefined, input: GroupInput): Promise<void> {
  const group = await groupForAdmin(ctx, id);
  const custom = await planPrincipalCustomValues(ctx.db, 'Group', input.customValues, group.id, 'admin');
  await ctx.db.orm.transaction(async (tx) => {
    const userIds = input.userIds === undefined ? undefined : await usersNamed(tx, input.userIds);
    const errors = [...custom.errors, ...(await nameErrors(tx, input.name ?? group.name, group.id))];
    if (errors.length > 0) {
      throw new ValidationError(errors);
    }
    const twofaBefore = input.twofaRequired === undefined ? undefined : await isGroupTwofaRequired(tx, group.id);
    // A change of custom values alone touches updated_on, as Redmine does.
    const customChanged = await storeCustomValues(tx, custom, group.id);
    if (customChanged || (input.name !== undefined && input.name !== group.name) || input.twofaRequired !== undefined) {
      await updateGroupRow(tx, group.id, { name: input.name, twofaRequired: input.twofaRequired, updatedOn: ctx.now });
    }
    const renamed = { id: group.id, name: input.name ?? group.name };
    const changes = {
      ...(renamed.name !== group.name ? { name: { from: group.name, to: renamed.name } } : {}),
      ...(twofaBefore !== undefined && twofaBefore !== input.twofaRequired ? { twofa_required: { from: twofaBefore, to: input.twofaRequired } } : {}),
      ...(customChanged ? { custom_fields: 'changed' } : {}),
    };
    if (Object.keys(changes).length > 0) {
      await recordAudit(queryableOf(tx), { event: 'group.update', source: ctx.auditSource, target: { type: 'Group', ...renamed }, details: changes });
    }
    if (userIds !== undefined) {
      const current = await selectGroupUserIds(tx, group.id);
      const removed = current.filter((u) => !userIds.includes(u));
      const added = userIds.filter((u) => !current.includes(u));
      for (const userId of removed) {
        await removeUser(tx, group.id, userId);
      }
      await addUsers(tx, group.id, added, ctx.now);
      await recordGroupUsers(tx, ctx.auditSource, renamed, added, removed);
    }
  });
}

/**
 * Deletes a group (administrators): its memberships with what its users and subprojects inherited
 * from them, its assignments and watchers, then the group.
 */
export async function deleteGroup(ctx: UserContext, id: number | undefined): Promise<void> {
  const group = await groupForAdmin(ctx, id);
  await ctx.db.orm.transaction(async (tx) => {
    await removeMembershipsOf(tx, group.id);
    await deleteCustomValues(tx, 'Group', [group.id]);
    await deleteGroupWithReferences(tx, group.id);
    await recordAudit(queryableOf(tx), { event: 'group.delete', source: ctx.auditSource, target: { type: 'Group', id: group.id, name: group.name } });
  });
}

/**
 * Adds users to a group (Redmine's add_users): those of the ids that are users and not in the group
 * yet; none such is a 422 "User is invalid". Each inherits the group's memberships.
 */
export async function addUsersToGroup(ctx: UserContext, id: number | undefined, userIds: readonly number[]): Promise<void> {
  const group = await groupForAdmin(ctx, id);
  await ctx.db.orm.transaction(async (tx) => {
    const added = await selectUserIdsNotInGroup(tx, group.id, userIds);
    if (added.length === 0) {
      throw new ValidationError(['User is invalid']);
    }
    await addUsers(tx, group.id, added, ctx.now);
    await recordGroupUsers(tx, ctx.auditSource, group, added, []);
  });
}

/**
 * Removes a user from a group (Redmine 6.0's remove_user): 404 for an id that is no user; a user
 * not in the group is no error. The user loses what the group's memberships gave.
 */
export async function removeUserFromGroup(ctx: UserContext, id: number | undefined, userId: number | undefined): Promise<void> {
  const group = await groupForAdmin(ctx, id);
  if (userId === undefined || !(await isUserOrAnonymous(ctx.db.orm, userId))) {
    throw new NotFoundError(`no user ${String(userId)}`);
  }
  await ctx.db.orm.transaction(async (tx) => {
    const wasMember = (await selectGroupIdsOfUser(tx, userId)).includes(group.id);
    await removeUser(tx, group.id, userId);
    if (wasMember) {
      await recordGroupUsers(tx, ctx.auditSource, group, [], [userId]);
    }
  });
}

/** The group with this id, for administrators and logged users (Redmine: groups are visible principals). */
export async function getVisibleGroup(ctx: UserContext, id: number | undefined): Promise<GroupRow> {
  const group = id === undefined || ctx.actor.userId === undefined ? undefined : await findGroupRow(ctx.db.orm, id);
  if (!group) {
    throw new NotFoundError(`no group ${String(id)}`);
  }
  return group;
}

/** The group's users and its memberships in projects the viewer sees, when asked. */
export async function detailsOfGroup(ctx: UserContext, group: GroupRow, include: ReadonlySet<string>): Promise<GroupDetails> {
  const { actor } = ctx;
  const [users, memberships, customFields] = await Promise.all([
    include.has('users') ? selectUsersOfGroup(ctx.db.orm, group.id) : undefined,
    include.has('memberships')
      ? selectMembershipsOf(ctx.db.orm, group.id, actor.isAdmin ? undefined : visibleProjectsCondition([...actor.memberRoles.keys()]))
      : undefined,
    principalCustomFields(ctx.db, 'Group', [group.id]),
  ]);
  return { users, memberships, customFields: customFields.get(group.id) };
}
