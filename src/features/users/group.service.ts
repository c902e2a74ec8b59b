/** Reading groups (Redmine's GroupsController index/show): the list for administrators, one group for logged users. */
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#src/errors.ts';
import {
  findGroupRow,
  selectGroups,
  selectMembershipsOf,
  selectUsersOfGroup,
  visibleProjectsCondition,
  type GroupRow,
  type MembershipRow,
} from './user.repository.ts';
import type { UserContext } from './user.service.ts';

export interface GroupDetails {
  users?: GroupRow[] | undefined;
  memberships?: MembershipRow[] | undefined;
}

/** Every regular group by name (administrators). */
export async function listGroups(ctx: UserContext): Promise<GroupRow[]> {
  if (!ctx.actor.isAdmin) {
    throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('administrators only');
  }
  return selectGroups(ctx.db.orm);
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
  const [users, memberships] = await Promise.all([
    include.has('users') ? selectUsersOfGroup(ctx.db.orm, group.id) : undefined,
    include.has('memberships')
      ? selectMembershipsOf(ctx.db.orm, group.id, actor.isAdmin ? undefined : visibleProjectsCondition([...actor.memberRoles.keys()]))
      : undefined,
  ]);
  return { users, memberships };
}
