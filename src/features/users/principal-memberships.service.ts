/**
 * The memberships tab of a user or group (Redmine's PrincipalMembershipsController): the principal's
 * memberships with their roles, the projects it may join, adding it to projects with roles, changing
 * and removing a membership. Administrators only; the membership rules themselves (inheritance
 * through groups and subprojects, which roles may go) are the memberships feature's.
 */
import { assertAdministrator } from '#src/domain/administration.ts';
import { NotFoundError, ValidationError } from '#src/errors.ts';
import { createMemberships, deleteMembership, updateMembershipRoles } from '#src/features/memberships/index.ts';
import { listProjectChoices, type ProjectChoice } from '#src/features/projects/index.ts';
import { findGroupRow, findUserRow, selectGivableRoles, selectMembershipsOf, type MembershipRow } from './user.repository.ts';
import type { UserContext } from './user.service.ts';

export type PrincipalKind = 'User' | 'Group';

export interface PrincipalMemberships {
  readonly memberships: readonly MembershipRow[];
  readonly roles: readonly { id: number; name: string }[];
  /** Projects the principal is no member of yet, in tree order. */
  readonly projects: readonly ProjectChoice[];
}

async function requirePrincipal(ctx: UserContext, kind: PrincipalKind, id: number): Promise<void> {
  assertAdministrator(ctx.actor);
  const found = kind === 'User' ? await findUserRow(ctx.db.orm, id) : await findGroupRow(ctx.db.orm, id);
  if (!found) {
    throw new NotFoundError(`no ${kind.toLowerCase()} ${id}`);
  }
}

export async function loadPrincipalMemberships(ctx: UserContext, kind: PrincipalKind, id: number): Promise<PrincipalMemberships> {
  await requirePrincipal(ctx, kind, id);
  const [memberships, roles, choices] = await Promise.all([
    selectMembershipsOf(ctx.db.orm, id, undefined),
    selectGivableRoles(ctx.db.orm),
    listProjectChoices(ctx.db),
  ]);
  const joined = new Set(memberships.map((m) => m.project.id));
  return { memberships, roles, projects: choices.filter((p) => !joined.has(p.id)) };
}

/** Adds the principal to each project with the roles; Redmine's messages when none is chosen. */
export async function addPrincipalMemberships(ctx: UserContext, kind: PrincipalKind, id: number, projectIds: readonly number[], roleIds: readonly number[]): Promise<void> {
  await requirePrincipal(ctx, kind, id);
  const errors = [...(projectIds.length === 0 ? ['Project cannot be blank'] : []), ...(roleIds.length === 0 ? ['Role cannot be empty'] : [])];
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  for (const projectId of new Set(projectIds)) {
    await createMemberships(ctx, String(projectId), { principalIds: [id], roleIds: [...roleIds] });
  }
}

/** The membership, which must be one of the principal's (404 otherwise). */
async function membershipOf(ctx: UserContext, kind: PrincipalKind, id: number, membershipId: number): Promise<MembershipRow> {
  await requirePrincipal(ctx, kind, id);
  const membership = (await selectMembershipsOf(ctx.db.orm, id, undefined)).find((m) => m.id === membershipId);
  if (!membership) {
    throw new NotFoundError(`no membership ${membershipId} of ${kind.toLowerCase()} ${id}`);
  }
  return membership;
}

export async function changePrincipalMembershipRoles(ctx: UserContext, kind: PrincipalKind, id: number, membershipId: number, roleIds: readonly number[]): Promise<void> {
  await membershipOf(ctx, kind, id, membershipId);
  await updateMembershipRoles(ctx, membershipId, { roleIds: [...roleIds] });
}

export async function removePrincipalMembership(ctx: UserContext, kind: PrincipalKind, id: number, membershipId: number): Promise<void> {
  await membershipOf(ctx, kind, id, membershipId);
  await deleteMembership(ctx, membershipId);
}
