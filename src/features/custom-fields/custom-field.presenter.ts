/**
 * Custom fields and custom values → API resource trees: the `custom_fields` section every customizable
 * resource carries (§1.5) and the items of `GET /custom_fields` (§6.18). Whitelists, never rows.
 */
import { list, node, ref, type ApiObject, type ListValue } from '#src/api/resource.ts';
import type { CustomFieldAssociations, CustomFieldDef, VersionChoice } from './custom-field.repository.ts';

/**
 * §1.5: `custom_fields: [{id, name, value}]`, with `multiple: true` and an array of the non-blank values
 * for multiple fields. A single value never stored is null. Only the fields given (the caller passes
 * those visible to the viewer, and omits the key when there are none: Redmine never emits an empty list).
 */
export function presentCustomValues(fields: readonly CustomFieldDef[], values: ReadonlyMap<number, readonly string[]> | undefined): ListValue {
  return list(
    'custom_field',
    fields.map((field) => {
      const stored = values?.get(field.id);
      return field.multiple
        ? node({ id: field.id, name: field.name, multiple: true }, { value: list('value', (stored ?? []).filter((value) => value.trim() !== '')) })
        : node({ id: field.id, name: field.name }, { value: stored?.[0] ?? null });
    }),
  );
}

/** `customized_type` of the API: the customized class, underscored (IssueCustomField → issue). */
export function customizedTypeOf(type: string): string | undefined {
  const match = /^([A-Z][A-Za-z]*)CustomField$/.exec(type);
  return match?.[1]?.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
}

/** The static options a field offers with no record at hand (Redmine's possible_values_options). */
function possibleValuesOf(field: CustomFieldDef, systemVersions: readonly VersionChoice[]): Array<{ value: string; label: string }> {
  switch (field.fieldFormat) {
    case 'list':
      return field.possibleValues.map((value) => ({ value, label: value }));
    case 'bool':
      return [{ value: '1', label: 'Yes' }, { value: '0', label: 'No' }];
    case 'enumeration':
      return field.enumerations.filter((e) => e.active).map((e) => ({ value: String(e.id), label: e.name }));
    case 'version': {
      const statuses = Array.isArray(field.formatStore.version_status)
        ? field.formatStore.version_status.map((s) => String(s)).filter((s) => s.trim() !== '')
        : [];
      return systemVersions.filter((v) => statuses.length === 0 || statuses.includes(v.status)).map((v) => ({ value: String(v.id), label: v.name }));
    }
    default:
      return [];
  }
}

/** The classes whose fields list the roles that may see them (Redmine 7.0; 6.0 listed issue fields' only). */
const ROLE_RESTRICTED_TYPES = new Set(['IssueCustomField', 'TimeEntryCustomField', 'ProjectCustomField', 'VersionCustomField']);

/**
 * One item of `GET /custom_fields`, in the key order of Redmine 7.0's custom_fields/index.api.rsb:
 * 6.0's keys plus `is_for_all`, `default_value_mode` (date fields) and the projects of issue fields.
 */
export function presentCustomField(field: CustomFieldDef, associations: Readonly<CustomFieldAssociations>, systemVersions: readonly VersionChoice[]): ApiObject {
  const possibleValues = possibleValuesOf(field, systemVersions);
  const isIssueField = field.type === 'IssueCustomField';
  const mode = field.formatStore.default_value_mode;
  return {
    id: field.id,
    name: field.name,
    description: field.description,
    customized_type: customizedTypeOf(field.type),
    field_format: field.fieldFormat,
    regexp: field.regexp,
    min_length: field.minLength,
    max_length: field.maxLength,
    is_required: field.isRequired,
    is_for_all: field.isForAll,
    is_filter: field.isFilter,
    searchable: field.searchable,
    multiple: field.multiple,
    default_value: field.defaultValue,
    default_value_mode: field.fieldFormat === 'date' ? (typeof mode === 'string' && mode !== '' ? mode : 'fixed_date') : undefined,
    visible: field.visible,
    editable: field.editable,
    possible_values: possibleValues.length > 0 ? list('possible_value', possibleValues) : undefined,
    projects: isIssueField ? list('project', associations.projects.map((p) => ref({ id: p.id, name: p.name }))) : undefined,
    trackers: isIssueField ? list('tracker', associations.trackers.map((t) => ref({ id: t.id, name: t.name }))) : undefined,
    roles: ROLE_RESTRICTED_TYPES.has(field.type) ? list('role', associations.roles.map((r) => ref({ id: r.id, name: r.name }))) : undefined,
  };
}
