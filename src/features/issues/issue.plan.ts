/**
 * How an issue create or update is planned before anything is written: the situation (trackers,
 * statuses, priorities and workflow of the project), Redmine's safe attributes applied to a draft,
 * workflow transitions and field rules, fields disabled on the tracker, attributes derived from
 * subtasks, custom values, and validation with Redmine's messages.
 */
import { allowedTo, rolesInProject, type Actor, type ProjectAccess } from '#src/domain/authorization.ts';
import { canViewIssue, isOrBelongsTo, issueFactsOf } from '#src/domain/issue-visibility.ts';
import { ForbiddenError, UnauthenticatedError } from '#src/errors.ts';
import { findProjectAccess, loadProjectAccess, type ProjectContext, type ProjectRow } from '#src/features/projects/index.ts';
import { TRACKER_CORE_FIELDS } from '#src/features/reference-data/reference-data.presenter.ts';
import { ISSUE_FIELD_LABELS, type IssueInput } from './issue.input.ts';
import { trackerAllows } from './issue.policy.ts';
import {
  isActiveUser,
  projectKinship,
  selectAssignableIds,
  selectClosingObstacles,
  selectIssueRecord,
  selectPriorities,
  selectProjectTrackers,
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
  validateCustomValues,
  type CustomFieldDef,
} from '#src/features/custom-fields/index.ts';
import { resolveFileValues } from './issue.attachment-values.ts';
import { categoryOfProject } from '#src/features/issue-categories/index.ts';
import { assignableVersionIds } from '#src/features/versions/index.ts';
import { soonestStartOf } from '#src/features/issue-relations/index.ts';
import { allowedStatuses, fieldRules, selectAllRoles, selectStatuses, selectWorkflow, workflowRoles, type FieldRule, type StatusRow, type WorkflowRow } from './issue.workflow.ts';

export type IssueContext = ProjectContext;

/** The attributes of an issue being built or changed (IssueRecord without the tree and counters). */
export type Draft = Omit<IssueRecord, 'id' | 'root_id' | 'lft' | 'rgt' | 'lock_version' | 'closed_on'>;

export const ISSUE_UPDATE_CONFLICT = 'The issue has been updated by an other user while you were editing it.';

export function refuse(actor: Actor): never {
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
export async function situationOf(ctx: IssueContext, project: ProjectRow, knownAccess: ProjectAccess | undefined, choose: TrackerChoice): Promise<Situation> {
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

/** The standard fields the tracker disables (its fields_bits), by Redmine's field names. */
export function disabledFields(tracker: TrackerRow | undefined): Set<string> {
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
export function journalValueOf(attribute: JournalizedAttribute, value: string | number | boolean | null): string | null {
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
  /** The statuses the workflow offers (the issue form's status choices). */
  allowedStatuses: StatusRow[];
  /** Read-only and required fields in the draft's status. */
  rules: Map<string, FieldRule>;
  /** Attributes computed from subtasks, which the user does not set. */
  derived: Set<string>;
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
export async function plan(options: PlanOptions): Promise<Plan> {
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
  return { draft, errors, parentRecord, status, allowedStatuses: allowed, rules, derived };
}

/** May the actor see this stored issue? */
async function issueIsVisible(ctx: IssueContext, issue: IssueRecord): Promise<boolean> {
  const found = await findProjectAccess(ctx.db.orm, issue.project_id);
  return found !== undefined && canViewIssue(ctx.actor, found.access, issueFactsOf(issue));
}

/** The tree position of a stored issue (for subtask and closing checks). */
export function existingTree(issue: IssueRecord) {
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
export async function planCustomValues(
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
  // File fields arrive as upload tokens or ids of the stored file (issue.attachment-values.ts).
  const files = await resolveFileValues(ctx.db, editable, given, stored, ctx.actor.userId ?? 0);
  const offered = new Map([...files.given].filter(([id]) => editable.some((f) => f.id === id)));
  // The workflow can make a field required in this status.
  const checked = editable.map((f) => (rules.get(String(f.id)) === 'required' ? { ...f, isRequired: true } : f));
  const allowedIdsByField = new Map([...(await allowedRecordIdsFor(ctx.db, checked, draft.project_id)), ...files.allowedIdsByField]);
  const result = validateCustomValues(checked, offered, { isNew: existing === undefined, existing: stored, allowedIdsByField });
  return { fields, values: result.values, stored, errors: [...result.errors, ...files.errors] };
}

/** Per custom field visible only to some roles, those roles (for the workflow's read-only rule). */
/** The roles that see each custom field not visible to all (for the workflow's field rules). */
export function hiddenFieldRoles(fields: readonly CustomFieldDef[]): Map<number, number[]> {
  return new Map(fields.filter((f) => !f.visible).map((f) => [f.id, f.roleIds]));
}

/** A new issue's attributes before the request's apply: the tracker's default status, the default priority. */
export function newIssueDraft(situation: Pick<Situation, 'project' | 'tracker' | 'priorities'>, authorId: number): Draft {
  return {
    project_id: situation.project.id,
    tracker_id: situation.tracker?.id ?? 0,
    status_id: situation.tracker?.default_status_id ?? 0,
    priority_id: situation.priorities.find((p) => p.is_default)?.id ?? 0,
    subject: '',
    description: null,
    category_id: null,
    fixed_version_id: null,
    assigned_to_id: null,
    author_id: authorId,
    parent_id: null,
    start_date: null,
    due_date: null,
    done_ratio: 0,
    estimated_hours: null,
    is_private: false,
  };
}

/** Trackers a new issue of the project may have (add_issues, per role tracker limits). */
export function creatableTrackers(actor: Actor, situation: Pick<Situation, 'trackers' | 'access'>): TrackerRow[] {
  return situation.trackers.filter((t) => trackerAllows(actor, 'add_issues', situation.access, t.id));
}

/** The project and tracker a new issue gets, as a CreateExtension sees them. */
export type CreateTarget = Pick<Situation, 'project' | 'access' | 'trackers' | 'tracker' | 'priorities'>;
