/**
 * Password inputs (src/views/password-fields.tsx): the "show password" box turns its form's password
 * inputs into text inputs while checked; a strength meter follows what is typed in a new password.
 * The meter only guides: the server's policy decides. Without JavaScript both stay hidden.
 */

/** 0–4: a point for 8, 12 and 16 characters, one for mixing three kinds of character. */
export function passwordStrength(password: string): number {
  const length = [...password].length;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((kind) => kind.test(password)).length;
  return [8, 12, 16].filter((min) => length >= min).length + (kinds >= 3 ? 1 : 0);
}

for (const toggle of document.querySelectorAll<HTMLInputElement>('input[data-show-passwords]')) {
  const form = toggle.form;
  const holder = toggle.closest<HTMLElement>('.password-show');
  if (!form || !holder) {
    continue;
  }
  holder.hidden = false;
  toggle.addEventListener('change', () => {
    for (const input of form.querySelectorAll<HTMLInputElement>('input[data-password-input]')) {
      input.type = toggle.checked ? 'text' : 'password';
    }
  });
}

// The administrator's user form (features/users/views/user-form.tsx), "generate password": the typed
// password fields go out of use, and the user will have to change the generated one, so that box is
// ticked (the server insists on it anyway).
const generate = document.getElementById('user_generate_password');
if (generate instanceof HTMLInputElement && generate.form) {
  const form = generate.form;
  const sync = () => {
    for (const input of form.querySelectorAll<HTMLInputElement>('input[data-password-input]')) {
      input.disabled = generate.checked;
    }
    const mustChange = document.getElementById('user_must_change_passwd');
    if (mustChange instanceof HTMLInputElement && generate.checked) {
      mustChange.checked = true;
    }
  };
  generate.addEventListener('change', sync);
  sync();
}

for (const meter of document.querySelectorAll<HTMLElement>('[data-strength-for]')) {
  const input = document.getElementById(meter.dataset.strengthFor ?? '');
  const gauge = meter.querySelector('meter');
  const label = meter.querySelector<HTMLElement>('[data-strength-label]');
  if (!(input instanceof HTMLInputElement) || !gauge || !label) {
    continue;
  }
  const words = (label.dataset.labels ?? '').split('|');
  meter.hidden = false;
  const update = () => {
    const score = passwordStrength(input.value);
    gauge.value = score;
    label.textContent = input.value === '' ? '' : (words[score <= 1 ? 0 : score <= 3 ? 1 : 2] ?? '');
  };
  input.addEventListener('input', update);
  update();
}
