/**
 * Custom fields (Redmine's CustomField, CustomValue and field formats). Other features call these to
 * find the fields that apply to a record, read values from a request body, validate and store them
 * (with journal-ready changes), present them (§1.5) and filter issue lists by them (`cf_N`). The REST
 * route `GET /custom_fields` is `customFieldsApi` in custom-fields.api.ts.
 *
 * A typical issue write: `issueCustomFieldsFor` → keep those `customFieldVisibleTo` the user (and
 * editable per workflow) → `customFieldInputOf(issueParams)` → `allowedRecordIdsFor` →
 * `validateCustomValues` → `saveCustomValues` (in the issue's transaction) → journal details.
 *
 * Projects, users, groups, versions and time entries go through custom-value.service.ts instead:
 * `customValueSheet` + `presentedCustomFields` to show a page of records, `planCustomValues` (before the transaction) and
 * `storeCustomValues` (inside it) to write, `deleteCustomValues` when a record goes.
 */
export type { CustomFieldDef } from './custom-field.repository.ts';
export type { FilterType } from './custom-field.format.ts';
export {
  allowedRecordIdsFor,
  customValueId,
  customValueOwner,
  customValuesOf,
  fileValueIdsOf,
  issueCustomFieldsFor,
  issueCustomFieldsForMany,
  issueListCustomFields,
  saveCustomValues,
  visibleIssueFieldIds,
  visibleIssueFields,
} from './custom-field.service.ts';
export {
  customFieldInputOf,
  customFieldVisibleTo,
  customValueChanges,
  humanFieldName,
  validateCustomValues,
  type CustomFieldInput,
  type CustomValueChange,
  type CustomValueContext,
} from './custom-value.rules.ts';
export { presentCustomValues } from './custom-field.presenter.ts';
export {
  customFieldsOfKind,
  customValueSheet,
  deleteCustomValues,
  planCustomValues,
  presentedCustomFields,
  storeCustomValues,
  type CustomizedKind,
  type CustomValueSheet,
  type CustomValuesPlan,
  type CustomValuesRequest,
} from './custom-value.service.ts';
export { customFieldFilters, type CustomFieldFilterOptions } from './custom-field.filter.ts';
export { formatOf } from './custom-field.format.ts';
