/**
 * One custom field of a form as Redmine names it (`<record>[custom_field_values][<id>]`, `[]` for
 * several values): a text box, a text area, a date, a yes/no select or a list, by the field's format.
 * The field's label and `required` mark follow Redmine's `form.tabular` line. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { CustomFieldDef } from '../custom-field.repository.ts';

/** What the control needs of a field. */
export type CustomFieldInputField = Pick<CustomFieldDef, 'id' | 'name' | 'fieldFormat' | 'multiple' | 'isRequired' | 'possibleValues' | 'enumerations' | 'description'>;

export interface CustomFieldInputProps {
  readonly t: Translate;
  /** The record's parameter name: `time_entry`, `user`, `project`… */
  readonly record: string;
  readonly field: CustomFieldInputField;
  /** The values shown (as sent back, or as stored). */
  readonly values: readonly string[];
}

export function CustomFieldInput({ t, record, field, values }: CustomFieldInputProps): VNode {
  const id = `${record}_custom_field_values_${field.id}`;
  const name = `${record}[custom_field_values][${field.id}]`;
  const value = values[0] ?? '';
  let control: VNode;
  switch (field.fieldFormat) {
    case 'text':
      control = <textarea id={id} name={name} rows={3} cols={60} class="text_cf">{value}</textarea>;
      break;
    case 'date':
      control = <input type="date" id={id} name={name} value={value} class="date_cf" />;
      break;
    case 'bool':
      control = (
        <select id={id} name={name} class="bool_cf">
          <option value="">&nbsp;</option>
          <option value="1" selected={value === '1'}>
            {t('label_yes')}
          </option>
          <option value="0" selected={value === '0'}>
            {t('label_no')}
          </option>
        </select>
      );
      break;
    case 'list':
    case 'enumeration': {
      const options =
        field.fieldFormat === 'list'
          ? field.possibleValues.map((v) => ({ value: v, label: v }))
          : field.enumerations.filter((e) => e.active || values.includes(String(e.id))).map((e) => ({ value: String(e.id), label: e.name }));
      control = field.multiple ? (
        <>
          {/* Rails reads an empty list only when the name is sent: a blank item clears every value. */}
          <input type="hidden" name={`${name}[]`} value="" />
          <select id={id} name={`${name}[]`} multiple class={`${field.fieldFormat}_cf`}>
            {options.map((o) => (
              <option value={o.value} selected={values.includes(o.value)}>
                {o.label}
              </option>
            ))}
          </select>
        </>
      ) : (
        <select id={id} name={name} class={`${field.fieldFormat}_cf`}>
          <option value="">&nbsp;</option>
          {options.map((o) => (
            <option value={o.value} selected={o.value === value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    }
    default:
      // user and version fields take ids here (the issue form offers their names).
      control = field.multiple ? (
        <>
          <input type="hidden" name={`${name}[]`} value="" />
          {[...values, ''].map((v, i) => (
            <input type="text" id={i === 0 ? id : undefined} name={`${name}[]`} value={v} class={`${field.fieldFormat}_cf`} />
          ))}
        </>
      ) : (
        <input type="text" id={id} name={name} value={value} class={`${field.fieldFormat}_cf`} />
      );
  }
  return (
    <p>
      <label for={id}>
        {field.name}
        {field.isRequired ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {control}
      {field.description ? <em class="info">{field.description}</em> : null}
    </p>
  );
}
