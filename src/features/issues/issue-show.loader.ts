/**
 * Everything the issue page shows, loaded before anything is rendered, with the API's loaders and the
 * same visibility rules as `GET /issues/:id.json`: the issue (403/404 as the API answers), its project,
 * custom values the viewer may see, attachments, subtasks and relations with visible issues, the
 * history without the private notes and details the viewer may not read, watchers, spent time, and
 * what the viewer may do. Three rounds of statements whatever the issue holds, then one call to
 * render the formatted texts; beside them, the previous and next issues of the list viewed last.
 */
import { memoAsOf } from '#src/db/version-memo.ts';
import { allowedTo, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewPrivateNote } from '#src/domain/issue-visibility.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#src/errors.ts';
import { findPreferences } from '#src/features/account/index.ts';
import { attachmentsOf, type AttachmentRow } from '#src/features/attachments/index.ts';
import { customFieldVisibleTo, customValuesOf, issueCustomFieldsFor, visibleIssueFields, type CustomFieldDef } from '#src/features/custom-fields/index.ts';
import { renderTexts } from '#src/features/formatting/index.ts';
import { relationsOf, relationTypeFor, type RelationRow } from '#src/features/issue-relations/index.ts';
import { allowedGlobally, findProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { issueSpentHours, type IssueHours } from '#src/features/time-entries/index.ts';
import { watchersOf } from '#src/features/watchers/index.ts';
import {
  selectNames,
  selectIssuePageFacts,
  selectVisibleAncestors,
  selectVisibleDescendants,
  selectVisibleIssuesAmong,
  selectWatcherChoices,
  type Names,
  type PrincipalName,
} from './issue-page.repository.ts';
import { issueNeighbours, type IssueNeighbours, type RememberedList } from './issue-list.service.ts';
import { disabledFields, type IssueContext } from './issue.plan.ts';
import { issueRightsOf, visibleIssuesCondition } from './issue.policy.ts';
import { issueExists, selectIssue, type IssueRow } from './issue.repository.ts';
import { canEditJournal } from './journal.service.ts';
import { selectJournals, type JournalRow } from './journal.repository.ts';

export type HistoryTab = 'history' | 'notes' | 'properties';
export const HISTORY_TABS: readonly HistoryTab[] = ['history', 'notes', 'properties'];

export interface ShowContext extends IssueContext {
  /** The data version the request read (for the preferences memo the page frame shares). */
  readonly dataVersion: string | undefined;
}

/** A journal as the viewer sees it. */
export interface JournalItem {
  readonly row: JournalRow;
  /** Its number in the whole history (`#note-N`), the same for every viewer. */
  readonly indice: number;
  readonly details: JournalRow['details'];
  readonly notesHtml: string;
  readonly editable: boolean;
}

/** What the viewer may do on the page. */
export interface IssuePageRights {
  readonly edit: boolean;
  readonly addNotes: boolean;
  readonly logTime: boolean;
  readonly watch: boolean;
  readonly copy: boolean;
  readonly delete: boolean;
  readonly manageSubtasks: boolean;
  readonly manageRelations: boolean;
  readonly viewWatchers: boolean;
  readonly addWatchers: boolean;
  readonly deleteWatchers: boolean;
  readonly viewTimeEntries: boolean;
}

export interface CustomFieldItem {
  readonly field: CustomFieldDef;
  readonly values: readonly string[];
  /** The value as formatted text (text fields with formatting on). */
  readonly html?: string | undefined;
}

export interface IssueShowModel {
  readonly issue: IssueRow;
  readonly project: ProjectRow;
  readonly access: ProjectAccess;
  readonly disabled: ReadonlySet<string>;
  readonly showCategory: boolean;
  readonly showVersion: boolean;
  readonly hours: IssueHours | undefined;
  readonly customFields: readonly CustomFieldItem[];
  readonly descriptionHtml: string;
  readonly attachments: readonly AttachmentRow[];
  readonly ancestors: readonly IssueRow[];
  readonly children: readonly { readonly row: IssueRow; readonly depth: number }[];
  /** Each relation with its type as seen from this issue (`blocked` for a stored `blocks` pointing here). */
  readonly relations: readonly { readonly relation: RelationRow; readonly type: string; readonly other: IssueRow }[];
  readonly journals: readonly JournalItem[];
  /** The history's custom fields, the issues its relation details name (visible ones), every name it shows. */
  readonly historyFields: ReadonlyMap<number, CustomFieldDef>;
  readonly relatedIssues: ReadonlyMap<number, IssueRow>;
  readonly names: Names;
  readonly watchers: readonly PrincipalName[];
  readonly watching: boolean;
  readonly watcherChoices: readonly PrincipalName[];
  readonly rights: IssuePageRights;
  readonly tab: HistoryTab;
  /** Previous and next issues of the list the viewer saw last, when this issue is in it. */
  readonly neighbours: IssueNeighbours | undefined;
}

/** The visible issue row: unknown → 404; existing but unseen → 403 (401 anonymous), as the API. */
async function visibleIssue(ctx: IssueContext, issueId: number): Promise<IssueRow> {
  const row = await selectIssue(ctx.db, visibleIssuesCondition(ctx.actor), issueId);
  if (row) {
    return row;
  }
  if (await issueExists(ctx.db, issueId)) {
    throw ctx.actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('issue not visible');
  }
  throw new NotFoundError(`no issue ${issueId}`);
}

function rightsOf(actor: Actor, access: ProjectAccess, issue: IssueRow): IssuePageRights {
  const rights = issueRightsOf(actor, access, { trackerId: issue.tracker_id, authorId: issue.author_id });
  const can = (permission: string) => allowedTo(actor, permission, access);
  return {
    edit: rights.attributesEditable || rights.notesAddable,
    addNotes: rights.notesAddable,
    logTime: can('log_time'),
    watch: actor.userId !== undefined,
    // Redmine also asks for some project the copy could go to (Issue.allowed_target_projects).
    copy: can('copy_issues') && allowedGlobally(actor, 'add_issues'),
    delete: rights.deletable,
    manageSubtasks: can('manage_subtasks'),
    manageRelations: can('manage_issue_relations'),
    viewWatchers: can('view_issue_watchers'),
    addWatchers: can('add_issue_watchers'),
    deleteWatchers: can('delete_issue_watchers'),
    viewTimeEntries: can('view_time_entries'),
  };
}

/** The preference the page frame also reads, from the same memo. */
async function preferencesOf(ctx: ShowContext): Promise<Record<string, unknown>> {
  const userId = ctx.actor.userId;
  if (userId === undefined) {
    return {};
  }
  const preferences = await memoAsOf(ctx.db, `prefs\u0001${userId}`, ctx.dataVersion, () => findPreferences(ctx.db.orm, userId));
  return preferences.others;
}

function tabOf(asked: string | undefined, others: Record<string, unknown>): HistoryTab {
  const wanted = asked ?? (typeof others.history_default_tab === 'string' ? others.history_default_tab : undefined);
  return HISTORY_TABS.find((tab) => tab === wanted) ?? 'history';
}

/** Subtasks with their depth below the issue (one under an unseen subtask counts from the issue). */
function treeOf(issueId: number, rows: readonly IssueRow[]): { row: IssueRow; depth: number }[] {
  const depth = new Map<number, number>([[issueId, 0]]);
  return rows.map((row) => {
    const level = (row.parent_id !== null ? (depth.get(row.parent_id) ?? 0) : 0) + 1;
    depth.set(row.id, level);
    return { row, depth: level };
  });
}

const isId = (value: string | null): value is string => value !== null && /^\d{1,9}$/.test(value);

/** The history the viewer may read: private notes and details of hidden fields or unseen issues dropped. */
function readableJournals(
  rows: readonly JournalRow[],
  canRead: (authorId: number) => boolean,
  fieldVisible: (fieldId: number) => boolean,
  issueVisible: (issueId: number) => boolean,
): { row: JournalRow; indice: number; details: JournalRow['details'] }[] {
  const out = [];
  for (const [i, row] of rows.entries()) {
    if (row.private_notes && !canRead(row.user_id)) {
      continue;
    }
    const details = row.details.filter((d) => {
      switch (d.property) {
        case 'cf':
          return fieldVisible(Number(d.prop_key));
        case 'relation': {
          // Redmine's visible_details: a relation with an issue the viewer cannot see is not shown.
          const other = d.value ?? d.old_value;
          return isId(other) && issueVisible(Number(other));
        }
        default:
          return true;
      }
    });
    if ((row.notes ?? '') !== '' || details.length > 0) {
      out.push({ row, indice: i + 1, details });
    }
  }
  return out;
}

/** The ids the history and the attributes name, for one lookup. */
function namesWanted(
  issue: IssueRow,
  journals: readonly { row: JournalRow; details: JournalRow['details'] }[],
  fields: ReadonlyMap<number, CustomFieldDef>,
  extraPrincipals: readonly number[],
  currentValues: readonly CustomFieldItem[],
) {
  const wanted = { principals: [...extraPrincipals], statuses: [] as number[], trackers: [] as number[], priorities: [] as number[], categories: [] as number[], versions: [] as number[], projects: [] as number[], enumerations: [] as number[], attachments: [] as number[] };
  const ATTRIBUTE_KINDS: Record<string, keyof typeof wanted> = {
    status_id: 'statuses',
    tracker_id: 'trackers',
    priority_id: 'priorities',
    category_id: 'categories',
    fixed_version_id: 'versions',
    project_id: 'projects',
    assigned_to_id: 'principals',
    author_id: 'principals',
  };
  const byFormat = (field: CustomFieldDef | undefined): keyof typeof wanted | undefined =>
    field?.fieldFormat === 'user' ? 'principals' : field?.fieldFormat === 'version' ? 'versions' : field?.fieldFormat === 'enumeration' ? 'enumerations' : field?.fieldFormat === 'attachment' ? 'attachments' : undefined;
  const add = (kind: keyof typeof wanted | undefined, ...values: (string | null)[]) => {
    if (kind) {
      wanted[kind].push(...values.filter(isId).map(Number));
    }
  };
  wanted.principals.push(issue.author_id, ...(issue.assigned_to_id === null ? [] : [issue.assigned_to_id]));
  for (const { row, details } of journals) {
    wanted.principals.push(row.user_id);
    for (const d of details) {
      add(d.property === 'attr' ? ATTRIBUTE_KINDS[d.prop_key] : d.property === 'cf' ? byFormat(fields.get(Number(d.prop_key))) : undefined, d.old_value, d.value);
    }
  }
  for (const item of currentValues) {
    add(byFormat(item.field), ...item.values);
  }
  return wanted;
}

/** Loads the issue page of `issueId` for the context's actor. */
export async function loadIssueShow(
  ctx: ShowContext,
  issueId: number,
  askedTab: string | undefined,
  list?: { readonly remembered: RememberedList; readonly today: string },
): Promise<IssueShowModel> {
  const { db, actor } = ctx;
  // The list's query runs beside the page's own rounds; it shows nothing unless the issue is visible.
  const neighbours = list ? issueNeighbours(ctx, list.remembered, issueId, list.today, ctx.dataVersion) : Promise.resolve(undefined);
  neighbours.catch(() => undefined);
  const issue = await visibleIssue(ctx, issueId);
  const found = await findProjectAccess(db.orm, issue.project_id);
  if (!found) {
    throw new NotFoundError(`no issue ${issueId}`);
  }
  const { project, access } = found;
  const rights = rightsOf(actor, access, issue);
  const visible = visibleIssuesCondition(actor);

  // Round two: everything that depends on the issue alone, side by side.
  const [fields, values, facts, attachments, relations, ancestors, descendants, journalRows, watchers, hours, choices, others] = await Promise.all([
    issueCustomFieldsFor(db, issue.project_id, issue.tracker_id),
    customValuesOf(db, 'Issue', [issue.id]),
    selectIssuePageFacts(db, issue.project_id, issue.tracker_id),
    attachmentsOf(db, 'Issue', [issue.id]),
    relationsOf(db, [issue.id], visible),
    issue.parent_id === null ? Promise.resolve([]) : selectVisibleAncestors(db, visible, issue.id),
    selectVisibleDescendants(db, visible, issue.id),
    selectJournals(db, issue.id),
    watchersOf(db, [issue.id]),
    rights.viewTimeEntries ? issueSpentHours(db, actor, [issue]) : Promise.resolve(new Map<number, IssueHours>()),
    rights.addWatchers ? selectWatcherChoices(db, issue.project_id, issue.id) : Promise.resolve([]),
    preferencesOf(ctx),
  ]);
  const issueRelations = relations.get(issue.id) ?? [];
  const watcherRows = watchers.get(issue.id) ?? [];
  const hasFieldDetails = journalRows.some((j) => j.details.some((d) => d.property === 'cf'));
  const relationDetailIds = journalRows.flatMap((j) => j.details.filter((d) => d.property === 'relation').map((d) => d.value ?? d.old_value)).filter(isId).map(Number);
  const otherIds = issueRelations.map((r) => (r.issueFromId === issue.id ? r.issueToId : r.issueFromId));

  // Round three: the history's fields and related issues, then the names of everything.
  const [historyFieldList, relatedRows] = await Promise.all([
    hasFieldDetails ? visibleIssueFields(db, actor, access) : Promise.resolve([]),
    selectVisibleIssuesAmong(db, visible, [...otherIds, ...relationDetailIds]),
  ]);
  const historyFields = new Map(historyFieldList.map((f) => [f.id, f]));
  const relatedIssues = new Map(relatedRows.map((r) => [r.id, r]));
  const journals = readableJournals(
    journalRows,
    (authorId) => canViewPrivateNote(actor, access, authorId),
    (fieldId) => historyFields.has(fieldId),
    (otherId) => relatedIssues.has(otherId),
  );
  if ((others.comments_sorting ?? 'asc') === 'desc') {
    journals.reverse();
  }
  const issueValues = values.get(issue.id);
  const shownFields = fields
    .filter((f) => customFieldVisibleTo(f, actor, issue.project_id, access))
    .map((field) => ({ field, values: issueValues?.get(field.id) ?? [] }));
  const children = treeOf(issue.id, descendants);
  const issueAttachments = attachments.get(issue.id) ?? [];
  const principals = [...watcherRows.map((w) => w.id), ...children.map((c) => c.row.assigned_to_id ?? 0), ...issueAttachments.map((a) => a.authorId)];
  const formattedFields = shownFields.filter((item) => item.field.fieldFormat === 'text' && item.field.formatStore.text_formatting === 'full');
  const textContext = { db, actor, settings: ctx.settings, projectId: issue.project_id, attachments: issueAttachments };
  const [names, texts] = await Promise.all([
    selectNames(db, namesWanted(issue, journals, historyFields, principals, shownFields)),
    renderTexts(textContext, [issue.description, ...journals.map((j) => j.row.notes), ...formattedFields.map((item) => item.values[0] ?? '')]),
  ]);
  const fieldHtml = new Map(formattedFields.map((item, i) => [item.field.id, texts[1 + journals.length + i]]));
  return {
    issue,
    project,
    access,
    disabled: disabledFields(facts.tracker),
    showCategory: issue.category_id !== null || facts.hasCategories,
    showVersion: issue.fixed_version_id !== null || facts.hasOpenVersions,
    hours: hours.get(issue.id),
    customFields: shownFields.map((item) => ({ ...item, html: fieldHtml.get(item.field.id) })),
    descriptionHtml: (issue.description ?? '').trim() === '' ? '' : (texts[0] ?? ''),
    attachments: issueAttachments,
    ancestors,
    children,
    relations: issueRelations.flatMap((relation) => {
      const other = relatedIssues.get(relation.issueFromId === issue.id ? relation.issueToId : relation.issueFromId);
      return other ? [{ relation, type: relationTypeFor(relation, issue.id), other }] : [];
    }),
    journals: journals.map((j, i) => ({ ...j, notesHtml: texts[1 + i] ?? '', editable: canEditJournal(actor, access, j.row.user_id) })),
    historyFields,
    relatedIssues,
    names,
    watchers: watcherRows.map((w) => names.principals.get(w.id) ?? { id: w.id, type: 'User', firstname: '', lastname: w.name, login: '' }),
    watching: actor.userId !== undefined && watcherRows.some((w) => w.id === actor.userId),
    watcherChoices: choices,
    rights,
    tab: tabOf(askedTab, others),
    neighbours: await neighbours,
  };
}

/** The issue's id in a path, or 404. */
export function issueIdParam(value: unknown): number {
  const id = typeof value === 'string' ? value : '';
  if (!/^\d{1,9}$/.test(id)) {
    throw new NotFoundError(`no issue ${id}`);
  }
  return Number(id);
}

/** The issue and project a page about one of its journals is framed with, and the names it shows. */
export async function loadIssueFrame(ctx: IssueContext, issueId: number, principalIds: readonly number[]): Promise<{ issue: IssueRow; project: ProjectRow; names: Names }> {
  const issue = await visibleIssue(ctx, issueId);
  const [found, names] = await Promise.all([
    findProjectAccess(ctx.db.orm, issue.project_id),
    selectNames(ctx.db, { principals: principalIds, statuses: [], trackers: [], priorities: [], categories: [], versions: [], projects: [], enumerations: [] }),
  ]);
  if (!found) {
    throw new NotFoundError(`no issue ${issueId}`);
  }
  return { issue, project: found.project, names };
}
