/**
 * Behaviour every page shares, wired by data attributes (the pages work without it):
 * - `data-confirm="text"` on a form or submit button asks before submitting; on an `<option>`, asks
 *   when the form is sent with that option newly chosen;
 * - `data-check-all="name"` on a checkbox checks or unchecks every checkbox named `name` in its form;
 * - `data-auto-submit` on a select submits its form when changed.
 */
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) {
    return;
  }
  const submitter = event.submitter;
  const question = submitter?.dataset.confirm ?? form.dataset.confirm ?? newlyChosenOptionQuestion(form);
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

/** The question of an option with `data-confirm` that is chosen now but was not when the page came. */
function newlyChosenOptionQuestion(form: HTMLFormElement): string | undefined {
  for (const option of form.querySelectorAll<HTMLOptionElement>('option[data-confirm]')) {
    if (option.selected && !option.defaultSelected) {
      return option.dataset.confirm;
    }
  }
  return undefined;
}

document.addEventListener('change', (event) => {
  const target = event.target;
  if (!(target instanceof HTMLElement)) {
    return;
  }
  if (target instanceof HTMLInputElement && target.dataset.checkAll && target.form) {
    for (const box of target.form.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${CSS.escape(target.dataset.checkAll)}"]`)) {
      box.checked = target.checked;
    }
  }
  if (target instanceof HTMLSelectElement && target.dataset.autoSubmit !== undefined) {
    target.form?.requestSubmit();
  }
});
