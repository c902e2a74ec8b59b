/**
 * What the members tab of a project's settings shows and offers (Redmine's projects/settings/_members
 * and members/new): every membership with its roles (inherited ones marked), which of them the actor
 * may change or remove, the roles the actor may give, and the users and groups that may be added.
 */
import type { Queryable } from '#src/db/database.ts';
import type { Actor, ProjectAccess } from '#src/domain/authorization.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#src/errors.ts';
import { getVisibleProject, loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { selectAssignablePrincipals, selectGivableRoleNames, selectPrincipalsNotMembers, type PrincipalChoiceRow } from './membership.choices.repository.ts';
import { canManageMembers, isDeletableMembership, managedRoleIds } from './membership.policy.ts';
import { findMembership, selectMemberRoles, selectProjectMemberships, selectRoles, type MembershipRow } from './membership.repository.ts';
import type { MembershipContext } from './membership.service.ts';

export type { PrincipalChoiceRow } from './membership.choices.repository.ts';

export interface MemberLine {
  readonly membership: MembershipRow;
  /** No role comes from a group or a parent project, and the actor manages every role. */
  readonly deletable: boolean;
}

export interface MemberSettings {
  readonly project: ProjectRow;
  readonly members: readonly MemberLine[];
  readonly roles: readonly { id: number; name: string }[];
  /** The roles the actor may give or take (Redmine's managed_roles). */
  readonly managedRoleIds: ReadonlySet<number>;
}

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

async function managingAccess(ctx: MembershipContext, project: ProjectRow): Promise<ProjectAccess> {
  const access = await loadProjectAccess(ctx.db.orm, project);
  if (!canManageMembers(ctx.actor, access)) {
    refuse(ctx.actor);
  }
  return access;
}

/** The members tab (`manage_members`). */
export async function loadMemberSettings(ctx: MembershipContext, projectIdOrIdentifier: string): Promise<MemberSettings> {
  const project = await getVisibleProject(ctx, projectIdOrIdentifier);
  const access = await managingAccess(ctx, project);
  const [{ rows }, roles, roleRows] = await Promise.all([
    selectProjectMemberships(ctx.db.orm, project.id, { offset: 0, limit: 10_000 }),
    selectGivableRoleNames(ctx.db),
    selectRoles(ctx.db.orm),
  ]);
  const managed = managedRoleIds(ctx.actor, access, roleRows);
  const members = rows.map((membership) => ({
    membership,
    deletable: membership.roles.every((role) => !role.inherited && managed.has(role.id)),
  }));
  return { project, members, roles, managedRoleIds: managed };
}

/** One membership with what its edit form needs (`manage_members` on its project). */
export async function loadMembershipForEdit(ctx: MembershipContext, id: number): Promise<{ line: MemberLine; settings: MemberSettings }> {
  const membership = await findMembership(ctx.db.orm, id);
  if (!membership) {
    throw new NotFoundError(`no membership ${id}`);
  }
  const settings = await loadMemberSettings(ctx, String(membership.project.id));
  const line = settings.members.find((m) => m.membership.id === id);
  if (!line) {
    throw new NotFoundError(`no membership ${id}`);
  }
  const rows = await selectMemberRoles(ctx.db.orm, id);
  return { line: { ...line, deletable: isDeletableMembership(rows, settings.managedRoleIds) }, settings };
}

/** Users and groups that may be added to the project (`manage_members`), matching `q`, at most `limit`. */
export async function listMemberCandidates(ctx: MembershipContext, project: ProjectRow, q: string, limit: number): Promise<PrincipalChoiceRow[]> {
  await managingAccess(ctx, project);
  return selectPrincipalsNotMembers(ctx.db, project.id, q.trim(), limit);
}

/** Users (and groups when group assignment is on) the project's issues may be assigned to. */
export function listAssignablePrincipals(db: Queryable, projectId: number, withGroups: boolean): Promise<PrincipalChoiceRow[]> {
  return selectAssignablePrincipals(db, projectId, withGroups);
}
