/** Which account a request's host names. Pure, so the logger and the tenant plugin agree. */

export type HostTarget =
  | { readonly kind: 'account'; readonly account: string }
  /** The bare base domain, an IP address, or a host outside the base domain. */
  | { readonly kind: 'none' };

/** Lower-cases and strips the port of a Host header value (IPv6 literals keep their brackets). */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    return h.slice(0, h.indexOf(']') + 1);
  }
  return h.replace(/:\d*$/, '').replace(/\.$/, '');
}

export function targetOfHost(host: string | undefined, baseDomain: string): HostTarget {
  if (!host) {
    return { kind: 'none' };
  }
  const name = hostnameOf(host);
  const suffix = '.' + baseDomain;
  if (name.endsWith(suffix)) {
    const account = name.slice(0, -suffix.length);
    // Only one label: `a.b.example.com` names no account.
    if (account && !account.includes('.')) {
      return { kind: 'account', account };
    }
  }
  return { kind: 'none' };
}
