/**
 * A text area for formatted text (descriptions, notes, wiki-like fields). Without JavaScript it is a
 * plain `textarea.wiki-edit`; the `wiki-toolbar` island (add `scripts: ['wiki-toolbar']` to the page)
 * gives it Redmine's "Edit | Preview" tabs and a toolbar inserting the tenant's syntax. Spans (shown as
 * blocks), so it may sit inside a form's `<p>` like Redmine's fields.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';

export interface WikiTextareaProps {
  /** The textarea's id (Redmine's, e.g. `issue_description`, `issue_notes`); the preview box is `preview_<id>`. */
  readonly id: string;
  /** The form field, e.g. `issue[description]`. */
  readonly name: string;
  readonly value: string | null | undefined;
  readonly t: Translate;
  /** The tenant's `text_formatting` setting (`view.settings.text_formatting`). */
  readonly textFormatting: string;
  readonly rows?: number | undefined;
  /** The project (id or identifier) references resolve in on preview. */
  readonly projectId?: string | number | undefined;
  /** The issue whose attachments `attachment:` and inline images may name on preview. */
  readonly issueId?: number | undefined;
  readonly class?: string | undefined;
  readonly placeholder?: string | undefined;
  readonly required?: boolean | undefined;
  readonly disabled?: boolean | undefined;
}

/** Labels of the island's tabs and buttons, in the page's language. */
const LABELS = {
  edit: 'label_edit',
  preview: 'label_preview',
  toolbar: 'label_wiki_toolbar',
  strong: 'label_wiki_toolbar_strong',
  em: 'label_wiki_toolbar_em',
  del: 'label_wiki_toolbar_del',
  code: 'label_wiki_toolbar_code',
  heading: 'label_wiki_toolbar_heading',
  ul: 'label_wiki_toolbar_ul',
  ol: 'label_wiki_toolbar_ol',
  bq: 'label_wiki_toolbar_bq',
  link: 'label_wiki_toolbar_link',
  pre: 'label_wiki_toolbar_pre',
  loading: 'text_wiki_preview_loading',
  failed: 'text_wiki_preview_failed',
  empty: 'text_wiki_preview_empty',
} as const satisfies Record<string, MessageKey>;

export function WikiTextarea(props: WikiTextareaProps): VNode {
  const { id, name, value, t, textFormatting, rows = 10 } = props;
  const labels = Object.fromEntries(Object.entries(LABELS).map(([key, message]) => [key, t(message)]));
  return (
    <span class="jstBlock">
      <span class="jstEditor">
        <textarea
          id={id}
          name={name}
          rows={rows}
          cols={60}
          class={props.class ? `wiki-edit ${props.class}` : 'wiki-edit'}
          placeholder={props.placeholder}
          required={props.required}
          disabled={props.disabled}
          data-text-formatting={textFormatting}
          data-preview-url="/preview/text"
          data-project-id={props.projectId === undefined ? undefined : String(props.projectId)}
          data-issue-id={props.issueId === undefined ? undefined : String(props.issueId)}
          data-wiki-labels={JSON.stringify(labels)}
          // The HTML parser drops one newline right after <textarea>: give it one when the text starts with its own.
          value={/^\r?\n/.test(value ?? '') ? `\n${value}` : (value ?? '')}
        />
      </span>
      <span id={`preview_${id}`} class="wiki-preview" hidden />
    </span>
  );
}
