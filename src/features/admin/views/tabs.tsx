/**
 * Redmine's `render_tabs` without JavaScript: each tab is a link to the same page with `?tab=<name>`
 * (ids `tab-<name>`), the selected one marked; the page renders only the selected tab's content.
 */
import type { ComponentChildren, VNode } from 'preact';

export interface TabLink {
  readonly name: string;
  readonly label: string;
  readonly href: string;
}

export function Tabs({ tabs, selected, children }: { tabs: readonly TabLink[]; selected: string; children: ComponentChildren }): VNode {
  return (
    <>
      <div class="tabs">
        <ul>
          {tabs.map((tab) => (
            <li>
              <a href={tab.href} id={`tab-${tab.name}`} class={tab.name === selected ? 'selected' : undefined} aria-current={tab.name === selected ? 'page' : undefined}>
                {tab.label}
              </a>
            </li>
          ))}
        </ul>
      </div>
      <div class="tabs-panel" id={`tab-content-${selected}`}>
        {children}
      </div>
    </>
  );
}
