/**
 * A tenant's OpenID Connect settings: one `settings` row named `oidc` holding JSON, written with its
 * `setting.update` audit row in one transaction (like the IP filter's row). The client secret is
 * kept encrypted (AES-256-GCM, `lib/encryption.ts`) under a key of this tenant derived from the
 * platform secret, with the row's name as authenticated context; it is never shown back.
 */
import { z } from 'zod';
import type { Queryable } from '#src/db/database.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
import { decryptText, DecryptionError, encryptText } from '#src/lib/encryption.ts';
import { deriveKey } from '#src/lib/keys.ts';

const ROW = 'oidc';

export const LOGIN_CLAIMS = ['preferred_username', 'email'] as const;
export type LoginClaim = (typeof LOGIN_CLAIMS)[number];

export interface OidcSettings {
  readonly enabled: boolean;
  /** Shown on the sign-in button ("Sign in with …"). */
  readonly providerName: string;
  readonly issuer: string;
  readonly clientId: string;
  /** Stored form (`v1:…`), or '' when none was given. */
  readonly encryptedSecret: string;
  readonly loginClaim: LoginClaim;
  /** Unknown users are created at their first sign-in (else refused). */
  readonly autoCreate: boolean;
  /** The password form is hidden and refused for everyone but administrators. */
  readonly ssoOnly: boolean;
}

export const DEFAULT_OIDC_SETTINGS: OidcSettings = {
  enabled: false,
  providerName: '',
  issuer: '',
  clientId: '',
  encryptedSecret: '',
  loginClaim: 'preferred_username',
  autoCreate: false,
  ssoOnly: false,
};

const stored = z.object({
  enabled: z.boolean().catch(false),
  providerName: z.string().catch(''),
  issuer: z.string().catch(''),
  clientId: z.string().catch(''),
  encryptedSecret: z.string().catch(''),
  loginClaim: z.enum(LOGIN_CLAIMS).catch('preferred_username'),
  autoCreate: z.boolean().catch(false),
  ssoOnly: z.boolean().catch(false),
});

export function secretKeyOf(platformSecret: string, account: string): Buffer {
  return deriveKey(platformSecret, 'oidc', account);
}

export function encryptClientSecret(key: Buffer, secret: string): string {
  return encryptText(key, secret, `settings.${ROW}.client_secret`);
}

/** The client secret, or undefined when none is stored or it no longer decrypts (rotated platform secret). */
export function clientSecretOf(key: Buffer, settings: OidcSettings): string | undefined {
  if (!settings.encryptedSecret) {
    return undefined;
  }
  try {
    return decryptText(key, settings.encryptedSecret, `settings.${ROW}.client_secret`);
  } catch (error) {
    if (error instanceof DecryptionError) {
      return undefined;
    }
    throw error;
  }
}

export async function readOidcSettings(db: Queryable, forUpdate = false): Promise<OidcSettings> {
  const [row] = await db.query<{ value: string | null }>(`SELECT value FROM settings WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`, [ROW]);
  if (!row?.value) {
    return DEFAULT_OIDC_SETTINGS;
  }
  try {
    return stored.parse(JSON.parse(row.value));
  } catch {
    return DEFAULT_OIDC_SETTINGS;
  }
}

/** What the administrator sent; `clientSecret` blank keeps the stored one. */
export interface OidcSettingsInput {
  readonly enabled: boolean;
  readonly providerName: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly loginClaim: LoginClaim;
  readonly autoCreate: boolean;
  readonly ssoOnly: boolean;
}

/** Problems as message keys; empty when the input can be saved. */
export function oidcSettingsProblems(input: OidcSettingsInput, hasStoredSecret: boolean, allowPrivate: boolean): OidcProblem[] {
  const problems: OidcProblem[] = [];
  if (input.issuer && !issuerUrlAllowed(input.issuer, allowPrivate)) {
    problems.push('error_oidc_issuer_invalid');
  }
  if (input.enabled) {
    if (!input.issuer) {
      problems.push('error_oidc_issuer_invalid');
    }
    if (!input.clientId) {
      problems.push('error_oidc_client_id_blank');
    }
    if (!input.clientSecret && !hasStoredSecret) {
      problems.push('error_oidc_client_secret_blank');
    }
  }
  return [...new Set(problems)];
}

export type OidcProblem =
  | 'error_oidc_issuer_invalid'
  | 'error_oidc_issuer_not_public'
  | 'error_oidc_issuer_unresolvable'
  | 'error_oidc_client_id_blank'
  | 'error_oidc_client_secret_blank';

/**
 * An issuer is fetched from the server (discovery, keys, token endpoint), so it must be https: the
 * ID token's signing keys and the client secret travel on those requests. Plain http only where the
 * operator allows private addresses (KANRI_OIDC_ALLOW_PRIVATE: an on-premise provider, the tests);
 * refused when saved and again when used. Where the host points is checked by oidc.fetch.ts.
 */
export function issuerUrlAllowed(issuer: string, allowPrivate: boolean): boolean {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) {
    return false;
  }
  return url.protocol === 'https:' || (allowPrivate && url.protocol === 'http:');
}

/** Saves the settings and audits which ones changed (names only: never the secret). */
export async function saveOidcSettings(db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, key: Buffer, input: OidcSettingsInput, source: AuditSource, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await readOidcSettings(tx, true);
    const next: OidcSettings = {
      enabled: input.enabled,
      providerName: input.providerName,
      issuer: input.issuer,
      clientId: input.clientId,
      encryptedSecret: input.clientSecret ? encryptClientSecret(key, input.clientSecret) : before.encryptedSecret,
      loginClaim: input.loginClaim,
      autoCreate: input.autoCreate,
      ssoOnly: input.ssoOnly,
    };
    const changed = (Object.keys(next) as (keyof OidcSettings)[]).filter((name) => (name === 'encryptedSecret' ? Boolean(input.clientSecret) : next[name] !== before[name]));
    if (changed.length === 0) {
      return;
    }
    await tx.query(
      `INSERT INTO settings (name, value, updated_on) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_on = EXCLUDED.updated_on`,
      [ROW, JSON.stringify(next), now.toISOString()],
    );
    const shown = (name: keyof OidcSettings) => (name === 'encryptedSecret' ? undefined : next[name]);
    await recordAudit(tx, {
      event: 'setting.update',
      source,
      target: { type: 'Setting', name: ROW },
      details: {
        changed: changed.map((name) => (name === 'encryptedSecret' ? 'clientSecret' : name)),
        values: Object.fromEntries(changed.filter((name) => name !== 'encryptedSecret').map((name) => [name, shown(name)])),
      },
    });
  });
}
