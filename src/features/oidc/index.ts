/**
 * Single sign-on with OpenID Connect per tenant (oidc.pages.tsx). For the sign-in page:
 * `oidcSignInOffer` says whether to show the "Sign in with …" button and whether password sign-in
 * is for administrators only ("SSO only").
 */
import type { Queryable } from '#src/db/database.ts';
import { readOidcSettings } from './oidc.settings.ts';

export { oidcPages } from './oidc.pages.tsx';

export interface OidcSignInOffer {
  /** The provider's name on the button. */
  readonly providerName: string;
  /** Password sign-in is refused for everyone but administrators. */
  readonly ssoOnly: boolean;
}

/** The offer when single sign-on is enabled (a secret is stored), else undefined. */
export async function oidcSignInOffer(db: Queryable): Promise<OidcSignInOffer | undefined> {
  const settings = await readOidcSettings(db);
  if (!settings.enabled || !settings.issuer || !settings.clientId || !settings.encryptedSecret) {
    return undefined;
  }
  return { providerName: settings.providerName || 'OpenID Connect', ssoOnly: settings.ssoOnly };
}
