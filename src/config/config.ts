/**
 * The one place that reads the environment. Everything else receives the frozen `Config`.
 * Values come from environment variables, then from an optional JSON file (`KANRI_CONFIG`, or
 * `kanri.config.json` in the working directory) whose keys are the same variable names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { isValidAccountName } from '#src/platform/account-name.ts';
import { parseAddressList, type AddressMatcher } from '#src/lib/ip-match.ts';

export interface DatabaseServer {
  /** Stable name recorded in the tenant registry (URLs carry passwords and may change). */
  readonly name: string;
  readonly url: string;
}

export interface Config {
  readonly host: string;
  readonly port: number;
  /** Tenants are `{account}.{baseDomain}`. */
  readonly baseDomain: string;
  /** The control plane's PostgreSQL database; undefined means embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL servers new tenant databases may be placed on (PostgreSQL mode only). */
  readonly tenantServers: readonly DatabaseServer[];
  readonly dataDir: string;
  /** Tenant served on a host that names none; undefined in a hosted deployment. */
  readonly defaultTenant: string | undefined;
  /** Master secret from the environment; when absent one is generated and kept in the control plane. */
  readonly secret: string | undefined;
  readonly trustedProxies: AddressMatcher;
  readonly logLevel: string;
  /** Prefix of the PostgreSQL database names Kanri creates (tenants, templates). */
  readonly databasePrefix: string;
  /** Most PGlite tenant databases open at once in embedded mode. */
  readonly maxOpenPglite: number;
  /** Most connections one tenant database's pool opens (PostgreSQL mode). */
  readonly tenantPoolMax: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name such as kanri.example.com')
    .default('localhost'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  TENANT_DATABASE_SERVERS: z.string().optional(),
  KANRI_DATA_DIR: z.string().min(1).default('./data'),
  DEFAULT_TENANT: z
    .string()
    .refine(isValidAccountName, 'must be an account name (lower-case letters, digits, hyphens)')
    .optional(),
  KANRI_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUSTED_PROXIES: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KANRI_DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,19}$/, 'must be lower-case letters, digits and underscores, at most 20')
    .default('kanri'),
  KANRI_MAX_OPEN_PGLITE: positiveInt(4),
  KANRI_TENANT_POOL_MAX: positiveInt(5),
});

export type ConfigSource = Record<string, string | undefined>;

/** Builds the Config from `env` (normally process.env) and the optional config file. */
export function loadConfig(env: ConfigSource = process.env, cwd = process.cwd()): Config {
  const merged = { ...readConfigFile(env, cwd), ...definedOnly(env) };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`configuration: ${issue?.path.join('.') ?? '?'} ${issue?.message ?? 'is invalid'}`);
  }
  const v = parsed.data;
  let trustedProxies: AddressMatcher;
  try {
    trustedProxies = parseAddressList(v.TRUSTED_PROXIES);
  } catch (error) {
    throw new ConfigError(`configuration: TRUSTED_PROXIES ${(error as Error).message}`);
  }
  return Object.freeze({
    host: v.HOST,
    port: v.PORT,
    baseDomain: v.BASE_DOMAIN.toLowerCase(),
    databaseUrl: v.DATABASE_URL,
    tenantServers: parseServers(v.TENANT_DATABASE_SERVERS, v.DATABASE_URL),
    dataDir: resolve(cwd, v.KANRI_DATA_DIR),
    defaultTenant: v.DEFAULT_TENANT,
    secret: v.KANRI_SECRET,
    trustedProxies,
    logLevel: v.LOG_LEVEL,
    databasePrefix: v.KANRI_DATABASE_PREFIX,
    maxOpenPglite: v.KANRI_MAX_OPEN_PGLITE,
    tenantPoolMax: v.KANRI_TENANT_POOL_MAX,
  });
}

function definedOnly(env: ConfigSource): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}

function readConfigFile(env: ConfigSource, cwd: string): Record<string, unknown> {
  const path = env.KANRI_CONFIG ? resolve(cwd, env.KANRI_CONFIG) : resolve(cwd, 'kanri.config.json');
  if (!existsSync(path)) {
    if (env.KANRI_CONFIG) {
      throw new ConfigError(`configuration: KANRI_CONFIG names ${path}, which does not exist`);
    }
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`configuration: ${path} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`configuration: ${path} must hold a JSON object`);
  }
  return Object.fromEntries(Object.entries(data).map(([k, val]) => [k, typeof val === 'string' ? val : String(val)]));
}

/**
 * `TENANT_DATABASE_SERVERS` is a comma-separated list of `name=postgres://…`. Without it, tenants go
 * to the control plane's own server, named `main`.
 */
function parseServers(list: string | undefined, databaseUrl: string | undefined): DatabaseServer[] {
  if (!databaseUrl) {
    if (list) {
      throw new ConfigError('configuration: TENANT_DATABASE_SERVERS needs DATABASE_URL (PostgreSQL mode)');
    }
    return [];
  }
  if (!list) {
    return [{ name: 'main', url: databaseUrl }];
  }
  const servers = list.split(',').map((item) => {
    const at = item.indexOf('=');
    const name = item.slice(0, at).trim();
    const url = item.slice(at + 1).trim();
    if (at < 1 || !/^[a-z0-9_-]{1,100}$/i.test(name) || !/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError(`configuration: TENANT_DATABASE_SERVERS entry "${item.trim()}" is not name=postgres://…`);
    }
    return { name, url };
  });
  if (new Set(servers.map((s) => s.name)).size !== servers.length) {
    throw new ConfigError('configuration: TENANT_DATABASE_SERVERS names a server twice');
  }
  return servers;
}
