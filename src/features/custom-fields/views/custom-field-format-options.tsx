/**
 * The format-specific part of the custom field form (Redmine's custom_fields/formats/_*.html.erb):
 * lengths and regular expression, text formatting, possible values, default value, link pattern,
 * display style, thousands delimiter, the roles a user field draws from, the version statuses a
 * version field offers, the link to a key/value list's values and the extensions a file may have.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { formatCapabilities, VERSION_STATUSES, type CustomFieldDraft } from '../custom-field-definition.rules.ts';

const VERSION_STATUS_LABELS: Readonly<Record<(typeof VERSION_STATUSES)[number], MessageKey>> = {
  open: 'label_version_status_open',
  locked: 'label_version_status_locked',
  closed: 'label_version_status_closed',
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.map((item) => String(item)) : []);

function Flag({ id, name, checked, on = '1', off = '0' }: { id: string; name: string; checked: boolean; on?: string; off?: string }): VNode {
  return (
    <>
      <input type="hidden" name={name} value={off} />
      <input type="checkbox" id={id} name={name} value={on} checked={checked} />
    </>
  );
}

function DefaultValue({ t, draft, enumerations }: { t: Translate; draft: CustomFieldDraft; enumerations: FormatOptionsProps['enumerations'] }): VNode {
  const value = draft.default_value ?? '';
  const name = 'custom_field[default_value]';
  const id = 'custom_field_default_value';
  let control: VNode;
  switch (draft.field_format) {
    case 'text':
      control = (
        <textarea id={id} name={name} rows={5} cols={60}>
          {value}
        </textarea>
      );
      break;
    case 'bool':
      control = (
        <select id={id} name={name}>
          <option value=""></option>
          <option value="1" selected={value === '1'}>
            {t('general_text_Yes')}
          </option>
          <option value="0" selected={value === '0'}>
            {t('general_text_No')}
          </option>
        </select>
      );
      break;
    case 'date':
      control = <input type="date" id={id} name={name} value={value} />;
      break;
    case 'enumeration':
      control = (
        <select id={id} name={name}>
          <option value=""></option>
          {enumerations
            .filter((e) => e.active)
            .map((e) => (
              <option value={String(e.id)} selected={value === String(e.id)}>
                {e.name}
              </option>
            ))}
        </select>
      );
      break;
    default:
      control = <input type="text" id={id} name={name} value={value} size={30} />;
  }
  return (
    <p>
      <label for={id}>{t('field_default_value')}</label>
      {control}
    </p>
  );
}

export interface FormatOptionsProps {
  readonly t: Translate;
  readonly draft: CustomFieldDraft;
  readonly roles: ReadonlyArray<{ id: number; name: string }>;
  /** The values of a key/value list (none for a new field: they are added once it exists). */
  readonly enumerations: ReadonlyArray<{ id: number; name: string; active: boolean }>;
}

export function CustomFieldFormatOptions({ t, draft, roles, enumerations }: FormatOptionsProps): VNode {
  const can = formatCapabilities(draft.field_format);
  const store = draft.format_store;
  const userRoles = list(store.user_role);
  const versionStatuses = list(store.version_status);
  return (
    <>
      {can.lengthAndRegexp ? (
        <>
          <p>
            <label for="custom_field_min_length">{t('label_min_max_length')}</label>
            <input type="text" id="custom_field_min_length" name="custom_field[min_length]" value={draft.min_length?.toString() ?? ''} size={5} aria-label={t('label_min_max_length')} /> -{' '}
            <input type="text" id="custom_field_max_length" name="custom_field[max_length]" value={draft.max_length?.toString() ?? ''} size={5} aria-label={t('label_min_max_length')} />
          </p>
          <p>
            <label for="custom_field_regexp">{t('field_regexp')}</label>
            <input type="text" id="custom_field_regexp" name="custom_field[regexp]" value={draft.regexp} size={50} />
            <em class="info">{t('text_regexp_info')}</em>
          </p>
        </>
      ) : null}
      {can.textFormatting ? (
        <p>
          <label for="custom_field_text_formatting">{t('field_text_formatting')}</label>
          <Flag id="custom_field_text_formatting" name="custom_field[text_formatting]" checked={store.text_formatting === 'full'} on="full" off="" />
        </p>
      ) : null}
      {draft.field_format === 'text' && draft.type === 'IssueCustomField' ? (
        <p>
          <label for="custom_field_full_width_layout">{t('field_full_width_layout')}</label>
          <Flag id="custom_field_full_width_layout" name="custom_field[full_width_layout]" checked={store.full_width_layout === '1'} />
        </p>
      ) : null}
      {can.thousandsDelimiter ? (
        <p>
          <label for="custom_field_thousands_delimiter">{t('field_thousands_delimiter')}</label>
          <Flag id="custom_field_thousands_delimiter" name="custom_field[thousands_delimiter]" checked={store.thousands_delimiter === '1'} />
        </p>
      ) : null}
      {can.possibleValues ? (
        <p>
          <label for="custom_field_possible_values">
            {t('field_possible_values')} <span class="required">*</span>
          </label>
          <textarea id="custom_field_possible_values" name="custom_field[possible_values]" rows={15} cols={40}>
            {draft.possible_values.join('\n')}
          </textarea>
          <em class="info">{t('text_custom_field_possible_values_info')}</em>
        </p>
      ) : null}
      {can.enumerations && draft.id !== undefined ? (
        <p>
          <label>{t('field_possible_values')}</label>
          <a href={`/custom_fields/${draft.id}/enumerations`} class="icon icon-edit">
            {t('button_edit')}
          </a>
        </p>
      ) : null}
      {can.extensionsAllowed ? (
        <p>
          <label for="custom_field_extensions_allowed">{t('setting_attachment_extensions_allowed')}</label>
          <input type="text" id="custom_field_extensions_allowed" name="custom_field[extensions_allowed]" value={text(store.extensions_allowed)} size={50} />
          <em class="info">
            {t('text_comma_separated')} {t('label_example')}: txt, png. {t('label_custom_field_extensions_info')}
          </em>
        </p>
      ) : null}
      {can.userRole ? (
        <p id="custom_field_user_roles">
          <label>{t('label_role')}</label>
          <span class="check-list">
            {roles.map((role) => (
              <label class="block custom_field_user_role">
                <input type="checkbox" name="custom_field[user_role][]" value={String(role.id)} checked={userRoles.includes(String(role.id))} /> {role.name}
              </label>
            ))}
          </span>
          <input type="hidden" name="custom_field[user_role][]" value="" />
          <em class="info">{t('text_custom_field_all_when_none')}</em>
        </p>
      ) : null}
      {can.versionStatus ? (
        <p id="custom_field_version_statuses">
          <label>{t('field_status')}</label>
          <span class="check-list">
            {VERSION_STATUSES.map((status) => (
              <label class="block custom_field_version_status">
                <input type="checkbox" name="custom_field[version_status][]" value={status} checked={versionStatuses.includes(status)} /> {t(VERSION_STATUS_LABELS[status])}
              </label>
            ))}
          </span>
          <input type="hidden" name="custom_field[version_status][]" value="" />
          <em class="info">{t('text_custom_field_all_when_none')}</em>
        </p>
      ) : null}
      {can.defaultValue && (draft.field_format !== 'enumeration' || enumerations.some((e) => e.active)) ? <DefaultValue t={t} draft={draft} enumerations={enumerations} /> : null}
      {can.urlPattern ? (
        <p>
          <label for="custom_field_url_pattern">{t(draft.field_format === 'link' ? 'field_url' : 'label_link_values_to')}</label>
          <input type="text" id="custom_field_url_pattern" name="custom_field[url_pattern]" value={text(store.url_pattern)} size={50} />
        </p>
      ) : null}
      {can.editTagStyle ? (
        <p>
          <label for="custom_field_edit_tag_style">{t('label_display')}</label>
          <select id="custom_field_edit_tag_style" name="custom_field[edit_tag_style]">
            <option value="">{t('label_drop_down_list')}</option>
            <option value="check_box" selected={store.edit_tag_style === 'check_box'}>
              {t('label_checkboxes')}
            </option>
            {can.radioStyle ? (
              <option value="radio" selected={store.edit_tag_style === 'radio'}>
                {t('label_radio_buttons')}
              </option>
            ) : null}
          </select>
        </p>
      ) : null}
    </>
  );
}
