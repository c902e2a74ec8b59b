/** Formatted text (already sanitized by features/formatting) in Redmine's `div.wiki`. */
import type { VNode } from 'preact';

export function WikiText({ html, class: extra }: { html: string; class?: string }): VNode {
  return <div class={extra ? `wiki ${extra}` : 'wiki'} dangerouslySetInnerHTML={{ __html: html }} />;
}
