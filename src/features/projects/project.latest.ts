/** The newest projects an actor sees (Redmine's Project.latest, the home page's "Latest projects"). */
import { desc, notInArray, and } from 'drizzle-orm';
import type { Database } from '#src/db/database.ts';
import { PROJECT_STATUS, type Actor } from '#src/domain/authorization.ts';
import { projects } from '#src/db/schema/core-tracker.ts';
import { visibleProjectsCondition } from './project.policy.ts';
import type { ProjectRow } from './project.repository.ts';

/** The `count` projects made last among those the actor sees (archived ones never), newest first. */
export async function latestVisibleProjects(db: Database, actor: Actor, count = 5): Promise<ProjectRow[]> {
  return db.orm
    .select()
    .from(projects)
    .where(and(visibleProjectsCondition(actor), notInArray(projects.status, [PROJECT_STATUS.archived, PROJECT_STATUS.scheduledForDeletion])))
    .orderBy(desc(projects.createdOn), desc(projects.id))
    .limit(count);
}
