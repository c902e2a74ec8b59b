/** An issue category as Redmine's API shows it (§6.16); `assigned_to` only when there is one. */
import { ref, type ApiObject } from '#src/api/resource.ts';
import type { CategoryRow } from './issue-category.repository.ts';

export function presentCategory(c: CategoryRow): ApiObject {
  return {
    id: c.id,
    project: ref({ id: c.project_id, name: c.project_name }),
    name: c.name,
    assigned_to: c.assigned_to_id !== null && c.assigned_to_name !== null ? ref({ id: c.assigned_to_id, name: c.assigned_to_name }) : undefined,
  };
}
