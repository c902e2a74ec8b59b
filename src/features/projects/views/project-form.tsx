/**
 * The project form (Redmine's projects/_form): name, description, identifier, homepage, public,
 * parent, inherit members and custom fields; a new project also chooses its modules, trackers and
 * issue custom fields. Used by "New project" and by the Information tab of the settings. Pure.
 */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import type { MessageKey } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { WikiTextarea } from '#src/views/wiki-textarea.tsx';
import type { NamedChoice, ProjectFormChoices, ProjectFormValues } from '../project.form-data.ts';
import { CustomFieldInput } from '#src/features/custom-fields/views/custom-field-input.tsx';

export interface ProjectFormProps {
  readonly view: PageView;
  readonly choices: ProjectFormChoices;
  readonly values: ProjectFormValues;
  readonly errors: readonly string[];
  /** The project being edited; undefined for a new one. */
  readonly project?: { readonly id: number; readonly identifier: string } | undefined;
}

/** Checkboxes of one `project[...][]` list, with the blank that sends an empty choice. */
export function CheckboxList(props: { name: string; idPrefix: string; items: readonly { value: string; label: string; disabled?: boolean }[]; checked: readonly string[] }): VNode {
  return (
    <>
      <input type="hidden" name={props.name} value="" />
      {props.items.map((item) => (
        <label class="floating">
          <input
            type="checkbox"
            name={props.name}
            value={item.value}
            id={`${props.idPrefix}_${item.value}`}
            checked={props.checked.includes(item.value)}
            disabled={item.disabled}
          />{' '}
          {item.label}
        </label>
      ))}
    </>
  );
}

export function moduleLabel(name: string): MessageKey {
  return `project_module_${name}` as MessageKey;
}

function ParentSelect({ choices, values }: { choices: ProjectFormChoices; values: ProjectFormValues }): VNode {
  return (
    <select id="project_parent_id" name="project[parent_id]">
      {choices.blankParent ? <option value="" /> : null}
      {choices.parents.map((p: NamedChoice & { depth: number }) => (
        <option value={String(p.id)} selected={values.parentId === p.id}>
          {`${'\u00a0'.repeat(p.depth * 2)}${p.depth > 0 ? '» ' : ''}${p.name}`}
        </option>
      ))}
    </select>
  );
}

/** The fields of the form (without the form element and buttons). */
export function ProjectFields(props: ProjectFormProps): VNode {
  const { view, choices, values, project } = props;
  const { t } = view;
  return (
    <>
      <div class="box tabular">
        <p>
          <label for="project_name">
            {t('field_name')}
            <span class="required"> *</span>
          </label>
          <input type="text" id="project_name" name="project[name]" value={values.name} size={60} maxlength={255} required />
        </p>
        <p>
          <label for="project_description">{t('field_description')}</label>
          <WikiTextarea
            id="project_description"
            name="project[description]"
            value={values.description}
            t={t}
            textFormatting={view.settings.text_formatting}
            rows={8}
            projectId={project?.identifier}
          />
        </p>
        <p>
          <label for="project_identifier">
            {t('field_identifier')}
            <span class="required"> *</span>
          </label>
          {project ? (
            <input type="text" id="project_identifier" value={values.identifier} size={60} disabled />
          ) : (
            <input type="text" id="project_identifier" name="project[identifier]" value={values.identifier} size={60} maxlength={100} required data-identifier-for="project_name" />
          )}
          {project ? null : <em class="info">{t('text_project_identifier_info')}</em>}
        </p>
        <p>
          <label for="project_homepage">{t('field_homepage')}</label>
          <input type="text" id="project_homepage" name="project[homepage]" value={values.homepage} size={60} maxlength={255} />
        </p>
        <p>
          <label for="project_is_public">{t('field_is_public')}</label>
          <input type="hidden" name="project[is_public]" value="0" />
          <input type="checkbox" id="project_is_public" name="project[is_public]" value="1" checked={values.isPublic} />
          <em class="info">{t('text_project_is_public_info')}</em>
        </p>
        {choices.parents.length > 0 || values.parentId !== null ? (
          <p>
            <label for="project_parent_id">{t('field_parent')}</label>
            <ParentSelect choices={choices} values={values} />
          </p>
        ) : null}
        {choices.canInheritMembers ? (
          <p>
            <label for="project_inherit_members">{t('field_inherit_members')}</label>
            <input type="hidden" name="project[inherit_members]" value="0" />
            <input type="checkbox" id="project_inherit_members" name="project[inherit_members]" value="1" checked={values.inheritMembers} />
          </p>
        ) : null}
        {choices.customFields.map((field) => (
          <CustomFieldInput t={t} record="project" field={field} values={values.customValues.get(field.id) ?? []} />
        ))}
      </div>
      {project ? null : (
        <>
          <fieldset class="box tabular" id="project_modules">
            <legend>{t('label_module_plural')}</legend>
            <CheckboxList
              name="project[enabled_module_names][]"
              idPrefix="project_enabled_module_names"
              items={choices.modules.map((m) => ({ value: m, label: t(moduleLabel(m)) }))}
              checked={values.moduleNames}
            />
          </fieldset>
          <fieldset class="box tabular" id="project_trackers">
            <legend>{t('label_tracker_plural')}</legend>
            <CheckboxList
              name="project[tracker_ids][]"
              idPrefix="project_tracker_ids"
              items={choices.trackers.map((tr) => ({ value: String(tr.id), label: tr.name }))}
              checked={values.trackerIds.map(String)}
            />
          </fieldset>
          {choices.issueCustomFields.length > 0 ? <IssueCustomFieldsFieldset view={view} choices={choices} values={values} /> : null}
        </>
      )}
    </>
  );
}

/** The issue custom fields a project uses: those for all projects (fixed), and the others to choose. */
export function IssueCustomFieldsFieldset({ view, choices, values }: { view: PageView; choices: ProjectFormChoices; values: ProjectFormValues }): VNode {
  const { t } = view;
  return (
    <fieldset class="box tabular" id="project_issue_custom_fields">
      <legend>{t('label_custom_field_plural')}</legend>
      <CheckboxList
        name="project[issue_custom_field_ids][]"
        idPrefix="project_issue_custom_field_ids"
        items={choices.issueCustomFields.map((f) => ({ value: String(f.id), label: f.isForAll ? `${f.name} (${t('field_is_for_all')})` : f.name, disabled: f.isForAll }))}
        checked={[...values.issueCustomFieldIds.map(String), ...choices.issueCustomFields.filter((f) => f.isForAll).map((f) => String(f.id))]}
      />
    </fieldset>
  );
}

/** "New project" (Redmine's projects/new). */
export function NewProjectPage(props: ProjectFormProps): VNode {
  const { t, csrfToken } = props.view;
  return (
    <div id="new-project">
      <h2>{t('label_project_new')}</h2>
      <ErrorExplanation errors={props.errors} t={t} />
      <form method="post" action="/projects" id="new_project" class="new_project">
        <CsrfField token={csrfToken} />
        <ProjectFields {...props} />
        <p class="buttons">
          <button type="submit" name="commit" value="create" class="primary">
            {t('button_create')}
          </button>
          <button type="submit" name="continue" value="1">
            {t('button_create_and_continue')}
          </button>
        </p>
      </form>
    </div>
  );
}
