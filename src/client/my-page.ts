/**
 * My page: blocks can be dragged by their title between the top, left and right groups. A drop posts
 * the new order of the group it landed in (Redmine's order_blocks) and reloads the page, so the
 * move buttons, which work without JavaScript, show the new order too.
 */
const groups = document.querySelectorAll<HTMLElement>('#my-page .block-receiver');
const token = document.querySelector<HTMLInputElement>('input[name="authenticity_token"]')?.value ?? '';
let dragged: HTMLElement | undefined;

function orderOf(group: HTMLElement): string[] {
  return [...group.querySelectorAll<HTMLElement>(':scope > .mypage-box')].map((box) => box.dataset.block ?? '').filter((name) => name !== '');
}

async function saveOrder(group: HTMLElement): Promise<void> {
  const body = new URLSearchParams({ group: group.dataset.group ?? '' });
  for (const block of orderOf(group)) {
    body.append('blocks[]', block);
  }
  const response = await fetch('/my/order_blocks', {
    method: 'POST',
    headers: { 'X-CSRF-Token': token, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    credentials: 'same-origin',
  });
  if (response.ok) {
    window.location.reload();
  }
}

/** The box the pointer is above in the group, to insert before it (none: at the end). */
function boxAfter(group: HTMLElement, y: number): HTMLElement | undefined {
  return [...group.querySelectorAll<HTMLElement>(':scope > .mypage-box')].find((box) => {
    const rect = box.getBoundingClientRect();
    return box !== dragged && y < rect.top + rect.height / 2;
  });
}

for (const box of document.querySelectorAll<HTMLElement>('#my-page .mypage-box')) {
  const handle = box.querySelector<HTMLElement>('h3');
  if (!handle) {
    continue;
  }
  box.draggable = true;
  handle.classList.add('handle');
  box.addEventListener('dragstart', (event) => {
    dragged = box;
    box.classList.add('dragging');
    event.dataTransfer?.setData('text/plain', box.dataset.block ?? '');
  });
  box.addEventListener('dragend', () => {
    box.classList.remove('dragging');
    dragged = undefined;
  });
}

for (const group of groups) {
  group.addEventListener('dragover', (event) => {
    if (dragged) {
      event.preventDefault();
      group.classList.add('drop-target');
    }
  });
  group.addEventListener('dragleave', () => group.classList.remove('drop-target'));
  group.addEventListener('drop', (event) => {
    event.preventDefault();
    group.classList.remove('drop-target');
    if (!dragged) {
      return;
    }
    const before = boxAfter(group, event.clientY);
    group.insertBefore(dragged, before ?? null);
    void saveOrder(group);
  });
}
