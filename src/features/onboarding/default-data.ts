/**
 * Redmine's default configuration data (what `rake redmine:load_default_data` creates, see
 * Redmine's lib/redmine/default_data/loader.rb): roles with their permissions, trackers, issue
 * statuses, the default workflow, issue priorities, time-entry activities and document categories.
 *
 * Not created here, although Redmine's loader does: the default issue/project/time-entry queries
 * and the default_projects_tracker_ids setting (their tables belong to other features).
 */
import { eq } from 'drizzle-orm';
import type { Orm } from '#src/db/database.ts';
import {
  enumerations,
  issueStatuses,
  roles,
  ROLE_BUILTIN_ANONYMOUS,
  ROLE_BUILTIN_NON_MEMBER,
  trackers,
  workflows,
} from '#src/db/schema/tracker-reference.ts';
import type { EnumerationType } from '#src/db/schema/tracker-reference.ts';
import { BUILTIN_ROLE_NAMES, DEFAULT_DATA_NAMES } from './default-data.names.ts';
import type { DefaultDataNames } from './default-data.names.ts';
import {
  ANONYMOUS_PERMISSIONS,
  DEVELOPER_PERMISSIONS,
  MANAGER_PERMISSIONS,
  NON_MEMBER_PERMISSIONS,
  REPORTER_PERMISSIONS,
} from './default-permissions.ts';
import type { RedminePermission } from './default-permissions.ts';

export type DefaultDataLanguage = 'en' | 'ja';

/**
 * Loads Redmine's default data with names in `lang`. Run it inside a transaction: it writes
 * several tables and must leave none half-filled. Throws if configuration data already exists
 * (Redmine's `no_data?`: a givable role, a tracker, an issue status or an enumeration); the
 * builtin roles may exist already and only get their default permissions.
 */
export async function loadDefaultData(orm: Orm, lang: DefaultDataLanguage): Promise<void> {
  if (await hasConfigurationData(orm)) {
    throw new Error('default data already loaded');
  }
  const names = DEFAULT_DATA_NAMES[lang];

  // Builtin roles first, so that a fresh tenant numbers them 1 and 2 as a Redmine database does.
  await setBuiltinRolePermissions(orm, ROLE_BUILTIN_NON_MEMBER, BUILTIN_ROLE_NAMES.nonMember, NON_MEMBER_PERMISSIONS);
  await setBuiltinRolePermissions(orm, ROLE_BUILTIN_ANONYMOUS, BUILTIN_ROLE_NAMES.anonymous, ANONYMOUS_PERMISSIONS);
  const roleIds = await insertGivableRoles(orm, names);
  const statusIds = await insertIssueStatuses(orm, names);
  const trackerIds = await insertTrackers(orm, names, statusIds.new);
  await orm.insert(workflows).values(buildDefaultWorkflowTransitions(trackerIds, roleIds, statusIds));
  await insertEnumerations(orm, names);
}

async function hasConfigurationData(orm: Orm): Promise<boolean> {
  const probes = [
    orm.select({ id: roles.id }).from(roles).where(eq(roles.builtin, 0)).limit(1),
    orm.select({ id: trackers.id }).from(trackers).limit(1),
    orm.select({ id: issueStatuses.id }).from(issueStatuses).limit(1),
    orm.select({ id: enumerations.id }).from(enumerations).limit(1),
  ];
  for (const probe of probes) {
    if ((await probe).length > 0) {
      return true;
    }
  }
  return false;
}

/** Finds or creates a builtin role (Redmine's Role.non_member / Role.anonymous), sets its permissions. */
async function setBuiltinRolePermissions(
  orm: Orm,
  builtin: number,
  name: string,
  permissions: readonly RedminePermission[],
): Promise<void> {
  const updated = await orm
    .update(roles)
    .set({ permissions: [...permissions] })
    .where(eq(roles.builtin, builtin))
    .returning({ id: roles.id });
  if (updated.length === 0) {
    // acts_as_positioned numbers roles within their builtin value: a lone builtin role is 1.
    await orm.insert(roles).values({ name, builtin, position: 1, permissions: [...permissions] });
  }
}

interface GivableRoleIds {
  manager: number;
  developer: number;
  reporter: number;
}

async function insertGivableRoles(orm: Orm, names: DefaultDataNames): Promise<GivableRoleIds> {
  const rows = await orm
    .insert(roles)
    .values([
      {
        name: names.roles.manager,
        position: 1,
        issuesVisibility: 'all',
        usersVisibility: 'all',
        permissions: [...MANAGER_PERMISSIONS],
      },
      // Developer and Reporter keep the column defaults for visibility, as in Redmine.
      { name: names.roles.developer, position: 2, permissions: [...DEVELOPER_PERMISSIONS] },
      { name: names.roles.reporter, position: 3, permissions: [...REPORTER_PERMISSIONS] },
    ])
    .returning({ id: roles.id, position: roles.position });
  const idAt = idsByPosition(rows);
  return { manager: idAt(1), developer: idAt(2), reporter: idAt(3) };
}

interface DefaultStatusIds {
  new: number;
  inProgress: number;
  resolved: number;
  feedback: number;
  closed: number;
  rejected: number;
}

async function insertIssueStatuses(orm: Orm, names: DefaultDataNames): Promise<DefaultStatusIds> {
  const n = names.issueStatuses;
  const rows = await orm
    .insert(issueStatuses)
    .values([
      { name: n.new, isClosed: false, position: 1 },
      { name: n.inProgress, isClosed: false, position: 2 },
      { name: n.resolved, isClosed: false, position: 3 },
      { name: n.feedback, isClosed: false, position: 4 },
      { name: n.closed, isClosed: true, position: 5 },
      { name: n.rejected, isClosed: true, position: 6 },
    ])
    .returning({ id: issueStatuses.id, position: issueStatuses.position });
  const idAt = idsByPosition(rows);
  return {
    new: idAt(1),
    inProgress: idAt(2),
    resolved: idAt(3),
    feedback: idAt(4),
    closed: idAt(5),
    rejected: idAt(6),
  };
}

/** Bug, Feature, Support; fields_bits keeps its default 0 (every core field enabled). */
async function insertTrackers(orm: Orm, names: DefaultDataNames, defaultStatusId: number): Promise<number[]> {
  const t = names.trackers;
  const rows = await orm
    .insert(trackers)
    .values([
      { name: t.bug, defaultStatusId, isInRoadmap: false, position: 1 },
      { name: t.feature, defaultStatusId, isInRoadmap: true, position: 2 },
      { name: t.support, defaultStatusId, isInRoadmap: false, position: 3 },
    ])
    .returning({ id: trackers.id, position: trackers.position });
  const idAt = idsByPosition(rows);
  return [idAt(1), idAt(2), idAt(3)];
}

type WorkflowTransitionRow = typeof workflows.$inferInsert;

/**
 * The default workflow, for every tracker: Manager may move between any two distinct statuses;
 * Developer from New/In Progress/Resolved/Feedback to In Progress/Resolved/Feedback/Closed;
 * Reporter from New/In Progress/Resolved/Feedback to Closed, and from Resolved to Feedback.
 * Rows come in Redmine's creation order (all Manager rows, then Developer, then Reporter).
 */
function buildDefaultWorkflowTransitions(
  trackerIds: readonly number[],
  roleIds: GivableRoleIds,
  s: DefaultStatusIds,
): WorkflowTransitionRow[] {
  const all = [s.new, s.inProgress, s.resolved, s.feedback, s.closed, s.rejected];
  const open = [s.new, s.inProgress, s.resolved, s.feedback];
  const rows: WorkflowTransitionRow[] = [];
  const allow = (roleId: number, from: readonly number[], to: readonly number[]): void => {
    for (const trackerId of trackerIds) {
      for (const oldStatusId of from) {
        for (const newStatusId of to) {
          if (oldStatusId !== newStatusId) {
            rows.push({ type: 'WorkflowTransition', trackerId, roleId, oldStatusId, newStatusId });
          }
        }
      }
    }
  };
  allow(roleIds.manager, all, all);
  allow(roleIds.developer, open, [s.inProgress, s.resolved, s.feedback, s.closed]);
  for (const trackerId of trackerIds) {
    for (const oldStatusId of open) {
      rows.push({ type: 'WorkflowTransition', trackerId, roleId: roleIds.reporter, oldStatusId, newStatusId: s.closed });
    }
    rows.push({
      type: 'WorkflowTransition',
      trackerId,
      roleId: roleIds.reporter,
      oldStatusId: s.resolved,
      newStatusId: s.feedback,
    });
  }
  return rows;
}

/**
 * Issue priorities (Normal is the default), document categories and time-entry activities.
 * position_name is what Redmine's IssuePriority.compute_position_names gives five active
 * priorities whose default is the second: below the default 'lowest', the default 'default',
 * above it 'high<n>' counting down to 'highest' for the last.
 */
async function insertEnumerations(orm: Orm, names: DefaultDataNames): Promise<void> {
  const priorityPositionNames = ['lowest', 'default', 'high3', 'high2', 'highest'] as const;
  const ofType = (type: EnumerationType, list: readonly string[]) =>
    list.map((name, index) => ({ type, name, position: index + 1 }));
  await orm.insert(enumerations).values([
    ...ofType('IssuePriority', names.issuePriorities).map((row, index) => ({
      ...row,
      isDefault: index === 1,
      positionName: priorityPositionNames[index],
    })),
    ...ofType('DocumentCategory', names.documentCategories),
    ...ofType('TimeEntryActivity', names.timeEntryActivities),
  ]);
}

function idsByPosition(rows: ReadonlyArray<{ id: number; position: number | null }>): (position: number) => number {
  return (position) => {
    const row = rows.find((r) => r.position === position);
    if (!row) {
      throw new Error(`default data: no row at position ${position}`);
    }
    return row.id;
  };
}
