/**
 * Redmine's wiki toolbar for every `textarea.wiki-edit`: "Edit | Preview" tabs (the preview posts the
 * text to /preview/text with the form's CSRF token and shows the answer) and buttons inserting the
 * syntax of the textarea's `data-text-formatting` (common_mark, textile; none: no buttons). Without
 * JavaScript the textarea is simply a textarea. Labels come from `data-wiki-labels` (WikiTextarea).
 */

type Format = 'common_mark' | 'textile' | '';

interface Labels {
  edit: string;
  preview: string;
  toolbar: string;
  strong: string;
  em: string;
  del: string;
  code: string;
  heading: string;
  ul: string;
  ol: string;
  bq: string;
  link: string;
  pre: string;
  loading: string;
  failed: string;
  empty: string;
}

const DEFAULT_LABELS: Labels = {
  edit: 'Edit',
  preview: 'Preview',
  toolbar: 'Text formatting',
  strong: 'Bold',
  em: 'Italic',
  del: 'Strikethrough',
  code: 'Inline code',
  heading: 'Heading',
  ul: 'Bulleted list',
  ol: 'Numbered list',
  bq: 'Quote',
  link: 'Link',
  pre: 'Code block',
  loading: 'Loading the preview…',
  failed: 'The preview could not be loaded.',
  empty: 'Nothing to preview.',
};

/** What a button does: wrap the selection, prefix each selected line, or wrap the selected lines in a block. */
type Edit =
  | { readonly wrap: readonly [string, string]; readonly sample: string }
  | { readonly prefix: string }
  | { readonly block: readonly [string, string] }
  | { readonly link: (text: string) => readonly [string, string, string] };

type ButtonKey = 'strong' | 'em' | 'del' | 'code' | 'heading' | 'ul' | 'ol' | 'bq' | 'link' | 'pre';

const SYNTAX: Record<Exclude<Format, ''>, Record<ButtonKey, Edit>> = {
  common_mark: {
    strong: { wrap: ['**', '**'], sample: 'text' },
    em: { wrap: ['*', '*'], sample: 'text' },
    del: { wrap: ['~~', '~~'], sample: 'text' },
    code: { wrap: ['`', '`'], sample: 'code' },
    heading: { prefix: '## ' },
    ul: { prefix: '* ' },
    ol: { prefix: '1. ' },
    bq: { prefix: '> ' },
    link: { link: (text) => ['[', text || 'text', '](https://)'] },
    pre: { block: ['```\n', '\n```'] },
  },
  textile: {
    strong: { wrap: ['*', '*'], sample: 'text' },
    em: { wrap: ['_', '_'], sample: 'text' },
    del: { wrap: ['-', '-'], sample: 'text' },
    code: { wrap: ['@', '@'], sample: 'code' },
    heading: { prefix: 'h2. ' },
    ul: { prefix: '* ' },
    ol: { prefix: '# ' },
    bq: { prefix: 'bq. ' },
    link: { link: (text) => ['"', text || 'text', '":https://'] },
    pre: { block: ['<pre>\n', '\n</pre>'] },
  },
};

/** Face of each button (Redmine's themes draw icons on `.jstb_<key>`; this is the text fallback). */
const FACES: Record<ButtonKey, string> = { strong: 'B', em: 'I', del: 'S', code: '</>', heading: 'H', ul: '•', ol: '1.', bq: '❝', link: '🔗', pre: '{ }' };
const BUTTONS: readonly ButtonKey[] = ['strong', 'em', 'del', 'code', 'heading', 'ul', 'ol', 'bq', 'link', 'pre'];

function labelsOf(textarea: HTMLTextAreaElement): Labels {
  try {
    return { ...DEFAULT_LABELS, ...(JSON.parse(textarea.dataset.wikiLabels ?? '{}') as Partial<Labels>) };
  } catch {
    return DEFAULT_LABELS;
  }
}

function formatOf(textarea: HTMLTextAreaElement): Format {
  const value = textarea.dataset.textFormatting;
  return value === 'textile' || value === '' ? value : 'common_mark';
}

/** Applies an edit to the selection and tells listeners the value changed. */
function apply(textarea: HTMLTextAreaElement, edit: Edit): void {
  const { selectionStart: start, selectionEnd: end, value } = textarea;
  const selected = value.slice(start, end);
  textarea.focus();
  if ('wrap' in edit) {
    const inner = selected || edit.sample;
    textarea.setRangeText(edit.wrap[0] + inner + edit.wrap[1], start, end, 'end');
    textarea.setSelectionRange(start + edit.wrap[0].length, start + edit.wrap[0].length + inner.length);
  } else if ('prefix' in edit) {
    const lineStart = value.lastIndexOf('\n', start - 1) + 1;
    const lines = value.slice(lineStart, end).split('\n');
    const replaced = lines.map((line) => edit.prefix + line).join('\n');
    textarea.setRangeText(replaced, lineStart, end, 'end');
  } else if ('block' in edit) {
    const before = start > 0 && value[start - 1] !== '\n' ? '\n' : '';
    textarea.setRangeText(before + edit.block[0] + selected + edit.block[1], start, end, 'end');
  } else {
    const [open, text, close] = edit.link(selected);
    textarea.setRangeText(open + text + close, start, end, 'end');
    // Both syntaxes put `https://` two characters into the closing part: select it for typing over.
    const url = start + open.length + text.length + 2;
    textarea.setSelectionRange(url, url + 'https://'.length);
  }
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** The wrapper and preview box WikiTextarea renders, made here for a bare textarea.wiki-edit. */
function frameOf(textarea: HTMLTextAreaElement): { block: HTMLElement; editor: HTMLElement; preview: HTMLElement } {
  let block = textarea.closest<HTMLElement>('.jstBlock');
  if (!block) {
    block = element('div', { class: 'jstBlock' });
    const editor = element('div', { class: 'jstEditor' });
    textarea.replaceWith(block);
    editor.append(textarea);
    block.append(editor);
  }
  const editor = textarea.closest<HTMLElement>('.jstEditor') ?? block;
  let preview = block.querySelector<HTMLElement>('.wiki-preview');
  if (!preview) {
    preview = element('div', { class: 'wiki-preview', id: `preview_${textarea.id || 'text'}` });
    preview.hidden = true;
    block.append(preview);
  }
  return { block, editor, preview };
}

async function loadPreview(textarea: HTMLTextAreaElement, preview: HTMLElement, labels: Labels): Promise<void> {
  if (textarea.value.trim() === '') {
    preview.replaceChildren(element('p', { class: 'nodata' }, labels.empty));
    return;
  }
  preview.replaceChildren(element('p', { class: 'loading' }, labels.loading));
  const token = textarea.form?.querySelector<HTMLInputElement>('input[name="authenticity_token"]')?.value ?? '';
  const body = new URLSearchParams({ text: textarea.value });
  if (textarea.dataset.projectId) {
    body.set('project_id', textarea.dataset.projectId);
  }
  if (textarea.dataset.issueId) {
    body.set('issue_id', textarea.dataset.issueId);
  }
  try {
    const response = await fetch(textarea.dataset.previewUrl ?? '/preview/text', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
      body,
      credentials: 'same-origin',
    });
    if (!response.ok) {
      throw new Error(`preview answered ${response.status}`);
    }
    // The server's answer is sanitized formatted text (a div.wiki).
    preview.innerHTML = await response.text();
  } catch {
    preview.replaceChildren(element('p', { class: 'flash error' }, labels.failed));
  }
}

function enhance(textarea: HTMLTextAreaElement): void {
  if (textarea.dataset.wikiToolbar === 'on') {
    return;
  }
  textarea.dataset.wikiToolbar = 'on';
  const labels = labelsOf(textarea);
  const format = formatOf(textarea);
  const { block, editor, preview } = frameOf(textarea);

  const tabs = element('div', { class: 'jstTabs tabs' });
  const list = element('ul', { role: 'tablist' });
  const editTab = element('a', { href: '#', class: 'tab-edit selected', role: 'tab', 'aria-selected': 'true' }, labels.edit);
  const previewTab = element('a', { href: '#', class: 'tab-preview', role: 'tab', 'aria-selected': 'false' }, labels.preview);
  const editItem = element('li', { role: 'presentation' });
  const previewItem = element('li', { role: 'presentation' });
  editItem.append(editTab);
  previewItem.append(previewTab);
  list.append(editItem, previewItem);
  tabs.append(list);

  const toolbar = element('div', { class: 'jstElements', role: 'toolbar', 'aria-label': labels.toolbar });
  if (format !== '') {
    for (const key of BUTTONS) {
      // The name is the label; the face ("1.", "B") is decoration, hidden from assistive technology so
      // the visible text and the accessible name do not disagree.
      const button = element('button', { type: 'button', class: `jstb_${key}`, title: labels[key], tabindex: '-1' });
      button.append(element('span', { 'aria-hidden': 'true' }, FACES[key]), element('span', { class: 'visually-hidden' }, labels[key]));
      button.addEventListener('click', () => apply(textarea, SYNTAX[format][key]));
      toolbar.append(button);
    }
  }
  tabs.append(toolbar);
  block.insertBefore(tabs, block.firstChild);

  const show = (previewing: boolean) => {
    editTab.classList.toggle('selected', !previewing);
    previewTab.classList.toggle('selected', previewing);
    editTab.setAttribute('aria-selected', String(!previewing));
    previewTab.setAttribute('aria-selected', String(previewing));
    editor.hidden = previewing;
    toolbar.hidden = previewing;
    preview.hidden = !previewing;
  };
  editTab.addEventListener('click', (event) => {
    event.preventDefault();
    show(false);
    textarea.focus();
  });
  previewTab.addEventListener('click', (event) => {
    event.preventDefault();
    show(true);
    void loadPreview(textarea, preview, labels);
  });
}

function enhanceAll(root: ParentNode): void {
  for (const textarea of root.querySelectorAll<HTMLTextAreaElement>('textarea.wiki-edit')) {
    enhance(textarea);
  }
}

enhanceAll(document);
// Text areas added later (a note form opened, a fragment loaded) get the toolbar too.
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node instanceof HTMLElement) {
        if (node.matches('textarea.wiki-edit')) {
          enhance(node as HTMLTextAreaElement);
        } else {
          enhanceAll(node);
        }
      }
    }
  }
}).observe(document.body, { childList: true, subtree: true });
