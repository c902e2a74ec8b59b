/** A saved query as the API shows it (app/views/queries/index.api.rsb). */
import type { ApiObject } from '#src/api/resource.ts';
import { QUERY_VISIBILITY } from './query.policy.ts';
import type { QueryListRow } from './query.repository.ts';

/** `is_public` is Redmine's `!is_private?`: role-restricted queries count as public. */
export function presentQuery(q: QueryListRow): ApiObject {
  return { id: q.id, name: q.name, is_public: q.visibility !== QUERY_VISIBILITY.private, project_id: q.project_id };
}
