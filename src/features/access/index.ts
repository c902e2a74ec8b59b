/**
 * The Actor of a request: who asks and which roles they hold where. Loaded once per request (two
 * queries) and handed to the pure permission engine in src/domain/authorization.ts.
 */
import type { Queryable } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import type { User } from '#src/features/account/index.ts';
import { selectBuiltinRoles, selectGroupIds, selectMemberRoles } from './actor.repository.ts';

export async function loadActor(db: Queryable, user: User | undefined): Promise<Actor> {
  const [builtin, memberRoles, groupIds] = await Promise.all([
    selectBuiltinRoles(db),
    user ? selectMemberRoles(db, user.id) : Promise.resolve(new Map()),
    user ? selectGroupIds(db, user.id) : Promise.resolve(new Set<number>()),
  ]);
  return {
    userId: user?.id,
    isAdmin: user?.admin ?? false,
    groupIds,
    memberRoles,
    nonMemberRole: builtin.nonMember,
    anonymousRole: builtin.anonymous,
  };
}
