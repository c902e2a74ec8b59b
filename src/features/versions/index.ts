/**
 * Versions (Redmine's Version): a project's releases, shared with other projects per `sharing`.
 * Other features use the sharing reads (which versions an issue may target); the REST routes are
 * `versionsApi` in versions.api.ts.
 */
export { assignableVersionIds, sharedVersionChoices, sharedVersionIds, type CurrentFixedVersion } from './version.sharing.ts';
export {
  createVersion,
  deleteVersion,
  getVersion,
  listProjectVersions,
  updateVersion,
  type VersionContext,
  type VersionDetails,
  type VersionInput,
} from './version.service.ts';
export { presentVersion } from './version.presenter.ts';
export type { VersionRow } from './version.repository.ts';
