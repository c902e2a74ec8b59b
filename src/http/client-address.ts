/**
 * The client's address, one answer for the whole app: the first hook of every request sets
 * `request.ip` to `resolveClientAddress` (lib/ip-match.ts) — the socket peer, or across trusted
 * proxies only the right-most address in X-Forwarded-For that is not a proxy, IPv4-mapped IPv6 as
 * IPv4, and the socket peer when a hop it reaches is malformed. The IP address filter, the audit
 * trail, sessions and throttles all read `request.ip`.
 *
 * Why Fastify's own `request.ip` (from `trustProxy`) is replaced: it answers whatever text the first
 * untrusted hop holds (`garbage`, `1.2.3.4:80`) and reports IPv4 peers of a dual-stack socket as
 * `::ffff:…`, so the same client would have two addresses. `trustProxy` stays set for
 * `request.protocol` and `request.host`, which use the same trusted-proxy list.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { resolveClientAddress, type AddressMatcher } from '#src/lib/ip-match.ts';

async function clientAddressPlugin(app: FastifyInstance, { trustedProxies }: { trustedProxies: AddressMatcher }): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const ip = resolveClientAddress(request.raw.socket.remoteAddress ?? '', request.headers['x-forwarded-for'], trustedProxies);
    // Fastify defines `ip` as a getter on the request prototype; an own property of this request shadows it.
    Object.defineProperty(request, 'ip', { value: ip, enumerable: true });
  });
}

export const clientAddress = fp(clientAddressPlugin, { name: 'kanri-client-address' });
