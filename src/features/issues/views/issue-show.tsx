/**
 * Redmine's issue page (issues/show): the action menu, `div.issue` with the tracker and id, the
 * subject under its visible ancestors, who added and updated it, the attributes, description and
 * attachments (thumbnails for images), subtasks, related issues, then the history. The sidebar lists
 * the watchers. Pure: the route loads the model first.
 */
import type { VNode } from 'preact';
import { humanSize, isImageFile, urlSegment, type AttachmentRow } from '#src/features/attachments/index.ts';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { CsrfField } from '#src/views/form.tsx';
import { WikiText } from '#src/views/wiki-text.tsx';
import type { IssueShowModel } from '../issue-show.loader.ts';
import type { IssueNeighbours } from '../issue-list.service.ts';
import type { IssueRow } from '../issue.repository.ts';
import { FullWidthCustomFields, IssueAttributes } from './issue-attributes.tsx';
import { Ago, IssueLink, principalName, PrincipalLink, Sentence } from './issue-format.tsx';
import { IssueHistory } from './issue-history.tsx';
import { IssueRelations, IssueSubtasks, type RelationFormState } from './issue-relations.tsx';

export interface IssueShowProps {
  readonly model: IssueShowModel;
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  /** The relation form after a refusal. */
  readonly relationForm?: RelationFormState | undefined;
  /** The translation quotes are written in (the tenant's language). */
  readonly quoteT: Translate;
}

/** The thumbnails' width in pixels (Redmine's default thumbnails_size). */
const THUMBNAIL_WIDTH = 100;

/** Edit, Log time, Watch/Unwatch, Copy, Delete: those the viewer may use (top and bottom of the page, as Redmine). */
function ActionMenu({ model, t, csrfToken }: { model: IssueShowModel; t: Translate; csrfToken: string }): VNode {
  const { issue, project, rights } = model;
  const identifier = encodeURIComponent(project.identifier ?? String(project.id));
  return (
    <div class="contextual">
      {rights.edit ? (
        <a href={`/issues/${issue.id}/edit`} class="icon icon-edit" accesskey="e">
          {t('button_edit')}
        </a>
      ) : null}
      {rights.logTime ? (
        <a href={`/issues/${issue.id}/time_entries/new`} class="icon icon-time-add">
          {t('button_log_time')}
        </a>
      ) : null}
      {rights.watch ? (
        <form method="post" action={`/watchers/${model.watching ? 'unwatch' : 'watch'}?object_type=issue&object_id=${issue.id}`} class="inline">
          <CsrfField token={csrfToken} />
          <button type="submit" class={`link issue-${issue.id}-watcher icon ${model.watching ? 'icon-fav' : 'icon-fav-off'}`}>
            {model.watching ? t('button_unwatch') : t('button_watch')}
          </button>
        </form>
      ) : null}
      {rights.copy ? (
        <a href={`/projects/${identifier}/issues/${issue.id}/copy`} class="icon icon-copy">
          {t('button_copy')}
        </a>
      ) : null}
      {rights.delete ? (
        <form method="post" action={`/issues/${issue.id}/delete`} class="inline" data-confirm={t('text_are_you_sure')}>
          <CsrfField token={csrfToken} />
          <button type="submit" class="link icon icon-del">
            {t('button_delete')}
          </button>
        </form>
      ) : null}
    </div>
  );
}

/** Redmine's render_issue_subject_with_tree: each visible ancestor, then the subject, nested. */
function SubjectTree({ ancestors, issue, t }: { ancestors: readonly IssueRow[]; issue: IssueRow; t: Translate }): VNode {
  const [first, ...rest] = ancestors;
  if (first) {
    return (
      <div>
        <p>
          <IssueLink issue={first} t={t} withProject={first.project_id !== issue.project_id} />
        </p>
        <SubjectTree ancestors={rest} issue={issue} t={t} />
      </div>
    );
  }
  return (
    <div>
      <h3>
        {issue.subject}
        {issue.is_private ? (
          <>
            {' '}
            <span class="badge badge-private private">{t('field_is_private')}</span>
          </>
        ) : null}
      </h3>
    </div>
  );
}

function Attachments({ model, t, format }: { model: IssueShowModel; t: Translate; format: Formatter }): VNode {
  const images = model.attachments.filter((a) => isImageFile(a.filename));
  const download = (a: AttachmentRow) => `/attachments/download/${a.id}/${urlSegment(a.filename)}`;
  return (
    <div class="attachments">
      <table>
        <tbody>
          {model.attachments.map((a) => (
            <tr id={`attachment-${a.id}`}>
              <td>
                <a href={`/attachments/${a.id}`} class="icon icon-attachment">
                  {a.filename}
                </a>{' '}
                <span class="size">({humanSize(a.filesize, t)})</span>{' '}
                <a href={download(a)} class="icon-only icon-download" title={t('button_download')}>
                  <span class="visually-hidden">{t('button_download')}</span>
                </a>
              </td>
              <td>{a.description ?? ''}</td>
              <td>
                <span class="author">
                  {principalName(model.names.principals.get(a.authorId), t, format)}
                  {a.createdOn ? `, ${format.time(new Date(a.createdOn))}` : ''}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {images.length > 0 ? (
        <div class="thumbnails">
          {images.map((a) => (
            <div>
              <a href={`/attachments/${a.id}`} title={a.filename}>
                <img src={`/attachments/thumbnail/${a.id}`} width={THUMBNAIL_WIDTH} alt={a.filename} loading="lazy" />
              </a>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function issueClasses(model: IssueShowModel): string {
  const { issue } = model;
  return [
    'issue',
    `tracker-${issue.tracker_id}`,
    `status-${issue.status_id}`,
    `priority-${issue.priority_id}`,
    issue.status_is_closed ? 'closed' : undefined,
    issue.is_private ? 'private' : undefined,
    issue.parent_id !== null ? 'child' : undefined,
    model.children.length > 0 ? 'parent' : undefined,
    'details',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Redmine's `next-prev-links`: the previous and next issues of the list viewed last, and this one's place in it. */
function NeighbourLinks({ neighbours, t }: { neighbours: IssueNeighbours; t: Translate }): VNode | null {
  const { previousId, nextId, position } = neighbours;
  if (previousId === undefined && nextId === undefined) {
    return null;
  }
  const previous = `\u00ab ${t('label_previous')}`;
  const next = `${t('label_next')} \u00bb`;
  return (
    <div class="next-prev-links contextual">
      <span class="pagination">
        <ul class="pages">
          <li class={previousId === undefined ? 'previous' : 'previous page'}>
            {previousId === undefined ? (
              <span>{previous}</span>
            ) : (
              <a href={`/issues/${previousId}`} title={`#${previousId}`} accesskey="p" rel="prev">
                {previous}
              </a>
            )}
          </li>
          {position ? (
            <li class="page position">
              <a href={position.listHref}>{t('label_item_position', { position: String(position.index), count: String(position.count) })}</a>
            </li>
          ) : null}
          <li class={nextId === undefined ? 'next' : 'next page'}>
            {nextId === undefined ? (
              <span>{next}</span>
            ) : (
              <a href={`/issues/${nextId}`} title={`#${nextId}`} accesskey="n" rel="next">
                {next}
              </a>
            )}
          </li>
        </ul>
      </span>
    </div>
  );
}

export function IssueShow({ model, t, format, csrfToken, relationForm, quoteT }: IssueShowProps): VNode {
  const { issue, names } = model;
  const created = issue.created_on ? new Date(issue.created_on) : undefined;
  const updated = issue.updated_on ? new Date(issue.updated_on) : undefined;
  const description = model.descriptionHtml !== '';
  return (
    <>
      <ActionMenu model={model} t={t} csrfToken={csrfToken} />
      <h2 class="inline-flex">{t('label_issue_heading', { tracker: issue.tracker_name, id: String(issue.id) })}</h2>
      <div class={issueClasses(model)} id={`issue-${issue.id}`}>
        {model.neighbours ? <NeighbourLinks neighbours={model.neighbours} t={t} /> : null}
        <div class="subject">
          <SubjectTree ancestors={model.ancestors} issue={issue} t={t} />
        </div>
        <p class="author">
          {created ? (
            <>
              <Sentence
                t={t}
                k="label_added_time_by"
                parts={{ author: <PrincipalLink principal={names.principals.get(issue.author_id)} t={t} format={format} />, age: <Ago at={created} format={format} /> }}
              />
              .
            </>
          ) : null}
          {updated && issue.updated_on !== issue.created_on ? (
            <>
              {' '}
              <Sentence t={t} k="label_updated_time" parts={{ age: <Ago at={updated} format={format} /> }} />.
            </>
          ) : null}
        </p>
        <IssueAttributes model={model} t={t} format={format} />
        {description || model.attachments.length > 0 ? (
          <>
            <hr />
            {description ? (
              <div class="description">
                {model.rights.addNotes ? (
                  <div class="contextual">
                    <a
                      href={`/issues/${issue.id}/edit?quote_description=1`}
                      class="icon icon-comment quote-link"
                      data-quote={issue.description ?? ''}
                      data-quote-header={quoteT('text_user_wrote', { value: principalName(names.principals.get(issue.author_id), quoteT, format) })}
                    >
                      {t('button_quote')}
                    </a>
                  </div>
                ) : null}
                <p>
                  <strong>{t('field_description')}</strong>
                </p>
                <div id="issue_description_wiki">
                  <WikiText html={model.descriptionHtml} />
                </div>
              </div>
            ) : null}
            {model.attachments.length > 0 ? <Attachments model={model} t={t} format={format} /> : null}
          </>
        ) : null}
        <FullWidthCustomFields model={model} t={t} format={format} />
        {model.children.length > 0 || model.rights.manageSubtasks ? (
          <>
            <hr />
            <IssueSubtasks model={model} t={t} format={format} />
          </>
        ) : null}
        {model.relations.length > 0 || model.rights.manageRelations ? (
          <>
            <hr />
            <IssueRelations model={model} t={t} format={format} csrfToken={csrfToken} form={relationForm} />
          </>
        ) : null}
      </div>
      <IssueHistory model={model} t={t} format={format} csrfToken={csrfToken} quoteT={quoteT} />
      <div class="clear" />
      <ActionMenu model={model} t={t} csrfToken={csrfToken} />
    </>
  );
}

/** The sidebar: the watchers (Redmine shows them to those who may add one, or see them when there are some). */
export function IssueSidebar({ model, t, format, csrfToken }: Omit<IssueShowProps, 'quoteT' | 'relationForm'>): VNode | null {
  const { rights, issue } = model;
  if (!rights.addWatchers && !(rights.viewWatchers && model.watchers.length > 0)) {
    return null;
  }
  return (
    <div id="watchers">
      <h3>
        {t('label_watchers')} ({model.watchers.length})
      </h3>
      <ul class="watchers">
        {model.watchers.map((w) => (
          <li class={`user-${w.id}`}>
            <PrincipalLink principal={w} t={t} format={format} />
            {rights.deleteWatchers ? (
              <>
                {' '}
                <form method="post" action={`/issues/${issue.id}/watchers/${w.id}/delete`} class="inline">
                  <CsrfField token={csrfToken} />
                  <button type="submit" class="link delete icon-only icon-del" title={t('button_delete')}>
                    <span class="visually-hidden">{t('button_delete')}</span>
                    {'×'}
                  </button>
                </form>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {rights.addWatchers && model.watcherChoices.length > 0 ? (
        <details class="new-watcher">
          <summary>{t('label_issue_watchers_add')}</summary>
          <form method="post" action={`/issues/${issue.id}/watchers`} id="new-watcher-form">
            <CsrfField token={csrfToken} />
            <label for="watcher_user_ids" class="visually-hidden">
              {t('label_issue_watchers_add')}
            </label>
            <select id="watcher_user_ids" name="watcher[user_ids][]" multiple size={Math.min(8, model.watcherChoices.length)}>
              {model.watcherChoices.map((p) => (
                <option value={String(p.id)}>{principalName(p, t, format)}</option>
              ))}
            </select>
            <p>
              <input type="submit" value={t('button_add')} />
            </p>
          </form>
        </details>
      ) : null}
    </div>
  );
}
