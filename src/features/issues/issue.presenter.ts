/** An issue as Redmine's API shows it (§6.1.2), list item and show alike. */
import { float, ref, time, type ApiObject } from '#src/api/resource.ts';
import type { IssueRow } from './issue.repository.ts';

const timestamp = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

export function presentIssue(i: IssueRow): ApiObject {
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
    created_on: time(timestamp(i.created_on)),
    updated_on: time(timestamp(i.updated_on)),
    closed_on: time(timestamp(i.closed_on)),
  };
}
