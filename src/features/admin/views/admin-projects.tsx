/**
 * Redmine's /admin/projects: every project in tree order, filtered by status and name, with the
 * administrator's actions (archive, unarchive; delete through the project's confirmation page) on
 * the project's own routes.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { CsrfField, Pagination, Select } from '#src/views/form.tsx';

export interface AdminProjectItem {
  readonly id: number;
  readonly identifier: string;
  readonly name: string;
  readonly isPublic: boolean;
  readonly status: number;
  readonly createdOn: Date | null;
  /** 0 for a project whose parent is not in the list. */
  readonly depth: number;
  /** Unarchive is offered only when the parent is not archived itself (Redmine's rule). */
  readonly parentArchived: boolean;
}

export interface AdminProjectsProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  /** '' = every status, else a status number as text. */
  readonly status: string;
  readonly name: string;
  readonly projects: readonly AdminProjectItem[];
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
  /** This list's own URL (with its filters), for the actions to come back to. */
  readonly backUrl: string;
}

const STATUS = { active: 1, closed: 5, archived: 9 } as const;

function listUrl(status: string, name: string, page: number): string {
  const query = new URLSearchParams({ status, name, ...(page > 1 ? { page: String(page) } : {}) });
  return `/admin/projects?${query.toString()}`;
}

export function AdminProjectsPage(props: AdminProjectsProps): VNode {
  const { t, format } = props;
  return (
    <>
      <div class="contextual">
        <a href="/projects/new" class="icon icon-add">
          {t('label_project_new')}
        </a>
      </div>
      <h2>{t('label_project_plural')}</h2>
      <form method="get" action="/admin/projects" id="admin-projects-filters">
        <fieldset>
          <legend>{t('label_filter_plural')}</legend>
          <label for="status">{t('field_status')}:</label>{' '}
          <Select
            id="status"
            name="status"
            value={props.status}
            blank={t('label_all')}
            options={[
              { value: String(STATUS.active), label: t('label_active') },
              { value: String(STATUS.closed), label: t('label_closed') },
              { value: String(STATUS.archived), label: t('label_archived') },
            ]}
            autoSubmit
          />{' '}
          <label for="name">{t('label_project')}:</label> <input type="text" name="name" id="name" size={30} value={props.name} />{' '}
          <button type="submit" class="small">
            {t('button_apply')}
          </button>{' '}
          <a href="/admin/projects" class="icon icon-reload">
            {t('button_clear')}
          </a>
        </fieldset>
      </form>
      {props.projects.length === 0 ? (
        <p class="nodata">{t('label_no_data')}</p>
      ) : (
        <div class="autoscroll">
          <table class="list projects" id="admin-projects">
            <thead>
              <tr>
                <th>{t('label_project')}</th>
                <th>{t('field_is_public')}</th>
                <th>{t('field_created_on')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.projects.map((p) => (
                <ProjectRowView t={t} format={format} csrfToken={props.csrfToken} project={p} backUrl={props.backUrl} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination t={t} page={props.page} perPage={props.perPage} total={props.total} href={(n) => listUrl(props.status, props.name, n)} />
    </>
  );
}

function ProjectRowView(props: { t: Translate; format: Formatter; csrfToken: string; project: AdminProjectItem; backUrl: string }): VNode {
  const { t, project: p } = props;
  const path = `/projects/${encodeURIComponent(p.identifier)}`;
  const archived = p.status === STATUS.archived;
  const classes = ['project', p.depth > 0 ? `idnt idnt-${Math.min(p.depth, 9)}` : 'root', archived ? 'archived' : p.status === STATUS.closed ? 'closed' : ''];
  const action = (verb: 'archive' | 'unarchive', label: string, icon: string) => (
    <form method="post" action={`${path}/${verb}`} class="inline" data-confirm={verb === 'archive' ? t('text_are_you_sure') : undefined}>
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="back_url" value={props.backUrl} />
      <button type="submit" class={`link icon icon-${icon} ${verb}`}>
        {label}
      </button>
    </form>
  );
  return (
    <tr id={`project-${p.id}`} class={classes.filter(Boolean).join(' ')}>
      <td class="name">{archived ? <span>{p.name}</span> : <a href={`${path}/settings`}>{p.name}</a>}</td>
      <td class="is_public">{p.isPublic ? t('general_text_Yes') : t('general_text_No')}</td>
      <td class="created_on">{p.createdOn ? props.format.date(p.createdOn) : ''}</td>
      <td class="buttons">
        {archived
          ? p.parentArchived
            ? null
            : action('unarchive', t('button_unarchive'), 'unlock')
          : action('archive', t('button_archive'), 'lock')}{' '}
        {/* The projects feature's confirmation page does not take archived projects (yet). */}
        {archived ? null : (
          <a href={`${path}/destroy`} class="icon icon-del delete">
            {t('button_delete')}
          </a>
        )}
      </td>
    </tr>
  );
}
