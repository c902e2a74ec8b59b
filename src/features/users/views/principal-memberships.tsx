/**
 * The projects tab of a user or group (Redmine's principal_memberships): each membership with its
 * roles, a form to change them (inherited roles cannot be taken away here), removal, and the form that
 * adds the principal to projects with roles. Works without JavaScript (`<details>` opens the role form).
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import type { PrincipalMemberships } from '../principal-memberships.service.ts';

export interface PrincipalMembershipsProps {
  readonly t: Translate;
  readonly csrfToken: string;
  /** `/users/3` or `/groups/7`. */
  readonly basePath: string;
  readonly data: PrincipalMemberships;
}

export function PrincipalMembershipsTab({ t, csrfToken, basePath, data }: PrincipalMembershipsProps): VNode {
  return (
    <>
      {data.memberships.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <table class="list memberships" id="memberships">
          <thead>
            <tr>
              <th>{t('label_project')}</th>
              <th>{t('label_role_plural')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.memberships.map((m) => {
              const inherited = new Set(m.roles.filter((r) => r.inherited).map((r) => r.id));
              const own = new Set(m.roles.filter((r) => !r.inherited).map((r) => r.id));
              const deletable = inherited.size === 0;
              return (
                <tr id={`member-${m.id}`} class="member">
                  <td class="project name">
                    <a href={`/projects/${m.project.id}`}>{m.project.name}</a>
                  </td>
                  <td class="roles">
                    <span>{[...new Map(m.roles.map((r) => [r.id, r.name])).values()].join(', ')}</span>
                    <details class="edit-roles">
                      <summary>{t('button_edit')}</summary>
                      <form method="post" action={`${basePath}/memberships/${m.id}`}>
                        <CsrfField token={csrfToken} />
                        {data.roles.map((role) => (
                          <label class="block">
                            <input
                              type="checkbox"
                              name="membership[role_ids][]"
                              value={String(role.id)}
                              checked={own.has(role.id) || inherited.has(role.id)}
                              disabled={inherited.has(role.id)}
                            />{' '}
                            {role.name}
                          </label>
                        ))}
                        <input type="hidden" name="membership[role_ids][]" value="" />
                        <button type="submit" class="small">
                          {t('button_save')}
                        </button>
                      </form>
                    </details>
                  </td>
                  <td class="buttons">
                    {deletable ? (
                      <form method="post" action={`${basePath}/memberships/${m.id}/delete`} class="inline" data-confirm={t('text_are_you_sure')}>
                        <CsrfField token={csrfToken} />
                        <button type="submit" class="link icon icon-del delete">
                          {t('button_delete')}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {data.projects.length === 0 ? null : (
        <form method="post" action={`${basePath}/memberships`} id="new-membership">
          <CsrfField token={csrfToken} />
          <fieldset class="box">
            <legend>{t('label_add_projects')}</legend>
            <div class="projects-selection">
              {data.projects.map((p) => (
                <label class={`block idnt-${Math.min(p.depth, 9)}`}>
                  <input type="checkbox" name="membership[project_ids][]" value={String(p.id)} /> {p.name}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset class="box">
            <legend>{t('label_role_plural')}</legend>
            {data.roles.map((role) => (
              <label class="block">
                <input type="checkbox" name="membership[role_ids][]" value={String(role.id)} /> {role.name}
              </label>
            ))}
          </fieldset>
          <p class="buttons">
            <button type="submit" class="primary">
              {t('button_add')}
            </button>
          </p>
        </form>
      )}
    </>
  );
}
