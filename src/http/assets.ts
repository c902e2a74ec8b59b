/** Serves the built assets (see views/assets.ts) on every host. */
import type { FastifyInstance } from 'fastify';
import { loadAssets } from '#src/views/assets.ts';

export async function assetRoutes(app: FastifyInstance): Promise<void> {
  const { files } = await loadAssets();
  for (const [url, asset] of files) {
    const immutable = /-[0-9a-f]{12}\.(js|css)$/.test(url);
    app.get(url, { config: { tenantless: true } }, async (_request, reply) =>
      reply
        .type(asset.type)
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
        .send(asset.body),
    );
  }
}
