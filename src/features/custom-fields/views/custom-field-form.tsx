/**
 * The custom field form (Redmine's custom_fields/_form, new and edit): a new field first picks its
 * format (a GET form of its own, so the options of that format show without JavaScript); then name,
 * description, multiple values, the format's options, required, visibility (to all or some roles;
 * a plain flag for user fields), editable, used as a filter, searchable, and for issue fields the
 * trackers and projects it is enabled on.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { ProjectCheckboxes } from '#src/views/project-checkboxes.tsx';
import { ToggleCheckboxes } from '#src/views/toggle-checkboxes.tsx';
import { formatCapabilities, formatsFor, typeCapabilities, type CustomFieldDraft } from '../custom-field-definition.rules.ts';
import type { CustomFieldFormChoices } from '../custom-field-definition.service.ts';
import { CustomFieldFormatOptions } from './custom-field-format-options.tsx';
import { CUSTOM_FIELD_TYPE_LABELS, formatLabelKey } from './custom-field-labels.ts';

export interface CustomFieldFormProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly draft: CustomFieldDraft;
  readonly choices: CustomFieldFormChoices;
  readonly errors: readonly string[];
  /** New fields copied from another: its id, carried along. */
  readonly copiedFrom?: number | undefined;
}

function Flag({ id, name, checked, label }: { id: string; name: string; checked: boolean; label: string }): VNode {
  return (
    <p>
      <label for={id}>{label}</label>
      <input type="hidden" name={name} value="0" />
      <input type="checkbox" id={id} name={name} value="1" checked={checked} />
    </p>
  );
}

function FormatOptions({ t, draft, id, disabled, name }: { t: Translate; draft: CustomFieldDraft; id: string; disabled: boolean; name?: string }): VNode {
  const formats = disabled ? [draft.field_format] : formatsFor(draft.type);
  const label = (format: string) => {
    const key = formatLabelKey(format);
    return key ? t(key) : format;
  };
  return (
    <p>
      <label for={id}>{t('field_field_format')}</label>
      <select id={id} name={name} disabled={disabled} data-auto-submit={disabled ? undefined : ''}>
        {formats.map((format) => (
          <option value={format} selected={format === draft.field_format}>
            {label(format)}
          </option>
        ))}
      </select>
      {disabled ? null : (
        <>
          {' '}
          <button type="submit" class="format-change">
            {t('button_change')}
          </button>
        </>
      )}
    </p>
  );
}

/** The GET form that picks the format of a new field. */
function FormatChooser({ t, draft, copiedFrom }: { t: Translate; draft: CustomFieldDraft; copiedFrom: number | undefined }): VNode {
  return (
    <form method="get" action="/custom_fields/new" id="custom_field_format_form">
      <input type="hidden" name="type" value={draft.type} />
      {copiedFrom !== undefined ? <input type="hidden" name="copy" value={String(copiedFrom)} /> : null}
      <div class="box tabular">
        <FormatOptions t={t} draft={draft} id="custom_field_field_format" disabled={false} name="custom_field[field_format]" />
      </div>
    </form>
  );
}

function LeftSide({ t, draft, choices }: CustomFieldFormProps): VNode {
  const isNew = draft.id === undefined;
  const can = formatCapabilities(draft.field_format);
  return (
    <div class="box tabular">
      {isNew ? null : <FormatOptions t={t} draft={draft} id="custom_field_field_format" disabled />}
      <p>
        <label for="custom_field_name">
          {t('field_name')} <span class="required">*</span>
        </label>
        <input type="text" id="custom_field_name" name="custom_field[name]" value={draft.name} size={50} maxLength={30} required />
      </p>
      <p>
        <label for="custom_field_description">{t('field_description')}</label>
        <textarea id="custom_field_description" name="custom_field[description]" rows={7} cols={60}>
          {draft.description ?? ''}
        </textarea>
      </p>
      {can.multiple ? (
        <p>
          <label for="custom_field_multiple">{t('field_multiple')}</label>
          <input type="hidden" name="custom_field[multiple]" value="0" />
          <input type="checkbox" id="custom_field_multiple" name="custom_field[multiple]" value="1" checked={draft.multiple} />
          {!isNew && draft.multiple ? <em class="info">{t('text_turning_multiple_off')}</em> : null}
        </p>
      ) : null}
      <CustomFieldFormatOptions t={t} draft={draft} roles={choices.roles} enumerations={choices.enumerations} />
    </div>
  );
}

function RightSide({ t, draft, choices }: CustomFieldFormProps): VNode {
  const kind = typeCapabilities(draft.type);
  const can = formatCapabilities(draft.field_format);
  return (
    <>
      <div class="box tabular">
        <Flag id="custom_field_is_required" name="custom_field[is_required]" checked={draft.is_required} label={t('field_is_required')} />
        {kind.visibleFlag ? <Flag id="custom_field_visible" name="custom_field[visible]" checked={draft.visible} label={t('field_visible')} /> : null}
        {kind.editable ? <Flag id="custom_field_editable" name="custom_field[editable]" checked={draft.editable} label={t('field_editable')} /> : null}
        {kind.filter && can.filterable ? <Flag id="custom_field_is_filter" name="custom_field[is_filter]" checked={draft.is_filter} label={t('field_is_filter')} /> : null}
        {kind.searchable && can.searchable ? <Flag id="custom_field_searchable" name="custom_field[searchable]" checked={draft.searchable} label={t('field_searchable')} /> : null}
      </div>
      {kind.rolesVisibility ? (
        <fieldset class="box tabular" id="custom_field_visibility">
          <legend>{t('field_visible')}</legend>
          <label class="block">
            <input type="radio" name="custom_field[visible]" value="1" id="custom_field_visible_on" checked={draft.visible} /> {t('label_visibility_public')}
          </label>
          <label class="block">
            <input type="radio" name="custom_field[visible]" value="0" id="custom_field_visible_off" checked={!draft.visible} /> {t('label_visibility_roles')}:
          </label>
          {choices.roles.map((role) => (
            <label class="block custom_field_role">
              <input type="checkbox" name="custom_field[role_ids][]" value={String(role.id)} checked={draft.role_ids.includes(role.id)} /> {role.name}
            </label>
          ))}
          <input type="hidden" name="custom_field[role_ids][]" value="" />
        </fieldset>
      ) : null}
      {kind.trackersAndProjects ? (
        <>
          <fieldset class="box" id="custom_field_tracker_ids">
            <legend>
              <ToggleCheckboxes t={t} selector="#custom_field_tracker_ids input[type=checkbox]" />
              {t('label_tracker_plural')}
            </legend>
            {choices.trackers.map((tracker) => (
              <label class="floating">
                <input type="checkbox" name="custom_field[tracker_ids][]" value={String(tracker.id)} id={`custom_field_tracker_ids_${tracker.id}`} checked={draft.tracker_ids.includes(tracker.id)} />{' '}
                {tracker.name}
              </label>
            ))}
            <input type="hidden" name="custom_field[tracker_ids][]" value="" />
          </fieldset>
          <fieldset class="box" id="custom_field_projects">
            <legend>
              <ToggleCheckboxes t={t} selector="#custom_field_project_ids input[type=checkbox]:enabled" />
              {t('label_project_plural')}
            </legend>
            <Flag id="custom_field_is_for_all" name="custom_field[is_for_all]" checked={draft.is_for_all} label={t('field_is_for_all')} />
            <div id="custom_field_project_ids">
              <ProjectCheckboxes projects={choices.projects} name="custom_field[project_ids][]" checked={draft.project_ids} />
            </div>
          </fieldset>
        </>
      ) : null}
    </>
  );
}

export function CustomFieldForm(props: CustomFieldFormProps): VNode {
  const { t, draft } = props;
  const isNew = draft.id === undefined;
  const buttons = isNew ? (
    <p>
      <button type="submit" name="commit">
        {t('button_create')}
      </button>{' '}
      <button type="submit" name="continue" value="1">
        {t('button_create_and_continue')}
      </button>
    </p>
  ) : (
    <p>
      <button type="submit" name="commit">
        {t('button_save')}
      </button>
    </p>
  );
  return (
    <>
      <h2>
        <a href="/custom_fields">{t('label_custom_field_plural')}</a> » <a href={`/custom_fields?tab=${draft.type}`}>{t(CUSTOM_FIELD_TYPE_LABELS[draft.type])}</a> »{' '}
        {isNew ? t('label_custom_field_new') : draft.name}
      </h2>
      {isNew ? <FormatChooser t={t} draft={draft} copiedFrom={props.copiedFrom} /> : null}
      <form method="post" action={isNew ? '/custom_fields' : `/custom_fields/${draft.id}`} id="custom_field_form" class="tabular">
        <CsrfField token={props.csrfToken} />
        {isNew ? (
          <>
            <input type="hidden" name="type" value={draft.type} />
            <input type="hidden" name="custom_field[field_format]" value={draft.field_format} />
          </>
        ) : null}
        <ErrorExplanation errors={props.errors} t={t} />
        <div class="splitcontent">
          <div class="splitcontentleft">
            <LeftSide {...props} />
            {buttons}
          </div>
          <div class="splitcontentright">
            <RightSide {...props} />
          </div>
        </div>
      </form>
    </>
  );
}
