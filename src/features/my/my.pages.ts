/** The signed-in user's own pages: My page and My account (with the API access key). */
import type { FastifyInstance } from 'fastify';
import type { Platform } from '#src/platform/platform.ts';
import { myAccountPages } from './my-account.pages.tsx';
import { myPagePages } from './my-page.pages.tsx';

export async function myPages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  await app.register(myPagePages, { platform });
  await app.register(myAccountPages, { platform });
}
