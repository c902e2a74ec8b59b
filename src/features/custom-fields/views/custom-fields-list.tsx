/**
 * The custom fields page (Redmine's custom_fields/index): one tab per class that has fields (and the
 * one asked for), the fields of the selected tab with format, required, for all projects / used by
 * (issue fields), move, copy and delete buttons.
 */
import type { VNode } from 'preact';
import type { CustomFieldType } from '#src/db/schema/custom-fields.ts';
import type { Translate } from '#src/i18n/index.ts';
import { DeleteButton, ReorderButtons } from '#src/views/list-buttons.tsx';
import type { CustomFieldListRow } from '../custom-field-definition.repository.ts';
import { CUSTOM_FIELD_TYPES } from '../custom-field-definition.rules.ts';
import { CUSTOM_FIELD_TYPE_LABELS, formatLabelKey } from './custom-field-labels.ts';

function Tick({ t, on }: { t: Translate; on: boolean }): VNode | null {
  return on ? <span class="icon-only icon-checked">{t('general_text_Yes')}</span> : null;
}

export function CustomFieldsList(props: { t: Translate; csrfToken: string; fields: readonly CustomFieldListRow[]; tab: CustomFieldType | undefined }): VNode {
  const { t, csrfToken, fields } = props;
  const present = new Set(fields.map((f) => f.type));
  const tabs = CUSTOM_FIELD_TYPES.filter((type) => present.has(type) || type === props.tab);
  const selected = props.tab ?? tabs[0];
  const shown = fields.filter((f) => f.type === selected);
  const isIssue = selected === 'IssueCustomField';
  return (
    <>
      <div class="contextual">
        <a href={selected ? `/custom_fields/new?type=${selected}` : '/custom_fields/new'} class="icon icon-add">
          {t('label_custom_field_new')}
        </a>
      </div>
      <h2>{t('label_custom_field_plural')}</h2>
      {tabs.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <>
          <div class="tabs">
            <ul>
              {tabs.map((type) => (
                <li>
                  <a href={`/custom_fields?tab=${type}`} id={`tab-${type}`} class={type === selected ? 'selected' : undefined}>
                    {t(CUSTOM_FIELD_TYPE_LABELS[type])}
                  </a>
                </li>
              ))}
            </ul>
          </div>
          <div class="tab-content" id={`tab-content-${selected}`}>
            <table class="list custom_fields">
              <thead>
                <tr>
                  <th>{t('field_name')}</th>
                  <th>{t('field_field_format')}</th>
                  <th>{t('field_is_required')}</th>
                  {isIssue ? <th>{t('field_is_for_all')}</th> : null}
                  {isIssue ? <th>{t('label_used_by')}</th> : null}
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {shown.map((field, i) => {
                  const formatKey = formatLabelKey(field.field_format);
                  return (
                    <tr id={`custom-field-${field.id}`}>
                      <td class="name">
                        <a href={`/custom_fields/${field.id}/edit`}>{field.name}</a>
                      </td>
                      <td>{formatKey ? t(formatKey) : field.field_format}</td>
                      <td class="tick">
                        <Tick t={t} on={field.is_required} />
                      </td>
                      {isIssue ? (
                        <td class="tick">
                          <Tick t={t} on={field.is_for_all} />
                        </td>
                      ) : null}
                      {isIssue ? <td>{field.is_for_all ? '' : t('label_x_projects', { count: String(field.project_count) })}</td> : null}
                      <td class="buttons">
                        <ReorderButtons t={t} csrfToken={csrfToken} action={`/custom_fields/${field.id}`} param="custom_field" index={i + 1} count={shown.length} />
                        <a href={`/custom_fields/new?type=${field.type}&copy=${field.id}`} class="icon icon-copy">
                          {t('button_copy')}
                        </a>
                        <DeleteButton t={t} csrfToken={csrfToken} action={`/custom_fields/${field.id}/delete`} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
