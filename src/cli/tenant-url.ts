/** The address a tenant is reached at, for messages. */
import type { Config } from '#src/config/config.ts';

export function tenantUrl(config: Config, account: string): string {
  const port = config.port === 80 ? '' : `:${config.port}`;
  return `http://${account}.${config.baseDomain}${port}/`;
}
