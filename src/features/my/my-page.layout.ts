/**
 * My page's layout (Redmine's Redmine::MyPage and UserPreference#my_page_layout): which blocks the
 * user shows in which group (top, left, right), kept in the preferences' `others` under
 * `my_page_layout` as Redmine keeps it, and the three edits the page offers — add a block (on top),
 * remove one, order a group. Pure.
 */
import type { MessageKey } from '#src/i18n/index.ts';

export const MY_PAGE_GROUPS = ['top', 'left', 'right'] as const;
export type MyPageGroup = (typeof MY_PAGE_GROUPS)[number];

/** The blocks Kanri offers, in Redmine's order, with their titles (documents: not yet). */
export const MY_PAGE_BLOCKS = {
  issuesassignedtome: 'label_assigned_to_me_issues',
  issuesreportedbyme: 'label_reported_issues',
  issueswatched: 'label_watched_issues',
  news: 'label_news_latest',
  calendar: 'label_calendar',
  timelog: 'label_spent_time',
} as const satisfies Record<string, MessageKey>;

export type MyPageBlock = keyof typeof MY_PAGE_BLOCKS;

/** group → block names. Names Kanri does not know (from a migrated Redmine) are kept, not shown. */
export type MyPageLayout = Readonly<Record<MyPageGroup, readonly string[]>>;

export const DEFAULT_LAYOUT: MyPageLayout = { top: [], left: ['issuesassignedtome'], right: ['issuesreportedbyme'] };

export function isMyPageBlock(name: string): name is MyPageBlock {
  return Object.hasOwn(MY_PAGE_BLOCKS, name);
}

export function isMyPageGroup(name: string): name is MyPageGroup {
  return (MY_PAGE_GROUPS as readonly string[]).includes(name);
}

/** The stored `my_page_layout`, or Redmine's default when there is none (or it is no layout). */
export function layoutOf(stored: unknown): MyPageLayout {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) {
    return DEFAULT_LAYOUT;
  }
  const record = stored as Record<string, unknown>;
  const group = (name: MyPageGroup) => {
    const value = record[name];
    return Array.isArray(value) ? value.filter((b): b is string => typeof b === 'string') : [];
  };
  return { top: group('top'), left: group('left'), right: group('right') };
}

const inUse = (layout: MyPageLayout) => MY_PAGE_GROUPS.flatMap((g) => layout[g]);

/** Blocks that may still be added (each once). */
export function addableBlocks(layout: MyPageLayout): MyPageBlock[] {
  const used = new Set(inUse(layout));
  return (Object.keys(MY_PAGE_BLOCKS) as MyPageBlock[]).filter((block) => !used.has(block));
}

/** Without the block, wherever it was. */
export function removeBlock(layout: MyPageLayout, block: string): MyPageLayout {
  return { top: layout.top.filter((b) => b !== block), left: layout.left.filter((b) => b !== block), right: layout.right.filter((b) => b !== block) };
}

/** Adds a known block not yet shown, at the head of the top group (Redmine's add_block); else unchanged. */
export function addBlock(layout: MyPageLayout, block: string): MyPageLayout {
  if (!(addableBlocks(layout) as string[]).includes(block)) {
    return layout;
  }
  const without = removeBlock(layout, block);
  return { ...without, top: [block, ...without.top] };
}

/**
 * The group's blocks in the order given (Redmine's order_blocks): only blocks already on the page,
 * each taken from wherever it was; an unknown group or an empty list changes nothing.
 */
export function orderBlocks(layout: MyPageLayout, group: string, blocks: readonly string[]): MyPageLayout {
  if (!isMyPageGroup(group) || blocks.length === 0) {
    return layout;
  }
  const used = new Set(inUse(layout));
  const chosen = [...new Set(blocks)].filter((b) => used.has(b));
  let next = layout;
  for (const block of chosen) {
    next = removeBlock(next, block);
  }
  return { ...next, [group]: chosen };
}

/** The group's order with the block moved one place up (-1) or down (+1), for the buttons that work without JavaScript. */
export function movedOrder(blocks: readonly string[], block: string, step: -1 | 1): string[] {
  const at = blocks.indexOf(block);
  const to = at + step;
  if (at < 0 || to < 0 || to >= blocks.length) {
    return [...blocks];
  }
  const next = [...blocks];
  [next[at], next[to]] = [next[to]!, next[at]!];
  return next;
}
