/**
 * Plain HTTP serves no page when the deployment is HTTPS-only (`KANRI_FORCE_HTTPS`, implied by the
 * process's own TLS): every request that did not arrive over TLS — on the redirect listener
 * (HTTP_REDIRECT_PORT), or from a trusted proxy saying `X-Forwarded-Proto: http` — gets a 301 to the
 * same host and path over HTTPS. Health checks are the exception: load balancers and orchestrators
 * probe the process over plain HTTP and often follow no redirect, and their answers hold nothing
 * secret.
 */
import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '#src/config/config.ts';
import { hostnameOf } from './host.ts';
import { requestHost } from './request-host.ts';
import { TenantUnavailable } from './tenant-context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered over plain HTTP too, even when the deployment is HTTPS-only (health checks). */
    plainHttp?: boolean;
  }
}

/** A DNS name or an IP literal: nothing else goes into a Location header. */
const HOSTNAME = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/;

/**
 * The HTTPS address of a plain-HTTP request, or undefined when its host is not a host name.
 * `httpsPort` is added only when the client named a port itself: a client that reached the default
 * port 80 is sent to the default port 443 (where a port-mapping front, such as a container's, puts
 * HTTPS), one that spoke to a port by number is sent to the HTTPS port by number.
 */
export function httpsLocation(host: string | undefined, url: string, httpsPort: number | undefined): string | undefined {
  if (!host) {
    return undefined;
  }
  const name = hostnameOf(host);
  if (!HOSTNAME.test(name)) {
    return undefined;
  }
  const namedPort = /:\d+$/.test(host.trim());
  const port = httpsPort !== undefined && httpsPort !== 443 && namedPort ? `:${httpsPort}` : '';
  // Only a path goes after the host: an absolute-form request target (`GET http://x/ HTTP/1.1`) is not one.
  const path = url.startsWith('/') ? url : '/';
  return `https://${name}${port}${path}`;
}

async function httpsOnlyPlugin(app: FastifyInstance, { config }: { config: Config }): Promise<void> {
  if (!config.forceHttps) {
    return;
  }
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.protocol === 'https' || request.routeOptions.config?.plainHttp) {
      return;
    }
    // Behind a proxy the HTTPS port is the proxy's, which the process does not know: no port then.
    const location = httpsLocation(requestHost(request.raw, config.trustedProxies), request.url, config.tls ? config.port : undefined);
    if (!location) {
      // As the tenant resolver answers a host that names no tenant.
      throw new TenantUnavailable(404);
    }
    return reply.redirect(location, 301);
  });
}

export const httpsOnly = fp(httpsOnlyPlugin, { name: 'kanri-https-only' });

/**
 * The plain-HTTP listener beside the process's own HTTPS: its requests go through the same app, where
 * `httpsOnly` answers them with redirects (and health checks directly).
 */
export async function listenForRedirects(app: FastifyInstance, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => app.routing(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Stops the redirect listener: no new connections, idle keep-alive ones closed now. */
export async function closeRedirects(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
