/** The `project` hash of a create/update request (REST body or page form), read the Rails way. */
import { paramBool, paramInt, paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import type { ProjectInput } from './project.service.ts';

/** An id attribute: absent → undefined, blank → null (clear), not an id → -1 (refused by validation). */
function optionalId(p: Params, key: string): number | null | undefined {
  if (!Object.hasOwn(p, key)) {
    return undefined;
  }
  const value = p[key];
  return value === null || value === '' ? null : (paramInt(value) ?? -1);
}

/** The `project` object of a create/update body, read the Rails way. */
export function projectInputOf(params: Params): ProjectInput {
  const p = paramObject(params.project) ?? {};
  const has = (key: string) => Object.hasOwn(p, key);
  const parent = p.parent_id;
  return {
    name: has('name') ? (paramString(p.name) ?? '') : undefined,
    identifier: has('identifier') ? (paramString(p.identifier) ?? '') : undefined,
    description: has('description') ? (paramString(p.description) ?? null) : undefined,
    homepage: has('homepage') ? (paramString(p.homepage) ?? '') : undefined,
    isPublic: has('is_public') ? paramBool(p.is_public) : undefined,
    parentId: !has('parent_id') ? undefined : parent === null || parent === '' ? null : (paramInt(parent) ?? -1),
    inheritMembers: has('inherit_members') ? paramBool(p.inherit_members) : undefined,
    trackerIds: has('tracker_ids') ? paramList(p.tracker_ids).filter(Boolean).map(Number).filter(Number.isInteger) : undefined,
    enabledModuleNames: has('enabled_module_names') ? paramList(p.enabled_module_names).filter(Boolean) : undefined,
    issueCustomFieldIds: has('issue_custom_field_ids') ? paramList(p.issue_custom_field_ids).filter(Boolean).map(Number).filter(Number.isInteger) : undefined,
    defaultVersionId: optionalId(p, 'default_version_id'),
    defaultAssignedToId: optionalId(p, 'default_assigned_to_id'),
    customValues: p,
  };
}
