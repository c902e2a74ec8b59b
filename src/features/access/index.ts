/**
 * The Actor of a request: who asks and which roles they hold where. Loaded once per request (two
 * queries) and handed to the pure permission engine in src/domain/authorization.ts.
 */
import type { Queryable } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import type { User } from '#src/features/account/index.ts';
import { selectBuiltinRoles, selectMemberRoles } from './actor.repository.ts';

export async function loadActor(db: Queryable, user: User | undefined): Promise<Actor> {
  const [builtin, memberRoles] = await Promise.all([
    selectBuiltinRoles(db),
    user ? selectMemberRoles(db, user.id) : Promise.resolve(new Map()),
  ]);
  return {
    userId: user?.id,
    isAdmin: user?.admin ?? false,
    memberRoles,
    nonMemberRole: builtin.nonMember,
    anonymousRole: builtin.anonymous,
  };
}
