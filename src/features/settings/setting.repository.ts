/** All SQL on a tenant's `settings` table. */
import { eq } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import { preparedPerHandle } from '#src/db/prepared.ts';
import { settings } from '#src/db/schema/accounts.ts';

/** Read on every request. */
const allSettings = preparedPerHandle((orm) =>
  orm.select({ name: settings.name, value: settings.value }).from(settings).prepare('kanri_settings_all'),
);

export async function readStoredSettings(orm: Orm): Promise<Map<string, string>> {
  const rows = await allSettings(orm).execute();
  return new Map(rows.map((r) => [r.name, r.value ?? '']));
}

export async function writeSetting(orm: Orm, name: string, value: string, now: Date): Promise<void> {
  await orm
    .insert(settings)
    .values({ name, value, updatedOn: now })
    .onConflictDoUpdate({ target: settings.name, set: { value, updatedOn: now } });
}

export async function readSetting(orm: Orm, name: string): Promise<string | undefined> {
  const [row] = await orm.select({ value: settings.value }).from(settings).where(eq(settings.name, name)).limit(1);
  return row?.value ?? undefined;
}
