/**
 * The workflow editor's use cases (administrators only): the summary of transitions per tracker and
 * role, the status-transition and field-permission matrices for chosen trackers × roles and their
 * saving, and copying rules from one tracker/role to others. The issue code reads the same rows
 * (src/features/issues/issue.workflow.ts), so what is saved here is what the issue API allows.
 */
import type { Queryable } from '#src/db/database.ts';
import { assertAdministrator } from '#src/domain/administration.ts';
import type { ProjectContext } from '#src/features/projects/index.ts';
import { TRACKER_CORE_FIELDS } from '#src/features/reference-data/reference-data.presenter.ts';
import {
  ALWAYS_REQUIRED_FIELDS,
  planTransitionChanges,
  WORKFLOW_CORE_FIELDS,
  type FieldRuleChoice,
  type TransitionChoice,
} from './workflow.matrix.ts';
import {
  copyRules,
  deleteFieldRules,
  deleteWorkflowRows,
  existingIds,
  insertFieldRules,
  insertTransitions,
  selectFieldRules,
  selectStatuses,
  selectTrackerCustomFields,
  selectTrackerFieldBits,
  selectTrackers,
  selectTransitionCounts,
  selectTransitions,
  selectUsedStatusIds,
  selectWorkflowRoles,
  updateTransitionFlags,
  type FieldRuleRow,
  type NamedRow,
  type TransitionRow,
  type WorkflowRoleRow,
} from './workflow.repository.ts';

export type WorkflowContext = ProjectContext;

/** `role_id[]` / `tracker_id[]` of the editor: ids, `all`, or nothing chosen yet. */
export type IdChoice = readonly number[] | 'all' | undefined;

export interface WorkflowSelection {
  readonly roleIds: IdChoice;
  readonly trackerIds: IdChoice;
  /** Show only the statuses the trackers' transitions use (Redmine's default). */
  readonly usedStatusesOnly: boolean;
}

/** Role#consider_workflow?: only roles that may add or edit issues follow a workflow. */
export function considersWorkflow(role: Pick<WorkflowRoleRow, 'permissions'>): boolean {
  return role.permissions.includes('add_issues') || role.permissions.includes('edit_issues');
}

export interface WorkflowSummary {
  readonly roles: WorkflowRoleRow[];
  readonly trackers: NamedRow[];
  /** `${trackerId}:${roleId}` → number of transitions. */
  readonly counts: ReadonlyMap<string, number>;
}

/** The summary table: transitions per tracker and workflow role. */
export async function workflowSummary(ctx: WorkflowContext): Promise<WorkflowSummary> {
  assertAdministrator(ctx.actor);
  const [roles, trackers, counts] = await Promise.all([selectWorkflowRoles(ctx.db), selectTrackers(ctx.db), selectTransitionCounts(ctx.db)]);
  return {
    roles: roles.filter(considersWorkflow),
    trackers,
    counts: new Map(counts.map((c) => [`${c.tracker_id}:${c.role_id}`, c.count])),
  };
}

export interface WorkflowChoices {
  /** Roles offered in the selector (those that follow a workflow), trackers, all statuses. */
  readonly roles: WorkflowRoleRow[];
  readonly trackers: NamedRow[];
  /** The chosen roles and trackers, when both are chosen and exist. */
  readonly selectedRoles: NamedRow[] | undefined;
  readonly selectedTrackers: NamedRow[] | undefined;
  /** The statuses the matrix has rows and columns for. */
  readonly statuses: NamedRow[];
  readonly usedStatusesOnly: boolean;
}

function chosen<T extends { id: number }>(choice: IdChoice, all: readonly T[], any: readonly T[]): T[] | undefined {
  if (choice === undefined) {
    return undefined;
  }
  const rows = choice === 'all' ? [...all] : any.filter((row) => choice.includes(row.id));
  return rows.length > 0 ? rows : undefined;
}

async function choicesOf(db: Queryable, selection: WorkflowSelection): Promise<WorkflowChoices> {
  const [allRoles, trackers, statuses] = await Promise.all([selectWorkflowRoles(db), selectTrackers(db), selectStatuses(db)]);
  const roles = allRoles.filter(considersWorkflow);
  const selectedRoles = chosen(selection.roleIds, roles, allRoles);
  const selectedTrackers = chosen(selection.trackerIds, trackers, trackers);
  let shown = statuses;
  if (selectedTrackers && selection.usedStatusesOnly) {
    const used = await selectUsedStatusIds(db, selectedTrackers.map((t) => t.id), roles.map((r) => r.id));
    const usedStatuses = statuses.filter((s) => used.has(s.id));
    shown = usedStatuses.length > 0 ? usedStatuses : statuses;
  }
  return { roles, trackers, selectedRoles, selectedTrackers, statuses: shown, usedStatusesOnly: selection.usedStatusesOnly };
}

export interface TransitionEditor extends WorkflowChoices {
  /** The transitions of the chosen trackers × roles. */
  readonly transitions: TransitionRow[];
}

/** The status-transition matrix of the chosen roles and trackers. */
export async function transitionEditor(ctx: WorkflowContext, selection: WorkflowSelection): Promise<TransitionEditor> {
  assertAdministrator(ctx.actor);
  const choices = await choicesOf(ctx.db, selection);
  const transitions =
    choices.selectedRoles && choices.selectedTrackers
      ? await selectTransitions(ctx.db, choices.selectedTrackers.map((t) => t.id), choices.selectedRoles.map((r) => r.id))
      : [];
  return { ...choices, transitions };
}

/** Resolves the chosen ids to existing trackers and roles (nothing when either is missing). */
async function targetsOf(db: Queryable, selection: WorkflowSelection): Promise<{ trackerIds: number[]; roleIds: number[] } | undefined> {
  const choices = await choicesOf(db, { ...selection, usedStatusesOnly: false });
  if (!choices.selectedRoles || !choices.selectedTrackers) {
    return undefined;
  }
  return { trackerIds: choices.selectedTrackers.map((t) => t.id), roleIds: choices.selectedRoles.map((r) => r.id) };
}

/**
 * Saves the transition matrix for every chosen tracker × role: cells left at "no change" are kept as
 * they are, others are added or removed. Statuses that do not exist are ignored. Returns false when
 * no tracker or role was chosen (nothing written).
 */
export async function saveTransitions(ctx: WorkflowContext, selection: WorkflowSelection, choices: readonly TransitionChoice[]): Promise<boolean> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const targets = await targetsOf(tx, selection);
    if (!targets) {
      return false;
    }
    const statusIds = new Set(await existingIds(tx, 'issue_statuses', [...new Set(choices.flatMap((c) => [c.oldStatusId, c.newStatusId]))]));
    const valid = choices.filter((c) => (c.oldStatusId === 0 || statusIds.has(c.oldStatusId)) && statusIds.has(c.newStatusId));
    const existing = await selectTransitions(tx, targets.trackerIds, targets.roleIds);
    const changes = planTransitionChanges(existing, valid, targets.trackerIds, targets.roleIds);
    await deleteWorkflowRows(tx, changes.deleteIds);
    for (const update of changes.updates) {
      await updateTransitionFlags(tx, update.id, update.author, update.assignee);
    }
    await insertTransitions(tx, changes.inserts);
    return true;
  });
}

export interface WorkflowField {
  /** The attribute name (`due_date`) or the custom field id as text. */
  readonly key: string;
  /** Catalog key of a core field's label; custom fields carry their name instead. */
  readonly name: string;
  readonly isCustom: boolean;
  /** Always required: the workflow can only make it read-only. */
  readonly required: boolean;
  /** A custom field none of the chosen roles may see: no rule can be set. */
  readonly hidden: boolean;
}

export interface FieldPermissionEditor extends WorkflowChoices {
  readonly fields: WorkflowField[];
  /** statusId → field → the rules of the chosen trackers × roles (one per combination having one). */
  readonly rules: ReadonlyMap<number, ReadonlyMap<string, readonly string[]>>;
}

function disabledEverywhere(bits: ReadonlyArray<{ fields_bits: number | null }>): Set<string> {
  return new Set(TRACKER_CORE_FIELDS.filter((_, i) => bits.length > 0 && bits.every((t) => ((t.fields_bits ?? 0) & (1 << i)) !== 0)));
}

/** The field-permission matrix: core fields not disabled on every chosen tracker, then their custom fields. */
export async function fieldPermissionEditor(ctx: WorkflowContext, selection: WorkflowSelection): Promise<FieldPermissionEditor> {
  assertAdministrator(ctx.actor);
  const choices = await choicesOf(ctx.db, selection);
  const { selectedRoles, selectedTrackers } = choices;
  if (!selectedRoles || !selectedTrackers) {
    return { ...choices, fields: [], rules: new Map() };
  }
  const trackerIds = selectedTrackers.map((t) => t.id);
  const roleIds = selectedRoles.map((r) => r.id);
  const [bits, customFields, rows] = await Promise.all([
    selectTrackerFieldBits(ctx.db, trackerIds),
    selectTrackerCustomFields(ctx.db, trackerIds),
    selectFieldRules(ctx.db, trackerIds, roleIds),
  ]);
  const disabled = disabledEverywhere(bits);
  const fields: WorkflowField[] = [
    ...WORKFLOW_CORE_FIELDS.filter((field) => !disabled.has(field)).map((field) => ({
      key: field,
      name: field,
      isCustom: false,
      required: ALWAYS_REQUIRED_FIELDS.has(field),
      hidden: false,
    })),
    ...customFields.map((field) => ({
      key: String(field.id),
      name: field.name,
      isCustom: true,
      required: field.is_required,
      hidden: !field.visible && !field.role_ids.some((id) => roleIds.includes(id)),
    })),
  ];
  const rules = new Map<number, Map<string, string[]>>();
  for (const row of rows) {
    const byField = rules.get(row.old_status_id) ?? new Map<string, string[]>();
    rules.set(row.old_status_id, byField);
    byField.set(row.field_name, [...(byField.get(row.field_name) ?? []), row.rule]);
  }
  return { ...choices, fields, rules };
}

/**
 * Saves the field permissions for every chosen tracker × role. A "required" rule on a field that is
 * always required is not stored (the form does not offer it). Returns false when no tracker or role
 * was chosen.
 */
export async function saveFieldPermissions(ctx: WorkflowContext, selection: WorkflowSelection, choices: readonly FieldRuleChoice[]): Promise<boolean> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const targets = await targetsOf(tx, selection);
    if (!targets) {
      return false;
    }
    const statusIds = new Set(await existingIds(tx, 'issue_statuses', [...new Set(choices.map((c) => c.statusId))]));
    const cells = choices.filter((c) => statusIds.has(c.statusId) && !(c.rule === 'required' && ALWAYS_REQUIRED_FIELDS.has(c.field)));
    await deleteFieldRules(tx, targets.trackerIds, targets.roleIds, cells);
    const inserts: FieldRuleRow[] = [];
    for (const cell of cells) {
      if (cell.rule === null) {
        continue;
      }
      for (const trackerId of targets.trackerIds) {
        for (const roleId of targets.roleIds) {
          inserts.push({ tracker_id: trackerId, role_id: roleId, old_status_id: cell.statusId, field_name: cell.field, rule: cell.rule });
        }
      }
    }
    await insertFieldRules(tx, inserts);
    return true;
  });
}

/** Where to copy from: a tracker and/or a role; absent means "same as the target". */
export interface WorkflowSource {
  readonly trackerId?: number | undefined;
  readonly roleId?: number | undefined;
}

/**
 * Redmine's WorkflowRule.copy, inside the caller's transaction: each target tracker × role gets the
 * rules of (source tracker or itself, source role or itself). No target trackers means every tracker,
 * no target roles every role that follows a workflow.
 */
export async function copyWorkflowRules(
  db: Queryable,
  source: WorkflowSource,
  targets: { trackerIds?: readonly number[]; roleIds?: readonly number[] },
): Promise<void> {
  const trackerIds = targets.trackerIds?.length ? targets.trackerIds : (await selectTrackers(db)).map((t) => t.id);
  const roleIds = targets.roleIds?.length ? targets.roleIds : (await selectWorkflowRoles(db)).filter(considersWorkflow).map((r) => r.id);
  for (const trackerId of trackerIds) {
    for (const roleId of roleIds) {
      const from = { trackerId: source.trackerId ?? trackerId, roleId: source.roleId ?? roleId };
      if (from.trackerId !== trackerId || from.roleId !== roleId) {
        await copyRules(db, from, { trackerId, roleId });
      }
    }
  }
}

export interface WorkflowCopyInput {
  /** A tracker id, `any` (same as the target), or nothing chosen. */
  readonly sourceTrackerId: number | 'any' | undefined;
  readonly sourceRoleId: number | 'any' | undefined;
  readonly targetTrackerIds: readonly number[];
  readonly targetRoleIds: readonly number[];
}

export type WorkflowCopyResult = 'copied' | 'missing_source' | 'missing_target';

/** The copy page's action: refuses a missing source (or "any" for both) or missing targets, writing nothing. */
export async function copyWorkflows(ctx: WorkflowContext, input: WorkflowCopyInput): Promise<WorkflowCopyResult> {
  assertAdministrator(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const sourceTracker = typeof input.sourceTrackerId === 'number' ? (await existingIds(tx, 'trackers', [input.sourceTrackerId]))[0] : undefined;
    const sourceRole = typeof input.sourceRoleId === 'number' ? (await existingIds(tx, 'roles', [input.sourceRoleId]))[0] : undefined;
    const named = (choice: number | 'any' | undefined, found: number | undefined) => choice === 'any' || found !== undefined;
    if (!named(input.sourceTrackerId, sourceTracker) || !named(input.sourceRoleId, sourceRole) || (sourceTracker === undefined && sourceRole === undefined)) {
      return 'missing_source';
    }
    const trackerIds = await existingIds(tx, 'trackers', input.targetTrackerIds);
    const roleIds = await existingIds(tx, 'roles', input.targetRoleIds);
    if (trackerIds.length === 0 || roleIds.length === 0) {
      return 'missing_target';
    }
    await copyWorkflowRules(tx, { trackerId: sourceTracker, roleId: sourceRole }, { trackerIds, roleIds });
    return 'copied';
  });
}

/** What the copy page offers: trackers and the roles that follow a workflow. */
export async function workflowCopyChoices(ctx: WorkflowContext): Promise<{ trackers: NamedRow[]; roles: WorkflowRoleRow[] }> {
  assertAdministrator(ctx.actor);
  const [trackers, roles] = await Promise.all([selectTrackers(ctx.db), selectWorkflowRoles(ctx.db)]);
  return { trackers, roles: roles.filter(considersWorkflow) };
}
