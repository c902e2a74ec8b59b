/** Opens the control plane for one CLI command and closes it afterwards, whatever happens. */
import { loadConfig } from '#src/config/config.ts';
import { openPlatform, type Platform } from '#src/platform/platform.ts';
import type { CliIo } from './output.ts';

export async function withPlatform<T>(io: CliIo, fn: (platform: Platform) => Promise<T>): Promise<T> {
  const platform = await openPlatform(loadConfig(io.env));
  try {
    return await fn(platform);
  } finally {
    await platform.close();
  }
}
