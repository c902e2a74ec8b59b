/**
 * Redmine's context menu on issue lists: right-click a row (or press its "…" button) to get the menu
 * of the selected issues from `data-cm-url`, then choose a change; changes are POSTed with the page's
 * CSRF token in `X-CSRF-Token`, and the browser follows where the server sends it. Keyboard: the
 * menu takes focus, arrow keys move, Escape closes.
 */

const form = document.querySelector<HTMLFormElement>('form[data-cm-url]');

function csrfToken(): string {
  return form?.querySelector<HTMLInputElement>('input[name=authenticity_token]')?.value ?? '';
}

function menuElement(): HTMLDivElement {
  let menu = document.querySelector<HTMLDivElement>('#context-menu');
  if (!menu) {
    menu = document.createElement('div');
    menu.id = 'context-menu';
    menu.hidden = true;
    document.body.append(menu);
  }
  return menu;
}

function closeMenu(): void {
  const menu = document.querySelector<HTMLDivElement>('#context-menu');
  if (menu && !menu.hidden) {
    menu.hidden = true;
    menu.replaceChildren();
  }
}

function checkboxOf(row: HTMLTableRowElement): HTMLInputElement | null {
  return row.querySelector<HTMLInputElement>('input[type=checkbox][name="ids[]"]');
}

/** A row not yet selected becomes the only selection, as in Redmine. */
function selectRow(row: HTMLTableRowElement): void {
  const box = checkboxOf(row);
  if (!form || !box || box.checked) {
    return;
  }
  for (const other of form.querySelectorAll<HTMLInputElement>('input[type=checkbox][name="ids[]"]')) {
    other.checked = false;
    other.closest('tr')?.classList.remove('context-menu-selection');
  }
  box.checked = true;
}

async function openMenu(x: number, y: number, focus: boolean): Promise<void> {
  if (!form) {
    return;
  }
  const ids = [...form.querySelectorAll<HTMLInputElement>('input[type=checkbox][name="ids[]"]:checked')].map((box) => box.value);
  if (ids.length === 0) {
    return;
  }
  for (const box of form.querySelectorAll<HTMLInputElement>('input[type=checkbox][name="ids[]"]')) {
    box.closest('tr')?.classList.toggle('context-menu-selection', box.checked);
  }
  const query = new URLSearchParams(ids.map((id) => ['ids[]', id]));
  const back = form.querySelector<HTMLInputElement>('input[name=back_url]')?.value;
  if (back) {
    query.set('back_url', back);
  }
  const response = await fetch(`${form.dataset.cmUrl ?? ''}?${query.toString()}`, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
  if (!response.ok) {
    return;
  }
  const menu = menuElement();
  menu.innerHTML = await response.text();
  menu.hidden = false;
  const width = menu.offsetWidth;
  const height = menu.offsetHeight;
  const left = Math.min(x, window.scrollX + document.documentElement.clientWidth - width - 4);
  const top = Math.min(y, window.scrollY + document.documentElement.clientHeight - height - 4);
  menu.style.left = `${Math.max(window.scrollX, left)}px`;
  menu.style.top = `${Math.max(window.scrollY, top)}px`;
  if (focus) {
    menu.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }
}

/** Posts a change of the menu; the answer is a redirect (followed) or a page that says what failed. */
async function post(link: HTMLAnchorElement): Promise<void> {
  const question = link.dataset.confirm;
  if (question && !window.confirm(question)) {
    return;
  }
  closeMenu();
  const response = await fetch(link.href, { method: 'POST', headers: { 'x-csrf-token': csrfToken(), accept: 'text/html' }, credentials: 'same-origin' });
  if (response.redirected && response.ok) {
    window.location.assign(response.url);
    return;
  }
  const html = await response.text();
  document.open();
  document.write(html);
  document.close();
}

if (form) {
  form.addEventListener('contextmenu', (event) => {
    const target = event.target as HTMLElement;
    const row = target.closest<HTMLTableRowElement>('tr.hascontextmenu');
    if (!row || target.closest('a, input, button')) {
      return;
    }
    event.preventDefault();
    selectRow(row);
    void openMenu(event.pageX, event.pageY, false);
  });
  form.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button.js-contextmenu');
    const row = button?.closest<HTMLTableRowElement>('tr.hascontextmenu');
    if (!button || !row) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    selectRow(row);
    const box = button.getBoundingClientRect();
    void openMenu(box.left + window.scrollX, box.bottom + window.scrollY, true);
  });
}

document.addEventListener('click', (event) => {
  const target = event.target as HTMLElement;
  const menu = document.querySelector<HTMLDivElement>('#context-menu');
  if (!menu || menu.hidden) {
    return;
  }
  if (!menu.contains(target)) {
    closeMenu();
    return;
  }
  const link = target.closest<HTMLAnchorElement>('a');
  if (!link) {
    return;
  }
  if (link.classList.contains('submenu')) {
    event.preventDefault();
    link.closest('li')?.classList.toggle('open');
    return;
  }
  if (link.dataset.method === 'post') {
    event.preventDefault();
    void post(link);
  }
});

document.addEventListener('keydown', (event) => {
  const menu = document.querySelector<HTMLDivElement>('#context-menu');
  if (!menu || menu.hidden) {
    return;
  }
  if (event.key === 'Escape') {
    closeMenu();
    return;
  }
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') {
    return;
  }
  const current = document.activeElement instanceof HTMLElement && menu.contains(document.activeElement) ? document.activeElement : undefined;
  const list = current?.closest('ul') ?? menu.querySelector('ul');
  const items = [...(list?.querySelectorAll<HTMLElement>(':scope > li > [role=menuitem]') ?? [])];
  const at = current ? items.indexOf(current) : -1;
  event.preventDefault();
  if (event.key === 'ArrowRight' && current?.classList.contains('submenu')) {
    current.closest('li')?.classList.add('open');
    current.closest('li')?.querySelector<HTMLElement>('ul [role=menuitem]')?.focus();
  } else if (event.key === 'ArrowLeft') {
    const parent = list?.closest('li.folder');
    parent?.classList.remove('open');
    parent?.querySelector<HTMLElement>(':scope > a')?.focus();
  } else {
    const next = items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % Math.max(1, items.length)];
    next?.focus();
  }
});
