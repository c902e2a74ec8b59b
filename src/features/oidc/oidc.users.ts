/**
 * Which local user an OpenID Connect identity signs in as: the user whose login (claim
 * `preferred_username`) or e-mail address (claim `email`) equals the chosen claim, case-insensitively.
 * Only an active user signs in; a locked or not yet activated one is refused like an unknown one is.
 * With automatic creation on, an unknown identity becomes an active user named from its claims,
 * with a random password no one is told (it can sign in only through the provider, until an
 * administrator or the lost-password link sets one).
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '#src/db/database.ts';
import { createUser, passwordRulesOf, USER_STATUS, type User } from '#src/features/account/index.ts';
import { findUserById } from '#src/features/account/user.repository.ts';
import { recordAudit, type AuditSource } from '#src/features/audit/index.ts';
import type { PasswordSettings } from '#src/features/account/password-policy.ts';
import { ValidationError } from '#src/errors.ts';
import type { OidcIdentity } from './oidc.flow.ts';
import type { LoginClaim } from './oidc.settings.ts';

export type OidcUserOutcome =
  | { readonly kind: 'user'; readonly user: User; readonly created: boolean }
  | { readonly kind: 'refused'; readonly reason: 'no_claim' | 'unknown_user' | 'inactive_user' | 'creation_failed'; readonly login: string };

async function findByClaim(db: Database, claim: LoginClaim, value: string): Promise<User | undefined> {
  const rows =
    claim === 'email'
      ? await db.query<{ id: number }>(
          `SELECT u.id FROM users u JOIN email_addresses e ON e.user_id = u.id
            WHERE u.type = 'User' AND lower(e.address) = lower($1) ORDER BY e.is_default DESC, u.id LIMIT 1`,
          [value],
        )
      : await db.query<{ id: number }>(`SELECT id FROM users WHERE type = 'User' AND lower(login) = lower($1) ORDER BY id LIMIT 1`, [value]);
  const id = rows[0]?.id;
  return id === undefined ? undefined : findUserById(db.orm, Number(id));
}

/** A password nobody knows that still satisfies any password policy (four character classes, ≥ 64 characters). */
function unusablePassword(): string {
  return `${randomBytes(48).toString('base64url')}aZ9!`;
}

export async function userForIdentity(
  db: Database,
  identity: OidcIdentity,
  options: { claim: LoginClaim; autoCreate: boolean; passwordSettings: PasswordSettings; language: string; source: AuditSource },
  now: Date,
): Promise<OidcUserOutcome> {
  const value = identity.login;
  if (!value) {
    return { kind: 'refused', reason: 'no_claim', login: '' };
  }
  const found = await findByClaim(db, options.claim, value);
  if (found) {
    return found.status === USER_STATUS.active ? { kind: 'user', user: found, created: false } : { kind: 'refused', reason: 'inactive_user', login: found.login };
  }
  if (!options.autoCreate) {
    return { kind: 'refused', reason: 'unknown_user', login: value.slice(0, 255) };
  }
  const rules = passwordRulesOf(options.passwordSettings);
  const password = unusablePassword();
  try {
    const user = await createUser(
      db.orm,
      {
        login: value,
        password,
        firstname: (identity.givenName ?? value).slice(0, 30),
        lastname: (identity.familyName ?? '-').slice(0, 255),
        mail: identity.email ?? '',
        language: options.language,
        minPasswordLength: rules.minLength,
        requiredCharClasses: rules.requiredCharClasses,
      },
      now,
    );
    await recordAudit(db, {
      event: 'user.create',
      source: options.source,
      target: { type: 'User', id: user.id, name: user.login },
      details: { firstname: user.firstname, lastname: user.lastname, mail: user.mail ?? '', status: 'active', admin: false, via: 'oidc' },
    });
    return { kind: 'user', user, created: true };
  } catch (error) {
    if (error instanceof ValidationError) {
      return { kind: 'refused', reason: 'creation_failed', login: value.slice(0, 255) };
    }
    throw error;
  }
}
