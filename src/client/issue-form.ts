/**
 * The issue form reacts to a change of project, tracker or status (Redmine's updateIssueFrom): the
 * form's fields (files left out) go to the form's `data-refresh-url`, and the answer — the attributes
 * for the new choice — replaces `#all_attributes`, keeping the focus on the control that changed.
 * Without this script the form's "Update form" button does the same with a whole page.
 */
import { fetchRefreshedForm } from './shared/form-refresh.ts';

const form = document.getElementById('issue-form');

async function refresh(issueForm: HTMLFormElement, changed: HTMLElement): Promise<void> {
  const target = document.getElementById('all_attributes');
  const html = target ? await fetchRefreshedForm(issueForm) : undefined;
  if (!target || html === undefined) {
    return;
  }
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
