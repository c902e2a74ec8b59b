/**
 * What the page frame shows of projects: the current project's access facts and ancestors (the
 * header's "Parent » Child"), and the jump list of the user's projects. Remembered per data version.
 */
import { and, asc, gt, inArray, lt, ne } from 'drizzle-orm';
import type { Database } from '#src/db/database.ts';
import { projects } from '#src/db/schema/core-tracker.ts';
import { memoAsOf } from '#src/db/version-memo.ts';
import { PROJECT_STATUS, type ProjectAccess } from '#src/domain/authorization.ts';
import type { ProjectRow } from './project.repository.ts';
import { projectAccessByIds } from './project.service.ts';

export interface ProjectFrame {
  readonly access: ProjectAccess;
  /** Root first. */
  readonly ancestors: readonly { readonly name: string; readonly identifier: string; readonly access: ProjectAccess }[];
}

export async function loadProjectFrame(db: Database, dataVersion: string | undefined, project: ProjectRow): Promise<ProjectFrame> {
  return memoAsOf(db, `project-frame\u0001${project.id}`, dataVersion, async () => {
    const ancestors =
      project.parentId === null
        ? []
        : await db.orm
            .select({ id: projects.id, name: projects.name, identifier: projects.identifier })
            .from(projects)
            .where(and(lt(projects.lft, project.lft ?? 0), gt(projects.rgt, project.rgt ?? 0)))
            .orderBy(asc(projects.lft));
    const access = await projectAccessByIds(db, [project.id, ...ancestors.map((a) => a.id)]);
    return {
      access: access.get(project.id)!,
      ancestors: ancestors.map((a) => ({ name: a.name, identifier: a.identifier ?? String(a.id), access: access.get(a.id)! })),
    };
  });
}

/** The active projects among `ids` (the user's memberships), by name, for the jump box. */
export async function loadJumpProjects(db: Database, dataVersion: string | undefined, ids: readonly number[]) {
  const sorted = [...ids].sort((a, b) => a - b);
  return memoAsOf(db, `jump\u0001${sorted.join(',')}`, dataVersion, () =>
    db.orm
      .select({ name: projects.name, identifier: projects.identifier })
      .from(projects)
      .where(and(inArray(projects.id, sorted), ne(projects.status, PROJECT_STATUS.archived), ne(projects.status, PROJECT_STATUS.scheduledForDeletion)))
      .orderBy(asc(projects.name))
      .limit(50)
      .then((rows) => rows.map((r) => ({ name: r.name, identifier: r.identifier ?? '' }))),
  );
}
