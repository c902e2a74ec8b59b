/**
 * The tracker form (Redmine's trackers/_form): name, default status, private by default, roadmap,
 * description, the standard fields it enables, its issue custom fields, "copy workflow from" (new
 * trackers), and the projects it is enabled on.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { coreFieldLabel } from '#src/features/workflows/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { ProjectCheckboxes } from '#src/views/project-checkboxes.tsx';
import { ToggleCheckboxes } from '#src/views/toggle-checkboxes.tsx';
import { enabledCoreFields, TRACKER_CORE_FIELDS, type TrackerDraft } from '../tracker.input.ts';
import type { TrackerFormChoices } from '../tracker.service.ts';

export interface TrackerFormProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly draft: TrackerDraft;
  readonly choices: TrackerFormChoices;
  readonly errors: readonly string[];
  readonly copyWorkflowFrom?: number | undefined;
}

function CheckBox({ id, name, checked }: { id: string; name: string; checked: boolean }): VNode {
  return (
    <>
      <input type="hidden" name={name} value="0" />
      <input type="checkbox" id={id} name={name} value="1" checked={checked} />
    </>
  );
}

function MainBox({ t, draft, choices, copyWorkflowFrom }: TrackerFormProps): VNode {
  const { tracker } = draft;
  const enabled = new Set(enabledCoreFields(tracker.fields_bits));
  return (
    <div class="box tabular">
      <p>
        <label for="tracker_name">
          {t('field_name')} <span class="required">*</span>
        </label>
        <input type="text" id="tracker_name" name="tracker[name]" value={tracker.name} size={30} maxLength={30} required />
      </p>
      <p>
        <label for="tracker_default_status_id">
          {t('field_default_status')} <span class="required">*</span>
        </label>
        <select id="tracker_default_status_id" name="tracker[default_status_id]">
          {tracker.default_status_id === null ? <option value=""></option> : null}
          {choices.statuses.map((status) => (
            <option value={String(status.id)} selected={status.id === tracker.default_status_id}>
              {status.name}
            </option>
          ))}
        </select>
      </p>
      <p>
        <label for="tracker_private_by_default">{t('field_private_by_default')}</label>
        <CheckBox id="tracker_private_by_default" name="tracker[private_by_default]" checked={tracker.private_by_default} />
      </p>
      <p>
        <label for="tracker_is_in_roadmap">{t('field_is_in_roadmap')}</label>
        <CheckBox id="tracker_is_in_roadmap" name="tracker[is_in_roadmap]" checked={tracker.is_in_roadmap} />
      </p>
      <p>
        <label for="tracker_description">{t('field_description')}</label>
        <textarea id="tracker_description" name="tracker[description]" rows={4} cols={60}>
          {tracker.description ?? ''}
        </textarea>
      </p>
      <p id="tracker_core_fields">
        <label>{t('field_core_fields')}</label>
        <span class="check-list">
          {TRACKER_CORE_FIELDS.map((field) => (
            <label class="block">
              <input type="checkbox" name="tracker[core_fields][]" value={field} checked={enabled.has(field)} /> {coreFieldLabel(t, field)}
            </label>
          ))}
        </span>
      </p>
      <input type="hidden" name="tracker[core_fields][]" value="" />
      {choices.customFields.length > 0 ? (
        <>
          <p id="tracker_custom_field_ids">
            <label>{t('label_custom_field_plural')}</label>
            <span class="check-list">
              {choices.customFields.map((field) => (
                <label class="block">
                  <input type="checkbox" name="tracker[custom_field_ids][]" value={String(field.id)} checked={draft.customFieldIds.includes(field.id)} /> {field.name}
                </label>
              ))}
            </span>
          </p>
          <input type="hidden" name="tracker[custom_field_ids][]" value="" />
        </>
      ) : null}
      {tracker.id === undefined && choices.trackers.length > 0 ? (
        <p>
          <label for="copy_workflow_from">{t('label_copy_workflow_from')}</label>
          <select id="copy_workflow_from" name="copy_workflow_from">
            <option value=""></option>
            {choices.trackers.map((other) => (
              <option value={String(other.id)} selected={other.id === copyWorkflowFrom}>
                {other.name}
              </option>
            ))}
          </select>
        </p>
      ) : null}
    </div>
  );
}

export function TrackerForm(props: TrackerFormProps): VNode {
  const { t, draft, choices } = props;
  const isNew = draft.tracker.id === undefined;
  return (
    <>
      <h2>
        <a href="/trackers">{t('label_tracker_plural')}</a> » {isNew ? t('label_tracker_new') : draft.tracker.name}
      </h2>
      <form method="post" action={isNew ? '/trackers' : `/trackers/${draft.tracker.id}`} id={isNew ? 'new_tracker' : 'edit_tracker'} class="tabular">
        <CsrfField token={props.csrfToken} />
        <ErrorExplanation errors={props.errors} t={t} />
        <div class="splitcontent">
          <div class="splitcontentleft">
            <MainBox {...props} />
            <button type="submit" name="commit">
              {isNew ? t('button_create') : t('button_save')}
            </button>
          </div>
          <div class="splitcontentright">
            {choices.projects.length > 0 ? (
              <fieldset class="box" id="tracker_project_ids">
                <legend>
                  <ToggleCheckboxes t={t} selector="#tracker_project_ids input[type=checkbox]" />
                  {t('label_project_plural')}
                </legend>
                <ProjectCheckboxes projects={choices.projects} name="tracker[project_ids][]" checked={draft.projectIds} />
              </fieldset>
            ) : null}
          </div>
        </div>
      </form>
    </>
  );
}
