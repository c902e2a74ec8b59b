/**
 * The custom field form: reading `custom_field[...]` (Redmine's safe attributes; a key left out
 * keeps its value) and applying it to a definition. The format cannot change once the field exists.
 * Pure.
 */
import { paramList, paramObject, paramString, type Params, type ParamValue } from '#src/api/params.ts';
import type { CustomFieldDraft } from './custom-field-definition.rules.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface CustomFieldInput {
  /** The attributes sent (columns). */
  readonly attributes: Partial<Omit<CustomFieldDraft, 'id' | 'type' | 'format_store'>>;
  /** The format options sent (url_pattern, edit_tag_style, text_formatting, user_role…). */
  readonly formatStore: Readonly<Record<string, unknown>>;
  /** A new place in the list. */
  readonly position?: number;
}

const ID = /^\d{1,9}$/;

const ids = (value: ParamValue | undefined) => paramList(value).filter((item) => ID.test(item)).map(Number);
const flag = (value: ParamValue | undefined) => ['1', 'true'].includes(paramString(value) ?? '');
const lengthOf = (value: ParamValue | undefined) => {
  const text = (paramString(value) ?? '').trim();
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
};

/** Possible values: one per line of the textarea (or a list), trimmed, blanks dropped. */
function possibleValuesOf(value: ParamValue | undefined): string[] {
  const lines = typeof value === 'string' ? value.split(/\r?\n/) : paramList(value);
  return lines.map((line) => line.trim()).filter((line) => line !== '');
}

/** Format options kept in `format_store`, and how each is read. */
const STORE_READERS: Readonly<Record<string, (value: ParamValue | undefined) => unknown>> = {
  url_pattern: (value) => (paramString(value) ?? '').trim(),
  text_formatting: (value) => (paramString(value) === 'full' ? 'full' : ''),
  edit_tag_style: (value) => {
    const style = paramString(value) ?? '';
    return ['check_box', 'radio'].includes(style) ? style : '';
  },
  full_width_layout: (value) => (flag(value) ? '1' : '0'),
  thousands_delimiter: (value) => (flag(value) ? '1' : '0'),
  user_role: (value) => paramList(value).filter((item) => ID.test(item)),
  version_status: (value) => paramList(value).filter((item) => ['open', 'locked', 'closed'].includes(item)),
  extensions_allowed: (value) => (paramString(value) ?? '').trim(),
};

export function customFieldInputOf(params: Params): CustomFieldInput {
  const form = paramObject(params.custom_field) ?? {};
  const has = (key: string) => Object.hasOwn(form, key);
  const attributes: Partial<Mutable<CustomFieldInput['attributes']>> = {};
  const text = (key: string) => paramString(form[key]) ?? '';
  if (has('name')) {
    attributes.name = text('name').trim();
  }
  if (has('field_format')) {
    attributes.field_format = text('field_format');
  }
  if (has('description')) {
    attributes.description = text('description');
  }
  if (has('possible_values')) {
    attributes.possible_values = possibleValuesOf(form.possible_values);
  }
  if (has('regexp')) {
    attributes.regexp = text('regexp');
  }
  if (has('min_length')) {
    attributes.min_length = lengthOf(form.min_length);
  }
  if (has('max_length')) {
    attributes.max_length = lengthOf(form.max_length);
  }
  if (has('default_value')) {
    attributes.default_value = text('default_value');
  }
  for (const key of ['is_required', 'is_for_all', 'is_filter', 'searchable', 'editable', 'visible', 'multiple'] as const) {
    if (has(key)) {
      attributes[key] = flag(form[key]);
    }
  }
  for (const key of ['role_ids', 'tracker_ids', 'project_ids'] as const) {
    if (has(key)) {
      attributes[key] = ids(form[key]);
    }
  }
  const formatStore = Object.fromEntries(Object.entries(STORE_READERS).filter(([key]) => has(key)).map(([key, read]) => [key, read(form[key])]));
  const position = text('position');
  return { attributes, formatStore, ...(/^\d{1,6}$/.test(position) ? { position: Number(position) } : {}) };
}

/** The draft with the input applied; the format changes only on a new field. */
export function applyCustomFieldInput(draft: CustomFieldDraft, input: CustomFieldInput): CustomFieldDraft {
  const { field_format: format, ...attributes } = input.attributes;
  return {
    ...draft,
    ...attributes,
    field_format: draft.id === undefined && format !== undefined ? format : draft.field_format,
    format_store: { ...draft.format_store, ...input.formatStore },
  };
}

/**
 * CustomField#copy_from: everything but the name and the position. A key/value list's default names
 * one of the source's values, which the copy does not share: it starts without one.
 */
export function copiedCustomFieldDraft(source: CustomFieldDraft): CustomFieldDraft {
  return { ...source, id: undefined, name: '', default_value: source.field_format === 'enumeration' ? null : source.default_value };
}
