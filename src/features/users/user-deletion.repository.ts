/**
 * The SQL of deleting a user: what refers to the user is handed to the Anonymous user, cleared or
 * deleted first (Redmine's User#remove_references_before_destroy), then the user's own rows and the
 * user. Everything runs on the caller's transaction.
 */
import type { Queryable } from '#src/db/database.ts';

/**
 * Redmine's User#remove_references_before_destroy: attachments, issues, journals, saved queries
 * (public ones; private ones are deleted) and time entries go to `substituteId` (Redmine moves
 * time_entries.user_id; Kanri also moves author_id, which Redmine leaves pointing at no one). Tables
 * Kanri has not yet (comments, messages, news, wiki contents) join this list with their migrations;
 * assignments are cleared; journal details recording an assignment to or from the user name the
 * substitute instead; tokens, watchers and values of user-format custom fields naming the user go.
 */
export async function removeReferencesToUser(db: Queryable, userId: number, substituteId: number): Promise<void> {
  const ids = [userId, substituteId];
  await db.query('UPDATE attachments SET author_id = $2 WHERE author_id = $1', ids);
  await db.query('UPDATE issues SET author_id = $2 WHERE author_id = $1', ids);
  await db.query('UPDATE issues SET assigned_to_id = NULL WHERE assigned_to_id = $1', [userId]);
  await db.query('UPDATE journals SET user_id = $2 WHERE user_id = $1', ids);
  await db.query('UPDATE journals SET updated_by_id = $2 WHERE updated_by_id = $1', ids);
  const asText = ids.map(String);
  await db.query("UPDATE journal_details SET old_value = $2 WHERE property = 'attr' AND prop_key = 'assigned_to_id' AND old_value = $1", asText);
  await db.query("UPDATE journal_details SET value = $2 WHERE property = 'attr' AND prop_key = 'assigned_to_id' AND value = $1", asText);
  await db.query('DELETE FROM queries WHERE user_id = $1 AND visibility = 0', [userId]);
  await db.query('UPDATE queries SET user_id = $2 WHERE user_id = $1', ids);
  await db.query('UPDATE time_entries SET user_id = $2 WHERE user_id = $1', ids);
  await db.query('UPDATE time_entries SET author_id = $2 WHERE author_id = $1', ids);
  await db.query('DELETE FROM tokens WHERE user_id = $1', [userId]);
  await db.query('DELETE FROM watchers WHERE user_id = $1', [userId]);
  await db.query(
    "DELETE FROM custom_values WHERE value = $1 AND custom_field_id IN (SELECT id FROM custom_fields WHERE field_format = 'user')",
    [String(userId)],
  );
}

/**
 * Deletes the user row and, by cascade, its addresses, preferences, memberships with their member
 * roles (and the roles inherited from them) and group links; categories and projects the user was
 * the default assignee of are cleared by their foreign keys. Its custom values are the caller's.
 */
export async function deleteUserWithOwnRows(db: Queryable, userId: number): Promise<void> {
  await db.query("DELETE FROM users WHERE id = $1 AND type = 'User'", [userId]);
}

/** Is there an active administrator other than this user (Redmine's own_account_deletable?)? */
export async function hasOtherActiveAdmin(db: Queryable, userId: number): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM users WHERE type = 'User' AND admin AND status = 1 AND id <> $1 LIMIT 1", [userId]);
  return rows.length > 0;
}
