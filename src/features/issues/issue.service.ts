/**
 * Issue use cases: create, update (attributes, notes, files), delete. Each asks the permission
 * engine, applies Redmine's rules for which attributes the user may set (safe attributes, workflow
 * transitions and field rules, fields disabled on the tracker, attributes derived from subtasks),
 * validates with Redmine's messages, and writes in one transaction with a journal of the change.
 */
import type { Queryable } from '#src/db/database.ts';
import { allowedTo, rolesInProject, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewIssue, isOrBelongsTo } from '#src/domain/issue-visibility.ts';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '#src/errors.ts';
import { anonymousUserId } from '#src/features/account/index.ts';
import { allowedGlobally, findProject, findProjectAccess, getVisibleProject, loadProjectAccess, type ProjectContext, type ProjectRow } from '#src/features/projects/index.ts';
import { TRACKER_CORE_FIELDS } from '#src/features/reference-data/reference-data.presenter.ts';
import { ISSUE_FIELD_LABELS, type IssueInput } from './issue.input.ts';
import { trackerAllows } from './issue.policy.ts';
import {
  deleteIssueRows,
  insertIssue,
  isActiveUser,
  projectKinship,
  JOURNALIZED_ATTRIBUTES,
  selectAssignableIds,
  selectCategoryByName,
  selectCategoryName,
  selectClosingObstacles,
  selectIssueRecord,
  selectPriorities,
  selectSubtasksInProject,
  moveSubtaskRow,
  selectProjectTrackers,
  updateIssueRow,
  type IssueRecord,
  type JournalizedAttribute,
  type PriorityRow,
  type TrackerRow,
} from './issue.records.ts';
import {
  allowedRecordIdsFor,
  customFieldInputOf,
  customFieldVisibleTo,
  customValuesOf,
  issueCustomFieldsFor,
  saveCustomValues,
  validateCustomValues,
  type CustomFieldDef,
} from '#src/features/custom-fields/index.ts';
import { attachUploads, deleteAttachments, deleteAttachmentsOf, type AttachmentRow } from '#src/features/attachments/index.ts';
import { categoryOfProject } from '#src/features/issue-categories/index.ts';
import { assignableVersionIds } from '#src/features/versions/index.ts';
import { deleteRelationsOfIssues, rescheduleFollowers, soonestStartOf } from '#src/features/issue-relations/index.ts';
import { addWatchers } from '#src/features/watchers/index.ts';
import { disposeIssueTimeEntries, moveIssueTimeEntries, type IssueTimeDisposal } from '#src/features/time-entries/index.ts';
import { descendantIds, rebuildIssueTrees, recalculateAncestors } from './issue.tree.ts';
import { allowedStatuses, fieldRules, selectAllRoles, selectStatuses, selectWorkflow, workflowRoles, type FieldRule, type StatusRow, type WorkflowRow } from './issue.workflow.ts';
import { insertJournal, type JournalDetail } from './journal.repository.ts';

export type IssueContext = ProjectContext;

/** The attributes of an issue being built or changed (IssueRecord without the tree and counters). */
export type Draft = Omit<IssueRecord, 'id' | 'root_id' | 'lft' | 'rgt' | 'lock_version' | 'closed_on'>;

export const ISSUE_UPDATE_CONFLICT = 'The issue has been updated by an other user while you were editing it.';

function refuse(actor: Actor): never {
  throw actor.userId === undefined ? new UnauthenticatedError() : new ForbiddenError('not allowed');
}

/** Everything the rules need about the issue's project and tracker, loaded once per write. */
interface Situation {
  project: ProjectRow;
  access: ProjectAccess;
  trackers: TrackerRow[];
  tracker: TrackerRow | undefined;
  statuses: StatusRow[];
  priorities: PriorityRow[];
  workflow: WorkflowRow[];
  workflowRoleIds: number[];
}

type TrackerChoice = (offered: Pick<Situation, 'trackers' | 'access'>) => TrackerRow | undefined;

/** Loads the project's facts in parallel, lets `choose` pick the tracker, then loads its workflow. */
async function situationOf(ctx: IssueContext, project: ProjectRow, knownAccess: ProjectAccess | undefined, choose: TrackerChoice): Promise<Situation> {
  const access = knownAccess ?? (await loadProjectAccess(ctx.db.orm, project));
  const [trackers, statuses, priorities, roleIds] = await Promise.all([
    selectProjectTrackers(ctx.db, project.id),
    selectStatuses(ctx.db),
    selectPriorities(ctx.db),
    // Administrators follow the workflow of every role (Issue#roles_for_workflow).
    (ctx.actor.isAdmin ? selectAllRoles(ctx.db) : Promise.resolve(rolesInProject(ctx.actor, access))).then((roles) => workflowRoles(roles).map((r) => r.id)),
  ]);
  const tracker = choose({ trackers, access });
  const workflow = tracker ? await selectWorkflow(ctx.db, tracker.id, roleIds) : [];
  return { project, access, trackers, tracker, statuses, priorities, workflow, workflowRoleIds: roleIds };
}

function disabledFields(tracker: TrackerRow | undefined): Set<string> {
  const bits = tracker?.fields_bits ?? 0;
  return new Set(TRACKER_CORE_FIELDS.filter((_, i) => (bits & (1 << i)) !== 0));
}

/** Attribute name of the input as Redmine names the field in workflow rules. */
const RULE_NAMES: Partial<Record<JournalizedAttribute, string>> = { parent_id: 'parent_issue_id' };

function ruleFor(rules: Map<string, FieldRule>, attribute: JournalizedAttribute): FieldRule | undefined {
  return rules.get(RULE_NAMES[attribute] ?? attribute);
}

const today = (now: Date) => now.toISOString().slice(0, 10);

/**
 * A value as Redmine's JournalDetail stores it: booleans "1"/"0", floats as Ruby prints them
 * (2.0 → "2.0"), everything else as text; null stays null.
 */
function journalValueOf(attribute: JournalizedAttribute, value: string | number | boolean | null): string | null {
  if (value === null) {
    return null;
  }
  if (typeof value === 'boolean') {
    return value ? '1' : '0';
  }
  if (attribute === 'estimated_hours' && typeof value === 'number' && Number.isInteger(value)) {
    return value.toFixed(1);
  }
  return String(value);
}

interface Plan {
  draft: Draft;
  errors: string[];
  parentRecord: IssueRecord | undefined;
  status: StatusRow | undefined;
}

interface PlanOptions {
  ctx: IssueContext;
  situation: Situation;
  input: IssueInput;
  /** The stored issue for an update; undefined when creating. */
  existing: IssueRecord | undefined;
  draft: Draft;
  /** May the user set the attributes (new issue, or edit_issues / edit_own_issues)? */
  attributesEditable: boolean;
}

/**
 * Applies the input to the draft as Redmine's Issue#safe_attributes= does, then validates. Attributes
 * the user may not set are ignored silently, as Redmine does.
 */
async function plan(options: PlanOptions): Promise<Plan> {
  const { ctx, situation, input, existing, draft, attributesEditable } = options;
  const { actor, db, settings } = ctx;
  const errors: string[] = [];
  const isNew = existing === undefined;
  const project = situation.access;

  // Status through the workflow, from the status the issue had (or none when new).
  const isAuthor = actor.userId !== undefined && draft.author_id === actor.userId;
  const isAssignee = isOrBelongsTo(actor, existing?.assigned_to_id ?? null);
  const obstacles = existing ? await selectClosingObstacles(db, existingTree(existing)) : undefined;
  const trackerChanged = existing !== undefined && existing.tracker_id !== draft.tracker_id;
  const initialStatusId = isNew
    ? undefined
    : trackerChanged && !situation.workflow.some((w) => w.old_status_id === existing.status_id)
      ? (situation.tracker?.default_status_id ?? undefined)
      : existing.status_id;
  const allowed = allowedStatuses(situation.workflow, {
    fromStatusId: initialStatusId,
    initialStatusId,
    roleIds: new Set(situation.workflowRoleIds),
    isAuthor,
    isAssignee,
    statuses: situation.statuses,
    defaultStatusId: situation.tracker?.default_status_id ?? null,
    closable: !(obstacles?.openChildren || obstacles?.openBlockers),
    reopenable: !obstacles?.closedAncestor,
  });
  if (attributesEditable && input.statusId !== undefined && allowed.some((s) => s.id === input.statusId)) {
    draft.status_id = input.statusId;
  }

  const rules = fieldRules(situation.workflow, situation.workflowRoleIds, draft.status_id);
  const disabled = disabledFields(situation.tracker);
  const hasChildren = existing !== undefined && existing.lft !== null && existing.rgt !== null && existing.rgt - existing.lft > 1;
  const derived = new Set<string>();
  if (hasChildren) {
    if (settings.parent_issue_dates === 'derived') {
      derived.add('start_date').add('due_date');
    }
    if (settings.parent_issue_priority === 'derived') {
      derived.add('priority_id');
    }
    if (settings.parent_issue_done_ratio === 'derived') {
      derived.add('done_ratio');
    }
  }
  const settable = (attribute: JournalizedAttribute) =>
    attributesEditable &&
    ruleFor(rules, attribute) !== 'readonly' &&
    !disabled.has(RULE_NAMES[attribute] ?? attribute) &&
    !derived.has(attribute);

  const assign = <K extends keyof Draft>(attribute: K & JournalizedAttribute, value: Draft[K] | undefined) => {
    if (value !== undefined && settable(attribute)) {
      draft[attribute] = value;
    }
  };
  if (input.subject !== undefined && settable('subject')) {
    draft.subject = input.subject;
  }
  assign('description', input.description);
  if (input.priorityId !== undefined) {
    assign('priority_id', input.priorityId ?? 0);
  }
  assign('category_id', input.categoryId);
  assign('fixed_version_id', input.fixedVersionId);
  if (input.assignedToId !== undefined) {
    assign('assigned_to_id', input.assignedToId === 'me' ? (actor.userId ?? null) : input.assignedToId);
  }
  assign('start_date', input.startDate);
  assign('due_date', input.dueDate);
  if (input.doneRatio !== undefined) {
    assign('done_ratio', input.doneRatio ?? 0);
  }
  assign('estimated_hours', input.estimatedHours);

  const isPrivateSettable =
    allowedTo(actor, 'set_issues_private', project) || ((isNew || isAuthor) && allowedTo(actor, 'set_own_issues_private', project));
  if (isPrivateSettable && ruleFor(rules, 'is_private') !== 'readonly') {
    // A new issue of a tracker that is private by default is private unless the input says otherwise.
    const trackerDefault = isNew && situation.tracker?.private_by_default === true ? true : undefined;
    draft.is_private = input.isPrivate ?? trackerDefault ?? draft.is_private;
  }

  // Parent task (needs manage_subtasks).
  let parentRecord: IssueRecord | undefined;
  if (input.parentIssueId !== undefined && settable('parent_id') && allowedTo(actor, 'manage_subtasks', project)) {
    if (input.parentIssueId === null) {
      draft.parent_id = null;
    } else {
      const match = /^#?(\d{1,9})$/.exec(input.parentIssueId);
      const parentId = match ? Number(match[1]) : undefined;
      parentRecord = parentId === undefined ? undefined : await selectIssueRecord(db, parentId);
      const visible = parentRecord !== undefined && (parentId === existing?.parent_id || (await issueIsVisible(ctx, parentRecord)));
      if (!parentRecord || !visible) {
        errors.push('Parent task is invalid');
      } else {
        draft.parent_id = parentRecord.id;
      }
    }
  } else if (draft.parent_id !== null) {
    parentRecord = await selectIssueRecord(db, draft.parent_id);
  }

  // Done ratio follows the status when the tenant says so.
  const status = situation.statuses.find((s) => s.id === draft.status_id);
  if (settings.issue_done_ratio === 'issue_status' && status?.default_done_ratio !== null && status?.default_done_ratio !== undefined) {
    if (isNew || existing.status_id !== draft.status_id) {
      draft.done_ratio = status.default_done_ratio;
    }
  }

  // Defaults of a new issue: the category's assignee, else the project's; the project's version.
  if (isNew) {
    if (draft.assigned_to_id === null && draft.category_id !== null) {
      draft.assigned_to_id = (await categoryOfProject(db, draft.project_id, draft.category_id))?.assignedToId ?? null;
    }
    if (draft.assigned_to_id === null && situation.project.defaultAssignedToId !== null && settable('assigned_to_id')) {
      draft.assigned_to_id = situation.project.defaultAssignedToId;
    }
    if (draft.fixed_version_id === null && situation.project.defaultVersionId !== null && settable('fixed_version_id')) {
      const versions = await assignableVersionIds(db, draft.project_id);
      if (versions.has(situation.project.defaultVersionId)) {
        draft.fixed_version_id = situation.project.defaultVersionId;
      }
    }
    if (draft.start_date === null && input.startDate === undefined && settings.default_issue_start_date_to_creation_date === '1' && !disabled.has('start_date')) {
      draft.start_date = today(ctx.now);
    }
  }

  await validate({ ...options, rules, disabled, errors, parentRecord, status });
  return { draft, errors, parentRecord, status };
}

/** May the actor see this stored issue? */
async function issueIsVisible(ctx: IssueContext, issue: IssueRecord): Promise<boolean> {
  const found = await findProjectAccess(ctx.db.orm, issue.project_id);
  return (
    found !== undefined &&
    canViewIssue(ctx.actor, found.access, {
      trackerId: issue.tracker_id,
      authorId: issue.author_id,
      assignedToId: issue.assigned_to_id,
      isPrivate: issue.is_private,
    })
  );
}

/** The tree position of a stored issue (for subtask and closing checks). */
function existingTree(issue: IssueRecord) {
  return { id: issue.id, root_id: issue.root_id, lft: issue.lft, rgt: issue.rgt };
}

interface ValidationInput extends PlanOptions {
  rules: Map<string, FieldRule>;
  disabled: Set<string>;
  errors: string[];
  parentRecord: IssueRecord | undefined;
  status: StatusRow | undefined;
}

const changed = (existing: IssueRecord | undefined, draft: Draft, attribute: JournalizedAttribute) =>
  existing === undefined || existing[attribute] !== draft[attribute];

async function validate(v: ValidationInput): Promise<void> {
  const { ctx, situation, existing, draft, errors } = v;
  const { db, settings } = ctx;
  if (!draft.subject.trim()) {
    errors.push('Subject cannot be blank');
  } else if (draft.subject.length > 255) {
    errors.push('Subject is too long (maximum is 255 characters)');
  }
  if (!situation.tracker || draft.tracker_id !== situation.tracker.id) {
    errors.push('Tracker cannot be blank');
  }
  if (!v.status) {
    errors.push('Status cannot be blank');
  }
  if (!situation.priorities.some((p) => p.id === draft.priority_id)) {
    if (existing?.priority_id !== draft.priority_id) {
      errors.push('Priority cannot be blank');
    }
  }
  if (draft.done_ratio < 0 || draft.done_ratio > 100) {
    errors.push('% Done is not included in the list');
  }
  const datesChanged = changed(existing, draft, 'start_date') || changed(existing, draft, 'due_date');
  if (draft.start_date !== null && draft.due_date !== null && datesChanged && draft.due_date < draft.start_date) {
    errors.push('Due date must be greater than start date');
  }
  if (existing && draft.start_date !== null && changed(existing, draft, 'start_date')) {
    const soonest = await soonestStartOf(db, existing.id);
    if (soonest !== undefined && draft.start_date < soonest) {
      // Redmine formats the date the English locale's way, month/day/year.
      const [y, m, d] = soonest.split('-');
      errors.push(`Start date cannot be earlier than ${m}/${d}/${y} because of preceding issues`);
    }
  }
  if (draft.category_id !== null && changed(existing, draft, 'category_id')) {
    if (!(await categoryOfProject(db, draft.project_id, draft.category_id))) {
      errors.push('Category is not included in the list');
    }
  }
  if (draft.fixed_version_id !== null && (changed(existing, draft, 'fixed_version_id') || changed(existing, draft, 'project_id'))) {
    // A version kept through a change stays assignable even when locked or closed.
    const kept = existing?.fixed_version_id === draft.fixed_version_id ? { versionId: draft.fixed_version_id, movingProject: existing.project_id !== draft.project_id } : undefined;
    if (!(await assignableVersionIds(db, draft.project_id, kept)).has(draft.fixed_version_id)) {
      errors.push('Target version is not included in the list');
    }
  }
  if (draft.assigned_to_id !== null && changed(existing, draft, 'assigned_to_id')) {
    const assignable = await selectAssignableIds(db, draft.project_id, settings.issue_group_assignment === '1');
    // The author may always be given the issue back (Issue#assignable_users adds an active author).
    const authorBack = draft.assigned_to_id === draft.author_id && (await isActiveUser(db, draft.author_id));
    if (!assignable.has(draft.assigned_to_id) && !authorBack) {
      errors.push('Assignee is invalid');
    }
  }
  await validateParent(v);

  // Fields the workflow requires in this status.
  for (const [field, rule] of v.rules) {
    if (rule !== 'required' || /^\d+$/.test(field)) {
      continue;
    }
    const attribute = (field === 'parent_issue_id' ? 'parent_id' : field) as keyof Draft;
    const value = (draft as Record<string, unknown>)[attribute];
    if (attribute in draft && (value === null || value === '' || value === undefined)) {
      errors.push(`${ISSUE_FIELD_LABELS[field] ?? field} cannot be blank`);
    }
  }
}

async function validateParent(v: ValidationInput): Promise<void> {
  const { existing, draft, errors, parentRecord, ctx, situation, status } = v;
  if (draft.parent_id === null || !parentRecord || !changed(existing, draft, 'parent_id')) {
    return;
  }
  const isSelfOrDescendant =
    existing !== undefined &&
    (parentRecord.id === existing.id ||
      (parentRecord.root_id === existing.root_id && (parentRecord.lft ?? 0) > (existing.lft ?? 0) && (parentRecord.rgt ?? 0) < (existing.rgt ?? 0)));
  if (isSelfOrDescendant || !(await parentProjectAllowed(ctx, situation.project.id, parentRecord.project_id))) {
    errors.push('Parent task is invalid');
    return;
  }
  const parentStatus = situation.statuses.find((s) => s.id === parentRecord.status_id);
  if (status && !status.is_closed && parentStatus?.is_closed) {
    errors.push('An open issue cannot be attached to a closed parent task');
  }
}

/** Issue#valid_parent_project? under the cross_project_subtasks setting. */
export async function parentProjectAllowed(ctx: IssueContext, projectId: number, parentProjectId: number): Promise<boolean> {
  const setting = ctx.settings.cross_project_subtasks;
  if (parentProjectId === projectId || setting === 'system') {
    return true;
  }
  if (setting === '') {
    return false;
  }
  const kin = await projectKinship(ctx.db, projectId, parentProjectId);
  switch (setting) {
    case 'tree':
      return kin.sameTree;
    case 'hierarchy':
      return kin.otherIsAncestor || kin.otherIsDescendant;
    case 'descendants':
      return kin.otherIsAncestor;
    default:
      return false;
  }
}

/** The custom fields the draft offers the actor, and their values after applying the input. */
async function planCustomValues(
  ctx: IssueContext,
  situation: Situation,
  input: IssueInput,
  draft: Draft,
  existing: IssueRecord | undefined,
  attributesEditable: boolean,
): Promise<{ fields: CustomFieldDef[]; values: Map<number, string[]>; stored: Map<number, string[]>; errors: string[] }> {
  const fields = await issueCustomFieldsFor(ctx.db, draft.project_id, draft.tracker_id);
  const stored = existing ? ((await customValuesOf(ctx.db, 'Issue', [existing.id])).get(existing.id) ?? new Map<number, string[]>()) : new Map<number, string[]>();
  const rules = fieldRules(situation.workflow, situation.workflowRoleIds, draft.status_id, hiddenFieldRoles(fields));
  const visible = fields.filter((f) => customFieldVisibleTo(f, ctx.actor, draft.project_id, situation.access));
  const editable = attributesEditable ? visible.filter((f) => rules.get(String(f.id)) !== 'readonly') : [];
  const given = customFieldInputOf(input.raw) ?? new Map<number, string | string[]>();
  const offered = new Map([...given].filter(([id]) => editable.some((f) => f.id === id)));
  // The workflow can make a field required in this status.
  const checked = editable.map((f) => (rules.get(String(f.id)) === 'required' ? { ...f, isRequired: true } : f));
  const allowedIdsByField = await allowedRecordIdsFor(ctx.db, checked, draft.project_id);
  const result = validateCustomValues(checked, offered, { isNew: existing === undefined, existing: stored, allowedIdsByField });
  return { fields, values: result.values, stored, errors: result.errors };
}

/** Per custom field visible only to some roles, those roles (for the workflow's read-only rule). */
function hiddenFieldRoles(fields: readonly CustomFieldDef[]): Map<number, number[]> {
  return new Map(fields.filter((f) => !f.visible).map((f) => [f.id, f.roleIds]));
}

/** Trackers a new issue of the project may have (add_issues, per role tracker limits). */
function creatableTrackers(actor: Actor, situation: Pick<Situation, 'trackers' | 'access'>): TrackerRow[] {
  return situation.trackers.filter((t) => trackerAllows(actor, 'add_issues', situation.access, t.id));
}

/** The project and tracker a new issue gets, as a CreateExtension sees them. */
export type CreateTarget = Pick<Situation, 'project' | 'access' | 'trackers' | 'tracker' | 'priorities'>;

/** More steps of a create: issue.copy.ts uses them to copy an issue. */
export interface CreateExtension {
  /** Fills the draft before the request's attributes apply to it; returns errors that refuse the create. */
  seed(draft: Draft, target: CreateTarget): Promise<string[]>;
  /** Writes more, in the create's transaction, once the issue is stored. */
  afterInsert(tx: Queryable, issueId: number, draft: Readonly<Draft>): Promise<void>;
}

/**
 * POST /issues and /projects/:id/issues. `pathProject` is the project of a nested route (404 when
 * invisible, 403 without add_issues); a project in the body that the user cannot add issues to is
 * "Project cannot be blank", as Redmine answers.
 */
export async function createIssue(ctx: IssueContext, pathProject: string | undefined, input: IssueInput, extension?: CreateExtension): Promise<number> {
  const { actor, db } = ctx;
  let project: ProjectRow | undefined;
  let access: ProjectAccess | undefined;
  if (pathProject !== undefined) {
    project = await getVisibleProject(ctx, pathProject);
    access = await loadProjectAccess(db.orm, project);
    if (!allowedTo(actor, 'add_issues', access)) {
      refuse(actor);
    }
  } else {
    if (!allowedGlobally(actor, 'add_issues')) {
      refuse(actor);
    }
    const found = input.projectId ? await findProject(db.orm, input.projectId) : undefined;
    access = found && (await loadProjectAccess(db.orm, found));
    project = found && access && allowedTo(actor, 'add_issues', access) ? found : undefined;
  }
  if (!project) {
    throw new ValidationError(['Project cannot be blank', ...(input.subject?.trim() ? [] : ['Subject cannot be blank'])]);
  }
  const situation = await situationOf(ctx, project, access, (offered) => {
    const trackers = creatableTrackers(actor, offered);
    return trackers.find((t) => t.id === input.trackerId) ?? trackers[0];
  });
  const tracker = situation.tracker;
  const draft: Draft = {
    project_id: project.id,
    tracker_id: tracker?.id ?? 0,
    status_id: tracker?.default_status_id ?? 0,
    priority_id: situation.priorities.find((p) => p.is_default)?.id ?? 0,
    subject: '',
    description: null,
    category_id: null,
    fixed_version_id: null,
    assigned_to_id: null,
    author_id: actor.userId ?? (await anonymousUserId(db)),
    parent_id: null,
    start_date: null,
    due_date: null,
    done_ratio: 0,
    estimated_hours: null,
    is_private: false,
  };
  const seedErrors = extension ? await extension.seed(draft, situation) : [];
  const planned = await plan({ ctx, situation, input, existing: undefined, draft, attributesEditable: true });
  const custom = await planCustomValues(ctx, situation, input, draft, undefined, true);
  const uploads = input.uploads;
  const errors = [...seedErrors, ...planned.errors, ...custom.errors];
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const watcherIds = input.watcherUserIds !== undefined && allowedTo(actor, 'add_issue_watchers', situation.access) ? input.watcherUserIds : [];
  const closedOn = planned.status?.is_closed ? ctx.now : null;
  if (draft.parent_id === null && custom.values.size === 0 && uploads.length === 0 && watcherIds.length === 0 && !extension) {
    // Nothing but the row: one statement, atomic by itself, spares BEGIN and COMMIT.
    return insertIssue(db, draft, ctx.now, closedOn);
  }
  return db.transaction(async (tx) => {
    const id = await insertIssue(tx, draft, ctx.now, closedOn);
    if (draft.parent_id !== null && planned.parentRecord) {
      await rebuildIssueTrees(tx, [planned.parentRecord.root_id ?? planned.parentRecord.id]);
      await recalculateAncestors(tx, draft.parent_id, ctx.settings, ctx.now);
    }
    await saveCustomValues(tx, 'Issue', id, custom.values, custom.stored);
    if (uploads.length > 0) {
      const attached = await attachUploads(tx, { containerType: 'Issue', containerId: id, authorId: draft.author_id, uploads });
      if (attached.errors.length > 0) {
        throw new ValidationError(attached.errors);
      }
    }
    if (watcherIds.length > 0) {
      await addWatchers(tx, id, watcherIds);
    }
    await extension?.afterInsert(tx, id, draft);
    return id;
  });
}

/** The stored issue, if the actor may see it: unknown → 404, invisible → 403 (401 anonymous), as Redmine. */
export async function getIssueForChange(ctx: IssueContext, issueId: number): Promise<{ record: IssueRecord; project: ProjectRow; access: ProjectAccess }> {
  const record = await selectIssueRecord(ctx.db, issueId);
  const found = record ? await findProjectAccess(ctx.db.orm, record.project_id) : undefined;
  if (!record || !found) {
    throw new NotFoundError(`no issue ${issueId}`);
  }
  const { project, access } = found;
  if (!canViewIssue(ctx.actor, access, { trackerId: record.tracker_id, authorId: record.author_id, assignedToId: record.assigned_to_id, isPrivate: record.is_private })) {
    refuse(ctx.actor);
  }
  return { record, project, access };
}

/**
 * Redmine's Issue#after_project_change, in the update's transaction: the time logged on the issue,
 * and the subtasks that were in its old project (with their time, a category of the same name and a
 * version still shared), follow it; relations go unless cross-project relations are allowed.
 * Simplified: every subtask in the old project follows, also one below a subtask that stayed.
 */
async function followProjectChange(tx: Queryable, ctx: IssueContext, moved: IssueRecord, projectId: number): Promise<void> {
  const subtasks = await selectSubtasksInProject(tx, moved, moved.project_id);
  for (const subtask of subtasks) {
    const categoryName = subtask.category_id === null ? undefined : await selectCategoryName(tx, subtask.category_id);
    const versionKept =
      subtask.fixed_version_id !== null &&
      (await assignableVersionIds(tx, projectId, { versionId: subtask.fixed_version_id, movingProject: true })).has(subtask.fixed_version_id);
    await moveSubtaskRow(
      tx,
      subtask.id,
      {
        projectId,
        categoryId: categoryName === undefined ? null : ((await selectCategoryByName(tx, projectId, categoryName)) ?? null),
        fixedVersionId: versionKept ? subtask.fixed_version_id : null,
      },
      ctx.now,
    );
  }
  const followers = [moved.id, ...subtasks.map((s) => s.id)];
  for (const id of followers) {
    await moveIssueTimeEntries(tx, id, projectId);
  }
  if (ctx.settings.cross_project_issue_relations !== '1') {
    await deleteRelationsOfIssues(tx, followers);
  }
}

/**
 * Moves the draft to another project when the user may: Redmine has no permission of its own for it
 * (it went in 3.0); whoever may edit the issue's attributes (the caller checked) may move it to a
 * project where they may add issues.
 */
async function planMove(ctx: IssueContext, input: IssueInput, current: ProjectRow, draft: Draft): Promise<ProjectRow> {
  if (input.projectId === undefined) {
    return current;
  }
  const target = await findProject(ctx.db.orm, input.projectId);
  if (!target || target.id === current.id || !allowedTo(ctx.actor, 'add_issues', await loadProjectAccess(ctx.db.orm, target))) {
    return current;
  }
  draft.project_id = target.id;
  // Redmine's Issue#project=: a category of the same name, a version still shared, else none.
  if (draft.category_id !== null) {
    const name = await selectCategoryName(ctx.db, draft.category_id);
    draft.category_id = name === undefined ? null : ((await selectCategoryByName(ctx.db, target.id, name)) ?? null);
  }
  if (draft.fixed_version_id !== null && !(await assignableVersionIds(ctx.db, target.id, { versionId: draft.fixed_version_id, movingProject: true })).has(draft.fixed_version_id)) {
    draft.fixed_version_id = null;
  }
  return target;
}

/**
 * PUT /issues/:id: attributes (if editable), notes, files. Returns the attachments it removed, whose
 * files the caller deletes once the change is committed.
 */
export async function updateIssue(ctx: IssueContext, issueId: number, input: IssueInput): Promise<AttachmentRow[]> {
  const { actor, db } = ctx;
  const { record, project, access } = await getIssueForChange(ctx, issueId);
  const isAuthor = actor.userId !== undefined && record.author_id === actor.userId;
  const attributesEditable =
    trackerAllows(actor, 'edit_issues', access, record.tracker_id) || (isAuthor && trackerAllows(actor, 'edit_own_issues', access, record.tracker_id));
  const notesAddable = trackerAllows(actor, 'add_issue_notes', access, record.tracker_id);
  if (!attributesEditable && !notesAddable) {
    refuse(actor);
  }
  const { id: _id, root_id: _root, lft: _lft, rgt: _rgt, lock_version: _lock, closed_on: _closed, ...current } = record;
  const draft: Draft = { ...current };
  const target = attributesEditable ? await planMove(ctx, input, project, draft) : project;
  const situation = await situationOf(ctx, target, target === project ? access : undefined, (offered) => {
    const wanted = attributesEditable && input.trackerId !== undefined && input.trackerId !== record.tracker_id ? input.trackerId : undefined;
    const changedTo = wanted === undefined ? undefined : creatableTrackers(actor, offered).find((t) => t.id === wanted);
    // Moved to a project without the tracker: its first tracker, as Redmine does.
    return changedTo ?? offered.trackers.find((t) => t.id === record.tracker_id) ?? offered.trackers[0];
  });
  draft.tracker_id = situation.tracker?.id ?? draft.tracker_id;
  const planned = await plan({ ctx, situation, input, existing: record, draft, attributesEditable });
  const custom = await planCustomValues(ctx, situation, input, draft, record, attributesEditable);
  const errors = [...planned.errors, ...custom.errors];
  if (input.lockVersion !== undefined && input.lockVersion !== record.lock_version) {
    errors.push(ISSUE_UPDATE_CONFLICT);
  }
  if (errors.length > 0) {
    throw new ValidationError(errors);
  }
  const notes = notesAddable || attributesEditable ? (input.notes ?? '') : '';
  const privateNotes = input.privateNotes === true && allowedTo(actor, 'set_notes_private', situation.access);
  const uploads = attributesEditable || notesAddable ? input.uploads : [];
  // Redmine's attachments_deletable?: whoever may edit the issue's attributes.
  const deletable = input.deletedAttachmentIds !== undefined && attributesEditable;

  return db.transaction(async (tx) => {
    const locked = await selectIssueRecord(tx, issueId, true);
    if (!locked || (input.lockVersion !== undefined && locked.lock_version !== input.lockVersion)) {
      throw new ValidationError([ISSUE_UPDATE_CONFLICT]);
    }
    const details: JournalDetail[] = [];
    const changes: Partial<Draft> = {};
    for (const attribute of JOURNALIZED_ATTRIBUTES) {
      if (draft[attribute] !== locked[attribute]) {
        (changes as Record<string, unknown>)[attribute] = draft[attribute];
        details.push({ property: 'attr', propKey: attribute, oldValue: journalValueOf(attribute, locked[attribute]), value: journalValueOf(attribute, draft[attribute]) });
      }
    }
    for (const change of await saveCustomValues(tx, 'Issue', issueId, custom.values, custom.stored)) {
      details.push({ property: 'cf', propKey: String(change.fieldId), oldValue: change.oldValue, value: change.newValue });
    }
    if (uploads.length > 0) {
      const attached = await attachUploads(tx, { containerType: 'Issue', containerId: issueId, authorId: actor.userId ?? draft.author_id, uploads });
      if (attached.errors.length > 0) {
        throw new ValidationError(attached.errors);
      }
      details.push(...attached.attached.map((a) => ({ property: 'attachment' as const, propKey: String(a.id), oldValue: null, value: a.filename })));
    }
    const removed = deletable && input.deletedAttachmentIds && input.deletedAttachmentIds.length > 0 ? await deleteAttachments(tx, 'Issue', issueId, input.deletedAttachmentIds) : [];
    details.push(...removed.map((a) => ({ property: 'attachment' as const, propKey: String(a.id), oldValue: a.filename, value: null })));
    const statusChanged = draft.status_id !== locked.status_id;
    const closing = statusChanged && planned.status?.is_closed === true && !situation.statuses.find((s) => s.id === locked.status_id)?.is_closed;
    if (Object.keys(changes).length > 0 || details.length > 0 || notes !== '') {
      await updateIssueRow(tx, issueId, changes, ctx.now, closing ? ctx.now : undefined);
    }
    await recordChange(tx, { issueId, userId: actor.userId ?? (await anonymousUserId(tx)), notes, privateNotes, details, createdOn: ctx.now });

    if ('project_id' in changes) {
      await followProjectChange(tx, ctx, record, draft.project_id);
    }
    if ('parent_id' in changes) {
      // The issue's subtree leaves its old tree (unless it was that tree's root) and joins the new
      // parent's tree, or becomes a tree of its own.
      const roots = new Set<number>();
      if (locked.parent_id !== null && locked.root_id !== null) {
        roots.add(locked.root_id);
      }
      roots.add(planned.parentRecord ? (planned.parentRecord.root_id ?? planned.parentRecord.id) : issueId);
      await rebuildIssueTrees(tx, [...roots]);
      if (locked.parent_id !== null) {
        await recalculateAncestors(tx, locked.parent_id, ctx.settings, ctx.now);
      }
    }
    if (draft.parent_id !== null && Object.keys(changes).length > 0) {
      await recalculateAncestors(tx, draft.parent_id, ctx.settings, ctx.now);
    }
    if ('start_date' in changes || 'due_date' in changes) {
      await rescheduleFollowers(tx, issueId, ctx.now, actor.userId ?? draft.author_id);
    }
    return removed;
  });
}

/**
 * One change's journal. Private notes with attribute changes become two journals (the changes in
 * a public one), so no half-private journal exists — Redmine's Journal#split_private_notes.
 */
async function recordChange(
  db: Queryable,
  change: { issueId: number; userId: number; notes: string; privateNotes: boolean; details: JournalDetail[]; createdOn: Date },
): Promise<void> {
  const privateNotes = change.privateNotes && change.notes !== '';
  if (privateNotes && change.details.length > 0) {
    await insertJournal(db, { ...change, notes: null, privateNotes: false });
    await insertJournal(db, { ...change, details: [], privateNotes: true });
    return;
  }
  await insertJournal(db, { ...change, privateNotes });
}

/**
 * DELETE /issues/:id: the issue and its subtasks (delete_issues), and the time logged on them unless
 * `timeEntries` says to keep or move it. Returns the attachments removed (files to delete after commit).
 */
export async function deleteIssue(ctx: IssueContext, issueId: number, timeEntries: IssueTimeDisposal = {}): Promise<AttachmentRow[]> {
  const { record, access } = await getIssueForChange(ctx, issueId);
  if (!trackerAllows(ctx.actor, 'delete_issues', access, record.tracker_id)) {
    refuse(ctx.actor);
  }
  return ctx.db.transaction(async (tx) => {
    const ids = [issueId, ...(await descendantIds(tx, issueId))];
    await disposeIssueTimeEntries(tx, ctx.settings, ids, record.project_id, timeEntries);
    const removed = await deleteAttachmentsOf(tx, 'Issue', ids);
    await deleteIssueRows(tx, ids);
    if (record.parent_id !== null) {
      await rebuildIssueTrees(tx, [record.root_id ?? record.parent_id]);
      await recalculateAncestors(tx, record.parent_id, ctx.settings, ctx.now);
    }
    return removed;
  });
}

/** The statuses the workflow lets the actor move the issue to (the `allowed_statuses` include; edit rights are not asked, as in Redmine). */
export async function allowedStatusesFor(ctx: IssueContext, record: IssueRecord, access: ProjectAccess, project: ProjectRow): Promise<StatusRow[]> {
  const isAuthor = ctx.actor.userId !== undefined && record.author_id === ctx.actor.userId;
  const situation = await situationOf(ctx, project, access, (offered) => offered.trackers.find((t) => t.id === record.tracker_id));
  const obstacles = await selectClosingObstacles(ctx.db, existingTree(record));
  return allowedStatuses(situation.workflow, {
    fromStatusId: record.status_id,
    initialStatusId: record.status_id,
    roleIds: new Set(situation.workflowRoleIds),
    isAuthor,
    isAssignee: isOrBelongsTo(ctx.actor, record.assigned_to_id),
    statuses: situation.statuses,
    defaultStatusId: situation.tracker?.default_status_id ?? null,
    closable: !(obstacles.openChildren || obstacles.openBlockers),
    reopenable: !obstacles.closedAncestor,
  });
}
