/** The tenant's data some settings choose from: trackers (default trackers of new projects) and givable roles. */
import { asc, eq } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import { roles, trackers } from '#src/db/schema/tracker-reference.ts';

export interface SettingChoiceData {
  readonly trackers: readonly { id: number; name: string }[];
  readonly roles: readonly { id: number; name: string }[];
}

export async function selectSettingChoiceData(orm: Orm): Promise<SettingChoiceData> {
  const [trackerRows, roleRows] = await Promise.all([
    orm.select({ id: trackers.id, name: trackers.name }).from(trackers).orderBy(asc(trackers.position), asc(trackers.id)),
    orm.select({ id: roles.id, name: roles.name }).from(roles).where(eq(roles.builtin, 0)).orderBy(asc(roles.position), asc(roles.id)),
  ]);
  return { trackers: trackerRows, roles: roleRows };
}
