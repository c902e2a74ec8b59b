/**
 * The issue form reacts to a change of project, tracker or status (Redmine's updateIssueFrom): the
 * form's fields (files left out) go to the form's `data-refresh-url`, and the answer — the attributes
 * for the new choice — replaces `#all_attributes`, keeping the focus on the control that changed.
 * Without this script the form's "Update form" button does the same with a whole page.
 */
const form = document.getElementById('issue-form');

function formBody(issueForm: HTMLFormElement): FormData {
  const data = new FormData(issueForm);
  for (const [name, value] of [...data.entries()]) {
    if (value instanceof File) {
      data.delete(name);
    }
  }
  return data;
}

let pending: AbortController | undefined;

async function refresh(issueForm: HTMLFormElement, changed: HTMLElement): Promise<void> {
  const url = issueForm.dataset.refreshUrl;
  const target = document.getElementById('all_attributes');
  const token = issueForm.querySelector<HTMLInputElement>('input[name="authenticity_token"]')?.value;
  if (!url || !target || !token) {
    return;
  }
  pending?.abort();
  const controller = new AbortController();
  pending = controller;
  const response = await fetch(url, {
    method: 'POST',
    body: formBody(issueForm),
    headers: { 'X-CSRF-Token': token, Accept: 'text/html' },
    credentials: 'same-origin',
    signal: controller.signal,
  });
  if (!response.ok || controller.signal.aborted) {
    return;
  }
  const html = await response.text();
  const focusedId = document.activeElement instanceof HTMLElement && target.contains(document.activeElement) ? document.activeElement.id : changed.id;
  target.innerHTML = html;
  if (focusedId) {
    document.getElementById(focusedId)?.focus();
  }
}

if (form instanceof HTMLFormElement) {
  form.addEventListener('change', (event) => {
    const changed = event.target;
    if (changed instanceof HTMLSelectElement && changed.dataset.refreshForm !== undefined) {
      refresh(form, changed).catch(() => {
        // A failed refresh leaves the form as it was; the post still validates everything.
      });
    }
  });
}
