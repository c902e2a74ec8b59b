/**
 * The standard fields of the issue form after planning the input: which are shown, read-only (the
 * workflow's rule in this status, or computed from subtasks) or hidden (disabled on the tracker, or not
 * the user's to set), which are required, and what each select offers — Redmine's assignable users,
 * its open shared versions, the project's categories, the statuses the workflow allows.
 */
import { allowedTo } from '#src/domain/authorization.ts';
import { renderTexts } from '#src/features/formatting/index.ts';
import { projectCategoryRefs } from '#src/features/issue-categories/index.ts';
import { assignableVersionIds } from '#src/features/versions/index.ts';
import { formatUserName } from '#src/views/format.ts';
import type { IssueRecord, TrackerRow } from './issue.records.ts';
import { disabledFields, type IssueContext, type plan, type situationOf } from './issue.plan.ts';
import { selectAssignablePrincipals, selectMemberUsers, selectPriorityNames, selectPrincipals, selectVersionNames, type PrincipalRow, type ProjectChoice } from './issue-form.repository.ts';
import type { Choice, CoreField, CoreFieldName, FieldState } from './issue-form.types.ts';

type Situation = Awaited<ReturnType<typeof situationOf>>;
type Planned = Awaited<ReturnType<typeof plan>>;

export interface CoreFieldsQuestion {
  readonly situation: Situation;
  readonly planned: Planned;
  readonly record: IssueRecord | undefined;
  readonly attributesEditable: boolean;
  readonly offeredTrackers: readonly TrackerRow[];
  /** The project select's choices; undefined when the form has none (a new issue of the path's project). */
  readonly projects: readonly ProjectChoice[] | undefined;
  /** Estimated time as typed (`1h30`), shown again rather than the number it means. */
  readonly estimatedText: string | undefined;
}

/** Fields every issue must have (Redmine marks them required whatever the workflow says). */
const ALWAYS_REQUIRED = new Set<CoreFieldName>(['project_id', 'tracker_id', 'subject', 'status_id', 'priority_id']);

const DONE_RATIOS: Choice[] = Array.from({ length: 11 }, (_, i) => ({ value: String(i * 10), label: `${i * 10} %` }));

const text = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));

function principalName(p: PrincipalRow, userFormat: string): string {
  return p.type === 'Group' ? p.lastname : formatUserName(p, userFormat);
}

/** Users by name, then groups by name, as Redmine's principals_options_for_select. */
function principalChoices(rows: readonly PrincipalRow[], userFormat: string): Choice[] {
  const named = rows.map((p) => ({ type: p.type, value: String(p.id), label: principalName(p, userFormat) }));
  const byName = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label);
  return [...named.filter((p) => p.type === 'User').sort(byName), ...named.filter((p) => p.type === 'Group').sort(byName)].map(({ value, label }) => ({ value, label }));
}

/** The users a new issue's watchers are chosen among (the project's active members), and those checked. */
export async function watcherChoices(ctx: IssueContext, projectId: number, checked: readonly number[] | undefined): Promise<{ choices: Choice[]; checked: string[] }> {
  return { choices: principalChoices(await selectMemberUsers(ctx.db, projectId), ctx.settings.user_format), checked: (checked ?? []).map(String) };
}

function labelOf(choices: readonly Choice[], value: string): string {
  return choices.find((c) => c.value === value)?.label ?? '';
}

export async function coreFields(ctx: IssueContext, q: CoreFieldsQuestion): Promise<Record<CoreFieldName, CoreField>> {
  const { situation, planned, record, attributesEditable } = q;
  const { draft, rules, derived } = planned;
  const { actor, db, settings } = ctx;
  const access = situation.access;
  const disabled = disabledFields(situation.tracker);
  const isAuthor = actor.userId !== undefined && draft.author_id === actor.userId;

  const [priorities, principals, categories, versionIds] = await Promise.all([
    selectPriorityNames(db, draft.priority_id),
    selectAssignablePrincipals(db, draft.project_id, settings.issue_group_assignment === '1', [draft.author_id, ...(record?.assigned_to_id ? [record.assigned_to_id] : [])]),
    projectCategoryRefs(db, draft.project_id),
    assignableVersionIds(
      db,
      draft.project_id,
      record ? { versionId: record.fixed_version_id, movingProject: record.project_id !== draft.project_id } : undefined,
    ),
  ]);
  const versions = await selectVersionNames(db, [...versionIds]);
  const assignees = principalChoices(principals, settings.user_format);
  if (draft.assigned_to_id !== null && !assignees.some((c) => c.value === String(draft.assigned_to_id))) {
    // An assignee the project no longer offers is still shown as it is.
    assignees.push(...principalChoices(await selectPrincipals(db, [draft.assigned_to_id]), settings.user_format));
  }

  const field = (name: CoreFieldName, attributes: { value: string; text?: string; choices?: readonly Choice[]; settable?: boolean; shown?: boolean; derived?: boolean }): CoreField => {
    const rule = rules.get(name);
    const choices = attributes.choices ?? [];
    let state: FieldState = 'editable';
    if (attributes.shown === false || disabled.has(name)) {
      state = 'hidden';
    } else if (!attributesEditable || attributes.settable === false || rule === 'readonly' || attributes.derived === true) {
      state = 'readonly';
    }
    return {
      state,
      required: ALWAYS_REQUIRED.has(name) || rule === 'required',
      value: attributes.value,
      text: attributes.text ?? (choices.length > 0 ? labelOf(choices, attributes.value) : attributes.value),
      choices,
    };
  };

  const projectChoices: Choice[] = (q.projects ?? []).map((p) => ({ value: String(p.id), label: `${'» '.repeat(p.depth)}${p.name}` }));
  if (q.projects && !projectChoices.some((c) => c.value === String(draft.project_id))) {
    projectChoices.unshift({ value: String(draft.project_id), label: situation.project.name });
  }
  const isPrivateSettable = allowedTo(actor, 'set_issues_private', access) || ((record === undefined || isAuthor) && allowedTo(actor, 'set_own_issues_private', access));
  const versionChoices = versions.map((v) => ({ value: String(v.id), label: v.projectId === draft.project_id ? v.name : `${v.projectName} - ${v.name}` }));
  const readonlyDescription = attributesEditable && rules.get('description') === 'readonly' && draft.description ? (await renderTexts({ db, actor, settings, projectId: draft.project_id }, [draft.description]))[0] : undefined;

  return {
    project_id: field('project_id', { value: String(draft.project_id), text: situation.project.name, choices: projectChoices, shown: q.projects !== undefined }),
    tracker_id: field('tracker_id', {
      value: String(draft.tracker_id),
      choices: q.offeredTrackers.map((t) => ({ value: String(t.id), label: t.name })),
      text: situation.tracker?.name ?? '',
    }),
    is_private: field('is_private', { value: draft.is_private ? '1' : '0', shown: isPrivateSettable }),
    subject: field('subject', { value: draft.subject }),
    description: { ...field('description', { value: draft.description ?? '' }), html: readonlyDescription },
    status_id: field('status_id', {
      value: String(draft.status_id),
      choices: planned.allowedStatuses.map((s) => ({ value: String(s.id), label: s.name })),
      text: situation.statuses.find((s) => s.id === draft.status_id)?.name ?? '',
      settable: planned.allowedStatuses.length > 0,
    }),
    priority_id: field('priority_id', {
      value: String(draft.priority_id),
      choices: priorities.map((p) => ({ value: String(p.id), label: p.name })),
      derived: derived.has('priority_id'),
    }),
    assigned_to_id: field('assigned_to_id', { value: text(draft.assigned_to_id), choices: assignees }),
    category_id: field('category_id', {
      value: text(draft.category_id),
      choices: categories.map((c) => ({ value: String(c.id), label: c.name })),
      shown: categories.length > 0,
    }),
    fixed_version_id: field('fixed_version_id', { value: text(draft.fixed_version_id), choices: versionChoices, shown: versionChoices.length > 0 }),
    parent_issue_id: field('parent_issue_id', {
      value: text(draft.parent_id),
      shown: allowedTo(actor, 'manage_subtasks', access),
    }),
    start_date: field('start_date', { value: text(draft.start_date), derived: derived.has('start_date') }),
    due_date: field('due_date', { value: text(draft.due_date), derived: derived.has('due_date') }),
    estimated_hours: field('estimated_hours', { value: q.estimatedText ?? text(draft.estimated_hours) }),
    done_ratio: field('done_ratio', {
      value: String(draft.done_ratio),
      choices: DONE_RATIOS,
      derived: derived.has('done_ratio'),
      shown: settings.issue_done_ratio !== 'issue_status',
    }),
  };
}
