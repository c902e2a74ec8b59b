/**
 * Which versions a project's issues may use, for other features (issues validate fixed_version_id,
 * custom fields of the version format list choices). Plain reads on any Queryable, so a caller can
 * ask inside its own transaction.
 */
import type { Queryable } from '#src/db/database.ts';
import { selectSharedVersions } from './version.repository.ts';

/** Redmine's Project#shared_versions (optionally `.open`): the project's own versions and those shared with it. */
export async function sharedVersionIds(db: Queryable, projectId: number, options: { openOnly?: boolean } = {}): Promise<Set<number>> {
  return new Set((await selectSharedVersions(db, projectId, options.openOnly ?? false)).map((v) => v.id));
}

/** The version an issue has now, when the change being validated does not touch fixed_version_id. */
export interface CurrentFixedVersion {
  readonly versionId: number | null;
  /** The issue is moving into the project: then its version stays only if the new project shares it. */
  readonly movingProject: boolean;
}

/**
 * Redmine's Issue#assignable_versions as ids: the open versions the project shares, plus the issue's
 * current version (whatever its status) when the change keeps it — unless the issue moves to a
 * project that does not share it. Pass `current` only when fixed_version_id itself is not changing.
 */
export async function assignableVersionIds(db: Queryable, projectId: number, current?: CurrentFixedVersion): Promise<Set<number>> {
  const shared = await selectSharedVersions(db, projectId);
  const ids = new Set(shared.filter((v) => v.status === 'open').map((v) => v.id));
  const kept = current?.versionId ?? null;
  if (kept !== null && (!current?.movingProject || shared.some((v) => v.id === kept))) {
    ids.add(kept);
  }
  return ids;
}

/** The versions the project shares (optionally only open ones), by name, for a form's choices. */
export async function sharedVersionChoices(db: Queryable, projectId: number, options: { openOnly?: boolean } = {}): Promise<{ id: number; name: string; status: string | null; projectId: number; projectName: string }[]> {
  const rows = await selectSharedVersions(db, projectId, options.openOnly ?? false);
  return rows
    .map((v) => ({ id: v.id, name: v.name, status: v.status, projectId: v.project_id, projectName: v.project_name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}
