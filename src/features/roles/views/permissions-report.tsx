/**
 * The permissions report (Redmine's roles/permissions): every permission (rows, grouped by project
 * module) × role (columns) as checkboxes, saved all at once; a filter to show some roles only, and
 * check-all buttons per row and per column. A permission a role cannot hold leaves its cell empty.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import { roleName } from '#src/views/role-name.ts';
import { ToggleCheckboxes } from '#src/views/toggle-checkboxes.tsx';
import { setablePermissions } from '../role.permissions.ts';
import type { PermissionsReport } from '../role.service.ts';
import { moduleLabel, permissionLabel } from './role-form.tsx';

function RoleFilter({ t, report }: { t: Translate; report: PermissionsReport }): VNode {
  const shown = new Set(report.roles.map((r) => r.id));
  return (
    <details id="filters" class="collapsible hide-when-print">
      <summary>{t('label_filter_plural')}</summary>
      <form method="get" action="/roles/permissions">
        <fieldset>
          <legend>
            <ToggleCheckboxes t={t} selector="#filters input[type=checkbox]:enabled" />
          </legend>
          {report.allRoles.map((role) => (
            <label>
              <input type="checkbox" name="ids[]" value={String(role.id)} checked={shown.has(role.id)} /> {roleName(t, role)}
            </label>
          ))}
        </fieldset>
        <p>
          <button type="submit">{t('button_apply')}</button>{' '}
          <a href="/roles/permissions" class="icon icon-reload">
            {t('button_clear')}
          </a>
        </p>
      </form>
    </details>
  );
}

export function PermissionsReportPage({ t, csrfToken, report }: { t: Translate; csrfToken: string; report: PermissionsReport }): VNode {
  const setable = new Map(report.roles.map((role) => [role.id, new Set<string>(setablePermissions(role.builtin))]));
  return (
    <>
      <h2>
        <a href="/roles">{t('label_role_plural')}</a> » {t('label_permissions_report')}
      </h2>
      <RoleFilter t={t} report={report} />
      <form method="post" action="/roles/permissions" id="permissions_form">
        <CsrfField token={csrfToken} />
        {report.roles.map((role) => (
          <input type="hidden" name={`permissions[${role.id}][]`} value="" />
        ))}
        <div class="autoscroll">
          <table class="list permissions">
            <thead>
              <tr>
                <th>{t('label_permissions')}</th>
                {report.roles.map((role) => (
                  <th>
                    <ToggleCheckboxes t={t} selector={`input.role-${role.id}`} />
                    {role.builtin !== 0 ? <em>{roleName(t, role)}</em> : <span>{role.name}</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.groups.map((group) => (
                <>
                  {group.module === null ? null : (
                    <tr class="group open">
                      <td>{moduleLabel(t, group.module)}</td>
                      {report.roles.map((role) => (
                        <td class="role">{roleName(t, role)}</td>
                      ))}
                    </tr>
                  )}
                  {group.permissions.map((permission) => {
                    const label = permissionLabel(t, permission);
                    return (
                      <tr class={`permission-${permission}`}>
                        <td class="name">
                          <ToggleCheckboxes t={t} selector={`.permission-${permission} input`} />
                          {label}
                        </td>
                        {report.roles.map((role) =>
                          setable.get(role.id)?.has(permission) ? (
                            <td title={`${label} (${roleName(t, role)})`}>
                              <input
                                type="checkbox"
                                name={`permissions[${role.id}][]`}
                                value={permission}
                                checked={role.permissions.includes(permission)}
                                class={`role-${role.id}`}
                                aria-label={`${label} (${roleName(t, role)})`}
                              />
                            </td>
                          ) : (
                            <td></td>
                          ),
                        )}
                      </tr>
                    );
                  })}
                </>
              ))}
            </tbody>
          </table>
        </div>
        <p>
          <ToggleCheckboxes t={t} selector="#permissions_form input[type=checkbox]" />
        </p>
        <p>
          <button type="submit" name="commit">
            {t('button_save')}
          </button>
        </p>
      </form>
    </>
  );
}
