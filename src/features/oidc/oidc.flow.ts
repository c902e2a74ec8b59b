/**
 * The OpenID Connect authorization code flow with `openid-client`: discovery of the issuer, the
 * authorization URL (PKCE S256, state, nonce), and at the callback the code exchange with the ID
 * token checked (signature, issuer, audience, expiry, nonce) by the library. What the browser must
 * keep between the two steps (state, nonce, PKCE verifier) travels in a short-lived signed cookie,
 * so no server-side store is needed and a callback from another browser has nothing to match.
 */
import * as client from 'openid-client';
import { issuerUrlAllowed, isLoopbackHost, type LoginClaim } from './oidc.settings.ts';

/** How long a started sign-in may take at the provider. */
export const FLOW_LIFETIME_MS = 10 * 60_000;
const DISCOVERY_TIMEOUT_SECONDS = 10;

export interface ProviderConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What the browser carries from the start to the callback (inside a signed cookie). */
export interface PendingFlow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly backUrl: string;
  /** Epoch milliseconds after which the callback is refused. */
  readonly until: number;
}

/** A failure the user is told about; `reason` goes to the audit row and the log. */
export class OidcFlowError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
    this.name = 'OidcFlowError';
  }
}

async function discover(provider: ProviderConfig): Promise<client.Configuration> {
  if (!issuerUrlAllowed(provider.issuer)) {
    throw new OidcFlowError('issuer_not_https');
  }
  const url = new URL(provider.issuer);
  try {
    return await client.discovery(url, provider.clientId, provider.clientSecret, client.ClientSecretBasic(provider.clientSecret), {
      timeout: DISCOVERY_TIMEOUT_SECONDS,
      // Only a loopback issuer (tests, local development) may be reached over plain http; issuerUrlAllowed
      // has refused every other http address before this point.
      ...(url.protocol === 'http:' && isLoopbackHost(url.hostname) ? { execute: [client.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    throw new OidcFlowError(`discovery_failed: ${errorCode(error)}`);
  }
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, error: oauthError } = error as { code?: unknown; error?: unknown };
    if (typeof oauthError === 'string') {
      return oauthError.slice(0, 100);
    }
    if (typeof code === 'string') {
      return code.slice(0, 100);
    }
  }
  return 'error';
}

/** The provider's authorization URL for a new flow, and what to keep for the callback. */
export async function startFlow(provider: ProviderConfig, redirectUri: string, backUrl: string, now: Date): Promise<{ url: string; pending: PendingFlow }> {
  const config = await discover(provider);
  const pending: PendingFlow = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    backUrl,
    until: now.getTime() + FLOW_LIFETIME_MS,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    response_type: 'code',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, pending };
}

/** The claims of the signed-in end user: the ID token's, validated. */
export interface OidcIdentity {
  readonly subject: string;
  readonly login: string | undefined;
  readonly email: string | undefined;
  readonly givenName: string | undefined;
  readonly familyName: string | undefined;
}

/**
 * Exchanges the code of the callback (`query`: the query string the provider redirected with) and
 * validates the ID token against the pending flow. Throws OidcFlowError on any mismatch.
 */
export async function finishFlow(
  provider: ProviderConfig,
  redirectUri: string,
  query: string,
  pending: PendingFlow,
  loginClaim: LoginClaim,
  now: Date,
): Promise<OidcIdentity> {
  // Built from the configured redirect URI, not from the request's Host: the same address as in the
  // authorization request, whatever a proxy did to the request line.
  const callbackUrl = new URL(redirectUri);
  callbackUrl.search = query;
  if (now.getTime() > pending.until) {
    throw new OidcFlowError('flow_expired');
  }
  const providerError = callbackUrl.searchParams.get('error');
  if (providerError) {
    throw new OidcFlowError(`provider_error: ${providerError.slice(0, 100)}`);
  }
  if (callbackUrl.searchParams.get('state') !== pending.state) {
    throw new OidcFlowError('state_mismatch');
  }
  const config = await discover(provider);
  let claims: client.IDToken | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(
      config,
      callbackUrl,
      { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
      { redirect_uri: redirectUri },
    );
    claims = tokens.claims();
  } catch (error) {
    throw new OidcFlowError(`code_exchange_failed: ${errorCode(error)}`);
  }
  if (!claims) {
    throw new OidcFlowError('no_id_token');
  }
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  return {
    subject: claims.sub,
    login: text(claims[loginClaim]),
    email: text(claims.email),
    givenName: text(claims.given_name),
    familyName: text(claims.family_name),
  };
}
