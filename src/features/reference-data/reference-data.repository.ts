/** All SQL on trackers, issue statuses, enumerations and roles (the tenant's tracker reference data). */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import { enumerations, issueStatuses, roles, trackers, type EnumerationType } from '#src/db/schema/tracker-reference.ts';

export async function listIssueStatuses(orm: Orm) {
  return orm
    .select({ id: issueStatuses.id, name: issueStatuses.name, isClosed: issueStatuses.isClosed, description: issueStatuses.description })
    .from(issueStatuses)
    .orderBy(asc(issueStatuses.position), asc(issueStatuses.id));
}

export async function listTrackers(orm: Orm) {
  return orm
    .select({
      id: trackers.id,
      name: trackers.name,
      description: trackers.description,
      fieldsBits: trackers.fieldsBits,
      defaultStatusId: trackers.defaultStatusId,
      defaultStatusName: issueStatuses.name,
    })
    .from(trackers)
    .leftJoin(issueStatuses, eq(issueStatuses.id, trackers.defaultStatusId))
    .orderBy(asc(trackers.position), asc(trackers.id));
}

/** System-wide values of one enumeration type, inactive ones included (project overrides are not). */
export async function listEnumerations(orm: Orm, type: EnumerationType) {
  return orm
    .select({ id: enumerations.id, name: enumerations.name, isDefault: enumerations.isDefault, active: enumerations.active })
    .from(enumerations)
    .where(and(eq(enumerations.type, type), isNull(enumerations.projectId)))
    .orderBy(asc(enumerations.position), asc(enumerations.id));
}

/** Roles that can be given to members (not the built-in Non member / Anonymous). */
export async function listGivableRoles(orm: Orm) {
  return orm
    .select({ id: roles.id, name: roles.name })
    .from(roles)
    .where(eq(roles.builtin, 0))
    .orderBy(asc(roles.position), asc(roles.id));
}

export async function findRole(orm: Orm, id: number) {
  const [row] = await orm.select().from(roles).where(eq(roles.id, id)).limit(1);
  return row;
}
