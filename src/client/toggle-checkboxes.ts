/**
 * `data-toggle-checkboxes="selector"` buttons (src/views/toggle-checkboxes.tsx): a click checks every
 * enabled checkbox the selector finds in the page, or unchecks them all when all are checked. The
 * buttons are hidden without this script, since they would do nothing.
 */
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-toggle-checkboxes]')) {
  button.hidden = false;
}

document.addEventListener('click', (event) => {
  const target = event.target;
  const button = target instanceof Element ? target.closest<HTMLButtonElement>('button[data-toggle-checkboxes]') : null;
  const selector = button?.dataset.toggleCheckboxes;
  if (!button || !selector) {
    return;
  }
  event.preventDefault();
  let boxes: HTMLInputElement[];
  try {
    boxes = [...document.querySelectorAll<HTMLInputElement>(selector)].filter((box) => box.type === 'checkbox' && !box.disabled);
  } catch {
    return;
  }
  const check = !boxes.every((box) => box.checked);
  for (const box of boxes) {
    box.checked = check;
  }
});
