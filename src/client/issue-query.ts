/**
 * The issue list's query form, enhanced (it works without this): the "Add filter" disclosure becomes
 * Redmine's select that moves a filter row into the active filters; each row shows only the value
 * inputs its operator reads (the others are disabled, so they are not sent); unchecked filters send
 * nothing; list values can switch to a multiple select; the columns chooser gets its arrow buttons.
 */

const VALUELESS = new Set(['o', 'c', '!*', '*', 'nd', 't', 'ld', 'nw', 'w', 'lw', 'l2w', 'nm', 'm', 'lm', 'y', '*o', '!o']);
const DAYS = new Set(['>t-', '<t-', 't-', '><t-', '>t+', '<t+', 't+', '><t+']);

function setEnabled(element: HTMLElement | null, enabled: boolean): void {
  if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLButtonElement) {
    element.disabled = !enabled;
  }
  if (element) {
    element.hidden = !enabled;
  }
}

/** Shows and enables the inputs the row's operator reads; a row that is not checked sends nothing. */
function refreshRow(row: HTMLTableRowElement): void {
  const checkbox = row.querySelector<HTMLInputElement>('td.field input[type=checkbox]');
  const operatorSelect = row.querySelector<HTMLSelectElement>('td.operator select');
  const active = Boolean(checkbox?.checked) && row.closest('#filters-table') !== null;
  const operator = operatorSelect?.value ?? '';
  if (operatorSelect) {
    operatorSelect.disabled = !active;
  }
  const values = row.querySelector<HTMLElement>('td.values span.values');
  if (!values) {
    return;
  }
  const valueless = VALUELESS.has(operator);
  values.hidden = valueless;
  const inputs = [...values.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')];
  for (const input of inputs) {
    input.disabled = !active || valueless;
  }
  if (values.classList.contains('date')) {
    const days = DAYS.has(operator);
    setEnabled(values.querySelector('.date1'), active && !valueless && !days);
    setEnabled(values.querySelector('.date2'), active && operator === '><');
    setEnabled(values.querySelector('.days'), active && days);
    const label = values.querySelector<HTMLElement>('.days-label');
    if (label) {
      label.hidden = !days;
    }
  } else if (values.classList.contains('number')) {
    setEnabled(values.querySelector('.value2'), active && operator === '><');
  }
}

function enhanceMultiselect(row: HTMLTableRowElement): void {
  const button = row.querySelector<HTMLButtonElement>('button.toggle-multiselect');
  const select = row.querySelector<HTMLSelectElement>('span.values select');
  if (!button || !select) {
    return;
  }
  button.hidden = false;
  button.addEventListener('click', () => {
    select.multiple = !select.multiple;
    select.size = select.multiple ? Math.min(10, Math.max(4, select.options.length)) : 0;
  });
}

/**
 * Fills a row's empty value select (large lists are not in the page) from Redmine's
 * `/queries/filter`, for the project the list is of.
 */
async function loadRemoteValues(form: HTMLFormElement, row: HTMLTableRowElement): Promise<void> {
  const select = row.querySelector<HTMLSelectElement>('span.values select[data-remote]');
  if (!select || select.options.length > 0) {
    return;
  }
  const params = new URLSearchParams({ type: 'IssueQuery', name: row.dataset.field ?? '' });
  const project = form.querySelector<HTMLInputElement>('input[name=project_id]')?.value;
  if (project) {
    params.set('project_id', project);
  }
  const answer = await fetch(`/queries/filter?${params.toString()}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!answer.ok) {
    return;
  }
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const [label, value, group] of (await answer.json()) as [string, string, string?][]) {
    const option = new Option(label, value);
    if (group === undefined) {
      select.append(option);
    } else {
      let optgroup = groups.get(group);
      if (!optgroup) {
        optgroup = document.createElement('optgroup');
        optgroup.label = group;
        groups.set(group, optgroup);
        select.append(optgroup);
      }
      optgroup.append(option);
    }
  }
  delete select.dataset.remote;
}

function enhanceFilters(form: HTMLFormElement): void {
  const active = form.querySelector<HTMLTableSectionElement>('#filters-table tbody');
  const details = form.querySelector<HTMLDetailsElement>('details#add-filter');
  const rows = [...form.querySelectorAll<HTMLTableRowElement>('tr.filter')];
  for (const row of rows) {
    enhanceMultiselect(row);
    row.addEventListener('change', () => refreshRow(row));
    refreshRow(row);
  }
  if (!active || !details) {
    return;
  }
  const select = document.createElement('select');
  select.id = 'add_filter_select';
  const blank = document.createElement('option');
  blank.value = '';
  blank.textContent = details.querySelector('summary')?.textContent ?? '';
  select.append(blank);
  for (const section of details.querySelectorAll<HTMLTableSectionElement>('tbody')) {
    const group = section.dataset.label ? document.createElement('optgroup') : select;
    if (group instanceof HTMLOptGroupElement) {
      group.label = section.dataset.label ?? '';
      select.append(group);
    }
    for (const row of section.querySelectorAll<HTMLTableRowElement>('tr.filter')) {
      const option = document.createElement('option');
      option.value = row.id;
      option.textContent = row.querySelector('td.field label')?.textContent?.trim() ?? row.id;
      group.append(option);
    }
  }
  const label = document.createElement('label');
  label.htmlFor = select.id;
  label.textContent = blank.textContent;
  label.className = 'visually-hidden';
  const wrapper = document.createElement('div');
  wrapper.className = 'add-filter';
  wrapper.append(label, select);
  details.hidden = true;
  details.after(wrapper);
  select.addEventListener('change', () => {
    const row = select.value ? form.querySelector<HTMLTableRowElement>(`#${CSS.escape(select.value)}`) : null;
    if (row) {
      active.append(row);
      const checkbox = row.querySelector<HTMLInputElement>('td.field input[type=checkbox]');
      if (checkbox) {
        checkbox.checked = true;
      }
      select.selectedOptions[0]?.remove();
      refreshRow(row);
      void loadRemoteValues(form, row);
      row.querySelector<HTMLElement>('td.operator select')?.focus();
    }
    select.value = '';
  });
}

function moveSelected(from: HTMLSelectElement, to: HTMLSelectElement): void {
  for (const option of [...from.selectedOptions]) {
    to.append(option);
  }
}

function moveWithin(select: HTMLSelectElement, up: boolean): void {
  const options = [...select.selectedOptions];
  for (const option of up ? options : options.reverse()) {
    const sibling = up ? option.previousElementSibling : option.nextElementSibling;
    if (sibling && !(sibling as HTMLOptionElement).selected) {
      if (up) {
        sibling.before(option);
      } else {
        sibling.after(option);
      }
    }
  }
}

function enhanceColumns(form: HTMLFormElement): void {
  const selected = form.querySelector<HTMLSelectElement>('#selected_c');
  const available = form.querySelector<HTMLSelectElement>('#available_c');
  const buttons = form.querySelector<HTMLElement>('.query-columns-buttons');
  if (!selected || !available || !buttons) {
    return;
  }
  buttons.hidden = false;
  for (const option of selected.options) {
    option.selected = false;
  }
  buttons.querySelector('.move-right')?.addEventListener('click', () => moveSelected(available, selected));
  buttons.querySelector('.move-left')?.addEventListener('click', () => moveSelected(selected, available));
  buttons.querySelector('.move-up')?.addEventListener('click', () => moveWithin(selected, true));
  buttons.querySelector('.move-down')?.addEventListener('click', () => moveWithin(selected, false));
  form.addEventListener('submit', () => {
    for (const option of selected.options) {
      option.selected = true;
    }
    for (const option of available.options) {
      option.selected = false;
    }
  });
}

for (const form of document.querySelectorAll<HTMLFormElement>('#query_form, #query-form')) {
  enhanceFilters(form);
  enhanceColumns(form);
}
