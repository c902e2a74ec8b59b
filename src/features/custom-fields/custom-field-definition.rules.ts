/**
 * What a custom field definition may hold, by class and format (Redmine's CustomField subclasses and
 * field formats): which formats a class offers, which options each format has, and the validation
 * of a definition with Redmine's messages. Pure.
 */
import type { CustomFieldType } from '#src/db/schema/custom-fields.ts';
import { formatOf, rubyRegexp } from './custom-field.format.ts';

/** The classes in the order of Redmine's tabs. */
export const CUSTOM_FIELD_TYPES = [
  'IssueCustomField',
  'TimeEntryCustomField',
  'ProjectCustomField',
  'VersionCustomField',
  'DocumentCustomField',
  'UserCustomField',
  'GroupCustomField',
  'TimeEntryActivityCustomField',
  'IssuePriorityCustomField',
  'DocumentCategoryCustomField',
] as const satisfies readonly CustomFieldType[];

export function isCustomFieldType(value: string): value is (typeof CUSTOM_FIELD_TYPES)[number] {
  return (CUSTOM_FIELD_TYPES as readonly string[]).includes(value);
}

/** The formats the form offers, in Redmine's order. */
export const FIELD_FORMATS = ['string', 'text', 'link', 'int', 'float', 'date', 'list', 'enumeration', 'bool', 'user', 'version', 'attachment'] as const;
export type FieldFormatName = (typeof FIELD_FORMATS)[number];

/** User and version fields only make sense where a project is at hand. */
const RECORD_FORMAT_TYPES: ReadonlySet<string> = new Set(['IssueCustomField', 'TimeEntryCustomField', 'VersionCustomField', 'DocumentCustomField', 'ProjectCustomField']);

/**
 * Redmine offers files on every class; Kanri uploads them through the issue form only, so a file
 * field is an issue field here.
 */
const ATTACHMENT_FORMAT_TYPES: ReadonlySet<string> = new Set(['IssueCustomField']);

export function formatsFor(type: CustomFieldType): FieldFormatName[] {
  return FIELD_FORMATS.filter(
    (format) =>
      ((format !== 'user' && format !== 'version') || RECORD_FORMAT_TYPES.has(type)) && (format !== 'attachment' || ATTACHMENT_FORMAT_TYPES.has(type)),
  );
}

/** Which parts of the form a class has. */
export function typeCapabilities(type: CustomFieldType) {
  return {
    /** Visible to all, or only to some roles. */
    rolesVisibility: ['IssueCustomField', 'TimeEntryCustomField', 'ProjectCustomField', 'VersionCustomField'].includes(type),
    /** A plain "visible" checkbox (user fields). */
    visibleFlag: type === 'UserCustomField',
    editable: type === 'UserCustomField',
    filter: ['IssueCustomField', 'UserCustomField', 'ProjectCustomField', 'VersionCustomField', 'GroupCustomField', 'TimeEntryCustomField'].includes(type),
    searchable: type === 'IssueCustomField' || type === 'ProjectCustomField',
    /** Trackers, projects and "for all projects". */
    trackersAndProjects: type === 'IssueCustomField',
  };
}

/** Which options each format has on the form. */
export function formatCapabilities(format: string) {
  const text = ['string', 'text', 'int', 'float', 'link'].includes(format);
  return {
    lengthAndRegexp: text,
    defaultValue: !['user', 'version', 'attachment'].includes(format),
    possibleValues: format === 'list',
    /** Key/value lists keep their values in custom_field_enumerations, edited on a page of their own. */
    enumerations: format === 'enumeration',
    /** File fields: the extensions a file may have. */
    extensionsAllowed: format === 'attachment',
    multiple: formatOf(format).multipleSupported,
    urlPattern: ['string', 'int', 'float', 'date', 'list', 'enumeration', 'bool', 'link'].includes(format),
    textFormatting: format === 'string' || format === 'text',
    editTagStyle: ['list', 'enumeration', 'bool', 'user', 'version'].includes(format),
    /** Radio buttons are offered for boolean fields only (lists use them when single). */
    radioStyle: format === 'bool',
    thousandsDelimiter: format === 'int' || format === 'float',
    userRole: format === 'user',
    versionStatus: format === 'version',
    filterable: formatOf(format).filterType !== undefined,
    searchable: formatOf(format).searchableSupported,
  };
}

export const VERSION_STATUSES = ['open', 'locked', 'closed'] as const;

/** A definition as the form edits it (Redmine's column names). */
export interface CustomFieldDraft {
  readonly id: number | undefined;
  readonly type: CustomFieldType;
  readonly name: string;
  readonly field_format: string;
  readonly description: string | null;
  readonly possible_values: readonly string[];
  readonly regexp: string;
  readonly min_length: number | null;
  readonly max_length: number | null;
  readonly is_required: boolean;
  readonly is_for_all: boolean;
  readonly is_filter: boolean;
  readonly searchable: boolean;
  readonly default_value: string | null;
  readonly editable: boolean;
  readonly visible: boolean;
  readonly multiple: boolean;
  readonly format_store: Readonly<Record<string, unknown>>;
  readonly role_ids: readonly number[];
  readonly tracker_ids: readonly number[];
  readonly project_ids: readonly number[];
}

export function newCustomFieldDraft(type: CustomFieldType, format: string): CustomFieldDraft {
  return {
    id: undefined,
    type,
    name: '',
    field_format: format,
    description: null,
    possible_values: [],
    regexp: '',
    min_length: null,
    max_length: null,
    is_required: false,
    is_for_all: false,
    is_filter: false,
    searchable: false,
    default_value: null,
    editable: true,
    visible: true,
    multiple: false,
    format_store: {},
    role_ids: [],
    tracker_ids: [],
    project_ids: [],
  };
}

/**
 * The draft as it is stored: options the format or class does not have are reset (Redmine's
 * set_searchable and friends), roles go when the field is visible to all.
 */
export function normalizedDraft(draft: CustomFieldDraft): CustomFieldDraft {
  const format = formatCapabilities(draft.field_format);
  const kind = typeCapabilities(draft.type);
  return {
    ...draft,
    possible_values: format.possibleValues ? draft.possible_values : [],
    regexp: format.lengthAndRegexp ? draft.regexp : '',
    min_length: format.lengthAndRegexp ? draft.min_length : null,
    max_length: format.lengthAndRegexp ? draft.max_length : null,
    default_value: format.defaultValue && draft.default_value !== '' ? draft.default_value : null,
    multiple: format.multiple && draft.multiple,
    searchable: kind.searchable && format.searchable && draft.searchable,
    is_filter: kind.filter && format.filterable && draft.is_filter,
    editable: kind.editable ? draft.editable : true,
    visible: kind.rolesVisibility || kind.visibleFlag ? draft.visible : true,
    role_ids: kind.rolesVisibility && !draft.visible ? draft.role_ids : [],
    tracker_ids: kind.trackersAndProjects ? draft.tracker_ids : [],
    project_ids: kind.trackersAndProjects ? draft.project_ids : [],
    is_for_all: kind.trackersAndProjects ? draft.is_for_all : false,
  };
}

/**
 * Redmine's validations of a definition, as full messages. `enumerations` are the stored values of a
 * key/value list (its default value must be one of the active ones).
 */
export function customFieldErrors(
  draft: CustomFieldDraft,
  facts: { nameTaken: boolean; enumerations?: readonly { id: number; name: string; active: boolean }[] },
): string[] {
  const errors: string[] = [];
  if (draft.name.trim() === '') {
    errors.push('Name cannot be blank');
  } else if (facts.nameTaken) {
    errors.push('Name has already been taken');
  }
  if ([...draft.name].length > 30) {
    errors.push('Name is too long (maximum is 30 characters)');
  }
  // An existing field keeps its format, even one the form does not offer (enumeration, attachment).
  if (draft.id === undefined && !(formatsFor(draft.type) as string[]).includes(draft.field_format)) {
    errors.push('Format is not included in the list');
    return errors;
  }
  if (formatCapabilities(draft.field_format).possibleValues && draft.possible_values.length === 0) {
    errors.push('Possible values cannot be blank');
  }
  if ([...draft.regexp].length > 255) {
    errors.push('Regular expression is too long (maximum is 255 characters)');
  }
  const regexpValid = draft.regexp === '' || rubyRegexp(draft.regexp) !== null;
  if (!regexpValid) {
    errors.push('Regular expression is invalid');
  }
  // Formats the form does not offer (a plugin's) keep the default value they have.
  const offered = (FIELD_FORMATS as readonly string[]).includes(draft.field_format);
  if (offered && draft.default_value !== null && draft.default_value !== '' && regexpValid) {
    const field = {
      fieldFormat: draft.field_format,
      regexp: draft.regexp,
      minLength: draft.min_length,
      maxLength: draft.max_length,
      possibleValues: [...draft.possible_values],
      enumerations: [...(facts.enumerations ?? [])],
      multiple: draft.multiple,
    };
    const format = formatOf(draft.field_format);
    for (const message of format.validate(field, [format.normalize(draft.default_value)], [], {})) {
      errors.push(`Default value ${message}`);
    }
  }
  return errors;
}
