/**
 * The host a client asked for: `X-Forwarded-Host` when the direct peer is a trusted proxy, the Host
 * header otherwise. Anyone else can write X-Forwarded-Host, so from them it is ignored.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressMatcher } from '#src/lib/ip-match.ts';

export function requestHost(raw: IncomingMessage, trustedProxies: AddressMatcher): string | undefined {
  const peer = raw.socket.remoteAddress ?? '';
  const forwarded = raw.headers['x-forwarded-host'];
  if (forwarded && trustedProxies.matches(peer)) {
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) {
      return first;
    }
  }
  return raw.headers.host;
}
