/**
 * Administration → OpenID Connect: the redirect URI to register at the provider and the tenant's
 * settings. The client secret is never written into the page: its field is always empty, with a note
 * saying whether one is stored. Pure: everything arrives in the props.
 */
import type { VNode } from 'preact';
import type { Translate } from '#src/i18n/index.ts';
import { CsrfField, ErrorExplanation } from '#src/views/form.tsx';
import { LOGIN_CLAIMS, type LoginClaim } from '../oidc.settings.ts';

export interface OidcFormValues {
  readonly enabled: boolean;
  readonly providerName: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly loginClaim: LoginClaim;
  readonly autoCreate: boolean;
  readonly ssoOnly: boolean;
}

export interface OidcPageProps {
  readonly t: Translate;
  readonly csrfToken: string;
  readonly values: OidcFormValues;
  readonly hasSecret: boolean;
  readonly redirectUri: string;
  readonly errors: readonly string[];
}

function Check({ name, checked, label, info }: { name: string; checked: boolean; label: string; info?: string }): VNode {
  return (
    <p>
      <label for={name}>{label}</label>
      <input type="hidden" name={name} value="0" />
      <input type="checkbox" id={name} name={name} value="1" checked={checked} />
      {info ? <em class="info">{info}</em> : null}
    </p>
  );
}

export function OidcPage({ t, csrfToken, values, hasSecret, redirectUri, errors }: OidcPageProps): VNode {
  return (
    <>
      <h2>{t('label_oidc')}</h2>
      <ErrorExplanation errors={errors} t={t} />
      <p>{t('text_oidc_explanation')}</p>
      <p id="oidc-redirect-uri">
        <code>{t('text_oidc_redirect_uri', { uri: redirectUri })}</code>
      </p>
      <form method="post" action="/admin/oidc" id="oidc-form">
        <CsrfField token={csrfToken} />
        <div class="box tabular">
          <Check name="enabled" checked={values.enabled} label={t('field_oidc_enabled')} />
          <p>
            <label for="provider_name">{t('field_oidc_provider_name')}</label>
            <input type="text" id="provider_name" name="provider_name" value={values.providerName} size={30} maxLength={60} />
          </p>
          <p>
            <label for="issuer">{t('field_oidc_issuer')}</label>
            <input type="url" id="issuer" name="issuer" value={values.issuer} size={60} maxLength={2000} placeholder="https://login.example.com/realms/acme" />
          </p>
          <p>
            <label for="client_id">{t('field_oidc_client_id')}</label>
            <input type="text" id="client_id" name="client_id" value={values.clientId} size={40} maxLength={255} autocomplete="off" />
          </p>
          <p>
            <label for="client_secret">{t('field_oidc_client_secret')}</label>
            <input type="password" id="client_secret" name="client_secret" value="" size={40} maxLength={1000} autocomplete="new-password" />
            <em class="info">{hasSecret ? t('text_oidc_client_secret_kept') : t('text_oidc_client_secret_none')}</em>
          </p>
          <p>
            <label for="login_claim">{t('field_oidc_login_claim')}</label>
            <select id="login_claim" name="login_claim">
              {LOGIN_CLAIMS.map((claim) => (
                <option value={claim} selected={claim === values.loginClaim}>
                  {t(claim === 'email' ? 'text_oidc_login_claim_email' : 'text_oidc_login_claim_preferred_username')}
                </option>
              ))}
            </select>
          </p>
          <Check name="auto_create" checked={values.autoCreate} label={t('field_oidc_auto_create')} info={t('text_oidc_auto_create')} />
          <Check name="sso_only" checked={values.ssoOnly} label={t('field_oidc_sso_only')} info={t('text_oidc_sso_only')} />
          <p>
            <em class="info">{t('text_oidc_no_twofa')}</em>
          </p>
        </div>
        <p class="buttons">
          <button type="submit" class="primary">
            {t('button_save')}
          </button>
        </p>
      </form>
    </>
  );
}
