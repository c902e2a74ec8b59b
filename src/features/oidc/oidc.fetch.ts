/**
 * The one way Kanri's server reaches an OpenID Connect provider (discovery, token, userinfo and JWKS
 * requests all go through `outboundFetch`, given to openid-client as its custom fetch): security.md §9
 * "server-side fetches … https only to public addresses". Before each request the host name is
 * resolved and every address it resolves to is checked with the IP filter's classification
 * (`nonPublicRangeOf`); the connection then goes to the checked address itself (the socket's lookup is
 * answered with it), so a second DNS answer (rebinding) cannot send it elsewhere. Redirects are never
 * followed (openid-client treats them as errors), so no unchecked address is reached through one.
 *
 * KANRI_OIDC_ALLOW_PRIVATE=1 (the operator's, for an on-premise provider and the tests) allows plain
 * http and private, loopback and link-local addresses.
 */
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { nonPublicRangeOf } from '#src/features/ip-filter/index.ts';

/** The largest answer read from a provider (metadata, keys and tokens are a few KiB). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export type OutboundRefusal = 'not_https' | 'non_public_address' | 'unresolvable';

/** A request the policy does not allow; `reason` is for the log, the audit row and the admin page. */
export class OutboundRefusedError extends Error {
  readonly reason: OutboundRefusal;
  constructor(reason: OutboundRefusal, message: string) {
    super(message);
    this.reason = reason;
    this.name = 'OutboundRefusedError';
  }
}

export interface OutboundPolicy {
  /** KANRI_OIDC_ALLOW_PRIVATE: http and non-public addresses allowed. */
  readonly allowPrivate: boolean;
  /** The resolver (every address of a name); the system's by default, replaced in tests. */
  readonly resolve?: (hostname: string) => Promise<readonly string[]>;
}

async function systemResolve(hostname: string): Promise<readonly string[]> {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
}

/**
 * The address a request to `url` may connect to: the scheme checked, the host resolved, every address
 * checked. Throws OutboundRefusedError.
 */
export async function checkedAddress(url: URL, policy: OutboundPolicy): Promise<{ address: string; family: 4 | 6 }> {
  if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) {
    throw new OutboundRefusedError('not_https', `${url.protocol} is not allowed`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: readonly string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch {
      throw new OutboundRefusedError('unresolvable', `${host} does not resolve`);
    }
  }
  const first = addresses[0];
  if (first === undefined || isIP(first) === 0) {
    throw new OutboundRefusedError('unresolvable', `${host} does not resolve`);
  }
  if (!policy.allowPrivate) {
    const refused = addresses.find((address) => nonPublicRangeOf(address) !== undefined);
    if (refused !== undefined) {
      throw new OutboundRefusedError('non_public_address', `${host} resolves to a ${nonPublicRangeOf(refused)} address`);
    }
  }
  return { address: first, family: isIP(first) === 6 ? 6 : 4 };
}

function requestBody(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) {
    return undefined;
  }
  if (typeof body === 'string') {
    return body;
  }
  if (body instanceof URLSearchParams) {
    return body.toString();
  }
  if (body instanceof Uint8Array) {
    return Buffer.from(body);
  }
  if (body instanceof ArrayBuffer) {
    return Buffer.from(body);
  }
  throw new TypeError('unsupported request body');
}

function responseHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.append(raw[i]!, raw[i + 1]!);
  }
  return headers;
}

/** What openid-client passes to a custom fetch (its CustomFetchOptions). */
export interface OutboundRequestInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
}

/** A `fetch` for openid-client that connects only to checked addresses (see the module comment). */
export function outboundFetch(policy: OutboundPolicy) {
  return async (input: string, init: OutboundRequestInit = {}): Promise<Response> => {
    const url = new URL(input);
    const pinned = await checkedAddress(url, policy);
    const body = requestBody(init.body);
    const headers: Record<string, string> = { ...init.headers };
    if (init.body instanceof URLSearchParams && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    }
    // The socket connects to the address checked above, whatever the name resolves to by now.
    const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) {
        (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [pinned]);
      } else {
        callback(null, pinned.address, pinned.family);
      }
    };
    return new Promise<Response>((resolve, reject) => {
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        { method: init.method ?? 'GET', headers, agent: false, lookup: pinnedLookup, ...(init.signal ? { signal: init.signal } : {}) },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              response.destroy(new Error('response too large'));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () => {
            const status = response.statusCode ?? 500;
            const empty = status === 204 || status === 304 || status < 200;
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status: status < 200 ? 502 : status, statusText: response.statusMessage ?? '', headers: responseHeaders(response) }));
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  };
}
