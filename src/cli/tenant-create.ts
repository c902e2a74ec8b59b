/** `kanri tenant create ACCOUNT --admin-email E …` */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createTenant } from '#src/platform/tenant.service.ts';
import type { DefaultDataLanguage } from '#src/features/onboarding/default-data.ts';
import { UsageError, type CliIo } from './output.ts';
import { tenantUrl } from '#src/platform/tenant-url.ts';
import { withPlatform } from './with-platform.ts';

export async function runTenantCreate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'admin-email': { type: 'string' },
      'admin-login': { type: 'string' },
      'admin-password-file': { type: 'string' },
      name: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      plan: { type: 'string' },
      'rest-api': { type: 'boolean', default: false },
    },
  });
  const [account, ...extra] = positionals;
  if (!account || extra.length > 0) {
    throw new UsageError('tenant create takes one ACCOUNT');
  }
  if (!values['admin-email']) {
    throw new UsageError('tenant create needs --admin-email');
  }
  if (values.lang !== 'en' && values.lang !== 'ja') {
    throw new UsageError('--lang must be en or ja');
  }
  const passwordFile = values['admin-password-file'];
  const adminPassword = passwordFile === undefined ? undefined : await readPassword(passwordFile, io);
  const created = await withPlatform(io, (platform) =>
    createTenant(platform, {
      account,
      name: values.name,
      plan: values.plan,
      language: values.lang as DefaultDataLanguage,
      adminEmail: values['admin-email'] ?? '',
      adminLogin: values['admin-login'],
      adminPassword,
      restApi: values['rest-api'],
      actor: 'cli',
    }).then((result) => ({ ...result, url: tenantUrl(platform.config, result.tenant.account) })),
  );
  io.out(`Created tenant ${created.tenant.account} (${created.tenant.language}) at ${created.url}`);
  io.out(`Administrator login: ${created.adminLogin}`);
  if (created.oneTimePassword) {
    io.out(`One-time password:   ${created.oneTimePassword}`);
  }
  return 0;
}

/** The password from a file or stdin (`-`): its first line, without the line break. */
async function readPassword(path: string, io: CliIo): Promise<string> {
  let text: string;
  try {
    text = path === '-' ? await io.readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --admin-password-file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (!password) {
    throw new UsageError('--admin-password-file is empty');
  }
  return password;
}
