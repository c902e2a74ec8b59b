/**
 * The OpenID Connect authorization code flow with `openid-client`: discovery of the issuer, the
 * authorization URL (PKCE S256, state, nonce), and at the callback the code exchange with the ID
 * token checked (signature, issuer, audience, expiry, nonce) by the library. What the browser must
 * keep between the two steps (state, nonce, PKCE verifier) travels in a short-lived signed cookie,
 * so no server-side store is needed and a callback from another browser has nothing to match.
 */
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { outboundFetch, OutboundRefusedError } from './oidc.fetch.ts';
import { issuerUrlAllowed, type LoginClaim } from './oidc.settings.ts';

/** How long a started sign-in may take at the provider. */
export const FLOW_LIFETIME_MS = 10 * 60_000;
const DISCOVERY_TIMEOUT_SECONDS = 10;
/** A provider's metadata is fetched again after this long (a changed provider is seen soon enough). */
const DISCOVERY_CACHE_MS = 5 * 60_000;
const DISCOVERY_CACHE_MAX = 500;

export interface ProviderConfig {
  /** The tenant's account: discovery results are kept per tenant. */
  readonly tenant: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** KANRI_OIDC_ALLOW_PRIVATE (oidc.fetch.ts). */
  readonly allowPrivate: boolean;
}

/** What the browser carries from the start to the callback (inside a signed cookie). */
export interface PendingFlow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly backUrl: string;
  /** Epoch milliseconds after which the callback is refused. */
  readonly until: number;
  /** Set for a re-authentication that confirms sudo mode (security.md §4) of this user's session. */
  readonly sudoUserId?: number | undefined;
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

const discovered = new Map<string, { config: client.Configuration; until: number }>();

/** Forgets every kept discovery result (tests). */
export function clearDiscoveryCache(): void {
  discovered.clear();
}

async function discover(provider: ProviderConfig): Promise<client.Configuration> {
  if (!issuerUrlAllowed(provider.issuer, provider.allowPrivate)) {
    throw new OidcFlowError('issuer_not_https');
  }
  // The secret is part of the key (as a digest), so a changed secret is used at once.
  const cacheKey = [provider.tenant, provider.issuer, provider.clientId, createHash('sha256').update(provider.clientSecret).digest('hex'), provider.allowPrivate].join('\u0001');
  const kept = discovered.get(cacheKey);
  if (kept && kept.until > Date.now()) {
    return kept.config;
  }
  const url = new URL(provider.issuer);
  let config: client.Configuration;
  try {
    config = await client.discovery(url, provider.clientId, provider.clientSecret, client.ClientSecretBasic(provider.clientSecret), {
      timeout: DISCOVERY_TIMEOUT_SECONDS,
      // Every request of this configuration (discovery, token, userinfo, keys) goes through the
      // address-checking fetch; plain http only where the operator allows it (issuerUrlAllowed).
      [client.customFetch]: outboundFetch({ allowPrivate: provider.allowPrivate }),
      ...(url.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    const refused = refusalOf(error);
    throw new OidcFlowError(refused ? `issuer_refused: ${refused.reason}` : `discovery_failed: ${errorCode(error)}`);
  }
  if (discovered.size >= DISCOVERY_CACHE_MAX) {
    discovered.delete(discovered.keys().next().value!);
  }
  discovered.set(cacheKey, { config, until: Date.now() + DISCOVERY_CACHE_MS });
  return config;
}

/** The address refusal behind a library error, if that is what it was. */
function refusalOf(error: unknown): OutboundRefusedError | undefined {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (cause instanceof OutboundRefusedError) {
      return cause;
    }
  }
  return undefined;
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
  const refused = refusalOf(error);
  return refused ? `refused_${refused.reason}` : 'error';
}

/**
 * The provider's authorization URL for a new flow, and what to keep for the callback. With
 * `sudoUserId` the provider is asked to authenticate the user again now (`prompt=login`,
 * `max_age=0`), and the callback checks that it did (`auth_time`).
 */
export async function startFlow(
  provider: ProviderConfig,
  redirectUri: string,
  backUrl: string,
  now: Date,
  sudoUserId?: number,
): Promise<{ url: string; pending: PendingFlow }> {
  const config = await discover(provider);
  const pending: PendingFlow = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    backUrl,
    until: now.getTime() + FLOW_LIFETIME_MS,
    ...(sudoUserId === undefined ? {} : { sudoUserId }),
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    response_type: 'code',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    ...(sudoUserId === undefined ? {} : { prompt: 'login', max_age: '0' }),
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
      {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
        // A re-authentication must have happened just now: the ID token's auth_time is checked.
        ...(pending.sudoUserId === undefined ? {} : { maxAge: 0 }),
      },
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
