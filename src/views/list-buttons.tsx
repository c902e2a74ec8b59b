/**
 * The buttons at the end of an administration list row, as small forms so they work without
 * JavaScript: Redmine's `reorder_handle` (here "move up" / "move down", posting the new position as
 * `<param>[position]` to the record's update path) and `delete_link` (posting to `<path>/delete`
 * after a confirmation).
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField } from './form.tsx';

export interface ReorderProps {
  readonly t: Translate;
  readonly csrfToken: string;
  /** The record's update path, e.g. `/trackers/3`. */
  readonly action: string;
  /** The form's parameter prefix, e.g. `tracker`. */
  readonly param: string;
  /** The record's place in its list (1-based) and the list's length. */
  readonly index: number;
  readonly count: number;
}

export function ReorderButtons({ t, csrfToken, action, param, index, count }: ReorderProps): VNode {
  const move = (to: number, label: string, icon: string, glyph: string) => (
    <form method="post" action={action} class="reorder">
      <CsrfField token={csrfToken} />
      <input type="hidden" name={`${param}[position]`} value={String(to)} />
      <button type="submit" class={`icon-only icon-${icon}`} title={label} aria-label={label}>
        {glyph}
      </button>
    </form>
  );
  return (
    <span class="sort-handle reorder-buttons">
      {index > 1 ? move(index - 1, t('label_sort_higher'), 'move-up', '↑') : null}
      {index < count ? move(index + 1, t('label_sort_lower'), 'move-down', '↓') : null}
    </span>
  );
}

export function DeleteButton({ t, csrfToken, action }: { t: Translate; csrfToken: string; action: string }): VNode {
  return (
    <form method="post" action={action} class="delete" data-confirm={t('text_are_you_sure')}>
      <CsrfField token={csrfToken} />
      <button type="submit" class="icon icon-del">
        {t('button_delete')}
      </button>
    </form>
  );
}
