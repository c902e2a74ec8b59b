/**
 * Redmine's link syntax in a text node: `#123`, `##123`, `#123-4`, `version#3`, `version:"1.0"`,
 * `attachment:file.png`, `@login`, `user:login`, `user#5`, `project:identifier`, `[[Wiki page]]`, and
 * `!` before any of them to keep it as text. Like Redmine, this runs on the HTML the markup produced,
 * one text node at a time, and never inside links, code or pre blocks (the caller decides which nodes).
 * A reference to something missing or invisible to the actor stays as it was written.
 */
import { escapeHtml } from './html-text.ts';
import { versionKey, type AttachmentReference, type IssueReference, type ProjectReference, type References, type UserReference } from './references.ts';

export interface LinkContext {
  readonly references: References;
  readonly attachments: readonly AttachmentReference[];
  /** The project of the texts (for `version:name` and `[[Wiki page]]`), when the actor may see it. */
  readonly project: ProjectReference | undefined;
}

/* Redmine's pattern (the syntax, not its code): something preceded by the start, a space or `(,-[>`,
 * then an optional escape `!`, an optional `project:` prefix, an optional kind, and `#id`, `:name`
 * or `@login`, followed by the end, a space, `,`, `]`, or punctuation that does not start a word. */
const LINK =
  /(?<=^|[\s(,\-[>])(!)?(?:([a-z0-9_-]+):)?(attachment|document|version|forum|news|message|project|commit|source|export|user)?(?:(##?)(\d{1,10})((?:#note)?-(\d{1,10}))?|(:)([^"\s<>][^\s<>]*?|"[^"]+?")|(@)([A-Za-z0-9_\-@.]*[A-Za-z0-9_-]))(?=[\p{P}\p{S}](?:[^A-Za-z0-9_/]|$)|,|\s|\]|<|$)/gu;

const WIKI_LINK = /(!)?\[\[([^\]\n|]+)(?:\|([^\]\n|]+))?\]\]/g;

/** Ruby's String#truncate(100): at most `length` characters, ending with `...` when cut. */
function truncate(text: string, length: number): string {
  const chars = [...text];
  return chars.length <= length ? text : `${chars.slice(0, length - 3).join('')}...`;
}

function link(href: string, text: string, className: string, title?: string): string {
  const titleAttr = title === undefined ? '' : ` title="${escapeHtml(title)}"`;
  return `<a href="${escapeHtml(href)}" class="${className}"${titleAttr}>${escapeHtml(text)}</a>`;
}

function issueClasses(issue: IssueReference): string {
  return ['issue', `tracker-${issue.trackerId}`, `status-${issue.statusId}`, `priority-${issue.priorityId}`, ...(issue.isClosed ? ['closed'] : [])].join(' ');
}

function issueLink(issue: IssueReference, sep: string, suffix: string, noteId: string | undefined): string {
  const href = `/issues/${issue.id}${noteId ? `#note-${noteId}` : ''}`;
  if (sep === '##') {
    return `${link(href, `${issue.trackerName} #${issue.id}${suffix}`, issueClasses(issue))}: ${escapeHtml(`${issue.subject} (${issue.statusName})`)}`;
  }
  return link(href, `#${issue.id}${suffix}`, issueClasses(issue), `${truncate(issue.subject, 100)} (${issue.statusName})`);
}

function userLink(user: UserReference, mention: boolean): string {
  return link(`/users/${user.id}`, mention ? `@${user.name}` : user.name, mention ? 'user active user-mention' : 'user active');
}

function projectLink(project: ProjectReference): string {
  return link(`/projects/${encodeURIComponent(project.identifier)}`, project.name, 'project');
}

/** The attachment of that name (case-insensitive), the latest when several have it (Redmine's latest_attach). */
export function findAttachment(attachments: readonly AttachmentReference[], filename: string): AttachmentReference | undefined {
  const wanted = filename.toLowerCase();
  let found: AttachmentReference | undefined;
  for (const attachment of attachments) {
    if (attachment.filename.toLowerCase() === wanted && (!found || attachment.id > found.id)) {
      found = attachment;
    }
  }
  return found;
}

export function downloadPath(attachment: AttachmentReference): string {
  return `/attachments/download/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
}

/** Redmine's anchor names: word characters, spaces and dashes kept, runs of spaces (and dashes) → `-`. */
export function anchorName(text: string): string {
  return text.replace(/[^\s\-\p{L}\p{M}\p{N}\p{Pc}]/gu, '').replace(/\s+(-+\s*)?/g, '-');
}

/** Redmine's Wiki.titleize: spaces → `_`, no `,./?;|:`, first letter upper-case. */
export function wikiTitle(page: string): string {
  const title = page.trim().replace(/\s+/g, '_').replace(/[,./?;|:]/g, '');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

function referenceLink(match: RegExpExecArray, ctx: LinkContext): string | undefined {
  const [, , projectPrefix, prefix, hashSep, digits, suffix = '', noteId, colon, name, at, login] = match;
  const { references } = ctx;
  const project = projectPrefix === undefined ? ctx.project : references.projectsByKey.get(projectPrefix);
  if (hashSep && digits) {
    const id = Number(digits);
    switch (prefix) {
      case undefined: {
        const issue = projectPrefix === undefined ? references.issues.get(id) : undefined;
        return issue && issueLink(issue, hashSep, suffix, noteId);
      }
      case 'version': {
        const version = hashSep === '#' && !suffix ? references.versionsById.get(id) : undefined;
        return version && link(`/versions/${version.id}`, version.name, 'version');
      }
      case 'project': {
        const found = hashSep === '#' && !suffix ? references.projectsById.get(id) : undefined;
        return found && projectLink(found);
      }
      case 'user': {
        const user = hashSep === '#' && !suffix ? references.usersById.get(id) : undefined;
        return user && userLink(user, false);
      }
      default:
        return undefined;
    }
  }
  if (colon && name && prefix) {
    const value = name.startsWith('"') ? name.slice(1, -1) : name;
    switch (prefix) {
      case 'version': {
        const version = project && references.versionsByName.get(versionKey(project.id, value));
        return version && link(`/versions/${version.id}`, version.name, 'version');
      }
      case 'project': {
        const found = references.projectsByKey.get(value) ?? references.projectsByKey.get(value.toLowerCase());
        return found && projectLink(found);
      }
      case 'user': {
        const user = references.usersByLogin.get(value.toLowerCase());
        return user && userLink(user, false);
      }
      case 'attachment': {
        const attachment = projectPrefix === undefined ? findAttachment(ctx.attachments, value) : undefined;
        return attachment && link(downloadPath(attachment), attachment.filename, 'attachment');
      }
      default:
        return undefined;
    }
  }
  if (at && login && prefix === undefined && projectPrefix === undefined) {
    const user = references.usersByLogin.get(login.toLowerCase());
    return user && userLink(user, true);
  }
  return undefined;
}

function redmineLinks(text: string, ctx: LinkContext): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const whole = match[0];
    html += escapeHtml(text.slice(last, match.index));
    last = match.index + whole.length;
    if (match[1]) {
      html += escapeHtml(whole.slice(1));
      continue;
    }
    html += referenceLink(match, ctx) ?? escapeHtml(whole);
  }
  return html + escapeHtml(text.slice(last));
}

function wikiLink(page: string, title: string | undefined, ctx: LinkContext): string | undefined {
  let project = ctx.project;
  let name = page;
  let text = title;
  const colon = page.indexOf(':');
  if (colon > 0) {
    const key = page.slice(0, colon);
    project = ctx.references.projectsByKey.get(key) ?? ctx.references.projectsByKey.get(key.toLowerCase());
    name = page.slice(colon + 1);
    if (name.trim() === '') {
      text ??= key;
    }
  }
  if (!project) {
    return undefined;
  }
  const [pageName = '', anchor] = name.split(/#(.+)/, 2);
  const base = `/projects/${encodeURIComponent(project.identifier)}/wiki`;
  const href = (pageName.trim() ? `${base}/${encodeURIComponent(wikiTitle(pageName))}` : base) + (anchor ? `#${encodeURIComponent(anchorName(anchor))}` : '');
  // Kanri has no wiki yet: every page is one still to write.
  return link(href, text ?? pageName, 'wiki-page new');
}

/** A decoded text node with Redmine's links made, as HTML. */
export function linkText(text: string, ctx: LinkContext): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(WIKI_LINK)) {
    html += redmineLinks(text.slice(last, match.index), ctx);
    last = match.index + match[0].length;
    const [whole, escape, page = '', title] = match;
    html += escape ? escapeHtml(whole.slice(1)) : (wikiLink(page, title, ctx) ?? escapeHtml(whole));
  }
  return html + redmineLinks(text.slice(last), ctx);
}
