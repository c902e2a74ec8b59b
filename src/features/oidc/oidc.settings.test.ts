import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { clientSecretOf, DEFAULT_OIDC_SETTINGS, encryptClientSecret, issuerUrlAllowed, oidcSettingsProblems, secretKeyOf } from './oidc.settings.ts';

test('an issuer must be https (http only with KANRI_OIDC_ALLOW_PRIVATE) and carry no credentials, query or fragment', () => {
  assert.equal(issuerUrlAllowed('https://login.example.com/realms/acme', false), true);
  assert.equal(issuerUrlAllowed('http://127.0.0.1:8080', false), false);
  assert.equal(issuerUrlAllowed('http://localhost:8080', false), false);
  assert.equal(issuerUrlAllowed('http://login.example.com', false), false);
  // KANRI_OIDC_ALLOW_PRIVATE=1: plain http too (an on-premise provider).
  assert.equal(issuerUrlAllowed('http://127.0.0.1:8080', true), true);
  assert.equal(issuerUrlAllowed('http://idp.internal', true), true);
  assert.equal(issuerUrlAllowed('https://user:pass@login.example.com', false), false);
  assert.equal(issuerUrlAllowed('https://login.example.com/?a=1', false), false);
  assert.equal(issuerUrlAllowed('https://login.example.com/#x', false), false);
  assert.equal(issuerUrlAllowed('ftp://login.example.com', true), false);
  assert.equal(issuerUrlAllowed('not a url', true), false);
});

test('enabling needs an issuer, a client id and a secret (a stored one will do)', () => {
  const input = { enabled: true, providerName: '', issuer: '', clientId: '', clientSecret: '', loginClaim: 'email' as const, autoCreate: false, ssoOnly: false };
  assert.deepEqual(oidcSettingsProblems(input, false, false), ['error_oidc_issuer_invalid', 'error_oidc_client_id_blank', 'error_oidc_client_secret_blank']);
  assert.deepEqual(oidcSettingsProblems({ ...input, issuer: 'https://idp.example', clientId: 'x' }, true, false), []);
  assert.deepEqual(oidcSettingsProblems({ ...input, enabled: false }, false, false), []);
});

test('the client secret decrypts only under the key of its tenant', () => {
  const secret = randomBytes(16).toString('hex');
  const acme = secretKeyOf('platform-secret', 'acme');
  const stored = { ...DEFAULT_OIDC_SETTINGS, encryptedSecret: encryptClientSecret(acme, 'the-client-secret') };
  assert.ok(!stored.encryptedSecret.includes('the-client-secret'));
  assert.equal(clientSecretOf(acme, stored), 'the-client-secret');
  assert.equal(clientSecretOf(secretKeyOf('platform-secret', 'other'), stored), undefined);
  assert.equal(clientSecretOf(secretKeyOf(secret, 'acme'), stored), undefined);
  assert.equal(clientSecretOf(acme, DEFAULT_OIDC_SETTINGS), undefined);
});
