/**
 * HTML routes of My page (Redmine's MyController#page, #update_page, #add_block, #remove_block,
 * #order_blocks): the signed-in user's blocks, the posts that change which blocks show where, and the
 * post of a block's settings (the query of an issue query block). Without
 * JavaScript the posts come from forms and answer with a redirect; the my-page island posts the new
 * order of a group with the X-CSRF-Token header and gets 204.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { paramList, paramObject, paramString, type Params } from '#src/api/params.ts';
import { UnauthenticatedError } from '#src/errors.ts';
import { allowedGlobally } from '#src/features/projects/index.ts';
import { actorOf } from '#src/http/actor.ts';
import { pageFormatter, sendPage } from '#src/http/page.tsx';
import { pageLanguage, tenantOf } from '#src/http/tenant-context.ts';
import { translator } from '#src/i18n/index.ts';
import { todayInZone } from '#src/lib/zoned-today.ts';
import type { Platform } from '#src/platform/platform.ts';
import { loadBlocks, type MyPageContext } from './my-page.blocks.ts';
import { addableBlocks, addBlock, isMyPageBlock, MY_PAGE_GROUPS, orderBlocks, removeBlock, type BlockSettings, type MyPageLayout } from './my-page.layout.ts';
import { changeBlockSettings, changeMyPageLayout, getMyPage } from './my-page.service.ts';
import { MyPage } from './views/my-page.tsx';

async function contextOf(request: FastifyRequest): Promise<MyPageContext> {
  if (!request.user) {
    throw new UnauthenticatedError();
  }
  const { db, settings } = tenantOf(request);
  return { db, settings, actor: await actorOf(request), now: new Date() };
}

const bodyOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? (request.body as Params) : {});

/** Redmine answers the island's posts with a bare status, and forms with a redirect to the page. */
function answer(request: FastifyRequest, reply: FastifyReply) {
  return request.headers['x-csrf-token'] !== undefined ? reply.status(204).send() : reply.redirect('/my/page', 303);
}

async function change(request: FastifyRequest, reply: FastifyReply, edit: (layout: MyPageLayout) => MyPageLayout) {
  const ctx = await contextOf(request);
  await changeMyPageLayout(ctx.db, ctx.actor, edit);
  return answer(request, reply);
}

export async function myPagePages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/my/page', async (request, reply) => {
    const ctx = await contextOf(request);
    const { layout, settings } = await getMyPage(ctx.db, ctx.actor);
    const lang = pageLanguage(request, request.user?.language);
    const format = await pageFormatter(request, translator(lang), lang);
    const shown = MY_PAGE_GROUPS.flatMap((group) => layout[group]).filter(isMyPageBlock);
    const blocks = await loadBlocks(ctx, shown, settings, todayInZone(ctx.now, format.timeZone));
    const logTimeHref = allowedGlobally(ctx.actor, 'log_time') ? '/time_entries/new' : undefined;
    return sendPage(platform, request, reply, {
      title: (t) => t('label_my_page'),
      current: 'my_page',
      scripts: ['my-page'],
      body: (view) => (
        <MyPage t={view.t} format={view.format} csrfToken={view.csrfToken} layout={layout} addable={addableBlocks(layout)} blocks={blocks} logTimeHref={logTimeHref} />
      ),
    });
  });

  /** Redmine's update_page: `settings[<block>][query_id]` for the blocks named. */
  app.post('/my/page', async (request, reply) => {
    const ctx = await contextOf(request);
    const given = paramObject(bodyOf(request).settings) ?? {};
    const changes: Record<string, BlockSettings> = {};
    for (const [block, value] of Object.entries(given)) {
      const queryId = paramString(paramObject(value)?.query_id)?.trim() ?? '';
      if (isMyPageBlock(block) && /^\d{0,9}$/.test(queryId)) {
        changes[block] = queryId === '' ? {} : { query_id: queryId };
      }
    }
    await changeBlockSettings(ctx.db, ctx.actor, changes);
    return answer(request, reply);
  });

  app.post('/my/add_block', (request, reply) => {
    const block = paramString(bodyOf(request).block) ?? '';
    return change(request, reply, (layout) => addBlock(layout, block));
  });

  app.post('/my/remove_block', (request, reply) => {
    const block = paramString(bodyOf(request).block) ?? '';
    return change(request, reply, (layout) => (MY_PAGE_GROUPS.some((g) => layout[g].includes(block)) ? removeBlock(layout, block) : layout));
  });

  app.post('/my/order_blocks', (request, reply) => {
    const body = bodyOf(request);
    const group = paramString(body.group) ?? '';
    const blocks = paramList(body.blocks);
    return change(request, reply, (layout) => orderBlocks(layout, group, blocks));
  });
}
