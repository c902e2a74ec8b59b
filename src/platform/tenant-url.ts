/** The address a tenant is reached at, for messages of the operator's commands and the mails they cause. */
import type { Config } from '#src/config/config.ts';

export function tenantUrl(config: Config, account: string): string {
  const scheme = config.tls ? 'https' : 'http';
  const port = config.port === (config.tls ? 443 : 80) ? '' : `:${config.port}`;
  return `${scheme}://${account}.${config.baseDomain}${port}/`;
}
