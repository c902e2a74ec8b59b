/**
 * Issue filters as SQL conditions over the list's `issues i JOIN projects p JOIN issue_statuses s`
 * (Redmine's Query#sql_for_field and IssueQuery#sql_for_*_field). Every value is a bound parameter;
 * only fixed column names are written into the SQL. Filters are validated (issue-filter.model.ts)
 * before they get here.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '#src/domain/authorization.ts';
import { allowedProjectsCondition } from '#src/features/access/index.ts';
import type { FilterSpec, IssueFilter } from './issue-filter.model.ts';
import {
  containsCondition,
  dateCondition,
  dbId,
  FALSE,
  idsOf,
  list,
  listCondition,
  numberCondition,
  rubyInt,
  scanIds,
  textCondition,
  TRUE,
} from './issue-filter.operators.ts';
import { parseHours } from '#src/domain/hours.ts';

export interface FilterSqlContext {
  readonly actor: Actor;
  /** YYYY-MM-DD the relative date operators count from. */
  readonly today: string;
}

// Journals

/** Journal.visible_notes_condition over `alias`, in the issue's project `p`. */
function visibleNotes(alias: string, actor: Actor): SQL {
  const j = sql.raw(alias);
  return sql`(${j}.private_notes = FALSE OR ${j}.user_id = ${actor.userId ?? -1} OR ${allowedProjectsCondition(actor, 'view_private_notes', 'p')})`;
}

/** `ev` (has ever been), `!ev` (never been), `cf` (changed from): the issue's history of the attribute. */
function historyCondition(attribute: string, operator: string, values: readonly number[], actor: Actor): SQL {
  if (values.length === 0) {
    return FALSE;
  }
  const column = sql.raw(`i.${attribute}`);
  const changed = sql`EXISTS (SELECT 1 FROM journals jh JOIN journal_details jd ON jd.journal_id = jh.id
    WHERE ${visibleNotes('jh', actor)} AND jh.journalized_type = 'Issue' AND jh.journalized_id = i.id
      AND jd.property = 'attr' AND jd.prop_key = ${attribute} AND jd.old_value IN ${list(values.map(String))})`;
  const condition = operator === 'cf' ? changed : sql`(${changed} OR ${column} IN ${list(values)})`;
  return operator === '!ev' ? sql`NOT ${condition}` : condition;
}

function journalsOf(condition: SQL, actor: Actor): SQL {
  return sql`EXISTS (SELECT 1 FROM journals j WHERE j.journalized_type = 'Issue' AND j.journalized_id = i.id AND ${condition} AND ${visibleNotes('j', actor)})`;
}

/** IssueQuery#sql_for_notes_field: some visible note matches; `!~`/`!*`: none does. */
function notesCondition(operator: string, values: readonly string[], actor: Actor): SQL {
  const positive = operator.startsWith('!') ? operator.slice(1) : operator;
  const found = journalsOf(textCondition(sql.raw('j.notes'), positive, values), actor);
  return operator.startsWith('!') ? sql`NOT ${found}` : found;
}

function lastUpdatedByCondition(operator: string, ids: readonly number[], actor: Actor): SQL {
  const found = sql`EXISTS (SELECT 1 FROM journals sj WHERE sj.journalized_type = 'Issue' AND sj.journalized_id = i.id
    AND ${listCondition(sql.raw('sj.user_id'), '=', ids)}
    AND sj.id = (SELECT max(j.id) FROM journals j WHERE j.journalized_type = 'Issue' AND j.journalized_id = i.id AND ${visibleNotes('j', actor)}))`;
  return operator === '!' ? sql`NOT ${found}` : found;
}

// Principals

/** `me` → the user (and, for assignee and watcher, the user's groups); anonymous → 0, matching nobody. */
function principalIds(values: readonly string[], actor: Actor, withGroups: boolean): number[] {
  const ids = idsOf(values.filter((v) => v !== 'me'));
  if (values.includes('me')) {
    ids.push(actor.userId ?? 0);
    if (withGroups && actor.userId !== undefined) {
      ids.push(...actor.groupIds);
    }
  }
  return ids;
}

const GROUP_TYPES = sql`('Group', 'GroupAnonymous', 'GroupNonMember')`;

/** The users of the groups, and the groups themselves (Redmine's member_of_group / author.group). */
function groupMembers(groups: SQL): SQL {
  return sql`(SELECT gu.user_id FROM groups_users gu WHERE gu.group_id IN ${groups} UNION SELECT g.id FROM users g WHERE g.id IN ${groups})`;
}

function groupsOf(ids: readonly number[] | 'givable'): SQL {
  return ids === 'givable'
    ? sql`(SELECT gg.id FROM users gg WHERE gg.type = 'Group')`
    : sql`(SELECT gg.id FROM users gg WHERE gg.type IN ${GROUP_TYPES} AND gg.id IN ${ids.length === 0 ? sql`(-1)` : list(ids)})`;
}

/** `principal` holds one of the roles (or any, for `roles` undefined) in the issue's project. */
function memberWithRole(principal: SQL, roles: readonly number[] | undefined): SQL {
  const roleCondition = roles === undefined ? TRUE : roles.length === 0 ? FALSE : sql`mr.role_id IN ${list(roles)}`;
  return sql`EXISTS (SELECT 1 FROM members m JOIN member_roles mr ON mr.member_id = m.id
    WHERE m.project_id = i.project_id AND m.user_id = ${principal} AND ${roleCondition})`;
}

function watcherCondition(operator: string, values: readonly string[], actor: Actor): SQL {
  const mine = new Set([0, actor.userId ?? 0, ...(actor.userId === undefined ? [] : actor.groupIds)]);
  const ids = principalIds(values, actor, true);
  const me = ids.filter((id) => mine.has(id));
  const others = ids.filter((id) => !mine.has(id));
  // Watchers other than oneself show only where the actor may view watchers.
  const watched =
    others.length > 0
      ? sql`(SELECT wi.id FROM issues wi JOIN watchers w ON w.watchable_id = wi.id AND w.watchable_type = 'Issue'
              JOIN projects wp ON wp.id = wi.project_id
             WHERE ${listCondition(sql.raw('w.user_id'), '=', me)}
                OR (${allowedProjectsCondition(actor, 'view_issue_watchers', 'wp')} AND ${listCondition(sql.raw('w.user_id'), '=', others)}))`
      : sql`(SELECT w.watchable_id FROM watchers w WHERE w.watchable_type = 'Issue' AND ${listCondition(sql.raw('w.user_id'), '=', me)})`;
  return operator === '=' ? sql`i.id IN ${watched}` : sql`i.id NOT IN ${watched}`;
}

// Relations

/** Reverse types are stored as their forward counterpart with the issues swapped. */
const STORED_AS: Readonly<Record<string, string>> = { duplicated: 'duplicates', blocked: 'blocks', follows: 'precedes', copied_from: 'copied_to' };

/** IssueQuery#sql_for_relations: issues with (or without) relations of the type to the given issues / projects / open issues. */
function relationCondition(field: string, operator: string, values: readonly string[], reverse = false): SQL {
  const swapped = STORED_AS[field] !== undefined || reverse;
  const type = STORED_AS[field] ?? field;
  const [join, target] = swapped ? ['issue_to_id', 'issue_from_id'] : ['issue_from_id', 'issue_to_id'];
  const other = sql.raw(`ir.${target}`);
  const related = (extra: SQL) => sql`(SELECT ir.${sql.raw(join)} FROM issue_relations ir WHERE ir.relation_type = ${type} AND ${extra})`;
  let condition: SQL;
  switch (operator) {
    case '*':
    case '!*':
      condition = sql`i.id ${sql.raw(operator === '*' ? 'IN' : 'NOT IN')} ${related(TRUE)}`;
      break;
    case '=':
    case '!': {
      const ids = scanIds(values[0]);
      condition = ids.length === 0 ? FALSE : sql`i.id ${sql.raw(operator === '=' ? 'IN' : 'NOT IN')} ${related(sql`${other} IN ${list(ids)}`)}`;
      break;
    }
    case '=p':
    case '=!p':
    case '!p': {
      const inProject = sql`EXISTS (SELECT 1 FROM issues ri WHERE ri.id = ${other} AND ri.project_id ${sql.raw(operator === '=!p' ? '<>' : '=')} ${dbId(rubyInt(values[0]))})`;
      condition = sql`i.id ${sql.raw(operator === '!p' ? 'NOT IN' : 'IN')} ${related(inProject)}`;
      break;
    }
    case '*o':
    case '!o': {
      const open = sql`EXISTS (SELECT 1 FROM issues ri JOIN issue_statuses rs ON rs.id = ri.status_id WHERE ri.id = ${other} AND rs.is_closed = FALSE)`;
      condition = sql`i.id ${sql.raw(operator === '!o' ? 'NOT IN' : 'IN')} ${related(open)}`;
      break;
    }
    default:
      condition = FALSE;
  }
  // `relates` is symmetric: the issue may be on either side.
  if (field === 'relates' && !reverse) {
    const joiner = ['!', '!*', '!p', '!o'].includes(operator) ? sql` AND ` : sql` OR `;
    condition = sql`${condition}${joiner}${relationCondition(field, operator, values, true)}`;
  }
  return sql`(${condition})`;
}

// Tree

function parentCondition(operator: string, values: readonly string[]): SQL {
  const ids = scanIds(values[0]);
  switch (operator) {
    case '=':
      return ids.length === 0 ? FALSE : sql`i.parent_id IN ${list(ids)}`;
    case '~':
      return ids.length === 0
        ? FALSE
        : sql`EXISTS (SELECT 1 FROM issues anc WHERE anc.id IN ${list(ids)} AND i.root_id = anc.root_id AND i.lft > anc.lft AND i.rgt < anc.rgt)`;
    case '!*':
      return sql`i.parent_id IS NULL`;
    default:
      return sql`i.parent_id IS NOT NULL`;
  }
}

function childCondition(operator: string, values: readonly string[]): SQL {
  switch (operator) {
    case '=': {
      const ids = scanIds(values[0]);
      return ids.length === 0 ? FALSE : sql`i.id IN (SELECT ch.parent_id FROM issues ch WHERE ch.id IN ${list(ids)})`;
    }
    case '~':
      return sql`EXISTS (SELECT 1 FROM issues d WHERE d.id = ${dbId(rubyInt(values[0]))} AND i.root_id = d.root_id AND i.lft < d.lft AND i.rgt > d.rgt)`;
    case '!*':
      return sql`(i.rgt IS NULL OR i.rgt - i.lft = 1)`;
    default:
      return sql`i.rgt - i.lft > 1`;
  }
}

// Versions

function versionsWhere(condition: SQL): SQL {
  return sql`i.fixed_version_id IN (SELECT fv.id FROM versions fv WHERE ${condition})`;
}

// Attachments

function attachmentsOf(condition: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM attachments a WHERE a.container_type = 'Issue' AND a.container_id = i.id AND ${condition})`;
}

function attachmentCondition(operator: string, values: readonly string[]): SQL {
  switch (operator) {
    case '*':
      return attachmentsOf(TRUE);
    case '!*':
      return sql`NOT ${attachmentsOf(TRUE)}`;
    case '!~':
      return sql`NOT ${attachmentsOf(containsCondition(sql.raw('a.filename'), '~', values[0] ?? ''))}`;
    default:
      return attachmentsOf(containsCondition(sql.raw('a.filename'), operator, values[0] ?? ''));
  }
}

function attachmentDescriptionCondition(operator: string, values: readonly string[]): SQL {
  const described = sql`(a.description IS NOT NULL AND a.description <> '')`;
  switch (operator) {
    case '*':
      return attachmentsOf(described);
    case '!*':
      return attachmentsOf(sql`NOT ${described}`);
    case '~':
      return attachmentsOf(containsCondition(sql.raw('a.description'), operator, values[0] ?? ''));
    default:
      return attachmentsOf(sql`${described} AND ${containsCondition(sql.raw('a.description'), operator, values[0] ?? '')}`);
  }
}

const HISTORY_OPERATORS: ReadonlySet<string> = new Set(['ev', '!ev', 'cf']);

/** A list field on an issue column, with its history operators. */
function issueListCondition(attribute: string, operator: string, ids: readonly number[], actor: Actor): SQL {
  return HISTORY_OPERATORS.has(operator) ? historyCondition(attribute, operator, ids, actor) : listCondition(sql.raw(`i.${attribute}`), operator, ids);
}

const ISSUE_DATES: Readonly<Record<string, string>> = {
  created_on: 'i.created_on',
  updated_on: 'i.updated_on',
  closed_on: 'i.closed_on',
  start_date: 'i.start_date',
  due_date: 'i.due_date',
};

/**
 * One filter as a condition on the issue list, or undefined for `subproject_id`, which is part of
 * the project condition (issueProjectCondition).
 */
export function issueFilterCondition(filter: IssueFilter, spec: FilterSpec, ctx: FilterSqlContext): SQL | undefined {
  const { field, operator, values } = filter;
  const { actor } = ctx;
  switch (field) {
    case 'status_id':
      if (operator === 'o' || operator === 'c') {
        return operator === 'o' ? sql`s.is_closed = FALSE` : sql`s.is_closed = TRUE`;
      }
      return issueListCondition(field, operator, idsOf(values), actor);
    case 'project_id': {
      const ids = idsOf(values.filter((v) => v !== 'mine' && v !== 'bookmarks'));
      if (values.includes('mine')) {
        ids.push(...actor.memberRoles.keys());
      }
      return listCondition(sql.raw('i.project_id'), operator, ids);
    }
    case 'tracker_id':
    case 'priority_id':
    case 'fixed_version_id':
    case 'category_id':
      return issueListCondition(field, operator, idsOf(values), actor);
    case 'author_id':
      return listCondition(sql.raw('i.author_id'), operator, principalIds(values, actor, false));
    case 'assigned_to_id':
      return issueListCondition(field, operator, principalIds(values, actor, true), actor);
    case 'author.group': {
      const members = groupMembers(groupsOf(idsOf(values)));
      return operator === '!' ? sql`(i.author_id IS NULL OR i.author_id NOT IN ${members})` : sql`i.author_id IN ${members}`;
    }
    case 'author.role':
      return operator === '!' ? sql`(i.author_id IS NULL OR NOT ${memberWithRole(sql.raw('i.author_id'), idsOf(values))})` : memberWithRole(sql.raw('i.author_id'), idsOf(values));
    case 'member_of_group': {
      const members = groupMembers(groupsOf(operator === '*' || operator === '!*' ? 'givable' : idsOf(values)));
      return operator === '=' || operator === '*'
        ? sql`i.assigned_to_id IN ${members}`
        : sql`(i.assigned_to_id IS NULL OR i.assigned_to_id NOT IN ${members})`;
    }
    case 'assigned_to_role': {
      const roles = operator === '*' || operator === '!*' ? undefined : idsOf(values);
      const held = memberWithRole(sql.raw('i.assigned_to_id'), roles);
      return operator === '!' || operator === '!*' ? sql`(i.assigned_to_id IS NULL OR NOT ${held})` : held;
    }
    case 'fixed_version.due_date': {
      const inVersions = versionsWhere(dateCondition(sql.raw('fv.effective_date'), operator, values, ctx.today));
      return operator === '!*' ? sql`(i.fixed_version_id IS NULL OR ${inVersions})` : inVersions;
    }
    case 'fixed_version.status': {
      const inVersions = versionsWhere(listCondition(sql.raw('fv.status'), operator, values));
      return operator === '!' ? sql`(i.fixed_version_id IS NULL OR ${inVersions})` : inVersions;
    }
    case 'subject':
    case 'description':
      return textCondition(sql.raw(`i.${field}`), operator, values);
    case 'notes':
      return notesCondition(operator, values, actor);
    case 'updated_on':
      if (operator === '!*' || operator === '*') {
        return operator === '*' ? sql`i.updated_on > i.created_on` : sql`i.updated_on = i.created_on`;
      }
      return dateCondition(sql.raw('i.updated_on'), operator, values, ctx.today);
    case 'created_on':
    case 'closed_on':
    case 'start_date':
    case 'due_date':
      return dateCondition(sql.raw(ISSUE_DATES[field] ?? ''), operator, values, ctx.today);
    case 'estimated_hours':
      return numberCondition(sql.raw('i.estimated_hours'), spec.type, operator, values.map((v) => String(parseHours(v) ?? 0)));
    case 'done_ratio':
      return numberCondition(sql.raw('i.done_ratio'), spec.type, operator, values);
    case 'issue_id':
      if (operator === '=') {
        const ids = scanIds(values[0]);
        return ids.length === 0 ? FALSE : sql`i.id IN ${list(ids)}`;
      }
      return numberCondition(sql.raw('i.id'), spec.type, operator, values);
    case 'is_private': {
      const flags = [...new Set(values.map((v) => v !== '0'))];
      return operator === '=' ? sql`i.is_private IN ${list(flags)}` : sql`i.is_private NOT IN ${list(flags)}`;
    }
    case 'attachment':
      return attachmentCondition(operator, values);
    case 'attachment_description':
      return attachmentDescriptionCondition(operator, values);
    case 'watcher_id':
      return watcherCondition(operator, values, actor);
    case 'updated_by': {
      const found = journalsOf(listCondition(sql.raw('j.user_id'), '=', principalIds(values, actor, false)), actor);
      return operator === '!' ? sql`NOT ${found}` : found;
    }
    case 'last_updated_by':
      return lastUpdatedByCondition(operator, principalIds(values, actor, false), actor);
    case 'subproject_id':
      return undefined;
    case 'project.status':
      return listCondition(sql.raw('p.status'), operator, idsOf(values));
    case 'parent_id':
      return parentCondition(operator, values);
    case 'child_id':
      return childCondition(operator, values);
    default:
      return spec.type === 'relation' ? relationCondition(field, operator, values) : FALSE;
  }
}

/** The project an issue list is of, with its subprojects' facts. */
export interface ProjectScopeFacts {
  readonly id: number;
  readonly lft: number | null;
  readonly rgt: number | null;
  /** Descendants that are not archived. */
  readonly descendantIds: readonly number[];
}

/**
 * Redmine's Query#project_statement: the project alone, or with its subprojects (the setting, or the
 * `subproject_id` filter: `=` these, `!` all but these, `!*` none, `*` all).
 */
export function issueProjectCondition(project: ProjectScopeFacts, subprojects: IssueFilter | undefined, displaySubprojects: boolean): SQL {
  const subtree = sql`(p.lft >= ${project.lft ?? 0} AND p.rgt <= ${project.rgt ?? 0})`;
  if (project.descendantIds.length === 0) {
    return sql`p.id = ${project.id}`;
  }
  if (!subprojects) {
    return displaySubprojects ? subtree : sql`p.id = ${project.id}`;
  }
  const chosen = subprojects.values.map((v) => dbId(rubyInt(v)));
  switch (subprojects.operator) {
    case '=':
      return sql`p.id IN ${list([project.id, ...chosen])}`;
    case '!':
      return sql`p.id IN ${list([project.id, ...project.descendantIds.filter((id) => !chosen.includes(id))])}`;
    case '!*':
      return sql`p.id = ${project.id}`;
    default:
      return subtree;
  }
}
