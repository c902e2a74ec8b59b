/**
 * Suggests a new project's identifier from its name while the identifier field has not been touched
 * (an input with `data-identifier-for="<name field id>"`). Once the user types in the identifier, it
 * is theirs. Without JavaScript the field is simply filled in by hand.
 */

/** Lower case ASCII letters, digits, dashes and underscores, at most 100; a name of digits only gets a prefix. */
export function suggestIdentifier(name: string): string {
  const text = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return /^\d+$/.test(text) ? `p-${text}`.slice(0, 100) : text;
}

for (const field of document.querySelectorAll<HTMLInputElement>('input[data-identifier-for]')) {
  const source = document.getElementById(field.dataset.identifierFor ?? '');
  if (!(source instanceof HTMLInputElement)) {
    continue;
  }
  let touched = field.value !== '';
  field.addEventListener('input', () => {
    touched = field.value !== '';
  });
  source.addEventListener('input', () => {
    if (!touched) {
      field.value = suggestIdentifier(source.value);
    }
  });
}
