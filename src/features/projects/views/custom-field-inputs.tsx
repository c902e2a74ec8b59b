/**
 * Form controls for the custom fields of a project or a version (Redmine's custom_field_tag): one
 * labelled line per field, named `<object>[custom_field_values][<id>]` (`[]` for multiple values, with
 * a blank first so that clearing every choice is sent too). Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';

/** What a control needs of a field (a subset of CustomFieldDef). */
export interface CustomFieldChoice {
  readonly id: number;
  readonly name: string;
  readonly fieldFormat: string;
  readonly multiple: boolean;
  readonly isRequired: boolean;
  readonly possibleValues: readonly string[];
  readonly enumerations: readonly { id: number; name: string; active: boolean }[];
  readonly description: string | null;
}

function optionsOf(field: CustomFieldChoice, t: Translate): { value: string; label: string }[] {
  switch (field.fieldFormat) {
    case 'list':
      return field.possibleValues.map((v) => ({ value: v, label: v }));
    case 'enumeration':
      return field.enumerations.filter((e) => e.active).map((e) => ({ value: String(e.id), label: e.name }));
    case 'bool':
      return [
        { value: '1', label: t('general_text_Yes') },
        { value: '0', label: t('general_text_No') },
      ];
    default:
      return [];
  }
}

function Control({ field, object, values, t }: { field: CustomFieldChoice; object: string; values: readonly string[]; t: Translate }): VNode {
  const id = `${object}_custom_field_values_${field.id}`;
  const name = `${object}[custom_field_values][${field.id}]`;
  const first = values[0] ?? '';
  const options = optionsOf(field, t);
  if (options.length > 0 || ['list', 'enumeration', 'bool'].includes(field.fieldFormat)) {
    if (field.multiple) {
      return (
        <span>
          <input type="hidden" name={`${name}[]`} value="" />
          <select id={id} name={`${name}[]`} multiple size={Math.min(options.length, 6)}>
            {options.map((o) => (
              <option value={o.value} selected={values.includes(o.value)}>
                {o.label}
              </option>
            ))}
          </select>
        </span>
      );
    }
    return (
      <select id={id} name={name}>
        <option value="">{field.isRequired ? `--- ${t('label_none')} ---` : ''}</option>
        {options.map((o) => (
          <option value={o.value} selected={first === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  if (field.fieldFormat === 'text') {
    return <textarea id={id} name={name} rows={3} class="wiki-edit">{first}</textarea>;
  }
  if (field.fieldFormat === 'date') {
    return <input type="date" id={id} name={name} value={first} />;
  }
  return <input type="text" id={id} name={name} value={first} size={field.fieldFormat === 'string' || field.fieldFormat === 'link' ? 40 : 10} />;
}

export function CustomFieldInputs(props: {
  t: Translate;
  /** The form's object name: `project`, `version`. */
  object: string;
  fields: readonly CustomFieldChoice[];
  values: ReadonlyMap<number, readonly string[]>;
}): VNode {
  const { t, object, fields, values } = props;
  return (
    <>
      {fields.map((field) => (
        <p class={`cf_${field.id}`}>
          <label for={`${object}_custom_field_values_${field.id}`}>
            {field.name}
            {field.isRequired ? (
              <span class="required" aria-hidden="true">
                {' '}
                *
              </span>
            ) : null}
          </label>
          <Control field={field} object={object} values={values.get(field.id) ?? []} t={t} />
          {field.description ? <em class="info">{field.description}</em> : null}
        </p>
      ))}
    </>
  );
}
