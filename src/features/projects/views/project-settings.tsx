/**
 * A project's settings (Redmine's projects/settings): the tabs the viewer may open, as links that work
 * without JavaScript (`?tab=`), and the Information, Modules and Issue tracking tabs. The members,
 * versions and categories tabs are their features' views. Pure.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import type { MessageKey } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import type { ProjectFormChoices, ProjectFormValues } from '../project.form-data.ts';
import { CheckboxList, IssueCustomFieldsFieldset, moduleLabel, ProjectFields } from './project-form.tsx';

export const SETTINGS_TABS = ['info', 'modules', 'members', 'issues', 'versions', 'categories'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

const TAB_LABELS: Record<SettingsTab, MessageKey> = {
  info: 'label_information_plural',
  modules: 'label_module_plural',
  members: 'label_member_plural',
  issues: 'label_issue_tracking',
  versions: 'label_version_plural',
  categories: 'label_issue_category_plural',
};

export function settingsPath(identifier: string, tab?: SettingsTab): string {
  return `/projects/${encodeURIComponent(identifier)}/settings${tab ? `?tab=${tab}` : ''}`;
}

export function SettingsPage(props: { view: PageView; identifier: string; tabs: readonly SettingsTab[]; selected: SettingsTab; children: ComponentChildren }): VNode {
  const { t } = props.view;
  return (
    <div id="project-settings">
      <h2>{t('label_settings')}</h2>
      <div class="tabs">
        <ul>
          {props.tabs.map((tab) => (
            <li>
              <a href={settingsPath(props.identifier, tab)} id={`tab-${tab}`} class={tab === props.selected ? 'selected' : undefined} aria-current={tab === props.selected ? 'page' : undefined}>
                {t(TAB_LABELS[tab])}
              </a>
            </li>
          ))}
        </ul>
      </div>
      <div class="tabs-panel" id={`tab-content-${props.selected}`}>
        {props.children}
      </div>
    </div>
  );
}

export function InfoTab(props: { view: PageView; project: { id: number; identifier: string }; choices: ProjectFormChoices; values: ProjectFormValues; errors: readonly string[] }): VNode {
  const { view, project } = props;
  return (
    <form method="post" action={`/projects/${encodeURIComponent(project.identifier)}`} id="edit_project" class="edit_project">
      <CsrfField token={view.csrfToken} />
      <ErrorExplanation errors={props.errors} t={view.t} />
      <ProjectFields view={view} choices={props.choices} values={props.values} errors={props.errors} project={project} />
      <p class="buttons">
        <button type="submit" class="primary">
          {view.t('button_save')}
        </button>
      </p>
    </form>
  );
}

export function ModulesTab(props: { view: PageView; identifier: string; modules: readonly string[]; enabled: readonly string[]; errors: readonly string[] }): VNode {
  const { t, csrfToken } = props.view;
  return (
    <form method="post" action={`/projects/${encodeURIComponent(props.identifier)}/modules`} id="modules-form">
      <CsrfField token={csrfToken} />
      <ErrorExplanation errors={props.errors} t={t} />
      <fieldset class="box">
        <legend>{t('text_select_project_modules')}</legend>
        <CheckboxList
          name="enabled_module_names[]"
          idPrefix="enabled_module_names"
          items={props.modules.map((m) => ({ value: m, label: t(moduleLabel(m)) }))}
          checked={props.enabled}
        />
      </fieldset>
      <p class="buttons">
        <button type="submit" class="primary">
          {t('button_save')}
        </button>
      </p>
    </form>
  );
}

export interface IssuesTabProps {
  readonly view: PageView;
  readonly identifier: string;
  readonly choices: ProjectFormChoices;
  readonly values: ProjectFormValues;
  readonly versions: readonly { id: number; name: string }[];
  readonly assignees: readonly { id: number; name: string }[];
  readonly defaultVersionId: number | null;
  readonly defaultAssignedToId: number | null;
  readonly errors: readonly string[];
}

export function IssuesTab(props: IssuesTabProps): VNode {
  const { view, choices, values } = props;
  const { t, csrfToken } = view;
  return (
    <form method="post" action={`/projects/${encodeURIComponent(props.identifier)}`} id="issues-settings-form">
      <CsrfField token={csrfToken} />
      <input type="hidden" name="tab" value="issues" />
      <ErrorExplanation errors={props.errors} t={t} />
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
      <div class="box tabular">
        <p>
          <label for="project_default_version_id">{t('field_default_version')}</label>
          <select id="project_default_version_id" name="project[default_version_id]">
            <option value="" />
            {props.versions.map((v) => (
              <option value={String(v.id)} selected={props.defaultVersionId === v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="project_default_assigned_to_id">{t('field_default_assigned_to')}</label>
          <select id="project_default_assigned_to_id" name="project[default_assigned_to_id]">
            <option value="" />
            {props.assignees.map((a) => (
              <option value={String(a.id)} selected={props.defaultAssignedToId === a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </p>
      </div>
      <p class="buttons">
        <button type="submit" class="primary">
          {t('button_save')}
        </button>
      </p>
    </form>
  );
}
