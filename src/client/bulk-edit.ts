/**
 * The bulk edit form (issues/bulk_edit) with script, as Redmine's updateBulkEditFrom: a change of the
 * project, tracker or status (`select[data-refresh-form]`) posts the form to its `data-refresh-url`
 * and the answer's form replaces this one, since the choices depend on them (and the warning about
 * values a move deletes is shown). A "Clear" checkbox (`input[data-disables]`) disables the field it
 * clears. Without this script the "Update form" button reloads the page, and a checked "Clear" wins
 * over the field as the last of two same-named values.
 */
import { fetchRefreshedForm } from './shared/form-refresh.ts';

const CONTAINER_ID = 'bulk-edit';

function applyDisables(root: ParentNode): void {
  for (const box of root.querySelectorAll<HTMLInputElement>('input[data-disables]')) {
    disableFrom(box);
  }
}

function disableFrom(box: HTMLInputElement): void {
  const selector = box.dataset.disables;
  let field: Element | null = null;
  try {
    field = selector ? document.querySelector(selector) : null;
  } catch {
    return;
  }
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
    field.disabled = box.checked;
    if (box.checked) {
      field.value = '';
    }
  }
}

async function refresh(form: HTMLFormElement, changed: HTMLSelectElement): Promise<void> {
  const container = document.getElementById(CONTAINER_ID);
  const html = container ? await fetchRefreshedForm(form) : undefined;
  if (!container || html === undefined) {
    return;
  }
  const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(CONTAINER_ID);
  if (!fresh) {
    throw new Error('no form in the answer');
  }
  container.replaceChildren(...fresh.childNodes);
  applyDisables(container);
  hideUpdateButtons(container);
  document.getElementById(changed.id)?.focus();
}

/** With script the form follows the selects by itself. */
function hideUpdateButtons(root: ParentNode): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>('button[data-update-form]')) {
    button.hidden = true;
  }
}

document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.dataset.disables !== undefined) {
    disableFrom(target);
    return;
  }
  if (!(target instanceof HTMLSelectElement) || target.dataset.refreshForm === undefined) {
    return;
  }
  const form = target.form;
  if (!form || form.id !== 'bulk_edit_form') {
    return;
  }
  refresh(form, target).catch((error: unknown) => {
    if (error instanceof DOMException && error.name === 'AbortError') {
      return;
    }
    // The page as a whole instead: the "Update form" button posts the same form.
    const button = form.querySelector<HTMLButtonElement>('button[data-update-form]');
    if (button) {
      form.requestSubmit(button);
    }
  });
});

applyDisables(document);
hideUpdateButtons(document);
