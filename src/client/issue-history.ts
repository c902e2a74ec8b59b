/**
 * The issue page without reloads (it works without this script):
 * - the history tabs (`a[data-history-tab]`) switch the class of `#history`, which hides the other
 *   journals, and keep the address (`?tab=notes`) in the history;
 * - a Quote link (`a[data-quote]`) puts `> quoted text` into the edit form's notes
 *   (`textarea#issue_notes`) when the page has that form, and shows it; else the link opens the edit
 *   page with `?quote_journal=<journal id>` (`?quote_description=1` for the description), which quotes
 *   the same way on the server.
 */
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const target = event.target;
  if (!(target instanceof Element)) {
    return;
  }
  const tab = target.closest<HTMLAnchorElement>('a[data-history-tab]');
  if (tab) {
    switchTab(tab);
    event.preventDefault();
    return;
  }
  const quote = target.closest<HTMLAnchorElement>('a[data-quote]');
  if (quote && insertQuote(quote)) {
    event.preventDefault();
  }
});

function switchTab(link: HTMLAnchorElement): void {
  const history = document.getElementById('history');
  const name = link.dataset.historyTab;
  if (!history || !name) {
    return;
  }
  for (const other of history.querySelectorAll<HTMLAnchorElement>('a[data-history-tab]')) {
    const selected = other === link;
    other.classList.toggle('selected', selected);
    other.setAttribute('aria-selected', String(selected));
  }
  history.className = history.className.replace(/\btab-\w+\b/g, '').trim();
  history.classList.add(`tab-${name}`);
  const url = new URL(link.href, window.location.href);
  window.history.replaceState(null, '', `${url.pathname}${url.search}${window.location.hash}`);
}

/** `header` then each line of `text` as `> line`, as Redmine quotes a note (and as the edit page's `?quote_journal=`). */
function quoted(header: string, text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  return `${header}\n${lines.map((line) => `> ${line}`.trimEnd()).join('\n')}\n\n`;
}

function insertQuote(link: HTMLAnchorElement): boolean {
  const notes = document.getElementById('issue_notes');
  if (!(notes instanceof HTMLTextAreaElement)) {
    return false;
  }
  const text = quoted(link.dataset.quoteHeader ?? '', link.dataset.quote ?? '');
  notes.value = notes.value.trim() === '' ? text : `${notes.value.replace(/\s*$/, '')}\n\n${text}`;
  const update = document.getElementById('update');
  if (update) {
    update.hidden = false;
    update.classList.remove('hidden');
  }
  notes.focus();
  notes.setSelectionRange(notes.value.length, notes.value.length);
  notes.scrollIntoView({ block: 'center' });
  return true;
}
