/**
 * The SQL of the IP address filter: its row of `settings`, and the administrators told of changes.
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

export interface AdministratorRecipient {
  readonly id: number;
  readonly login: string;
  readonly language: string;
  readonly mail: string;
}

/** Active administrators with a default e-mail address, in id order. */
export async function selectActiveAdministrators(db: Queryable): Promise<AdministratorRecipient[]> {
  const rows = await db.query<{ id: number; login: string; language: string | null; mail: string }>(
    `SELECT u.id, u.login, u.language, e.address AS mail
       FROM users u JOIN email_addresses e ON e.user_id = u.id AND e.is_default
      WHERE u.type = 'User' AND u.admin AND u.status = 1
      ORDER BY u.id`,
  );
  return rows.map((r) => ({ id: Number(r.id), login: r.login, language: r.language ?? '', mail: r.mail }));
}
