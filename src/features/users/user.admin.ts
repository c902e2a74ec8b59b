/**
 * What the administrator's user pages read besides the list itself: the counts per status, and one
 * user with everything its edit form shows (preferences, groups, custom values). Changes go through
 * user.service.ts.
 */
import { assertAdministrator } from '#src/domain/administration.ts';
import { NotFoundError } from '#src/errors.ts';
import { findPreferences } from '#src/features/account/index.ts';
import { customFieldsOfKind, customValueSheet, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { countUsersByStatus, findUserRow, selectGroups, selectGroupsOfUser, type GroupRow, type UserRow } from './user.repository.ts';
import type { UserContext } from './user.service.ts';

export async function userStatusCounts(ctx: UserContext): Promise<Map<number, number>> {
  assertAdministrator(ctx.actor);
  return countUsersByStatus(ctx.db.orm);
}

/** Every group (for filters and the groups tab). */
export async function allGroups(ctx: UserContext): Promise<GroupRow[]> {
  assertAdministrator(ctx.actor);
  return selectGroups(ctx.db.orm);
}

/** The user custom fields, in Redmine's order (the form shows every one to an administrator). */
export async function userCustomFields(ctx: UserContext): Promise<CustomFieldDef[]> {
  assertAdministrator(ctx.actor);
  return customFieldsOfKind(ctx.db, 'User');
}

export interface UserForEdit {
  readonly user: UserRow;
  readonly timeZone: string;
  readonly groupIds: readonly number[];
  readonly customValues: ReadonlyMap<number, readonly string[]>;
}

export async function loadUserForEdit(ctx: UserContext, id: number | undefined): Promise<UserForEdit> {
  assertAdministrator(ctx.actor);
  const user = id === undefined ? undefined : await findUserRow(ctx.db.orm, id);
  if (!user) {
    throw new NotFoundError(`no user ${String(id)}`);
  }
  const [preferences, groups, sheet] = await Promise.all([
    findPreferences(ctx.db.orm, user.id),
    selectGroupsOfUser(ctx.db.orm, user.id),
    customValueSheet(ctx.db, 'User', [user.id]),
  ]);
  return { user, timeZone: preferences.timeZone, groupIds: groups.map((g) => g.id), customValues: sheet.values.get(user.id) ?? new Map() };
}
