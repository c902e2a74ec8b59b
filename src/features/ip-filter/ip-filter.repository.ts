/**
 * The SQL of the IP address filter: its row of `settings`.
 *
 * The `allowed_ips` row is written here rather than through the settings feature's writer because
 * the change and its audit row must commit together, in one `Database.transaction` (a `Queryable`),
 * which the ORM-based writer cannot join. It is the same upsert on the same table.
 */
import type { Queryable } from '#src/db/database.ts';

/** The stored list, locked until the transaction ends (two administrators saving at once queue). */
export async function selectAllowedIpsForUpdate(tx: Queryable): Promise<string> {
  const [row] = await tx.query<{ value: string | null }>("SELECT value FROM settings WHERE name = 'allowed_ips' FOR UPDATE");
  return row?.value ?? '';
}

export async function upsertAllowedIps(tx: Queryable, value: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO settings (name, value, updated_on) VALUES ('allowed_ips', $1, $2)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_on = EXCLUDED.updated_on`,
    [value, now.toISOString()],
  );
}
