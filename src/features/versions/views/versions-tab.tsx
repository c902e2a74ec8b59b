/**
 * The versions tab of a project's settings (Redmine's projects/settings/_versions): the versions the
 * project uses, filtered by status and name, with edit and delete for its own; "New version" and
 * "Close completed versions". Pure.
 */
import type { VNode } from 'preact';
import type { PageView } from '#src/http/page.tsx';
import type { MessageKey } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import { DeleteButton } from '#src/views/list-buttons.tsx';
import type { VersionRow } from '../version.repository.ts';

export const versionStatusLabel = (status: string | null): MessageKey => `label_version_status_${status ?? 'open'}` as MessageKey;
export const versionSharingLabel = (sharing: string): MessageKey => `label_version_sharing_${sharing}` as MessageKey;

export interface VersionsTabProps {
  readonly view: PageView;
  readonly project: { readonly id: number; readonly identifier: string };
  readonly versions: readonly VersionRow[];
  /** '' = all statuses. */
  readonly status: string;
  readonly name: string;
}

/** A version's name, prefixed with its project's when it comes from another project (Redmine's format_version_name). */
export function versionName(version: VersionRow, projectId: number): string {
  return version.project_id === projectId ? version.name : `${version.project_name} - ${version.name}`;
}

export function VersionsTab({ view, project, versions, status, name }: VersionsTabProps): VNode {
  const { t, csrfToken, format } = view;
  const path = `/projects/${encodeURIComponent(project.identifier)}`;
  return (
    <div id="tab-versions">
      <form method="get" action={`${path}/settings`} id="versions-filter">
        <input type="hidden" name="tab" value="versions" />
        <fieldset>
          <legend>{t('label_filter_plural')}</legend>
          <label for="version_status">{t('field_status')}:</label>{' '}
          <select id="version_status" name="version_status">
            <option value="" selected={status === ''}>
              {t('label_all')}
            </option>
            {['open', 'locked', 'closed'].map((s) => (
              <option value={s} selected={status === s}>
                {t(versionStatusLabel(s))}
              </option>
            ))}
          </select>{' '}
          <label for="version_name">{t('field_name')}:</label> <input type="text" id="version_name" name="version_name" value={name} size={30} />{' '}
          <button type="submit">{t('button_apply')}</button>
        </fieldset>
      </form>
      {versions.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <table class="list versions">
          <thead>
            <tr>
              <th scope="col">{t('label_version')}</th>
              <th scope="col">{t('field_effective_date')}</th>
              <th scope="col">{t('field_description')}</th>
              <th scope="col">{t('field_status')}</th>
              <th scope="col">{t('field_sharing')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => {
              const own = v.project_id === project.id;
              return (
                <tr id={`version-${v.id}`} class={`version ${v.status ?? 'open'} ${own ? '' : 'shared'}`.trim()}>
                  <td class="name">
                    <a href={`/versions/${v.id}`}>{versionName(v, project.id)}</a>
                  </td>
                  <td class="date">{format.date(v.effective_date)}</td>
                  <td class="description">{v.description}</td>
                  <td class="status">{t(versionStatusLabel(v.status))}</td>
                  <td class="sharing">{t(versionSharingLabel(v.sharing))}</td>
                  <td class="buttons">
                    {own ? (
                      <>
                        <a href={`/versions/${v.id}/edit`} class="icon icon-edit">
                          {t('button_edit')}
                        </a>{' '}
                        <DeleteButton t={t} csrfToken={csrfToken} action={`/versions/${v.id}/delete`} />
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div class="contextual versions-actions">
        <form method="post" action={`${path}/versions/close_completed`} class="inline">
          <CsrfField token={csrfToken} />
          <button type="submit" class="link icon icon-lock" id="close-completed-versions">
            {t('label_close_versions')}
          </button>
        </form>
      </div>
      <p>
        <a href={`${path}/versions/new`} class="icon icon-add" id="new-version">
          {t('label_version_new')}
        </a>
      </p>
    </div>
  );
}
