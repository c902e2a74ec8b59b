/**
 * The roles list (Redmine's roles/index): givable roles in their order (with move buttons), then the
 * built-in Non member and Anonymous roles in italics; a warning on roles without any workflow.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { DeleteButton, ReorderButtons } from '#src/views/list-buttons.tsx';
import { roleName } from '#src/views/role-name.ts';
import type { RoleListRow } from '../role.repository.ts';

export function RolesList({ t, csrfToken, roles }: { t: Translate; csrfToken: string; roles: readonly RoleListRow[] }): VNode {
  const givable = roles.filter((r) => r.builtin === 0);
  return (
    <>
      <div class="contextual">
        <a href="/roles/new" class="icon icon-add">
          {t('label_role_new')}
        </a>{' '}
        <a href="/roles/permissions" class="icon icon-summary">
          {t('label_permissions_report')}
        </a>
      </div>
      <h2>{t('label_role_plural')}</h2>
      <table class="list roles">
        <thead>
          <tr>
            <th>{t('label_role')}</th>
            <th></th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {roles.map((role) => {
            const builtin = role.builtin !== 0;
            const link = <a href={`/roles/${role.id}/edit`}>{roleName(t, role)}</a>;
            return (
              <tr class={builtin ? 'builtin' : 'givable'} id={`role-${role.id}`}>
                <td class="name">{builtin ? <em>{link}</em> : <span>{link}</span>}</td>
                <td>
                  {!builtin && !role.has_workflow ? (
                    <span class="icon icon-warning">
                      {t('text_role_no_workflow')} (<a href={`/workflows/edit?role_id[]=${role.id}`}>{t('button_edit')}</a>)
                    </span>
                  ) : null}
                </td>
                <td class="buttons">
                  {builtin ? null : (
                    <ReorderButtons t={t} csrfToken={csrfToken} action={`/roles/${role.id}`} param="role" index={givable.indexOf(role) + 1} count={givable.length} />
                  )}
                  <a href={`/roles/new?copy=${role.id}`} class="icon icon-copy">
                    {t('button_copy')}
                  </a>
                  {builtin ? null : <DeleteButton t={t} csrfToken={csrfToken} action={`/roles/${role.id}/delete`} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
