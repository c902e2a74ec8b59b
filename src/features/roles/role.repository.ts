/**
 * All SQL on roles for their administration: the list (built-in roles last), one role with the roles
 * it manages, name checks, writes, and what keeps a role from being deleted (members holding it).
 */
import type { Queryable } from '#src/db/database.ts';
import type { PositionScope } from '#src/db/positions.ts';
import type { RoleSettings } from '#src/db/schema/tracker-reference.ts';

export interface RoleRecord {
  id: number;
  name: string;
  position: number | null;
  assignable: boolean;
  builtin: number;
  permissions: string[];
  issues_visibility: string;
  users_visibility: string;
  time_entries_visibility: string;
  all_roles_managed: boolean;
  settings: RoleSettings;
  default_time_entry_activity_id: number | null;
}

export interface RoleListRow extends RoleRecord {
  /** Some workflow rule names the role (the list warns about roles without). */
  has_workflow: boolean;
}

/** Givable roles are ordered among themselves; the two built-in roles keep their own positions. */
export function rolePositionScope(builtin: number): PositionScope {
  return { table: 'roles', where: 'builtin = $1', params: [builtin] };
}

const COLUMNS = `r.id, r.name, r.position, COALESCE(r.assignable, true) AS assignable, r.builtin, r.permissions, r.issues_visibility,
  r.users_visibility, r.time_entries_visibility, r.all_roles_managed, r.settings, r.default_time_entry_activity_id`;

/** Every role as Redmine's Role.sorted: givable roles by position, then Non member, Anonymous. */
export function selectRoles(db: Queryable): Promise<RoleListRow[]> {
  return db.query<RoleListRow>(
    `SELECT ${COLUMNS}, EXISTS (SELECT 1 FROM workflows w WHERE w.role_id = r.id) AS has_workflow
       FROM roles r ORDER BY r.builtin, r.position, r.id`,
  );
}

export async function selectRole(db: Queryable, id: number): Promise<RoleRecord | undefined> {
  const [row] = await db.query<RoleRecord>(`SELECT ${COLUMNS} FROM roles r WHERE r.id = $1`, [id]);
  return row;
}

export async function selectManagedRoleIds(db: Queryable, roleId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>('SELECT managed_role_id AS id FROM roles_managed_roles WHERE role_id = $1 ORDER BY managed_role_id', [roleId]);
  return rows.map((row) => row.id);
}

/** Another role already has exactly this name (Redmine's uniqueness is case-sensitive). */
export async function isRoleNameTaken(db: Queryable, name: string, exceptId: number | undefined): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM roles WHERE name = $1 AND id <> $2 LIMIT 1', [name, exceptId ?? -1]);
  return rows.length > 0;
}

/** Those of the ids that are givable roles. */
export async function selectGivableRoleIds(db: Queryable, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.query<{ id: number }>('SELECT id FROM roles WHERE builtin = 0 AND id = ANY($1::int[]) ORDER BY position, id', [ids]);
  return rows.map((row) => row.id);
}

/** Whether the id is an active, shared time-entry activity (a role's default activity). */
export async function isSharedActivity(db: Queryable, id: number): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM enumerations WHERE id = $1 AND type = 'TimeEntryActivity' AND project_id IS NULL AND active",
    [id],
  );
  return rows.length > 0;
}

export type RoleWrite = Omit<RoleRecord, 'id' | 'builtin'>;

export async function insertRole(db: Queryable, role: RoleWrite): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO roles (name, position, assignable, builtin, permissions, issues_visibility, users_visibility, time_entries_visibility,
                        all_roles_managed, settings, default_time_entry_activity_id)
     VALUES ($1, $2, $3, 0, $4::jsonb, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id`,
    [
      role.name,
      role.position,
      role.assignable,
      JSON.stringify(role.permissions),
      role.issues_visibility,
      role.users_visibility,
      role.time_entries_visibility,
      role.all_roles_managed,
      JSON.stringify(role.settings),
      role.default_time_entry_activity_id,
    ],
  );
  if (!row) {
    throw new Error('role insert returned no id');
  }
  return row.id;
}

/** Writes every attribute but the position (moved separately). */
export async function updateRoleRow(db: Queryable, id: number, role: Omit<RoleWrite, 'position'>): Promise<void> {
  await db.query(
    `UPDATE roles SET name = $2, assignable = $3, permissions = $4::jsonb, issues_visibility = $5, users_visibility = $6,
            time_entries_visibility = $7, all_roles_managed = $8, settings = $9::jsonb, default_time_entry_activity_id = $10
      WHERE id = $1`,
    [
      id,
      role.name,
      role.assignable,
      JSON.stringify(role.permissions),
      role.issues_visibility,
      role.users_visibility,
      role.time_entries_visibility,
      role.all_roles_managed,
      JSON.stringify(role.settings),
      role.default_time_entry_activity_id,
    ],
  );
}

export async function updateRolePermissions(db: Queryable, id: number, permissions: readonly string[]): Promise<void> {
  await db.query('UPDATE roles SET permissions = $2::jsonb WHERE id = $1', [id, JSON.stringify(permissions)]);
}

export async function replaceManagedRoles(db: Queryable, roleId: number, managedIds: readonly number[]): Promise<void> {
  await db.query('DELETE FROM roles_managed_roles WHERE role_id = $1', [roleId]);
  if (managedIds.length > 0) {
    await db.query('INSERT INTO roles_managed_roles (role_id, managed_role_id) SELECT $1, unnest($2::int[])', [roleId, managedIds]);
  }
}

/** Names of the projects where some member holds the role, by name: why it cannot be deleted. */
export async function selectProjectsUsingRole(db: Queryable, roleId: number): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT DISTINCT p.name FROM member_roles mr JOIN members m ON m.id = mr.member_id JOIN projects p ON p.id = m.project_id
      WHERE mr.role_id = $1 ORDER BY p.name`,
    [roleId],
  );
  return rows.map((row) => row.name);
}

/** Deletes the role; its workflow rules, managed-role links and custom-field visibility go with it. */
export async function deleteRoleRow(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM roles WHERE id = $1', [id]);
}

/** The shared, active time-entry activities (a role's default activity), by position. */
export function selectSharedActivities(db: Queryable): Promise<Array<{ id: number; name: string }>> {
  return db.query("SELECT id, name FROM enumerations WHERE type = 'TimeEntryActivity' AND project_id IS NULL AND active ORDER BY position, id");
}

/** Every tracker by position (the per-tracker permission table). */
export function selectTrackerChoices(db: Queryable): Promise<Array<{ id: number; name: string }>> {
  return db.query('SELECT id, name FROM trackers ORDER BY position, id');
}
