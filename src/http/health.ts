/** Liveness and readiness, answered for any host, without a tenant, and over plain HTTP too (probes). */
import type { FastifyInstance } from 'fastify';
import type { Platform } from '#src/platform/platform.ts';

export async function healthRoutes(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  app.get('/healthz', { config: { tenantless: true, plainHttp: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { tenantless: true, plainHttp: true } }, async (request, reply) => {
    const checks: Record<string, string> = {};
    await check(checks, 'platform', () => platform.db.query('SELECT 1'));
    for (const server of platform.config.tenantServers) {
      await check(checks, `server:${server.name}`, () => platform.provisioner.ping(server.name));
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    if (!ready) {
      request.log.warn({ category: 'health', checks }, 'not ready');
    }
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
}

async function check(checks: Record<string, string>, name: string, probe: () => Promise<unknown>): Promise<void> {
  try {
    await probe();
    checks[name] = 'ok';
  } catch {
    checks[name] = 'unreachable';
  }
}
