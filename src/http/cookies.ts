/**
 * How every cookie Kanri sets is named (security.md §1): over HTTPS with a prefix the browser
 * enforces, so no other host — not even a sibling subdomain of the platform, which may be another
 * tenant — can set or shadow it. This is the one place that decides.
 */
import type { FastifyRequest } from 'fastify';

export function isSecureRequest(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/**
 * The name the cookie `base`, set with `path`, goes by on this request. Over HTTPS:
 * - `__Host-` for a cookie of the whole site (Path=/): browsers then keep it only when it is Secure,
 *   has Path=/ and no Domain;
 * - `__Secure-` for one scoped to a narrower path (a `__Host-` cookie must have Path=/): kept only
 *   when Secure. Such cookies are also sealed with a key of the tenant, so a planted one is refused.
 * A browser refuses either prefix without Secure, and plain HTTP (development on
 * http://acme.localhost:3000, tests over inject()) cannot be Secure, so there the bare name is used.
 */
export function cookieName(request: FastifyRequest, base: string, path = '/'): string {
  if (!isSecureRequest(request)) {
    return base;
  }
  return path === '/' ? `__Host-${base}` : `__Secure-${base}`;
}
