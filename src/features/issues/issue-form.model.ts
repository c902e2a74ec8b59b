/**
 * `loadIssueFormModel`: what the issue form shows for the input so far (Redmine's IssuesController#new,
 * #edit and #update_form). The submitted params go through the same plan as a create or update
 * (issue.plan.ts) without writing anything, so the choices, the workflow's read-only and required
 * fields and the custom fields follow the project, tracker and status the user has picked.
 */
import { paramObject, paramString, type Params } from '#src/api/params.ts';
import { allowedTo, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewPrivateNote } from '#src/domain/issue-visibility.ts';
import { anonymousUserId } from '#src/features/account/index.ts';
import { allowedGlobally, findProjectAccess, getVisibleProject, loadProjectAccess, type ProjectRow } from '#src/features/projects/index.ts';
import { activityChoices } from '#src/features/time-entries/index.ts';
import { translator, isLanguage } from '#src/i18n/index.ts';
import { formatUserName } from '#src/views/format.ts';
import { copySourceFacts } from './issue.copy.ts';
import { issueInputOf, type IssueInput } from './issue.input.ts';
import { creatableTrackers, hiddenFieldRoles, newIssueDraft, plan, planCustomValues, refuse, situationOf, type Draft, type IssueContext } from './issue.plan.ts';
import { issueRightsOf } from './issue.policy.ts';
import type { IssueRecord } from './issue.records.ts';
import { getIssueForChange } from './issue.service.ts';
import { fieldRules } from './issue.workflow.ts';
import { customFieldModels } from './issue-form.custom-fields.ts';
import { coreFields, watcherChoices } from './issue-form.fields.ts';
import { selectAddableProjects, selectIssueJournal, selectPrincipals, type ProjectChoice } from './issue-form.repository.ts';
import type { CopyModel, IssueFormModel, KeptUpload } from './issue-form.types.ts';

export interface IssueFormRequest {
  /** The issue being edited; absent for a new issue. */
  readonly issueId?: number | undefined;
  /** A new issue's project from the path (id or identifier); absent on /issues/new, where the form chooses. */
  readonly projectId?: string | undefined;
  /** The form's params as posted (`issue`, `time_entry`, `copy_from`…); on a first GET, the query. */
  readonly params: Params;
  /** The form is shown for the first time (GET): copy options start checked, as in Redmine. */
  readonly firstView?: boolean | undefined;
  /** Edit: quote this journal's notes in the notes (`?quote_journal=N`). */
  readonly quoteJournalId?: number | undefined;
  /** Edit: quote the issue's description in the notes (`?quote_description=1`). */
  readonly quoteDescription?: boolean | undefined;
  readonly errors?: readonly string[] | undefined;
  readonly uploads?: readonly KeptUpload[] | undefined;
  readonly conflict?: boolean | undefined;
}

/** Where a new issue goes: the path's project, else the one the form names among those the user may add to. */
async function newIssueProject(ctx: IssueContext, request: IssueFormRequest, input: IssueInput, addable: () => Promise<ProjectChoice[]>) {
  if (request.projectId !== undefined) {
    const project = await getVisibleProject(ctx, request.projectId);
    const access = await loadProjectAccess(ctx.db.orm, project);
    if (!allowedTo(ctx.actor, 'add_issues', access)) {
      refuse(ctx.actor);
    }
    return { project, access };
  }
  if (!allowedGlobally(ctx.actor, 'add_issues')) {
    refuse(ctx.actor);
  }
  const projects = await addable();
  const chosen = projects.find((p) => String(p.id) === input.projectId || p.identifier === input.projectId) ?? projects[0];
  const found = chosen && (await findProjectAccess(ctx.db.orm, chosen.id));
  if (!found) {
    refuse(ctx.actor);
  }
  return found;
}

/** Redmine's quote of a text: the "X wrote:" line (in the tenant's language, as the text is), then the text as `> ` lines. */
async function quoted(ctx: IssueContext, authorId: number, text: string): Promise<string> {
  const [author] = await selectPrincipals(ctx.db, [authorId]);
  const name = author ? formatUserName(author, ctx.settings.user_format) : '';
  const t = translator(isLanguage(ctx.settings.default_language) ? ctx.settings.default_language : 'en');
  const body = text.replace(/\r\n?/g, '\n').trim().split('\n').map((line) => `> ${line}`.trimEnd());
  return `${t('text_user_wrote', { value: name })}\n${body.join('\n')}\n\n`;
}

/** Notes quoting a journal the user sees. */
async function quotedNotes(ctx: IssueContext, issueId: number, access: ProjectAccess, journalId: number): Promise<string | undefined> {
  const journal = await selectIssueJournal(ctx.db, issueId, journalId);
  if (!journal || !journal.notes || (journal.privateNotes && !canViewPrivateNote(ctx.actor, access, journal.userId))) {
    return undefined;
  }
  return quoted(ctx, journal.userId, journal.notes);
}

/** Notes quoting the issue's description (by its author), when it has one. */
function quotedDescription(ctx: IssueContext, record: IssueRecord): Promise<string> | undefined {
  return (record.description ?? '').trim() === '' ? undefined : quoted(ctx, record.author_id, record.description ?? '');
}

function copyModelOf(ctx: IssueContext, params: Params, facts: Awaited<ReturnType<typeof copySourceFacts>>, firstView: boolean): CopyModel | undefined {
  if (!facts) {
    return undefined;
  }
  const given = (name: string) => firstView || (paramString(params[name]) ?? '') !== '';
  return {
    from: facts.id,
    attachments: facts.hasAttachments && ctx.settings.copy_attachments_on_issue_copy === 'ask' ? { checked: given('copy_attachments') } : undefined,
    subtasks: facts.hasSubtasks ? { checked: given('copy_subtasks') } : undefined,
    link: ctx.settings.link_copied_issue === 'ask' ? { checked: given('link_copy') } : undefined,
  };
}

/** The project an edited issue is moved to by the form, when the user may add issues there. */
async function targetOf(ctx: IssueContext, input: IssueInput, project: ProjectRow, access: ProjectAccess, projects: readonly ProjectChoice[]) {
  const wanted = input.projectId === undefined ? undefined : projects.find((p) => String(p.id) === input.projectId || p.identifier === input.projectId);
  if (!wanted || wanted.id === project.id) {
    return { project, access };
  }
  return (await findProjectAccess(ctx.db.orm, wanted.id)) ?? { project, access };
}

/** The view model of the issue form for the request's input; throws 403/404 as the create or update would. */
export async function loadIssueFormModel(ctx: IssueContext, request: IssueFormRequest): Promise<IssueFormModel> {
  const { actor } = ctx;
  const { input } = issueInputOf(request.params);
  let addable: ProjectChoice[] | undefined;
  const addableProjects = async () => (addable ??= await selectAddableProjects(ctx.db, actor));
  const isNew = request.issueId === undefined;
  let record: IssueRecord | undefined;
  let target: { project: ProjectRow; access: ProjectAccess };
  let rights = { attributesEditable: true, notesAddable: false };
  if (request.issueId !== undefined) {
    const found = await getIssueForChange(ctx, request.issueId);
    record = found.record;
    rights = issueRightsOf(actor, found.access, { trackerId: record.tracker_id, authorId: record.author_id });
    if (!rights.attributesEditable && !rights.notesAddable) {
      refuse(actor);
    }
    target = rights.attributesEditable ? await targetOf(ctx, input, found.project, found.access, await addableProjects()) : found;
  } else {
    target = await newIssueProject(ctx, request, input, addableProjects);
  }
  const { attributesEditable } = rights;
  const situation = await situationOf(ctx, target.project, target.access, (offered) => {
    const trackers = creatableTrackers(actor, offered);
    const wanted = attributesEditable ? trackers.find((t) => t.id === input.trackerId) : undefined;
    return wanted ?? (record ? offered.trackers.find((t) => t.id === record.tracker_id) : undefined) ?? trackers[0] ?? (record ? offered.trackers[0] : undefined);
  });
  const trackers = creatableTrackers(actor, situation).filter((t) => t.id !== record?.tracker_id);
  const current = record ? situation.trackers.find((t) => t.id === record.tracker_id) : undefined;
  const offeredTrackers = current ? [current, ...trackers].sort((a, b) => situation.trackers.indexOf(a) - situation.trackers.indexOf(b)) : trackers;

  let draft: Draft;
  if (record) {
    const { id: _id, root_id: _root, lft: _lft, rgt: _rgt, lock_version: _lock, closed_on: _closed, ...attributes } = record;
    draft = { ...attributes, project_id: target.project.id, tracker_id: situation.tracker?.id ?? record.tracker_id };
  } else {
    draft = newIssueDraft(situation, actor.userId ?? (await anonymousUserId(ctx.db)));
  }
  const planned = await plan({ ctx, situation, input, existing: record, draft, attributesEditable });
  const custom = await planCustomValues(ctx, situation, input, planned.draft, record, attributesEditable);
  const customRules = fieldRules(situation.workflow, situation.workflowRoleIds, planned.draft.status_id, hiddenFieldRoles(custom.fields));
  const issueParams = paramObject(request.params.issue) ?? {};
  const copyFrom = isNew ? paramString(request.params.copy_from) : undefined;
  const copy = copyFrom ? copyModelOf(ctx, request.params, await copySourceFacts(ctx, copyFrom), request.firstView === true) : undefined;
  const showProjects = !isNew || request.projectId === undefined || copy !== undefined;
  const projectChoices = showProjects ? await addableProjects() : [];

  const fields = await coreFields(ctx, {
    situation,
    planned,
    record,
    attributesEditable,
    offeredTrackers,
    projects: showProjects ? projectChoices : undefined,
    estimatedText: paramString(issueParams.estimated_hours),
  });
  const customFields = await customFieldModels(ctx, actor, {
    fields: custom.fields,
    projectId: planned.draft.project_id,
    access: situation.access,
    rules: customRules,
    raw: input.raw,
    stored: custom.stored,
    isNew,
    attributesEditable,
  });
  const projectRef = { id: situation.project.id, identifier: situation.project.identifier ?? String(situation.project.id), name: situation.project.name };
  const mayLogTime = !isNew && allowedTo(actor, 'log_time', situation.access);
  const timeEntry = paramObject(request.params.time_entry) ?? {};
  const quote = !record
    ? undefined
    : request.quoteJournalId !== undefined
      ? await quotedNotes(ctx, record.id, situation.access, request.quoteJournalId)
      : request.quoteDescription
        ? await quotedDescription(ctx, record)
        : undefined;
  const watchable = isNew && allowedTo(actor, 'add_issue_watchers', situation.access);

  return {
    mode: isNew ? 'new' : 'edit',
    action: record ? `/issues/${record.id}` : copy || request.projectId === undefined ? '/issues' : `/projects/${encodeURIComponent(projectRef.identifier)}/issues`,
    refreshUrl: record ? `/issues/${record.id}/edit/form` : request.projectId === undefined || copy ? '/issues/new/form' : `/projects/${encodeURIComponent(projectRef.identifier)}/issues/new/form`,
    project: projectRef,
    issue: record && {
      id: record.id,
      lockVersion: paramString(issueParams.lock_version) ?? String(record.lock_version),
      trackerName: current?.name ?? '',
      subject: record.subject,
    },
    copy,
    noTracker: situation.tracker === undefined,
    attributesEditable,
    fields,
    meId: actor.userId !== undefined && fields.assigned_to_id.choices.some((c) => c.value === String(actor.userId)) ? String(actor.userId) : undefined,
    customFields,
    watchers: watchable ? await watcherChoices(ctx, situation.project.id, input.watcherUserIds) : undefined,
    notes: record && {
      value: input.notes ?? quote ?? '',
      privateNotes: input.privateNotes === true,
      privateAllowed: allowedTo(actor, 'set_notes_private', situation.access),
    },
    timeEntry: mayLogTime
      ? {
          hours: paramString(timeEntry.hours) ?? '',
          activityId: paramString(timeEntry.activity_id) ?? '',
          comments: paramString(timeEntry.comments) ?? '',
          activities: (await activityChoices(ctx.db, situation.project.id)).map((a) => ({ value: String(a.id), label: a.name })),
        }
      : undefined,
    uploads: request.uploads ?? [],
    maxFileSizeKb: Number(ctx.settings.attachment_max_size),
    errors: request.errors ?? [],
    conflict: request.conflict === true,
  };
}
