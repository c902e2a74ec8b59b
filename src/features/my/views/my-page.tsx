/**
 * My page (Redmine's my/page): the "Add" block form, then the blocks of the top, left and right
 * groups (`#list-top`, `#list-left`, `#list-right`), each a `div.mypage-box` with buttons that move it
 * up or down in its group or remove it — forms that work without JavaScript; the my-page island adds
 * dragging. Pure.
 */
import type { VNode } from 'preact';
import type { MessageKey, Translate } from '#src/i18n/index.ts';
import { CsrfField } from '#src/views/form.tsx';
import type { Formatter } from '#src/views/format.ts';
import type { BlockData } from '../my-page.blocks.ts';
import { blockOf, isMyPageBlock, MY_PAGE_BLOCKS, movedOrder, type MyPageGroup, type MyPageLayout } from '../my-page.layout.ts';
import { CalendarBlockView, IssuesBlockView, NewsBlockView, QueryBlockView, TimelogBlockView } from './my-page-blocks.tsx';

export interface MyPageProps {
  readonly t: Translate;
  readonly format: Formatter;
  readonly csrfToken: string;
  readonly layout: MyPageLayout;
  /** Names of the blocks that may be added (`issuequery__1` for a second query block). */
  readonly addable: readonly string[];
  /** Each shown block's data, by its name on the page. */
  readonly blocks: ReadonlyMap<string, BlockData>;
  /** Where the spent-time block's "Log time" leads, when the user may log time. */
  readonly logTimeHref: string | undefined;
}

/** The title of a block on the page (`issuequery__1` is titled as `issuequery`). */
function titleOf(name: string): MessageKey | undefined {
  const block = blockOf(name);
  return block && MY_PAGE_BLOCKS[block];
}

function OrderForm(props: { t: Translate; csrfToken: string; group: MyPageGroup; order: readonly string[]; label: 'label_sort_higher' | 'label_sort_lower'; icon: string }): VNode {
  return (
    <form method="post" action="/my/order_blocks" class="inline">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="group" value={props.group} />
      {props.order.map((block) => (
        <input type="hidden" name="blocks[]" value={block} />
      ))}
      <button type="submit" class={`link icon-only ${props.icon}`} title={props.t(props.label)}>
        {props.t(props.label)}
      </button>
    </form>
  );
}

function BlockBox(props: MyPageProps & { group: MyPageGroup; block: string; index: number }): VNode {
  const { t, format, group, block, index } = props;
  const blocks = props.layout[group];
  const data = props.blocks.get(block);
  let content: VNode | null = null;
  switch (data?.kind) {
    case 'issues':
      content = <IssuesBlockView t={t} format={format} title={titleOf(block) ?? 'label_issue_plural'} data={data} />;
      break;
    case 'query':
      content = <QueryBlockView t={t} format={format} block={block} data={data} csrfToken={props.csrfToken} />;
      break;
    case 'calendar':
      content = <CalendarBlockView t={t} format={format} data={data} />;
      break;
    case 'timelog':
      content = <TimelogBlockView t={t} format={format} data={data} listHref="/time_entries?set_filter=1&f[]=user_id&op[user_id]==&v[user_id][]=me" newHref={props.logTimeHref} />;
      break;
    case 'news':
      content = <NewsBlockView t={t} format={format} />;
      break;
    case undefined:
      break;
  }
  return (
    <div class="mypage-box" id={`block-${block}`} data-block={block}>
      <div class="contextual">
        {index > 0 ? <OrderForm t={t} csrfToken={props.csrfToken} group={group} order={movedOrder(blocks, block, -1)} label="label_sort_higher" icon="icon-move-up" /> : null}
        {index < blocks.length - 1 ? <OrderForm t={t} csrfToken={props.csrfToken} group={group} order={movedOrder(blocks, block, 1)} label="label_sort_lower" icon="icon-move-down" /> : null}
        <form method="post" action="/my/remove_block" class="inline">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="block" value={block} />
          <button type="submit" class="link icon-only icon-close" title={t('button_delete')}>
            {t('button_delete')}
          </button>
        </form>
      </div>
      {content}
    </div>
  );
}

function Group(props: MyPageProps & { group: MyPageGroup }): VNode {
  const shown = props.layout[props.group].filter(isMyPageBlock);
  return (
    <div id={`list-${props.group}`} class="block-receiver" data-group={props.group}>
      {shown.map((block) => (
        <BlockBox {...props} block={block} index={props.layout[props.group].indexOf(block)} />
      ))}
    </div>
  );
}

export function MyPage(props: MyPageProps): VNode {
  const { t } = props;
  return (
    <div id="my-page-content">
      <div class="contextual" id="my-page-blocks-form">
        {props.addable.length > 0 ? (
          <form id="block-form" method="post" action="/my/add_block">
            <CsrfField token={props.csrfToken} />
            <label for="block-select">{t('label_personalize_page')}</label>{' '}
            <select id="block-select" name="block">
              {props.addable.map((block) => {
                const title = titleOf(block);
                return title ? <option value={block}>{t(title)}</option> : null;
              })}
            </select>{' '}
            <button type="submit">{t('button_add')}</button>
          </form>
        ) : null}
      </div>
      <h2>{t('label_my_page')}</h2>
      <div id="my-page">
        <Group {...props} group="top" />
        <div class="splitcontent">
          <div class="splitcontentleft">
            <Group {...props} group="left" />
          </div>
          <div class="splitcontentright">
            <Group {...props} group="right" />
          </div>
        </div>
      </div>
    </div>
  );
}
