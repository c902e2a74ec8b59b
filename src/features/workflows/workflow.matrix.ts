/**
 * The workflow editor's matrices as data, pure: which transition rows a saved form adds, changes or
 * removes (Redmine's WorkflowTransition.replace_transitions), what each cell of the transition and
 * field-permission tables shows for several trackers × roles at once, and the field rules a form
 * asks for.
 */
import type { Params } from '#src/api/params.ts';
import { paramObject, paramString } from '#src/api/params.ts';
import type { TransitionRow } from './workflow.repository.ts';

/** The three tables of the editor: every user, the author, its assignee. */
export const TRANSITION_RULES = ['always', 'author', 'assignee'] as const;
export type TransitionRule = (typeof TRANSITION_RULES)[number];

/** One asked-for cell: allow (true) or forbid (false) moving from `oldStatusId` (0 = new issue) to `newStatusId`. */
export interface TransitionChoice {
  readonly oldStatusId: number;
  readonly newStatusId: number;
  readonly rule: TransitionRule;
  readonly allowed: boolean;
}

const ID = /^\d{1,9}$/;

/** `transitions[old][new][rule] = '0' | '1' | 'no_change'` → the choices that change something. */
export function transitionChoicesOf(params: Params): TransitionChoice[] {
  const choices: TransitionChoice[] = [];
  const byOld = paramObject(params.transitions) ?? {};
  for (const [oldKey, byNewValue] of Object.entries(byOld)) {
    const byNew = paramObject(byNewValue);
    if (!ID.test(oldKey) || !byNew) {
      continue;
    }
    for (const [newKey, byRuleValue] of Object.entries(byNew)) {
      const byRule = paramObject(byRuleValue);
      if (!ID.test(newKey) || !byRule) {
        continue;
      }
      for (const rule of TRANSITION_RULES) {
        const value = paramString(byRule[rule]);
        if (value === '1' || value === '0') {
          choices.push({ oldStatusId: Number(oldKey), newStatusId: Number(newKey), rule, allowed: value === '1' });
        }
      }
    }
  }
  return choices;
}

export interface TransitionChanges {
  readonly deleteIds: number[];
  readonly inserts: Array<Omit<TransitionRow, 'id'>>;
  readonly updates: Array<{ id: number; author: boolean; assignee: boolean }>;
}

/**
 * The writes that make every tracker × role follow the choices. The general table owns the rows with
 * neither flag; the author and assignee tables share one row per cell carrying either flag or both.
 */
export function planTransitionChanges(
  existing: readonly TransitionRow[],
  choices: readonly TransitionChoice[],
  trackerIds: readonly number[],
  roleIds: readonly number[],
): TransitionChanges {
  // Stored rows (with an id) and rows to insert (id 0) in one working set.
  const rows: TransitionRow[] = existing.map((row) => ({ ...row }));
  const deleted = new Set<TransitionRow>();
  const changed = new Set<TransitionRow>();
  for (const choice of choices) {
    if (choice.newStatusId === choice.oldStatusId) {
      continue;
    }
    const general = choice.rule === 'always';
    for (const trackerId of trackerIds) {
      for (const roleId of roleIds) {
        const mine = rows.filter(
          (r) =>
            !deleted.has(r) &&
            r.tracker_id === trackerId &&
            r.role_id === roleId &&
            r.old_status_id === choice.oldStatusId &&
            r.new_status_id === choice.newStatusId &&
            (general ? !r.author && !r.assignee : r.author || r.assignee),
        );
        // Redmine keeps one row per cell and table; duplicates go.
        mine.slice(1).forEach((extra) => deleted.add(extra));
        const row = mine[0];
        if (choice.allowed) {
          if (!row) {
            const author = choice.rule === 'author';
            const assignee = choice.rule === 'assignee';
            rows.push({ id: 0, tracker_id: trackerId, role_id: roleId, old_status_id: choice.oldStatusId, new_status_id: choice.newStatusId, author, assignee });
          } else if (choice.rule !== 'always' && !row[choice.rule]) {
            row[choice.rule] = true;
            changed.add(row);
          }
        } else if (row) {
          const other = choice.rule === 'author' ? 'assignee' : 'author';
          if (choice.rule !== 'always' && row[other]) {
            row[choice.rule] = false;
            changed.add(row);
          } else {
            deleted.add(row);
          }
        }
      }
    }
  }
  const live = rows.filter((r) => !deleted.has(r));
  return {
    deleteIds: [...deleted].filter((r) => r.id !== 0).map((r) => r.id),
    inserts: live.filter((r) => r.id === 0).map(({ id: _id, ...row }) => row),
    updates: live.filter((r) => r.id !== 0 && changed.has(r)).map((r) => ({ id: r.id, author: r.author, assignee: r.assignee })),
  };
}

/** What a cell of a transition table shows: checked, unchecked, or "no change" when the combinations differ. */
export type CellState = 'on' | 'off' | 'mixed';

/**
 * Cell states of one table for the chosen trackers × roles: a cell is on when every combination has
 * the transition, off when none has, mixed otherwise.
 */
export function transitionCells(rows: readonly TransitionRow[], rule: TransitionRule, combinations: number): Map<string, CellState> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const belongs = rule === 'always' ? !row.author && !row.assignee : row[rule];
    if (belongs) {
      const key = `${row.old_status_id}:${row.new_status_id}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return new Map([...counts].map(([key, count]) => [key, count >= combinations ? 'on' : 'mixed']));
}

export type FieldRule = 'readonly' | 'required';

/** One asked-for field-permission cell: the rule (or none) of a field in a status. */
export interface FieldRuleChoice {
  readonly statusId: number;
  readonly field: string;
  readonly rule: FieldRule | null;
}

/** Redmine's Tracker::CORE_FIELDS_ALL: the issue attributes a field permission may name. */
export const WORKFLOW_CORE_FIELDS = [
  'project_id',
  'tracker_id',
  'subject',
  'is_private',
  'assigned_to_id',
  'category_id',
  'fixed_version_id',
  'parent_issue_id',
  'start_date',
  'due_date',
  'estimated_hours',
  'done_ratio',
  'description',
  'priority_id',
] as const;

/** Attributes that are always required, so a workflow can only make them read-only. */
export const ALWAYS_REQUIRED_FIELDS: ReadonlySet<string> = new Set(['project_id', 'tracker_id', 'subject', 'priority_id', 'is_private']);

/** `permissions[status][field] = '' | 'readonly' | 'required' | 'no_change'` → the cells that change. */
export function fieldRuleChoicesOf(params: Params): FieldRuleChoice[] {
  const choices: FieldRuleChoice[] = [];
  const byStatus = paramObject(params.permissions) ?? {};
  for (const [statusKey, byFieldValue] of Object.entries(byStatus)) {
    const byField = paramObject(byFieldValue);
    if (!ID.test(statusKey) || !byField) {
      continue;
    }
    for (const [field, ruleValue] of Object.entries(byField)) {
      const value = paramString(ruleValue);
      const known = (WORKFLOW_CORE_FIELDS as readonly string[]).includes(field) || ID.test(field);
      if (!known || value === undefined || value === 'no_change') {
        continue;
      }
      if (value === '' || value === 'readonly' || value === 'required') {
        choices.push({ statusId: Number(statusKey), field, rule: value === '' ? null : value });
      }
    }
  }
  return choices;
}

/**
 * What a field-permission cell shows for the chosen trackers × roles: the rule they all share, none,
 * or "no change" when they differ (or only some have one).
 */
export function fieldRuleCell(rules: readonly string[] | undefined, combinations: number): FieldRule | '' | 'no_change' {
  if (!rules || rules.length === 0) {
    return '';
  }
  const distinct = new Set(rules);
  if (distinct.size > 1 || rules.length < combinations) {
    return 'no_change';
  }
  const only = rules[0];
  return only === 'readonly' || only === 'required' ? only : 'no_change';
}
