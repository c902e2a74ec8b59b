/**
 * The host a client asked for: `X-Forwarded-Host` when the direct peer is a trusted proxy, the Host
 * header otherwise. Anyone else can write X-Forwarded-Host, so from them it is ignored. Of a list
 * (proxies that append), the last entry counts: the one the trusted peer added, not one the client may
 * have sent ahead of it. Fastify's `request.host` (API Location URLs) reads it the same way, with the
 * same trusted-proxy list, so a request names one host everywhere.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressMatcher } from '#src/lib/ip-match.ts';

export function requestHost(raw: IncomingMessage, trustedProxies: AddressMatcher): string | undefined {
  const peer = raw.socket.remoteAddress ?? '';
  const forwarded = raw.headers['x-forwarded-host'];
  if (forwarded && trustedProxies.matches(peer)) {
    const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(',').at(-1)?.trim();
    if (last) {
      return last;
    }
  }
  return raw.headers.host;
}
