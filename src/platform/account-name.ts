/**
 * Tenant account names are DNS labels under the base domain: lower-case letters, digits and
 * hyphens, 3–40 characters, no hyphen at either end, and not a name the service keeps for itself.
 */
export const RESERVED_ACCOUNT_NAMES: ReadonlySet<string> = new Set([
  'www', 'admin', 'administrator', 'api', 'app', 'apps', 'mail', 'email', 'smtp', 'imap', 'pop', 'ftp',
  'status', 'help', 'support', 'docs', 'blog', 'static', 'assets', 'cdn', 'files', 'img', 'images',
  'login', 'auth', 'sso', 'oauth', 'account', 'accounts', 'billing', 'dashboard', 'console', 'root',
  'system', 'kanri', 'localhost', 'staging', 'internal', 'ns1', 'ns2', 'mx',
  'webmail', 'autodiscover', 'autoconfig', 'operator', 'operators', 'platform', 'health', 'metrics',
]);

const PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

/** Why `name` cannot be an account, or undefined when it can. */
export function accountNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 40) {
    return 'must be 3 to 40 characters long';
  }
  if (!PATTERN.test(name)) {
    return 'may contain only lower-case letters, digits and hyphens, and may not start or end with a hyphen';
  }
  if (RESERVED_ACCOUNT_NAMES.has(name)) {
    return 'is reserved';
  }
  return undefined;
}

export function isValidAccountName(name: string): boolean {
  return accountNameProblem(name) === undefined;
}
