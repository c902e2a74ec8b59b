/**
 * What Redmine's link syntax in a set of texts refers to: first a scan of the raw texts for anything
 * that might be a reference (generous: a `#12` inside a code block is looked up too, and simply not
 * linked later), then the records found, which the renderer links to. Loading is elsewhere
 * (reference.loader.ts), so rendering stays pure.
 */

export interface IssueReference {
  readonly id: number;
  readonly subject: string;
  readonly trackerId: number;
  readonly trackerName: string;
  readonly statusId: number;
  readonly statusName: string;
  readonly isClosed: boolean;
  readonly priorityId: number;
}

export interface UserReference {
  readonly id: number;
  readonly login: string;
  /** As the tenant's user_format writes it. */
  readonly name: string;
}

export interface VersionReference {
  readonly id: number;
  readonly name: string;
  readonly projectId: number;
}

export interface ProjectReference {
  readonly id: number;
  readonly identifier: string;
  readonly name: string;
}

export interface AttachmentReference {
  readonly id: number;
  readonly filename: string;
  readonly contentType?: string | null | undefined;
}

/** The records the actor may see, found for the references of a page's texts. */
export interface References {
  readonly issues: ReadonlyMap<number, IssueReference>;
  readonly usersById: ReadonlyMap<number, UserReference>;
  /** By lower-case login. */
  readonly usersByLogin: ReadonlyMap<string, UserReference>;
  readonly versionsById: ReadonlyMap<number, VersionReference>;
  /** By `versionKey(projectId, name)`. */
  readonly versionsByName: ReadonlyMap<string, VersionReference>;
  readonly projectsById: ReadonlyMap<number, ProjectReference>;
  /** By identifier and by lower-case name. */
  readonly projectsByKey: ReadonlyMap<string, ProjectReference>;
}

export const NO_REFERENCES: References = {
  issues: new Map(),
  usersById: new Map(),
  usersByLogin: new Map(),
  versionsById: new Map(),
  versionsByName: new Map(),
  projectsById: new Map(),
  projectsByKey: new Map(),
};

export function versionKey(projectId: number, name: string): string {
  return `${projectId}\u0001${name}`;
}

/** What to look up for a set of texts. */
export interface WantedReferences {
  readonly issueIds: Set<number>;
  readonly userIds: Set<number>;
  /** Lower-case. */
  readonly logins: Set<string>;
  readonly versionIds: Set<number>;
  readonly versionNames: Set<string>;
  readonly projectIds: Set<number>;
  /** Identifiers, and lower-case names (`project:"Name"`). */
  readonly projectKeys: Set<string>;
  /** Some text needs the project of the context (`version:name`, `[[Wiki page]]`). */
  needsContextProject: boolean;
}

export function isEmpty(wanted: WantedReferences): boolean {
  return (
    wanted.issueIds.size + wanted.userIds.size + wanted.logins.size + wanted.versionIds.size + wanted.versionNames.size + wanted.projectIds.size + wanted.projectKeys.size === 0 &&
    !wanted.needsContextProject
  );
}

const MAX_ID = 2_147_483_647;

const ISSUE = /(?<![\w#])##?(\d{1,10})/g;
const PREFIXED_ID = /(?<![\w])(?:[a-z0-9_-]+:)?(version|project|user)#(\d{1,10})/g;
const PREFIXED_NAME = /(?<![\w])(?:([a-z0-9_-]+):)?(version|project|user|attachment):("[^"\n]+"|&quot;.+?&quot;|[^"\s<>]+)/g;
const MENTION = /(?<![\w@.])@([A-Za-z0-9_\-@.]*[A-Za-z0-9_-])/g;
const WIKI_LINK = /\[\[([^\]\n|]+)(?:\|[^\]\n|]+)?\]\]/g;
const TRAILING_PUNCTUATION = /[\p{P}\p{S}]+$/u;

/** A name as written after `prefix:`: quotes removed; unquoted, also without trailing punctuation. */
function nameCandidates(raw: string): string[] {
  if (raw.startsWith('"')) {
    return [raw.slice(1, -1)];
  }
  if (raw.startsWith('&quot;')) {
    return [raw.slice(6, -6)];
  }
  const names = [raw];
  let shorter = raw;
  while (TRAILING_PUNCTUATION.test(shorter)) {
    shorter = shorter.replace(/[\p{P}\p{S}]$/u, '');
    if (shorter !== '') {
      names.push(shorter);
    }
  }
  return names;
}

function addId(set: Set<number>, digits: string): void {
  const id = Number(digits);
  if (id > 0 && id <= MAX_ID) {
    set.add(id);
  }
}

/** Everything the texts might refer to. */
export function scanReferences(texts: readonly string[]): WantedReferences {
  const wanted: WantedReferences = {
    issueIds: new Set(),
    userIds: new Set(),
    logins: new Set(),
    versionIds: new Set(),
    versionNames: new Set(),
    projectIds: new Set(),
    projectKeys: new Set(),
    needsContextProject: false,
  };
  for (const text of texts) {
    for (const m of text.matchAll(ISSUE)) {
      addId(wanted.issueIds, m[1]!);
    }
    for (const m of text.matchAll(PREFIXED_ID)) {
      const kind = m[1]!;
      addId(kind === 'version' ? wanted.versionIds : kind === 'project' ? wanted.projectIds : wanted.userIds, m[2]!);
    }
    for (const m of text.matchAll(PREFIXED_NAME)) {
      const [, projectPrefix, kind, raw] = m as unknown as [string, string | undefined, string, string];
      const names = nameCandidates(raw);
      if (kind === 'version') {
        names.forEach((n) => wanted.versionNames.add(n));
        if (projectPrefix) {
          wanted.projectKeys.add(projectPrefix);
        } else {
          wanted.needsContextProject = true;
        }
      } else if (kind === 'project') {
        names.forEach((n) => {
          wanted.projectKeys.add(n);
          wanted.projectKeys.add(n.toLowerCase());
        });
      } else if (kind === 'user') {
        names.forEach((n) => wanted.logins.add(n.toLowerCase()));
      }
    }
    for (const m of text.matchAll(MENTION)) {
      wanted.logins.add(m[1]!.toLowerCase());
    }
    for (const m of text.matchAll(WIKI_LINK)) {
      const page = m[1]!;
      const colon = page.indexOf(':');
      if (colon > 0) {
        wanted.projectKeys.add(page.slice(0, colon));
        wanted.projectKeys.add(page.slice(0, colon).toLowerCase());
      } else {
        wanted.needsContextProject = true;
      }
    }
  }
  return wanted;
}
