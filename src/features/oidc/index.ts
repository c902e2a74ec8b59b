/**
 * Single sign-on with OpenID Connect per tenant (oidc.pages.tsx). For the sign-in page:
 * `oidcSignInOffer` says whether to show the "Sign in with …" button and whether password sign-in
 * is for administrators only ("SSO only").
 */
import type { Database } from '#src/db/database.ts';
import { memoAsOf } from '#src/db/version-memo.ts';
import { readOidcSettings } from './oidc.settings.ts';

export { oidcPages } from './oidc.pages.tsx';

export interface OidcSignInOffer {
  /** The provider's name on the button. */
  readonly providerName: string;
  /** Password sign-in is refused for everyone but administrators. */
  readonly ssoOnly: boolean;
}

/**
 * The offer when single sign-on is enabled (a secret is stored), else undefined. Read on every
 * sign-in page and every HTTP Basic request with a password, so remembered per data version (the
 * request's `dataVersion`; none for a request that writes).
 */
export async function oidcSignInOffer(tenant: { readonly db: Database; readonly dataVersion: string | undefined }): Promise<OidcSignInOffer | undefined> {
  return memoAsOf(tenant.db, 'oidc-sign-in-offer', tenant.dataVersion, async () => {
    const settings = await readOidcSettings(tenant.db);
    if (!settings.enabled || !settings.issuer || !settings.clientId || !settings.encryptedSecret) {
      return undefined;
    }
    return { providerName: settings.providerName || 'OpenID Connect', ssoOnly: settings.ssoOnly };
  });
}
