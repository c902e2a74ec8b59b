/**
 * `kanri tenant import-redmine-secrets ACCOUNT [--cipher-key-file PATH|-]`: after a tenant's tables
 * were filled from a Redmine database, re-encrypts its users' TOTP secrets under the tenant's key and
 * hashes their backup codes (features/twofa/twofa.import.ts). The file holds the source's
 * `database_cipher_key` (config/configuration.yml) on its first line; without it only secrets Redmine
 * kept in clear (no cipher key) are converted. The key is read from a file, never from the command
 * line, so it does not end up in the shell history or the process list.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { importRedmineTwofaSecrets } from '#src/features/twofa/twofa.import.ts';
import { twofaKeysOf } from '#src/features/twofa/twofa.context.ts';
import { getTenant } from '#src/platform/tenant.service.ts';
import { UsageError, type CliIo } from './output.ts';
import { withPlatform } from './with-platform.ts';

async function readCipherKey(path: string, io: CliIo): Promise<string> {
  let text: string;
  try {
    text = path === '-' ? await io.readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --cipher-key-file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const key = text.split(/\r?\n/)[0] ?? '';
  if (!key) {
    throw new UsageError('--cipher-key-file is empty');
  }
  return key;
}

export async function runTenantImportRedmineSecrets(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'cipher-key-file': { type: 'string' } } });
  const account = positionals[0];
  if (positionals.length !== 1 || !account) {
    throw new UsageError('expected one ACCOUNT');
  }
  const path = values['cipher-key-file'];
  const cipherKey = path === undefined ? undefined : await readCipherKey(path, io);
  const outcome = await withPlatform(io, async (platform) => {
    const tenant = await getTenant(platform, account);
    return platform.tenantDatabases.use(tenant, (db) => importRedmineTwofaSecrets(db, twofaKeysOf(platform.secret, tenant.account), cipherKey));
  });
  io.out(`${account}: ${outcome.secrets} two-factor secret(s) re-encrypted, ${outcome.backupCodes} backup code(s) hashed, ${outcome.unchanged} already converted`);
  for (const failure of outcome.failures) {
    io.err(`${account}: user ${failure.login}: ${failure.reason}; left as it was`);
  }
  return outcome.failures.length > 0 ? 1 : 0;
}
