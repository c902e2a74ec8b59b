/**
 * The custom fields of the issue form, as Redmine's field formats draw them: text inputs, a text
 * area, a date, yes/no, and selects, check boxes or radio buttons for lists, enumerations, users and
 * versions. A multiple field posts `[]` with a blank first value, so unchecking everything clears it.
 * Read-only fields show their value. Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Choice, CustomFieldModel } from '../issue-form.types.ts';

const idOf = (field: CustomFieldModel) => `issue_custom_field_values_${field.id}`;
const nameOf = (field: CustomFieldModel) => `issue[custom_field_values][${field.id}]${field.multiple ? '[]' : ''}`;

/** Yes/No labels for a bool field, else the choices as they are. */
function choicesOf(field: CustomFieldModel, t: Translate): readonly Choice[] {
  if (field.format !== 'bool') {
    return field.choices;
  }
  return [
    { value: '1', label: t('general_text_Yes') },
    { value: '0', label: t('general_text_No') },
  ];
}

function Boxes({ field, t }: { field: CustomFieldModel; t: Translate }): VNode {
  const type = field.style === 'check_box' ? 'checkbox' : 'radio';
  const chosen = new Set(field.values);
  return (
    <span id={idOf(field)} class="check_box_group">
      {/* A blank first value: with nothing checked the field is still posted, and so cleared. */}
      <input type="hidden" name={nameOf(field)} value="" />
      {type === 'radio' && !field.required ? (
        <label>
          <input type="radio" name={nameOf(field)} value="" checked={chosen.size === 0 || chosen.has('')} /> {t('label_none')}
        </label>
      ) : null}
      {choicesOf(field, t).map((c) => (
        <label>
          <input type={type} name={nameOf(field)} value={c.value} checked={chosen.has(c.value)} /> {c.label}
        </label>
      ))}
    </span>
  );
}

function ChoiceSelect({ field, t }: { field: CustomFieldModel; t: Translate }): VNode {
  const chosen = new Set(field.values);
  return (
    <>
      {field.multiple ? <input type="hidden" name={nameOf(field)} value="" /> : null}
      <select id={idOf(field)} name={nameOf(field)} multiple={field.multiple} required={field.required && !field.multiple}>
        {field.multiple ? null : <option value="">{field.required ? t('label_blank_option') : ''}</option>}
        {choicesOf(field, t).map((c) => (
          <option value={c.value} selected={chosen.has(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
    </>
  );
}

/**
 * A file field: the file it holds (unchecking the box removes it), or the file a refused post
 * uploaded, and a file input for a new one. The `blank` entry makes the field present when neither
 * is sent, which clears it (Redmine's AttachmentFormat edit tag).
 */
function FileControl({ field, t }: { field: CustomFieldModel; t: Translate }): VNode {
  const base = `issue[custom_field_values][${field.id}]`;
  const file = field.file;
  return (
    <span id={idOf(field)} class="attachment_cf">
      <input type="hidden" name={`${base}[blank]`} value="" />
      {file?.id !== undefined ? (
        <label class="attachment-kept">
          <input type="checkbox" name={`${base}[id]`} value={String(file.id)} checked /> <a href={`/attachments/${file.id}`}>{file.filename}</a>
        </label>
      ) : null}
      {file?.token !== undefined ? (
        <label class="attachment-kept">
          <input type="checkbox" name={`${base}[token]`} value={file.token} checked /> {file.filename}
          <input type="hidden" name={`${base}[filename]`} value={file.filename} />
        </label>
      ) : null}{' '}
      <input type="file" name={`${base}[file]`} id={`${idOf(field)}_file`} aria-label={`${field.name}: ${t('label_attachment')}`} />
    </span>
  );
}

function Control({ field, t }: { field: CustomFieldModel; t: Translate }): VNode {
  const value = field.values[0] ?? '';
  switch (field.format) {
    case 'text':
      return (
        <textarea id={idOf(field)} name={nameOf(field)} rows={3} class="wiki-edit" required={field.required}>
          {value}
        </textarea>
      );
    case 'date':
      return <input type="date" id={idOf(field)} name={nameOf(field)} value={value} required={field.required} />;
    case 'int':
    case 'float':
      return <input type="text" id={idOf(field)} name={nameOf(field)} value={value} size={10} inputMode={field.format === 'int' ? 'numeric' : 'decimal'} required={field.required} />;
    case 'bool':
      if (field.style === 'check_box') {
        return (
          <>
            <input type="hidden" name={nameOf(field)} value="0" />
            <input type="checkbox" id={idOf(field)} name={nameOf(field)} value="1" checked={value === '1'} />
          </>
        );
      }
      return field.style === 'radio' ? <Boxes field={field} t={t} /> : <ChoiceSelect field={field} t={t} />;
    case 'list':
    case 'enumeration':
    case 'user':
    case 'version':
      return field.style === 'select' ? <ChoiceSelect field={field} t={t} /> : <Boxes field={field} t={t} />;
    case 'attachment':
      return <FileControl field={field} t={t} />;
    default:
      return <input type="text" id={idOf(field)} name={nameOf(field)} value={value} required={field.required} />;
  }
}

function CustomField({ field, t }: { field: CustomFieldModel; t: Translate }): VNode {
  const text = field.format === 'bool' ? field.values.map((v) => (v === '1' ? t('general_text_Yes') : v === '0' ? t('general_text_No') : '')).join('') : field.text;
  return (
    <p class={`cf_${field.id}${field.readonly ? ' readonly' : ''}`}>
      <label for={field.readonly ? undefined : idOf(field)} title={field.description ?? undefined}>
        {field.name}
        {field.required && !field.readonly ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {field.readonly ? <span class="value">{text}</span> : <Control field={field} t={t} />}
    </p>
  );
}

/** The fields in two columns as Redmine lays them out; long text fields take the whole width after. */
export function IssueFormCustomFields({ fields, t }: { fields: readonly CustomFieldModel[]; t: Translate }): VNode | null {
  if (fields.length === 0) {
    return null;
  }
  const short = fields.filter((f) => f.format !== 'text');
  const long = fields.filter((f) => f.format === 'text');
  const half = Math.ceil(short.length / 2);
  return (
    <div class="custom_fields">
      <div class="splitcontent">
        <div class="splitcontentleft">
          {short.slice(0, half).map((f) => (
            <CustomField field={f} t={t} />
          ))}
        </div>
        <div class="splitcontentright">
          {short.slice(half).map((f) => (
            <CustomField field={f} t={t} />
          ))}
        </div>
      </div>
      {long.map((f) => (
        <CustomField field={f} t={t} />
      ))}
    </div>
  );
}
