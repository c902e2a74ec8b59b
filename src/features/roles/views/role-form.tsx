/**
 * The role form (Redmine's roles/_form): name and assignability (givable roles), the visibility of
 * issues, time entries and users, member management, the default activity, "copy workflow from"
 * (new roles), the permissions by project module, and the trackers the issue permissions apply to.
 * Built-in roles have no name field; Anonymous has no issue or time visibility.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import type { Permission, ProjectModule } from '#src/domain/permissions.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { ToggleCheckboxes } from '#src/views/toggle-checkboxes.tsx';
import { roleName } from '#src/views/role-name.ts';
import { ISSUES_VISIBILITY, TIME_ENTRIES_VISIBILITY, USERS_VISIBILITY, type RoleDraft } from '../role.input.ts';
import { permissionsByModule, setablePermissions, TRACKER_PERMISSIONS } from '../role.permissions.ts';
import type { RoleFormChoices } from '../role.service.ts';

/** The label of a permission (`permission_<name>`); the catalog has one for every permission. */
export function permissionLabel(t: Translate, permission: Permission): string {
  return t(`permission_${permission}` as MessageKey);
}

/** The label of a project module, or of the project's own permissions. */
export function moduleLabel(t: Translate, module: ProjectModule | null): string {
  return module === null ? t('label_project') : t(`project_module_${module}` as MessageKey);
}

const VISIBILITY_LABELS: Readonly<Record<string, MessageKey>> = {
  'issues:all': 'label_issues_visibility_all',
  'issues:default': 'label_issues_visibility_public',
  'issues:own': 'label_issues_visibility_own',
  'time:all': 'label_time_entries_visibility_all',
  'time:own': 'label_time_entries_visibility_own',
  'users:all': 'label_users_visibility_all',
  'users:members_of_visible_projects': 'label_users_visibility_members_of_visible_projects',
};

function VisibilitySelect(props: { t: Translate; kind: 'issues' | 'time' | 'users'; name: string; label: MessageKey; values: readonly string[]; value: string }): VNode {
  const { t } = props;
  const id = `role_${props.name}`;
  return (
    <p>
      <label for={id}>{t(props.label)}</label>
      <select id={id} name={`role[${props.name}]`}>
        {props.values.map((value) => (
          <option value={value} selected={value === props.value}>
            {t(VISIBILITY_LABELS[`${props.kind}:${value}`] ?? 'label_none')}
          </option>
        ))}
      </select>
    </p>
  );
}

export interface RoleFormProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly draft: RoleDraft;
  readonly choices: RoleFormChoices;
  readonly errors: readonly string[];
  /** New roles: the role whose workflow is preselected in "copy workflow from". */
  readonly copyWorkflowFrom?: number | undefined;
}

function GeneralBox({ t, draft, choices, copyWorkflowFrom }: RoleFormProps): VNode {
  const { role } = draft;
  const givable = role.builtin === 0;
  const anonymous = role.builtin === 2;
  return (
    <div class="box tabular">
      {givable ? (
        <>
          <p>
            <label for="role_name">
              {t('field_name')} <span class="required">*</span>
            </label>
            <input type="text" id="role_name" name="role[name]" value={role.name} size={30} maxLength={255} required />
          </p>
          <p>
            <label for="role_assignable">{t('field_assignable')}</label>
            <input type="hidden" name="role[assignable]" value="0" />
            <input type="checkbox" id="role_assignable" name="role[assignable]" value="1" checked={role.assignable} />
          </p>
        </>
      ) : null}
      {anonymous ? null : (
        <VisibilitySelect t={t} kind="issues" name="issues_visibility" label="field_issues_visibility" values={ISSUES_VISIBILITY} value={role.issues_visibility} />
      )}
      {anonymous ? null : (
        <VisibilitySelect t={t} kind="time" name="time_entries_visibility" label="field_time_entries_visibility" values={TIME_ENTRIES_VISIBILITY} value={role.time_entries_visibility} />
      )}
      <VisibilitySelect t={t} kind="users" name="users_visibility" label="field_users_visibility" values={USERS_VISIBILITY} value={role.users_visibility} />
      {givable ? (
        <p class="manage_members_shown">
          <label>{t('label_member_management')}</label>
          <span class="check-list">
            <label class="block">
              <input type="radio" name="role[all_roles_managed]" value="1" id="role_all_roles_managed_on" checked={role.all_roles_managed} /> {t('label_member_management_all_roles')}
            </label>
            <label class="block">
              <input type="radio" name="role[all_roles_managed]" value="0" id="role_all_roles_managed_off" checked={!role.all_roles_managed} />{' '}
              {t('label_member_management_selected_roles_only')}:
            </label>
            {choices.givableRoles.map((other) => (
              <label class="block role_managed_role">
                <input type="checkbox" name="role[managed_role_ids][]" value={String(other.id)} checked={draft.managedRoleIds.includes(other.id)} /> {other.name}
              </label>
            ))}
          </span>
          <input type="hidden" name="role[managed_role_ids][]" value="" />
        </p>
      ) : null}
      {anonymous ? null : (
        <p>
          <label for="role_default_time_entry_activity_id">{t('field_default_time_entry_activity')}</label>
          <select id="role_default_time_entry_activity_id" name="role[default_time_entry_activity_id]">
            <option value="">{t('label_none')}</option>
            {choices.activities.map((activity) => (
              <option value={String(activity.id)} selected={activity.id === role.default_time_entry_activity_id}>
                {activity.name}
              </option>
            ))}
          </select>
        </p>
      )}
      {role.id === undefined && choices.givableRoles.length > 0 ? (
        <p>
          <label for="copy_workflow_from">{t('label_copy_workflow_from')}</label>
          <select id="copy_workflow_from" name="copy_workflow_from">
            <option value=""></option>
            {choices.givableRoles.map((other) => (
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

function PermissionsBox({ t, draft }: { t: Translate; draft: RoleDraft }): VNode {
  const granted = new Set(draft.role.permissions);
  return (
    <>
      <h3>{t('label_permissions')}</h3>
      <div class="box tabular" id="permissions">
        {permissionsByModule(setablePermissions(draft.role.builtin)).map((group) => {
          const id = `module_${group.module ?? 'project'}`;
          return (
            <fieldset id={id}>
              <legend>
                <ToggleCheckboxes t={t} selector={`#${id} input`} />
                {moduleLabel(t, group.module)}
              </legend>
              {group.permissions.map((permission) => (
                <label class="floating">
                  <input type="checkbox" name="role[permissions][]" value={permission} id={`role_permissions_${permission}`} checked={granted.has(permission)} />{' '}
                  {permissionLabel(t, permission)}
                </label>
              ))}
            </fieldset>
          );
        })}
        <p>
          <ToggleCheckboxes t={t} selector="#permissions input[type=checkbox]" />
        </p>
        <input type="hidden" name="role[permissions][]" value="" />
      </div>
    </>
  );
}

function TrackerPermissions({ t, draft, choices }: { t: Translate; draft: RoleDraft; choices: RoleFormChoices }): VNode {
  const setable = new Set<string>(setablePermissions(draft.role.builtin));
  const permissions = TRACKER_PERMISSIONS.filter((p) => setable.has(p));
  const granted = new Set(draft.role.permissions);
  const all = draft.role.settings.permissions_all_trackers ?? {};
  const byTracker = draft.role.settings.permissions_tracker_ids ?? {};
  // Role#permissions_all_trackers?: granted and not limited ('0') to some trackers.
  const forAll = (p: string) => granted.has(p) && all[p] !== '0';
  const forTracker = (p: string, trackerId: number) => granted.has(p) && (byTracker[p] ?? []).map(Number).includes(trackerId);
  return (
    <div id="role-permissions-trackers" class="view_issues_shown">
      <h3>{t('label_issue_tracking')}</h3>
      <div class="autoscroll">
        <table class="list">
          <thead>
            <tr>
              <th>{t('label_tracker')}</th>
              {permissions.map((p) => (
                <th class={`${p}_shown`}>{permissionLabel(t, p)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr class="permissions-all-trackers">
              <td class="name">
                <ToggleCheckboxes t={t} selector='tr.permissions-all-trackers input[type="checkbox"]' />
                <b>{t('label_tracker_all')}</b>
              </td>
              {permissions.map((p) => (
                <td class={`${p}_shown`}>
                  <input type="hidden" name={`role[permissions_all_trackers][${p}]`} value="0" />
                  <input type="checkbox" name={`role[permissions_all_trackers][${p}]`} value="1" checked={forAll(p)} class={`${p}_shown`} aria-label={`${permissionLabel(t, p)}: ${t('label_tracker_all')}`} />
                </td>
              ))}
            </tr>
            {choices.trackers.map((tracker) => (
              <tr class={`permissions-tracker-${tracker.id}`}>
                <td class="name">
                  <ToggleCheckboxes t={t} selector={`tr.permissions-tracker-${tracker.id} input:enabled`} />
                  {tracker.name}
                </td>
                {permissions.map((p) => (
                  <td class={`${p}_shown`}>
                    <input
                      type="checkbox"
                      name={`role[permissions_tracker_ids][${p}][]`}
                      value={String(tracker.id)}
                      checked={forTracker(p, tracker.id)}
                      class={`${p}_tracker`}
                      id={`role_permissions_tracker_ids_${p}_${tracker.id}`}
                      aria-label={`${permissionLabel(t, p)}: ${tracker.name}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {permissions.map((p) => (
        <input type="hidden" name={`role[permissions_tracker_ids][${p}][]`} value="" />
      ))}
    </div>
  );
}

export function RoleForm(props: RoleFormProps): VNode {
  const { t, draft } = props;
  const isNew = draft.role.id === undefined;
  return (
    <>
      <h2>
        <a href="/roles">{t('label_role_plural')}</a> » {isNew ? t('label_role_new') : roleName(t, draft.role)}
      </h2>
      <form method="post" action={isNew ? '/roles' : `/roles/${draft.role.id}`} id={isNew ? 'new_role' : 'edit_role'} class="tabular role-form">
        <CsrfField token={props.csrfToken} />
        <ErrorExplanation errors={props.errors} t={t} />
        <GeneralBox {...props} />
        <PermissionsBox t={t} draft={draft} />
        <TrackerPermissions t={t} draft={draft} choices={props.choices} />
        <p>
          <button type="submit" name="commit">
            {isNew ? t('button_create') : t('button_save')}
          </button>
        </p>
      </form>
    </>
  );
}
