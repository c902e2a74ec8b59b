/** Redmine's /admin: every administration area as a large link with its icon. */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { ADMIN_MENU_ENTRIES } from './admin-menu.tsx';

export function AdminIndexPage({ t }: { t: Translate }): VNode {
  return (
    <>
      <h2>{t('label_administration')}</h2>
      <div id="admin-index">
        <ul>
          {ADMIN_MENU_ENTRIES.map((entry) => (
            <li>
              <a href={entry.href} class={`icon icon-${entry.icon} ${entry.key.replace(/_/g, '-')}`}>
                {t(entry.label)}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
