/**
 * The issue's history (`#history`): tabs History / Notes / Changes as links (`?tab=notes`) that work
 * without JavaScript — every journal is rendered once and the selected tab's class hides the others,
 * so the `issue-history` island can switch tabs without a reload. Each journal is Redmine's
 * `div.journal#change-<id>` with its `#note-<n>` anchor, author and age, changes, notes and actions
 * (quote, edit, delete). Pure.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import type { Formatter } from '#src/views/format.ts';
import { CsrfField } from '#src/views/form.tsx';
import { HISTORY_TABS, type HistoryTab, type IssueShowModel, type JournalItem } from '../issue-show.loader.ts';
import { Ago, principalName, PrincipalLink, Sentence } from './issue-format.tsx';
import { JournalDetailLine, type DetailContext } from './journal-details.tsx';

const TAB_LABELS = { history: 'label_history', notes: 'label_issue_history_notes', properties: 'label_issue_history_properties' } as const;

function journalClass(item: JournalItem): string {
  return [
    'journal',
    (item.row.notes ?? '') !== '' ? 'has-notes' : undefined,
    item.details.length > 0 ? 'has-details' : undefined,
    item.row.private_notes ? 'private-notes' : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

function JournalActions({ model, item, t, quoteT, format, csrfToken }: { model: IssueShowModel; item: JournalItem; t: Translate; quoteT: Translate; format: Formatter; csrfToken: string }): VNode | null {
  const { row } = item;
  if ((row.notes ?? '') === '') {
    return null;
  }
  const author = principalName(model.names.principals.get(row.user_id), quoteT, format);
  return (
    <span class="journal-actions">
      {model.rights.addNotes ? (
        <a
          href={`/issues/${model.issue.id}/edit?quote_journal=${row.id}`}
          class="icon-only icon-comment quote-link"
          title={t('button_quote')}
          data-quote={row.notes ?? ''}
          data-quote-header={quoteT('text_user_wrote', { value: author })}
        >
          {t('button_quote')}
        </a>
      ) : null}
      {item.editable ? (
        <>
          {' '}
          <a href={`/journals/${row.id}/edit`} class="icon-only icon-edit" title={t('button_edit')}>
            {t('button_edit')}
          </a>{' '}
          <form method="post" action={`/journals/${row.id}`} class="inline" data-confirm={t('text_are_you_sure')}>
            <CsrfField token={csrfToken} />
            <input type="hidden" name="journal[notes]" value="" />
            <button type="submit" class="link icon-only icon-del" title={t('button_delete')}>
              {t('button_delete')}
            </button>
          </form>
        </>
      ) : null}
    </span>
  );
}

function Journal(props: { model: IssueShowModel; item: JournalItem; ctx: DetailContext; csrfToken: string; quoteT: Translate }): VNode {
  const { model, item, ctx } = props;
  const { t, format } = ctx;
  const { row } = item;
  const edited = row.updated_by_id !== null && row.updated_on !== null && row.updated_on !== row.created_on;
  return (
    <div id={`change-${row.id}`} class={journalClass(item)}>
      <div id={`note-${item.indice}`} class="note">
        <div class="contextual">
          <JournalActions model={model} item={item} t={t} quoteT={props.quoteT} format={format} csrfToken={props.csrfToken} />{' '}
          <a href={`#note-${item.indice}`} class="journal-link">
            #{item.indice}
          </a>
        </div>
        <h4 class="note-header">
          <Sentence
            t={t}
            k="label_updated_time_by"
            parts={{ author: <PrincipalLink principal={model.names.principals.get(row.user_id)} t={t} format={format} />, age: <Ago at={new Date(row.created_on)} format={format} /> }}
          />
          {row.private_notes ? (
            <>
              {' '}
              <span class="badge badge-private private">{t('field_private_notes')}</span>
            </>
          ) : null}
          {edited && row.updated_on ? (
            <span class="update-info">
              {' · '}
              <Sentence t={t} k="label_edited_time_ago" parts={{ age: <Ago at={new Date(row.updated_on)} format={format} /> }} />
            </span>
          ) : null}
        </h4>
        {item.details.length > 0 ? (
          <ul class="details">
            {item.details.map((detail) => (
              <JournalDetailLine detail={detail} journalId={row.id} ctx={ctx} />
            ))}
          </ul>
        ) : null}
        {(row.notes ?? '') !== '' ? (
          <div id={`journal-${row.id}-notes`} class="wiki" dangerouslySetInnerHTML={{ __html: item.notesHtml }} />
        ) : null}
      </div>
    </div>
  );
}

export function IssueHistory(props: { model: IssueShowModel; t: Translate; format: Formatter; csrfToken: string; quoteT: Translate }): VNode | null {
  const { model, t, format } = props;
  if (model.journals.length === 0) {
    return null;
  }
  const ctx: DetailContext = {
    t,
    format,
    names: model.names,
    fields: model.historyFields,
    attachments: new Map(model.attachments.map((a) => [a.id, a])),
    issues: model.relatedIssues,
  };
  const tabHref = (tab: HistoryTab) => `/issues/${model.issue.id}${tab === 'history' ? '?tab=history' : `?tab=${tab}`}#history`;
  return (
    <div id="history" class={`tab-${model.tab}`}>
      <h3 class="visually-hidden">{t('label_history')}</h3>
      <div class="tabs">
        <ul role="tablist">
          {HISTORY_TABS.map((tab) => (
            <li role="presentation">
              <a href={tabHref(tab)} id={`tab-${tab}`} class={tab === model.tab ? 'selected' : undefined} role="tab" aria-selected={tab === model.tab ? 'true' : 'false'} data-history-tab={tab}>
                {t(TAB_LABELS[tab])}
              </a>
            </li>
          ))}
        </ul>
      </div>
      <div class="tab-content" id="tab-content-history" role="tabpanel">
        {model.journals.map((item) => (
          <Journal model={model} item={item} ctx={ctx} csrfToken={props.csrfToken} quoteT={props.quoteT} />
        ))}
      </div>
    </div>
  );
}
