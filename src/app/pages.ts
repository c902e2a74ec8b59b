/**
 * The HTML pages of a tenant, one Fastify plugin per feature. Each receives the platform (for CSRF
 * tokens and the page frame).
 */
import type { FastifyInstance } from 'fastify';
import { accountPages } from '#src/features/account/account.pages.tsx';
import type { Platform } from '#src/platform/platform.ts';

export async function pages(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  await app.register(accountPages, { platform });
}
