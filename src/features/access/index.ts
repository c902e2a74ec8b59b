/**
 * The Actor of a request: who asks and which roles they hold where. Loaded once per request (one
 * query) and handed to the pure permission engine in src/domain/authorization.ts.
 */
import type { Queryable } from '#src/db/database.ts';
import type { Actor } from '#src/domain/authorization.ts';
import type { User } from '#src/features/account/index.ts';
import { selectActorFacts } from './actor.repository.ts';

export { allowedProjectsCondition, type AllowedOptions } from './allowed-condition.ts';
export { visiblePrincipalIds } from './principal-visibility.ts';

export async function loadActor(db: Queryable, user: Pick<User, 'id' | 'admin'> | undefined): Promise<Actor> {
  const facts = await selectActorFacts(db, user?.id ?? -1);
  return {
    userId: user?.id,
    isAdmin: user?.admin ?? false,
    groupIds: facts.groupIds,
    memberRoles: facts.memberRoles,
    nonMemberRole: facts.nonMember,
    anonymousRole: facts.anonymous,
  };
}
