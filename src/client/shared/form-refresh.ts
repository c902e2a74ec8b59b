/**
 * Redmine's "update the form" request, shared by the islands whose choices depend on a select (the
 * issue form's attributes, the bulk edit form): the form's fields, files left out, are posted to its
 * `data-refresh-url` with its CSRF token as the header, and a newer refresh of the same form aborts the
 * older one. Resolves with the answer's HTML, or undefined when the form cannot refresh or a newer
 * refresh took over; rejects when the server did not answer with the page (the caller falls back).
 * Modules under src/client/shared/ are imported by islands; they are no islands themselves (the
 * bundler takes the files of src/client/ only).
 */
const pending = new WeakMap<HTMLFormElement, AbortController>();

export async function fetchRefreshedForm(form: HTMLFormElement): Promise<string | undefined> {
  const url = form.dataset.refreshUrl;
  const token = form.querySelector<HTMLInputElement>('input[name="authenticity_token"]')?.value;
  if (!url || !token) {
    return undefined;
  }
  pending.get(form)?.abort();
  const controller = new AbortController();
  pending.set(form, controller);
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string') {
      body.append(name, value);
    }
  }
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'X-CSRF-Token': token, Accept: 'text/html' },
    credentials: 'same-origin',
    signal: controller.signal,
  });
  if (controller.signal.aborted) {
    return undefined;
  }
  if (!response.ok) {
    throw new Error(`the form refresh answered ${response.status}`);
  }
  return response.text();
}
