/**
 * API keys are Redmine `tokens` rows with action `api`: 40 lower-case hex characters, one per user,
 * made on first use. Stored as Redmine stores them, so a user can be shown their key again.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import { tokens } from '#src/db/schema/accounts.ts';

export const API_KEY_PATTERN = /^[0-9a-f]{40}$/;

/** The user's API key, made now if the user has none. */
export async function apiKeyOf(orm: Orm, userId: number, now: Date): Promise<string> {
  const [row] = await orm
    .select({ value: tokens.value })
    .from(tokens)
    .where(and(eq(tokens.action, 'api'), eq(tokens.userId, userId)))
    .limit(1);
  if (row) {
    return row.value;
  }
  const value = randomBytes(20).toString('hex');
  await orm.insert(tokens).values({ userId, action: 'api', value, createdOn: now, updatedOn: now });
  return value;
}

/** When the user's API key was made, without making one (undefined: the user has none yet). */
export async function apiKeyCreatedOn(orm: Orm, userId: number): Promise<Date | undefined> {
  const [row] = await orm
    .select({ createdOn: tokens.createdOn })
    .from(tokens)
    .where(and(eq(tokens.action, 'api'), eq(tokens.userId, userId)))
    .limit(1);
  return row?.createdOn;
}

/** Drops the user's API key (Redmine's reset: the next use makes a new one); the old key stops working at once. */
export async function deleteApiKey(orm: Orm, userId: number): Promise<void> {
  await orm.delete(tokens).where(and(eq(tokens.action, 'api'), eq(tokens.userId, userId)));
}
