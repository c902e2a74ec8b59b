/**
 * The SQL of deleting a user: what refers to the user is handed to the Anonymous user, cleared or
 * deleted first (Redmine's User#remove_references_before_destroy), then the user's own rows and the
 * user. Everything runs on the caller's transaction.
 */
import type { Queryable } from '#src/db/database.ts';

/**
 * Author and user columns of tables other features may add later (Redmine's comments, messages,
 * news, time entries, wiki contents and versions): reassigned to the Anonymous user when the table
 * and column exist. time_entries.author_id is Kanri's addition; Redmine leaves it pointing at the
 * deleted user.
 */
const REASSIGNED_WHEN_PRESENT: readonly (readonly [table: string, column: string])[] = [
  ['comments', 'author_id'],
  ['messages', 'author_id'],
  ['news', 'author_id'],
  ['time_entries', 'user_id'],
  ['time_entries', 'author_id'],
  ['wiki_contents', 'author_id'],
  ['wiki_content_versions', 'author_id'],
];

/** Which of the optional (table, column) pairs this database has. */
async function presentColumns(db: Queryable): Promise<(readonly [string, string])[]> {
  const rows = await db.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1::text[])',
    [[...new Set(REASSIGNED_WHEN_PRESENT.map(([table]) => table))]],
  );
  const present = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
  return REASSIGNED_WHEN_PRESENT.filter(([table, column]) => present.has(`${table}.${column}`));
}

/**
 * Redmine's User#remove_references_before_destroy: attachments, issues, journals, saved queries
 * (public ones; private ones are deleted), and the optional tables above go to `substituteId`;
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
  for (const [table, column] of await presentColumns(db)) {
    // Identifiers from the constant list above, never from input.
    await db.query(`UPDATE ${table} SET ${column} = $2 WHERE ${column} = $1`, ids);
  }
  await db.query('DELETE FROM tokens WHERE user_id = $1', [userId]);
  await db.query('DELETE FROM watchers WHERE user_id = $1', [userId]);
  await db.query(
    "DELETE FROM custom_values WHERE value = $1 AND custom_field_id IN (SELECT id FROM custom_fields WHERE field_format = 'user')",
    [String(userId)],
  );
}

/**
 * Deletes the user row and its own rows: its custom values (customized_type 'Principal', as Redmine
 * stores them for users and groups) by hand; addresses, preferences, memberships with their member
 * roles (and the roles inherited from them), group links by cascade; categories and projects the
 * user was the default assignee of are cleared by their foreign keys.
 */
export async function deleteUserWithOwnRows(db: Queryable, userId: number): Promise<void> {
  await db.query("DELETE FROM custom_values WHERE customized_type = 'Principal' AND customized_id = $1", [userId]);
  await db.query("DELETE FROM users WHERE id = $1 AND type = 'User'", [userId]);
}

/** Is there an active administrator other than this user (Redmine's own_account_deletable?)? */
export async function hasOtherActiveAdmin(db: Queryable, userId: number): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM users WHERE type = 'User' AND admin AND status = 1 AND id <> $1 LIMIT 1", [userId]);
  return rows.length > 0;
}
