/**
 * Sorting issues by a custom field (`sort=cf_5:desc`; Redmine's CustomField#order_statement and
 * visibility_by_project_condition), shared by the list pages and `GET /issues.json`. The SQL is built
 * from an allow-list: the field's integer id and a fixed expression per format — never from request
 * text. Each value is the last non-blank value of the field, and only where the actor sees the
 * field (else NULL, as an issue without a value). Numbers sort as numbers, dates as dates, lists and
 * text by their value, enumerations by their position, users by name and versions by date and name.
 * A field with several values does not sort, as in Redmine.
 */
import type { Actor } from '#src/domain/authorization.ts';
import type { CustomFieldDef } from '#src/features/custom-fields/index.ts';

/** A value a cast to numeric accepts (what the int and float formats store). */
export const NUMBER_PATTERN = "'^\\s*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)\\s*$'";
const DATE_PATTERN = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'";
const ID_PATTERN = "'^[0-9]{1,9}$'";

/**
 * For a field visible only to some roles, the condition on `i` under which the actor sees its values
 * (the projects where the actor holds one of them); undefined when the field shows everywhere. Raw SQL
 * of integers only.
 */
export function customFieldShownIn(actor: Actor, field: CustomFieldDef): string | undefined {
  if (field.visible || actor.isAdmin) {
    return undefined;
  }
  const projects = [...actor.memberRoles].filter(([, roles]) => roles.some((r) => field.roleIds.includes(r.id))).map(([id]) => Number(id));
  return projects.length === 0 ? 'FALSE' : `i.project_id IN (${projects.filter((n) => Number.isSafeInteger(n)).join(', ')})`;
}

/**
 * The ORDER BY expressions of a custom field's column (without direction), or undefined when the field
 * does not sort. `shownIn` is customFieldShownIn's condition.
 */
export function customFieldOrder(field: CustomFieldDef, shownIn: string | undefined): string[] | undefined {
  const id = Number(field.id);
  if (field.multiple || !Number.isSafeInteger(id)) {
    return undefined;
  }
  // The last non-blank value of the field, read through `expression` over `cv.value`.
  const lastValue = (expression: string) =>
    `(CASE WHEN ${shownIn ?? 'TRUE'} THEN (SELECT ${expression} FROM custom_values cv WHERE cv.customized_type = 'Issue' AND cv.customized_id = i.id` +
    ` AND cv.custom_field_id = ${id} AND cv.value <> '' ORDER BY cv.id DESC LIMIT 1) END)`;
  const asId = `CASE WHEN cv.value ~ ${ID_PATTERN} THEN CAST(cv.value AS integer) END`;
  switch (field.fieldFormat) {
    case 'int':
    case 'float':
      return [lastValue(`CASE WHEN cv.value ~ ${NUMBER_PATTERN} THEN CAST(cv.value AS numeric) END`)];
    case 'date':
      // YYYY-MM-DD compares as text in date order; a value of another shape sorts as none.
      return [lastValue(`CASE WHEN cv.value ~ ${DATE_PATTERN} THEN cv.value COLLATE "C" END`)];
    case 'enumeration':
      return [lastValue(`(SELECT cfe.position FROM custom_field_enumerations cfe WHERE cfe.custom_field_id = ${id} AND cfe.id = ${asId})`)];
    case 'user':
      return ['firstname', 'lastname', 'id'].map((column) => lastValue(`(SELECT cfu.${column} FROM users cfu WHERE cfu.id = ${asId})`));
    case 'version':
      return [
        lastValue(`(SELECT CASE WHEN cfv.effective_date IS NULL THEN 1 ELSE 0 END FROM versions cfv WHERE cfv.id = ${asId})`),
        ...['effective_date', 'name', 'id'].map((column) => lastValue(`(SELECT cfv.${column} FROM versions cfv WHERE cfv.id = ${asId})`)),
      ];
    case 'string':
    case 'text':
    case 'link':
    case 'list':
    case 'bool':
      // Redmine's COALESCE(value, ''): no value sorts as a blank one.
      return [`COALESCE(${lastValue('cv.value')}, '')`];
    default:
      return undefined;
  }
}

/** The `cf_N` sort keys of the fields and their ORDER BY expressions, for issueOrder. */
export function customFieldSortKeys(actor: Actor, fields: readonly CustomFieldDef[]): Record<string, readonly string[]> {
  const keys: Record<string, readonly string[]> = {};
  for (const field of fields) {
    const order = customFieldOrder(field, customFieldShownIn(actor, field));
    if (order) {
      keys[`cf_${Number(field.id)}`] = order;
    }
  }
  return keys;
}
