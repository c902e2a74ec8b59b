/**
 * `kanri serve`: open the control plane, upgrade tenants that are behind, make the demo tenant on
 * an embedded first run, listen. SIGTERM/SIGINT stop accepting, let requests in flight finish,
 * then close every pool.
 */
import type { Server } from 'node:http';
import { buildApp } from '#src/app/build-app.ts';
import { loadConfig } from '#src/config/config.ts';
import { closeRedirects, listenForRedirects } from '#src/http/https-only.ts';
import { createLogger } from '#src/logging/logger.ts';
import { bootstrapFirstRun } from '#src/platform/first-run.service.ts';
import { openPlatform } from '#src/platform/platform.ts';
import { upgradeTenants } from '#src/platform/upgrade.service.ts';
import { UsageError, type CliIo } from './output.ts';
import { tenantUrl } from '#src/platform/tenant-url.ts';

const SHUTDOWN_GRACE_MS = 25_000;

export async function runServe(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) {
    throw new UsageError('serve takes no arguments');
  }
  const config = loadConfig(io.env);
  const logger = createLogger(config.logLevel);
  const platform = await openPlatform(config, logger);
  let app;
  let redirects: Server | undefined;
  try {
    for (const r of await upgradeTenants(platform)) {
      if (r.error) {
        logger.error({ category: 'migration', tenant: r.account, err: r.error }, 'tenant migration failed');
      } else {
        logger.info({ category: 'migration', tenant: r.account, from: r.from }, 'tenant migrated');
      }
    }
    const created = await bootstrapFirstRun(platform);
    app = await buildApp({ platform, logger });
    await app.listen({ host: config.host, port: config.port });
    if (config.httpRedirectPort !== undefined) {
      redirects = await listenForRedirects(app, config.host, config.httpRedirectPort);
    }
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    io.out(`Kanri is running on ${config.tls ? 'https' : 'http'}://${shownHost}:${config.port}/ (${config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`})`);
    if (redirects) {
      io.out(`Plain HTTP on port ${config.httpRedirectPort} redirects to HTTPS`);
    }
    if (platform.defaultTenant) {
      io.out(`Default tenant: ${platform.defaultTenant}, also at ${tenantUrl(config, platform.defaultTenant)}`);
    }
    if (created?.oneTimePassword) {
      io.out(`First administrator of ${created.tenant.account}: login "${created.adminLogin}", one-time password ${created.oneTimePassword}`);
      io.out('Write it down: it is shown only this once.');
    }
  } catch (error) {
    if (redirects) {
      await closeRedirects(redirects);
    }
    await app?.close();
    await platform.close();
    throw error;
  }
  const server = app;
  const redirectServer = redirects;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        return;
      }
      stopping = true;
      logger.info({ category: 'lifecycle', signal }, 'shutting down');
      const force = setTimeout(() => {
        logger.error({ category: 'lifecycle' }, 'shutdown grace period over; exiting');
        resolve(1);
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      void Promise.all([server.close(), redirectServer && closeRedirects(redirectServer)])
        .then(() => platform.close())
        .then(
          () => {
            clearTimeout(force);
            logger.info({ category: 'lifecycle' }, 'stopped');
            resolve(0);
          },
          (error: unknown) => {
            logger.error({ category: 'lifecycle', err: error }, 'shutdown failed');
            resolve(1);
          },
        );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
