/** An issue as Redmine's API shows it (§6.1.2), list item and show alike. */
import { float, list, node, ref, isoTime, type ApiObject, type ApiValue } from '#src/api/resource.ts';
import type { IssueRow } from './issue.repository.ts';


/** What a caller adds to an issue: its visible custom values, and the includes asked for. */
export interface IssueExtras {
  readonly custom_fields?: ApiValue | undefined;
  /** Only for viewers who may view time entries in the issue's project. */
  readonly spent_hours?: ApiValue | undefined;
  readonly total_spent_hours?: ApiValue | undefined;
  readonly children?: ApiValue | undefined;
  readonly attachments?: ApiValue | undefined;
  readonly relations?: ApiValue | undefined;
  readonly changesets?: ApiValue | undefined;
  readonly journals?: ApiValue | undefined;
  readonly watchers?: ApiValue | undefined;
  readonly allowed_statuses?: ApiValue | undefined;
}

export function presentIssue(i: IssueRow, extras: IssueExtras = {}): ApiObject {
  return {
    id: i.id,
    project: ref({ id: i.project_id, name: i.project_name }),
    tracker: ref({ id: i.tracker_id, name: i.tracker_name }),
    status: ref({ id: i.status_id, name: i.status_name, is_closed: i.status_is_closed }),
    priority: ref({ id: i.priority_id, name: i.priority_name }),
    author: ref({ id: i.author_id, name: i.author_name ?? '' }),
    assigned_to: i.assigned_to_id !== null ? ref({ id: i.assigned_to_id, name: i.assigned_to_name ?? '' }) : undefined,
    category: i.category_id !== null ? ref({ id: i.category_id, name: i.category_name ?? '' }) : undefined,
    fixed_version: i.fixed_version_id !== null ? ref({ id: i.fixed_version_id, name: i.fixed_version_name ?? '' }) : undefined,
    parent: i.parent_id !== null ? ref({ id: i.parent_id }) : undefined,
    subject: i.subject,
    description: i.description,
    start_date: i.start_date,
    due_date: i.due_date,
    done_ratio: i.done_ratio,
    is_private: i.is_private,
    estimated_hours: float(i.estimated_hours),
    total_estimated_hours: float(i.total_estimated_hours),
    spent_hours: extras.spent_hours,
    total_spent_hours: extras.total_spent_hours,
    custom_fields: extras.custom_fields,
    created_on: isoTime(i.created_on),
    updated_on: isoTime(i.updated_on),
    closed_on: isoTime(i.closed_on),
    children: extras.children,
    attachments: extras.attachments,
    relations: extras.relations,
    changesets: extras.changesets,
    journals: extras.journals,
    watchers: extras.watchers,
    allowed_statuses: extras.allowed_statuses,
  };
}

export interface ChildRow {
  id: number;
  parent_id: number;
  tracker_id: number;
  tracker_name: string;
  subject: string;
}

/** The `children` include: the subtask tree under `parentId`, nested `children` only where there are some. */
export function presentChildren(rows: readonly ChildRow[], parentId: number): ApiValue | undefined {
  const below = rows.filter((r) => r.parent_id === parentId);
  if (below.length === 0) {
    return undefined;
  }
  return list(
    'issue',
    below.map((child) =>
      node({ id: child.id }, { tracker: ref({ id: child.tracker_id, name: child.tracker_name }), subject: child.subject, children: presentChildren(rows, child.id) }),
    ),
  );
}

export function presentStatuses(statuses: readonly { id: number; name: string; is_closed: boolean }[]): ApiValue {
  return list('issue_status', statuses.map((s) => ref({ id: s.id, name: s.name, is_closed: s.is_closed })));
}
