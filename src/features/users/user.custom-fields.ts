/**
 * Custom values of users and groups (UserCustomField, GroupCustomField; stored as Principal). Redmine
 * shows a principal's fields by their `visible` flag alone — to everyone, administrators included
 * (acts_as_customizable's visible_custom_field_values) — and lets administrators set every field; a
 * user changing their own account may set only the `editable` ones (the contract drops the others;
 * Redmine's API does not, see the report of this change).
 */
import type { Params } from '#src/api/params.ts';
import type { ListValue } from '#src/api/resource.ts';
import type { Queryable } from '#src/db/database.ts';
import { customValueSheet, planCustomValues, presentedCustomFields, type CustomValuesPlan } from '#src/features/custom-fields/index.ts';

/** The `custom_fields` section of each principal (visible fields only), by id; undefined when none. */
export async function principalCustomFields(db: Queryable, kind: 'User' | 'Group', ids: readonly number[]): Promise<Map<number, ListValue | undefined>> {
  const sheet = await customValueSheet(db, kind, ids);
  return new Map(ids.map((id) => [id, presentedCustomFields(sheet, id, (field) => field.visible)]));
}

/**
 * The custom values of a user or group body, validated. `who` says who edits: an administrator sets
 * every field, a user on their own account only the editable ones.
 */
export function planPrincipalCustomValues(
  db: Queryable,
  kind: 'User' | 'Group',
  body: Params | undefined,
  recordId: number | undefined,
  who: 'admin' | 'self',
): Promise<CustomValuesPlan> {
  return planCustomValues(db, kind, { body: body ?? {}, recordId, editable: (field) => who === 'admin' || field.editable });
}
