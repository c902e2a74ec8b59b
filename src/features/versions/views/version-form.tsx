/** New and edit version forms (Redmine's versions/_form): name, description, status, due date, sharing, default version, custom fields. Pure. */
import type { VNode } from 'preact';
import { CustomFieldInput, type CustomFieldInputField } from '#src/features/custom-fields/views/custom-field-input.tsx';
import type { PageView } from '#src/http/page.tsx';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { versionSharingLabel, versionStatusLabel } from './versions-tab.tsx';

export interface VersionFormValues {
  readonly name: string;
  readonly description: string;
  readonly status: string;
  readonly effectiveDate: string;
  readonly sharing: string;
  readonly defaultProjectVersion: boolean;
  readonly customValues: ReadonlyMap<number, readonly string[]>;
}

export interface VersionFormProps {
  readonly view: PageView;
  /** Undefined for a new version. */
  readonly versionId?: number | undefined;
  readonly projectIdentifier: string;
  readonly values: VersionFormValues;
  readonly sharings: readonly string[];
  readonly customFields: readonly CustomFieldInputField[];
  readonly errors: readonly string[];
  readonly backUrl: string;
}

export function VersionFormPage(props: VersionFormProps): VNode {
  const { view, values, versionId } = props;
  const { t, csrfToken } = view;
  const action = versionId === undefined ? `/projects/${encodeURIComponent(props.projectIdentifier)}/versions` : `/versions/${versionId}`;
  return (
    <div id={versionId === undefined ? 'new-version-page' : 'edit-version-page'}>
      <h2>{versionId === undefined ? t('label_version_new') : t('label_version')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action={action} id={versionId === undefined ? 'new_version' : `edit_version_${versionId}`} class="tabular">
        <CsrfField token={csrfToken} />
        <input type="hidden" name="back_url" value={props.backUrl} />
        <div class="box tabular">
          <p>
            <label for="version_name">
              {t('field_name')}
              <span class="required"> *</span>
            </label>
            <input type="text" id="version_name" name="version[name]" value={values.name} size={60} maxlength={60} required />
          </p>
          <p>
            <label for="version_description">{t('field_description')}</label>
            <input type="text" id="version_description" name="version[description]" value={values.description} size={60} maxlength={255} />
          </p>
          {versionId !== undefined ? (
            <p>
              <label for="version_status">{t('field_status')}</label>
              <select id="version_status" name="version[status]">
                {['open', 'locked', 'closed'].map((s) => (
                  <option value={s} selected={values.status === s}>
                    {t(versionStatusLabel(s))}
                  </option>
                ))}
              </select>
            </p>
          ) : null}
          <p>
            <label for="version_effective_date">{t('field_effective_date')}</label>
            <input type="date" id="version_effective_date" name="version[effective_date]" value={values.effectiveDate} />
          </p>
          <p>
            <label for="version_sharing">{t('field_sharing')}</label>
            <select id="version_sharing" name="version[sharing]">
              {props.sharings.map((s) => (
                <option value={s} selected={values.sharing === s}>
                  {t(versionSharingLabel(s))}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="version_default_project_version">{t('field_default_version')}</label>
            <input type="hidden" name="version[default_project_version]" value="0" />
            <input type="checkbox" id="version_default_project_version" name="version[default_project_version]" value="1" checked={values.defaultProjectVersion} />
          </p>
          {props.customFields.map((field) => (
            <CustomFieldInput t={t} record="version" field={field} values={values.customValues.get(field.id) ?? []} />
          ))}
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {versionId === undefined ? t('button_create') : t('button_save')}
          </button>
          <a href={props.backUrl}>{t('button_cancel')}</a>
        </p>
      </form>
    </div>
  );
}
