/**
 * The one place that reads the environment. Everything else receives the frozen `Config`.
 * Values come from environment variables, then from an optional JSON file (`KANRI_CONFIG`, or
 * `kanri.config.json` in the working directory) whose keys are the same variable names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
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
  /** The operator's support addresses, let through every tenant's IP address filter (each use audited). */
  readonly supportAddresses: AddressMatcher;
  /** The IP address filter accepts private, loopback and other non-public ranges (on-premise, tests). */
  readonly ipFilterAllowPrivate: boolean;
  /** KANRI_OIDC_ALLOW_PRIVATE: OpenID Connect providers may be reached over http and at non-public addresses. */
  readonly oidcAllowPrivate: boolean;
  readonly logLevel: string;
  /** Prefix of the PostgreSQL database names Kanri creates (tenants, templates). */
  readonly databasePrefix: string;
  /** Most PGlite tenant databases open at once in embedded mode. */
  readonly maxOpenPglite: number;
  /** Most connections one tenant database's pool opens (PostgreSQL mode). */
  readonly tenantPoolMax: number;
  /** Where mail goes (`smtp://…`, `smtps://…`); undefined writes `.eml` files under `<dataDir>/mail`. */
  readonly smtpUrl: string | undefined;
  /** argon2id's cost for new password hashes (never below OWASP's 19 MiB, 2 passes, 1 lane). */
  readonly passwordHashCost: { readonly memoryKib: number; readonly timeCost: number; readonly parallelism: number };
  /** Certificate and key when the process ends TLS itself; undefined when a proxy does (or nothing). */
  readonly tls: TlsFiles | undefined;
  /** A plain-HTTP port that answers with redirects to HTTPS (needs `tls`). */
  readonly httpRedirectPort: number | undefined;
  /** Plain-HTTP requests get a 301 to HTTPS even when TLS ends at a proxy (implied by `tls`). */
  readonly forceHttps: boolean;
  /** Brute-force throttling of passwords and API keys (security.md §6, §8). */
  readonly throttle: ThrottleConfig;
  /** Sudo mode: the password asked again before sensitive changes (Redmine's `sudo_mode`; on by default). */
  readonly sudoMode: boolean;
}

/**
 * One throttle: `maxFailures` failures within `windowMs` lock the subject for `lockMs`; each lock that
 * follows the previous one within `maxLockMs` of its end lasts twice as long, up to `maxLockMs`.
 */
export interface ThrottlePolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
  readonly maxLockMs: number;
}

export interface ThrottleConfig {
  /** Wrong passwords (sign-in, API Basic, password change, 2FA, sudo) per tenant and login. */
  readonly account: ThrottlePolicy;
  /** The same failures per tenant and client address. */
  readonly address: ThrottlePolicy;
  /** Invalid API keys per tenant and key. */
  readonly apiKey: ThrottlePolicy;
  /** Invalid API keys per tenant and client address. */
  readonly apiAddress: ThrottlePolicy;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** PEM contents, read once at start: a certificate change takes a restart. */
  readonly cert: Buffer;
  readonly key: Buffer;
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
  KANRI_SUPPORT_IPS: z.string().default(''),
  KANRI_IP_FILTER_ALLOW_PRIVATE: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
  KANRI_OIDC_ALLOW_PRIVATE: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KANRI_DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,19}$/, 'must be lower-case letters, digits and underscores, at most 20')
    .default('kanri'),
  KANRI_MAX_OPEN_PGLITE: positiveInt(4),
  KANRI_TENANT_POOL_MAX: positiveInt(5),
  KANRI_ARGON2_MEMORY_KIB: z.coerce.number().int().min(19_456, 'must be at least 19456 (19 MiB)').max(4_194_304).default(65_536),
  KANRI_ARGON2_TIME_COST: z.coerce.number().int().min(2, 'must be at least 2').max(100).default(3),
  KANRI_ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(64).default(4),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/\s]+/, 'must be an smtp:// or smtps:// URL').optional(),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  HTTP_REDIRECT_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  KANRI_FORCE_HTTPS: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
  // Throttling (security.md §6): the defaults are the requirement's numbers.
  KANRI_THROTTLE_ACCOUNT_FAILURES: positiveInt(5),
  KANRI_THROTTLE_ACCOUNT_WINDOW_MINUTES: positiveInt(15),
  KANRI_THROTTLE_ACCOUNT_LOCK_MINUTES: positiveInt(15),
  KANRI_THROTTLE_ACCOUNT_MAX_LOCK_MINUTES: positiveInt(24 * 60),
  KANRI_THROTTLE_IP_FAILURES: positiveInt(50),
  KANRI_THROTTLE_IP_WINDOW_MINUTES: positiveInt(15),
  KANRI_THROTTLE_IP_BLOCK_MINUTES: positiveInt(15),
  KANRI_THROTTLE_API_KEY_FAILURES: positiveInt(10),
  KANRI_SUDO_MODE: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('1'),
  KANRI_THROTTLE_API_IP_FAILURES: positiveInt(50),
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
  const trustedProxies = addressListOf('TRUSTED_PROXIES', v.TRUSTED_PROXIES);
  const supportAddresses = addressListOf('KANRI_SUPPORT_IPS', v.KANRI_SUPPORT_IPS);
  const tls = readTlsFiles(v.TLS_CERT_FILE, v.TLS_KEY_FILE, cwd);
  if (v.HTTP_REDIRECT_PORT !== undefined && !tls) {
    throw new ConfigError('configuration: HTTP_REDIRECT_PORT needs TLS_CERT_FILE and TLS_KEY_FILE (it redirects to this server\'s HTTPS)');
  }
  if (v.HTTP_REDIRECT_PORT !== undefined && v.HTTP_REDIRECT_PORT === v.PORT) {
    throw new ConfigError('configuration: HTTP_REDIRECT_PORT must differ from PORT');
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
    supportAddresses,
    ipFilterAllowPrivate: v.KANRI_IP_FILTER_ALLOW_PRIVATE === '1',
    oidcAllowPrivate: v.KANRI_OIDC_ALLOW_PRIVATE === '1',
    logLevel: v.LOG_LEVEL,
    databasePrefix: v.KANRI_DATABASE_PREFIX,
    maxOpenPglite: v.KANRI_MAX_OPEN_PGLITE,
    tenantPoolMax: v.KANRI_TENANT_POOL_MAX,
    smtpUrl: v.SMTP_URL,
    passwordHashCost: { memoryKib: v.KANRI_ARGON2_MEMORY_KIB, timeCost: v.KANRI_ARGON2_TIME_COST, parallelism: v.KANRI_ARGON2_PARALLELISM },
    tls,
    httpRedirectPort: v.HTTP_REDIRECT_PORT,
    forceHttps: v.KANRI_FORCE_HTTPS === '1' || tls !== undefined,
    throttle: throttleConfig(v),
    sudoMode: v.KANRI_SUDO_MODE === '1',
  });
}

/** The throttles from their variables; an address block and the API limits do not double. */
function throttleConfig(v: z.infer<typeof schema>): ThrottleConfig {
  const minutes = 60_000;
  if (v.KANRI_THROTTLE_ACCOUNT_MAX_LOCK_MINUTES < v.KANRI_THROTTLE_ACCOUNT_LOCK_MINUTES) {
    throw new ConfigError('configuration: KANRI_THROTTLE_ACCOUNT_MAX_LOCK_MINUTES must be at least KANRI_THROTTLE_ACCOUNT_LOCK_MINUTES');
  }
  const block = v.KANRI_THROTTLE_IP_BLOCK_MINUTES * minutes;
  const windowMs = v.KANRI_THROTTLE_IP_WINDOW_MINUTES * minutes;
  return {
    account: {
      maxFailures: v.KANRI_THROTTLE_ACCOUNT_FAILURES,
      windowMs: v.KANRI_THROTTLE_ACCOUNT_WINDOW_MINUTES * minutes,
      lockMs: v.KANRI_THROTTLE_ACCOUNT_LOCK_MINUTES * minutes,
      maxLockMs: v.KANRI_THROTTLE_ACCOUNT_MAX_LOCK_MINUTES * minutes,
    },
    address: { maxFailures: v.KANRI_THROTTLE_IP_FAILURES, windowMs, lockMs: block, maxLockMs: block },
    apiKey: { maxFailures: v.KANRI_THROTTLE_API_KEY_FAILURES, windowMs, lockMs: block, maxLockMs: block },
    apiAddress: { maxFailures: v.KANRI_THROTTLE_API_IP_FAILURES, windowMs, lockMs: block, maxLockMs: block },
  };
}

function addressListOf(name: string, list: string): AddressMatcher {
  try {
    return parseAddressList(list);
  } catch (error) {
    throw new ConfigError(`configuration: ${name} ${(error as Error).message}`);
  }
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

/** Both files or neither; each readable, and together a certificate with its own private key. */
function readTlsFiles(certFile: string | undefined, keyFile: string | undefined, cwd: string): TlsFiles | undefined {
  if (!certFile && !keyFile) {
    return undefined;
  }
  if (!certFile || !keyFile) {
    throw new ConfigError(`configuration: ${certFile ? 'TLS_CERT_FILE needs TLS_KEY_FILE' : 'TLS_KEY_FILE needs TLS_CERT_FILE'} (both or neither)`);
  }
  const read = (name: string, file: string) => {
    const path = resolve(cwd, file);
    try {
      return { path, data: readFileSync(path) };
    } catch (error) {
      throw new ConfigError(`configuration: ${name} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  const cert = read('TLS_CERT_FILE', certFile);
  const key = read('TLS_KEY_FILE', keyFile);
  try {
    // Fails on anything but PEM, and on a key that does not belong to the certificate.
    createSecureContext({ cert: cert.data, key: key.data });
  } catch (error) {
    throw new ConfigError(`configuration: TLS_CERT_FILE and TLS_KEY_FILE are not a PEM certificate and its private key (${(error as Error).message})`);
  }
  return { certFile: cert.path, keyFile: key.path, cert: cert.data, key: key.data };
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
