/**
 * The process logger: pino, JSON lines. Every request's lines carry `reqId` and `tenant`; secrets
 * (passwords, cookies, API keys, tokens) are redacted wherever they appear in a logged object,
 * including the query string of a logged URL (`?key=…` for the API, `?token=…` of a mailed link).
 */
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Query parameters whose values are credentials (security.md §8: shown only as [FILTERED]). */
const SECRET_PARAMETERS = new Set(['key', 'token', 'password', 'api_key', 'authenticity_token', 'code', 'otp']);

/** `url` with the values of credential parameters replaced by `[FILTERED]`. */
export function filteredUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) {
    return url;
  }
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      return eq >= 0 && SECRET_PARAMETERS.has(name) ? `${pair.slice(0, eq)}=[FILTERED]` : pair;
    })
    .join('&');
  return `${url.slice(0, mark)}?${query}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly hostname?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        // Fastify's own request serializer, with the URL's credentials filtered.
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: filteredUrl(req.url ?? ''),
          host: req.hostname,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
      redact: {
        paths: [
          'password',
          '*.password',
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-redmine-api-key"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
