/**
 * `kanri <command>`: parses the command line, runs one command, turns every failure into one line on
 * stderr and an exit code (2: wrong usage, 1: the command failed). Set KANRI_DEBUG=1 for stack traces.
 */
import { ConfigError } from '#src/config/config.ts';
import { MigrationError } from '#src/db/migrator.ts';
import { KanriError } from '#src/errors.ts';
import { DataDirBusyError } from '#src/tenancy/data-dir-lock.ts';
import { runMigrate } from './migrate.ts';
import { processIo, UsageError, type CliIo } from './output.ts';
import { runServe } from './serve.ts';
import { runTenant } from './tenant.ts';

export const USAGE = `usage: kanri <command>

  serve                                   start the web server
  migrate                                 migrate the control plane and every tenant
  tenant create ACCOUNT --admin-email E   [--name N] [--lang en|ja] [--plan P] [--admin-login L]
                                          [--admin-password-file PATH|-] [--rest-api]
  tenant list [--json]
  tenant show ACCOUNT [--json]
  tenant suspend ACCOUNT
  tenant resume ACCOUNT
  tenant delete ACCOUNT --yes
  tenant set ACCOUNT NAME=VALUE [NAME=VALUE...]
  tenant import-redmine-secrets ACCOUNT   [--cipher-key-file PATH|-]  (2FA secrets and backup codes copied from Redmine)`;

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await runServe(rest, io);
      case 'migrate':
        return await runMigrate(rest, io);
      case 'tenant':
        return await runTenant(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** One line for the operator; the stack only on request. */
export function reportFailure(error: unknown, io: CliIo): number {
  const isParseArgsError = String((error as NodeJS.ErrnoException | undefined)?.code).startsWith('ERR_PARSE_ARGS');
  if (error instanceof UsageError || isParseArgsError) {
    io.err(`kanri: ${(error as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  const known =
    error instanceof KanriError ||
    error instanceof ConfigError ||
    error instanceof MigrationError ||
    error instanceof DataDirBusyError;
  const message = error instanceof Error ? error.message : String(error);
  io.err(`kanri: ${known ? message : `unexpected error: ${message.split('\n')[0]}`}`);
  if (io.env.KANRI_DEBUG && error instanceof Error && error.stack) {
    io.err(error.stack);
  }
  return 1;
}
