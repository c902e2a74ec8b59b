/**
 * Markup → HTML for the tenant's `text_formatting`: CommonMark with GitHub's tables, strikethrough,
 * task lists and autolinks (markdown-it); Textile for texts migrated from older Redmines (textile-js);
 * or none (escaped text, paragraphs, line breaks, bare URLs linked). The output is not safe yet: the
 * pipeline sanitizes it last.
 */
import MarkdownIt, { type StateCore } from 'markdown-it';
import textile from 'textile-js';
import { escapeHtml } from './html-text.ts';

export type TextFormatting = 'common_mark' | 'textile' | '';

export function textFormattingOf(setting: string | undefined): TextFormatting {
  return setting === 'textile' || setting === '' ? setting : 'common_mark';
}

// Redmine's CommonMark: raw HTML passes (to the sanitizer), single newlines are line breaks.
const markdown = new MarkdownIt('default', { html: true, linkify: true, breaks: true, typographer: false });

const TASK = /^\[([ xX])\][ \t]/;

/** `- [ ] item` / `- [x] item` → a disabled checkbox, with GitHub's class names. */
function taskLists(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i]!;
    if (inline.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open' || tokens[i - 2]!.type !== 'list_item_open') {
      continue;
    }
    const first = inline.children?.[0];
    const match = first?.type === 'text' ? TASK.exec(first.content) : null;
    if (!first || !match) {
      continue;
    }
    first.content = first.content.slice(match[0].length);
    const box = new state.Token('html_inline', '', 0);
    box.content = `<input type="checkbox" class="task-list-item-checkbox" disabled${match[1] === ' ' ? '' : ' checked'}> `;
    inline.children!.unshift(box);
    tokens[i - 2]!.attrJoin('class', 'task-list-item');
    for (let j = i - 3; j >= 0; j--) {
      const open = tokens[j]!;
      if ((open.type === 'bullet_list_open' || open.type === 'ordered_list_open') && open.level === tokens[i - 2]!.level - 1) {
        if (!open.attrGet('class')?.includes('contains-task-list')) {
          open.attrJoin('class', 'contains-task-list');
        }
        break;
      }
    }
  }
}

markdown.core.ruler.push('task_lists', (state) => {
  taskLists(state);
  return true;
});

/**
 * Redmine's Textile escapes raw HTML except `<pre>`, `<code>`, `<kbd>` and `<notextile>`; `#12` at the
 * start of a line is an issue, not a numbered list starting at 12; quoted names after `version:` and
 * friends must keep their straight quotes.
 */
function prepareTextile(text: string): string {
  return text
    .replace(/<(?!\/?(?:pre|code|kbd|notextile)(?:\s[^<>]*)?>)/gi, '&lt;')
    .replace(/^(#+)(?=\d)/gm, (hashes) => '&#35;'.repeat(hashes.length))
    .replace(/((?:attachment|document|version|forum|news|message|project|commit|source|export|user):)"([^"\n]+)"/g, '$1&quot;$2&quot;');
}

/** No formatting: the text escaped, blank lines between paragraphs, line breaks kept, URLs linked. */
function plainToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== '')
    .map((block) => `<p>${autolink(block).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

function autolink(text: string): string {
  const matches = markdown.linkify.match(text) ?? [];
  let html = '';
  let last = 0;
  for (const m of matches) {
    html += escapeHtml(text.slice(last, m.index));
    html += `<a href="${escapeHtml(m.url)}">${escapeHtml(m.text)}</a>`;
    last = m.lastIndex;
  }
  return html + escapeHtml(text.slice(last));
}

/** The text's markup (line ends already `\n`) as unsanitized HTML. */
export function markupToHtml(text: string, format: TextFormatting): string {
  switch (format) {
    case 'common_mark':
      return markdown.render(text);
    case 'textile':
      return textile.convert(prepareTextile(text), { breaks: true });
    case '':
      return plainToHtml(text);
  }
}
