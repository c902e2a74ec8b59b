/** The `issue_category` hash and the deletion choice of a request (REST body or page form), read the Rails way. */
import { paramInt, paramObject, paramString, type ParamValue, type Params } from '#src/api/params.ts';
import type { CategoryDeletion, CategoryInput } from './issue-category.service.ts';

/** Rails' integer cast: blank → nil; otherwise the leading digits (`to_i`), 0 when there are none. */
function idOrNull(value: ParamValue): number | null {
  const text = paramString(value)?.trim() ?? '';
  if (text === '') {
    return null;
  }
  const n = paramInt(value) ?? Number.parseInt(text, 10);
  return Number.isSafeInteger(n) ? n : 0;
}

/** The `issue_category` hash of the request (nothing when absent). */
export function categoryInputOf(params: Params): CategoryInput {
  const category = paramObject(params.issue_category);
  const input: CategoryInput = {};
  if (category && 'name' in category) {
    input.name = paramString(category.name) ?? null;
  }
  if (category && 'assigned_to_id' in category) {
    input.assignedToId = category.assigned_to_id === undefined ? null : idOrNull(category.assigned_to_id);
  }
  return input;
}

/** `reassign_to_id`, honoured when `todo` is absent or `reassign` (Redmine's destroy). */
export function deletionOf(params: Params): CategoryDeletion {
  const todo = paramString(params.todo) ?? '';
  const target = paramInt(params.reassign_to_id);
  return target !== undefined && (todo === '' || todo === 'reassign') ? { reassignToId: target } : {};
}
