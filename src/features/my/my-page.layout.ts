/**
 * My page's layout (Redmine's Redmine::MyPage and UserPreference#my_page_layout): which blocks the
 * user shows in which group (top, left, right), kept in the preferences' `others` under
 * `my_page_layout` as Redmine keeps it, and the three edits the page offers — add a block (on top),
 * remove one, order a group; and the blocks' settings (`my_page_settings`). Pure.
 */
import type { MessageKey } from '#src/i18n/index.ts';

export const MY_PAGE_GROUPS = ['top', 'left', 'right'] as const;
export type MyPageGroup = (typeof MY_PAGE_GROUPS)[number];

/**
 * The blocks Kanri offers, in Redmine's order, with their titles. Documents and activity are not
 * offered: Kanri has neither yet.
 */
export const MY_PAGE_BLOCKS = {
  issuesassignedtome: 'label_assigned_to_me_issues',
  issuesreportedbyme: 'label_reported_issues',
  issuesupdatedbyme: 'label_updated_issues',
  issueswatched: 'label_watched_issues',
  issuequery: 'label_issue_plural',
  news: 'label_news_latest',
  calendar: 'label_calendar',
  timelog: 'label_spent_time',
} as const satisfies Record<string, MessageKey>;

export type MyPageBlock = keyof typeof MY_PAGE_BLOCKS;

/** How many times a block may be on the page (Redmine's max_occurs); once unless said here. */
const MAX_OCCURS: Partial<Record<MyPageBlock, number>> = { issuequery: 3 };

/**
 * The block a name on the page stands for: a block shown more than once is named `issuequery`, then
 * `issuequery__1`, `issuequery__2` (Redmine's names); undefined for a name Kanri does not know.
 */
export function blockOf(name: string): MyPageBlock | undefined {
  const base = /^([a-z]+)(?:__\d{1,3})?$/.exec(name)?.[1];
  return base !== undefined && Object.hasOwn(MY_PAGE_BLOCKS, base) ? (base as MyPageBlock) : undefined;
}

/** group → block names. Names Kanri does not know (from a migrated Redmine) are kept, not shown. */
export type MyPageLayout = Readonly<Record<MyPageGroup, readonly string[]>>;

export const DEFAULT_LAYOUT: MyPageLayout = { top: [], left: ['issuesassignedtome'], right: ['issuesreportedbyme'] };

export function isMyPageBlock(name: string): boolean {
  return blockOf(name) !== undefined;
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

/**
 * The names of the blocks that may still be added, one per block: its own name, or for a block that
 * may show more than once and is already there, the next `name__N` (Redmine's block_options).
 */
export function addableBlocks(layout: MyPageLayout): string[] {
  const used = inUse(layout);
  return (Object.keys(MY_PAGE_BLOCKS) as MyPageBlock[]).flatMap((block) => {
    const indexes = used.filter((name) => blockOf(name) === block).map((name) => Number(name.split('__')[1] ?? 0));
    if (indexes.length >= (MAX_OCCURS[block] ?? 1)) {
      return [];
    }
    return [indexes.length === 0 ? block : `${block}__${Math.max(...indexes) + 1}`];
  });
}

/** Without the block, wherever it was. */
export function removeBlock(layout: MyPageLayout, block: string): MyPageLayout {
  return { top: layout.top.filter((b) => b !== block), left: layout.left.filter((b) => b !== block), right: layout.right.filter((b) => b !== block) };
}

/** Adds a known block not yet shown, at the head of the top group (Redmine's add_block); else unchanged. */
export function addBlock(layout: MyPageLayout, block: string): MyPageLayout {
  if (!addableBlocks(layout).includes(block)) {
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

/** A block's settings (Redmine's `my_page_settings[block]`): for an issue query block, the query shown. */
export interface BlockSettings {
  readonly query_id?: string;
}

/** block name → its settings. */
export type MyPageSettings = Readonly<Record<string, BlockSettings>>;

/** The stored `my_page_settings`, keeping only what Kanri reads. */
export function settingsOf(stored: unknown): MyPageSettings {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) {
    return {};
  }
  const settings: Record<string, BlockSettings> = {};
  for (const [block, value] of Object.entries(stored as Record<string, unknown>)) {
    const queryId = value && typeof value === 'object' ? (value as Record<string, unknown>).query_id : undefined;
    if (isMyPageBlock(block)) {
      settings[block] = typeof queryId === 'string' || typeof queryId === 'number' ? { query_id: String(queryId) } : {};
    }
  }
  return settings;
}

/** Only the settings of blocks on the page (Redmine drops the others when it saves). */
export function settingsInUse(layout: MyPageLayout, settings: MyPageSettings): MyPageSettings {
  const used = new Set(inUse(layout));
  return Object.fromEntries(Object.entries(settings).filter(([block]) => used.has(block)));
}
