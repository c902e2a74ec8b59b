/**
 * Who may see and change versions, which sharing modes a user may choose (Redmine's
 * Version#allowed_sharings), and the validation rules of a version with Redmine's messages.
 */
import { allowedTo, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import type { VersionSharing, VersionStatus } from '#src/db/schema/core-tracker.ts';

export const VERSION_STATUSES: readonly VersionStatus[] = ['open', 'locked', 'closed'];
/** In order of reach: a change to an earlier one narrows the sharing. */
export const VERSION_SHARINGS: readonly VersionSharing[] = ['none', 'descendants', 'hierarchy', 'tree', 'system'];

export function isVersionStatus(value: string | null): value is VersionStatus {
  return (VERSION_STATUSES as readonly (string | null)[]).includes(value);
}

export function isVersionSharing(value: string | null | undefined): value is VersionSharing {
  return (VERSION_SHARINGS as readonly (string | null | undefined)[]).includes(value);
}

/** List and show: `view_issues` on the version's (or the listed) project. */
export function canViewVersions(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'view_issues', project);
}

export function canManageVersions(actor: Actor, project: ProjectAccess): boolean {
  return allowedTo(actor, 'manage_versions', project);
}

/**
 * The sharings the actor may give a version whose sharing is now `current`: its current one always;
 * `system` for administrators; `hierarchy` and `tree` for those managing versions of the root project.
 */
export function allowedSharings(actor: Actor, current: VersionSharing, managesRootVersions: boolean): VersionSharing[] {
  return VERSION_SHARINGS.filter((sharing) => {
    if (sharing === current) {
      return true;
    }
    switch (sharing) {
      case 'system':
        return actor.isAdmin;
      case 'hierarchy':
      case 'tree':
        return managesRootVersions;
      case 'none':
      case 'descendants':
        return true;
    }
  });
}

/** Does going from `before` to `after` take the version away from projects that had it? */
export function isNarrowing(before: VersionSharing, after: VersionSharing): boolean {
  return VERSION_SHARINGS.indexOf(before) > VERSION_SHARINGS.indexOf(after);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$/;

/**
 * A due date as sent: blank clears it; otherwise Redmine's DateValidator (`YYYY-MM-DD`, optionally
 * with ` 00:00:00`, naming a real day). Year 0 does not exist for PostgreSQL, so it is no date either.
 */
export function parseDueDate(raw: string | null): { date: string | null } | { invalid: true } {
  if (raw === null || raw === '') {
    return { date: null };
  }
  const match = DATE.exec(raw);
  if (!match) {
    return { invalid: true };
  }
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const day = new Date(0);
  day.setUTCFullYear(y, m - 1, d);
  const real = y > 0 && day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
  return real ? { date: raw.slice(0, 10) } : { invalid: true };
}

/** Ruby's String#length: characters, not UTF-16 units. */
function length(text: string | null): number {
  return text === null ? 0 : [...text].length;
}

/** What a version will hold once the request is applied, before validation. */
export interface VersionDraft {
  name: string | null;
  description: string | null;
  status: string | null;
  /** Normalised `YYYY-MM-DD`, or null. */
  effectiveDate: string | null;
  /** The due date sent could not be read as a date. */
  invalidDueDate: boolean;
  sharing: string;
  wikiPageTitle: string | null;
}

/** Redmine's Version validations, in its order; `nameTaken` is the uniqueness check's answer. */
export function versionErrors(draft: VersionDraft, nameTaken: boolean): string[] {
  const errors: string[] = [];
  if (draft.name === null || draft.name.trim() === '') {
    errors.push('Name cannot be blank');
  } else if (nameTaken) {
    errors.push('Name has already been taken');
  }
  if (length(draft.name) > 60) {
    errors.push('Name is too long (maximum is 60 characters)');
  }
  if (length(draft.description) > 255) {
    errors.push('Description is too long (maximum is 255 characters)');
  }
  if (length(draft.wikiPageTitle) > 255) {
    errors.push('Wiki page title is too long (maximum is 255 characters)');
  }
  if (draft.invalidDueDate) {
    errors.push('Due date is not a valid date');
  }
  if (!isVersionStatus(draft.status)) {
    errors.push('Status is not included in the list');
  }
  if (!isVersionSharing(draft.sharing)) {
    errors.push('Sharing is not included in the list');
  }
  return errors;
}
