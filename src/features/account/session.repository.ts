/**
 * Sessions are rows of Redmine's `tokens` table with action `session`. The cookie carries a random
 * token; the table keeps only its SHA-256, so reading the table does not yield a usable cookie.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import { tokens } from '#src/db/schema/accounts.ts';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function insertSession(orm: Orm, userId: number, token: string, now: Date): Promise<void> {
  await orm.insert(tokens).values({ userId, action: 'session', value: digest(token), createdOn: now, updatedOn: now });
}

export async function findSessionUserId(orm: Orm, token: string): Promise<number | undefined> {
  const [row] = await orm
    .select({ userId: tokens.userId })
    .from(tokens)
    .where(and(eq(tokens.action, 'session'), eq(tokens.value, digest(token))))
    .limit(1);
  return row?.userId;
}

export async function deleteSession(orm: Orm, token: string): Promise<void> {
  await orm.delete(tokens).where(and(eq(tokens.action, 'session'), eq(tokens.value, digest(token))));
}

/** Ends every session of `userId` except the one whose token is `keep`. */
export async function deleteOtherSessions(orm: Orm, userId: number, keep: string | undefined): Promise<void> {
  const others = and(eq(tokens.action, 'session'), eq(tokens.userId, userId));
  await orm.delete(tokens).where(keep ? and(others, ne(tokens.value, digest(keep))) : others);
}
