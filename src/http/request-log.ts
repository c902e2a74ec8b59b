/**
 * Every request to a tenant's host leaves one line in that tenant's application log
 * (logging/application-log.ts): time (UTC), request id, client address, user id and login when known,
 * method, path with credential parameters filtered, status, duration in milliseconds, user agent.
 * Never a cookie, header or body: no session id, password, code or key can reach the file. Requests
 * without a tenant (unknown hosts, health checks, static files) stay in the process log only.
 * Old day files are deleted at startup and once a day.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApplicationLogWriter, pruneApplicationLogs, utcDay } from '#src/logging/application-log.ts';
import { filteredUrl } from '#src/logging/logger.ts';
import type { Platform } from '#src/platform/platform.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The writer of the tenants' application logs. */
    readonly applicationLog: ApplicationLogWriter;
  }
}

/** How long a tenant's file stays open without a request. */
const IDLE_MILLIS = 5 * 60_000;
const SWEEP_MILLIS = 60_000;
/** How much of a user agent or login a line keeps. */
const TEXT_MAX = 512;

const attemptedLogins = new WeakMap<FastifyRequest, string>();
const signedOutUsers = new WeakMap<FastifyRequest, { readonly id: number; readonly login: string }>();

/** The login a failed sign-in named, for the request's line (Redmine logs it as well). */
export function noteAttemptedLogin(request: FastifyRequest, login: string): void {
  attemptedLogins.set(request, login);
}

/** The user a request signed out (the request has no user by the time its line is written). */
export function noteSignedOutUser(request: FastifyRequest, user: { readonly id: number; readonly login: string }): void {
  signedOutUsers.set(request, { id: user.id, login: user.login });
}

async function requestLogPlugin(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const { dataDir } = platform.config;
  const writer = new ApplicationLogWriter(dataDir, (error, account) => app.log.error({ category: 'application-log', tenant: account, err: error }, 'application log write failed'));
  app.decorate('applicationLog', writer);

  let prunedDay = '';
  let pruning: Promise<void> = Promise.resolve();
  const prune = () => {
    const now = app.clock();
    if (utcDay(now) === prunedDay) {
      return;
    }
    prunedDay = utcDay(now);
    pruning = pruning
      .then(() => pruneApplicationLogs(dataDir, now))
      .then(
        (deleted) => {
          if (deleted > 0) {
            app.log.info({ category: 'application-log', deleted }, 'old application log files deleted');
          }
        },
        (error: unknown) => app.log.error({ category: 'application-log', err: error }, 'application log retention failed'),
      );
  };
  const sweep = setInterval(() => {
    writer.closeIdle(IDLE_MILLIS);
    prune();
  }, SWEEP_MILLIS);
  sweep.unref();
  app.addHook('onReady', async () => prune());
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await pruning;
    await writer.close();
  });

  app.addHook('onResponse', async (request, reply) => {
    const tenant = request.tenantContext?.tenant;
    if (!tenant) {
      return;
    }
    const user = request.user ?? signedOutUsers.get(request);
    const agent = request.headers['user-agent'];
    const time = app.clock();
    writer.append(tenant.account, time, {
      level: 30,
      time: time.toISOString(),
      reqId: request.id,
      ip: request.ip,
      userId: user?.id ?? null,
      login: (user?.login ?? attemptedLogins.get(request) ?? null)?.slice(0, TEXT_MAX) ?? null,
      method: request.method,
      url: filteredUrl(request.url),
      status: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
      userAgent: typeof agent === 'string' ? agent.slice(0, TEXT_MAX) : '',
      msg: 'request completed',
    });
  });
}

export const requestLog = fp(requestLogPlugin, { name: 'kanri-request-log' });
