/**
 * Subtasks: the nested set of each issue tree (root_id, lft, rgt, as Redmine keeps them) and the
 * attributes a parent derives from its children (dates, priority, done ratio — Redmine's
 * recalculate_attributes_for), per the tenant's parent_issue_* settings.
 */
import type { Queryable } from '#src/db/database.ts';
import { SETTINGS, type Settings } from '#src/features/settings/index.ts';

/** The settings that decide what a parent derives from its subtasks. */
export type TreeSettings = Pick<Settings, 'parent_issue_dates' | 'parent_issue_priority' | 'parent_issue_done_ratio' | 'issue_done_ratio'>;

const TREE_SETTING_NAMES = ['parent_issue_dates', 'parent_issue_priority', 'parent_issue_done_ratio', 'issue_done_ratio'] as const;

/** The tree settings read straight from a tenant database (for callers without the request's settings). */
export async function loadTreeSettings(db: Queryable): Promise<TreeSettings> {
  const rows = await db.query<{ name: string; value: string | null }>('SELECT name, value FROM settings WHERE name = ANY($1::text[])', [TREE_SETTING_NAMES]);
  const value = (name: (typeof TREE_SETTING_NAMES)[number]) => rows.find((r) => r.name === name)?.value ?? SETTINGS[name].default;
  return {
    parent_issue_dates: value('parent_issue_dates'),
    parent_issue_priority: value('parent_issue_priority'),
    parent_issue_done_ratio: value('parent_issue_done_ratio'),
    issue_done_ratio: value('issue_done_ratio'),
  };
}

/**
 * Recomputes root_id/lft/rgt of every issue in the trees rooted at `rootIds` from parent_id (children
 * ordered by id, as Redmine inserts them). Trees are small; one read and one write per call.
 */
export async function rebuildIssueTrees(db: Queryable, rootIds: readonly number[]): Promise<void> {
  const roots = [...new Set(rootIds)];
  if (roots.length === 0) {
    return;
  }
  // Every issue reachable from the roots through parent_id, whatever root_id it holds now.
  const rows = await db.query<{ id: number; parent_id: number | null }>(
    `WITH RECURSIVE tree AS (
       SELECT id, parent_id FROM issues WHERE id = ANY($1::int[])
       UNION SELECT i.id, i.parent_id FROM issues i JOIN tree t ON i.parent_id = t.id
     ) SELECT id, parent_id FROM tree ORDER BY id`,
    [roots],
  );
  const children = new Map<number, number[]>();
  for (const row of rows) {
    if (row.parent_id !== null) {
      children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row.id]);
    }
  }
  const placed: [number, number, number, number][] = [];
  for (const root of roots) {
    let counter = 0;
    const visit = (id: number) => {
      const lft = ++counter;
      for (const child of children.get(id) ?? []) {
        visit(child);
      }
      placed.push([id, root, lft, ++counter]);
    };
    if (rows.some((r) => r.id === root)) {
      visit(root);
    }
  }
  if (placed.length === 0) {
    return;
  }
  const values = placed.flat();
  const tuples = placed.map((_, i) => `($${i * 4 + 1}::int, $${i * 4 + 2}::int, $${i * 4 + 3}::int, $${i * 4 + 4}::int)`);
  await db.query(
    `UPDATE issues SET root_id = v.root_id, lft = v.lft, rgt = v.rgt
       FROM (VALUES ${tuples.join(', ')}) AS v(id, root_id, lft, rgt) WHERE issues.id = v.id`,
    values,
  );
}

/** The issue and its ancestors' ids, nearest first. */
export async function ancestorIds(db: Queryable, issueId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, 0 AS depth FROM issues WHERE id = $1
       UNION SELECT i.id, i.parent_id, up.depth + 1 FROM issues i JOIN up ON i.id = up.parent_id
     ) SELECT id FROM up ORDER BY depth`,
    [issueId],
  );
  return rows.map((r) => r.id);
}

/** Ids of the issue's descendants (not itself). */
export async function descendantIds(db: Queryable, issueId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `WITH RECURSIVE down AS (
       SELECT id FROM issues WHERE parent_id = $1
       UNION SELECT i.id FROM issues i JOIN down ON i.parent_id = down.id
     ) SELECT id FROM down`,
    [issueId],
  );
  return rows.map((r) => r.id);
}

interface Derived {
  start_date: string | null;
  due_date: string | null;
  priority_position: number | null;
  child_count: number;
  average_estimate: number | null;
  status_done_ratio: number | null;
  /** The parent's own current values. */
  own_start_date: string | null;
  own_due_date: string | null;
  own_priority_id: number;
  own_done_ratio: number;
}

/**
 * Re-derives the attributes of `issueId` and of each ancestor from their children, bottom up
 * (a parent without children keeps its own values). Derived changes are not journalized, as in Redmine.
 */
export async function recalculateAncestors(db: Queryable, issueId: number, settings: TreeSettings, now: Date): Promise<void> {
  for (const id of await ancestorIds(db, issueId)) {
    await recalculate(db, id, settings, now);
  }
}

/**
 * Re-derives several issues of one tree, each once: deepest first (a descendant's lft is greater
 * than its ancestor's), so each derives from children already derived; then the ancestors of the
 * topmost, through recalculateAncestors.
 */
export async function recalculateIssues(db: Queryable, issueIds: readonly number[], settings: TreeSettings, now: Date): Promise<void> {
  const rows = await db.query<{ id: number }>('SELECT id FROM issues WHERE id = ANY($1::int[]) ORDER BY lft DESC', [issueIds]);
  const top = rows.pop();
  for (const { id } of rows) {
    await recalculate(db, id, settings, now);
  }
  if (top) {
    await recalculateAncestors(db, top.id, settings, now);
  }
}

async function recalculate(db: Queryable, id: number, settings: TreeSettings, now: Date): Promise<void> {
  const [row] = await db.query<Derived>(
    `SELECT min(c.start_date)::text AS start_date, max(c.due_date)::text AS due_date,
            max(CASE WHEN NOT s.is_closed THEN e.position END) AS priority_position,
            count(*)::int AS child_count,
            avg(CASE WHEN c.estimated_hours > 0 THEN c.estimated_hours END) AS average_estimate,
            min(ps.default_done_ratio) AS status_done_ratio, min(pi.start_date)::text AS own_start_date,
            min(pi.due_date)::text AS own_due_date, min(pi.priority_id) AS own_priority_id, min(pi.done_ratio) AS own_done_ratio
       FROM issues c JOIN issue_statuses s ON s.id = c.status_id JOIN enumerations e ON e.id = c.priority_id
       JOIN issues pi ON pi.id = c.parent_id JOIN issue_statuses ps ON ps.id = pi.status_id
      WHERE c.parent_id = $1`,
    [id],
  );
  if (!row || row.child_count === 0) {
    return;
  }
  const sets: string[] = [];
  const values: unknown[] = [id];
  const set = (column: string, value: unknown, current: unknown) => {
    if (value === current) {
      return;
    }
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (settings.parent_issue_dates === 'derived') {
    let [start, due] = [row.start_date, row.due_date];
    if (start !== null && due !== null && due < start) {
      [start, due] = [due, start];
    }
    set('start_date', start, row.own_start_date);
    set('due_date', due, row.own_due_date);
  }
  if (settings.parent_issue_priority === 'derived') {
    // The highest priority among open children, else the default priority.
    const [priority] = await db.query<{ id: number }>(
      row.priority_position !== null
        ? "SELECT id FROM enumerations WHERE type = 'IssuePriority' AND project_id IS NULL AND position = $1 ORDER BY id LIMIT 1"
        : "SELECT id FROM enumerations WHERE type = 'IssuePriority' AND project_id IS NULL AND is_default ORDER BY id LIMIT 1",
      row.priority_position !== null ? [row.priority_position] : [],
    );
    if (priority) {
      set('priority_id', priority.id, row.own_priority_id);
    }
  }
  const statusDecides = settings.issue_done_ratio === 'issue_status' && row.status_done_ratio !== null;
  if (settings.parent_issue_done_ratio === 'derived' && !statusDecides) {
    // Children weighted by their estimate; those without one weigh the average estimate (or 1).
    const average = row.average_estimate === null || row.average_estimate === 0 ? 1 : Number(row.average_estimate);
    const [done] = await db.query<{ done: number }>(
      `SELECT coalesce(sum(coalesce(CASE WHEN c.estimated_hours > 0 THEN c.estimated_hours END, $2)
                * CASE WHEN s.is_closed THEN 100 ELSE coalesce(c.done_ratio, 0) END), 0) AS done
         FROM issues c JOIN issue_statuses s ON s.id = c.status_id WHERE c.parent_id = $1`,
      [id, average],
    );
    set('done_ratio', Math.floor(Number(done?.done ?? 0) / (average * row.child_count)), row.own_done_ratio);
  }
  if (sets.length === 0) {
    return;
  }
  values.push(now.toISOString());
  await db.query(`UPDATE issues SET ${sets.join(', ')}, updated_on = $${values.length} WHERE id = $1`, values);
}
