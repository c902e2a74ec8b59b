/**
 * Redmine's `toggle_checkboxes_link`: a small button that checks every checkbox the selector finds
 * in its form, or unchecks them all when they all are checked already. It does something only with
 * the `toggle-checkboxes` island, so it stays hidden until the island shows it.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';

export function ToggleCheckboxes({ t, selector }: { t: Translate; selector: string }): VNode {
  return (
    <button
      type="button"
      class="toggle-checkboxes icon-only icon-checked"
      data-toggle-checkboxes={selector}
      title={`${t('button_check_all')}/${t('button_uncheck_all')}`}
      aria-label={`${t('button_check_all')}/${t('button_uncheck_all')}`}
      hidden
    >
      ✓
    </button>
  );
}
