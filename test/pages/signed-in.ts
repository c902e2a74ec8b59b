/**
 * A signed-in Browser for page tests whose `post` carries the form token. The token is read before
 * signing in (the sign-in page redirects afterwards) and stays valid: it is bound to the browser's
 * CSRF cookie, not to the session.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Browser } from '../support/app.ts';

export interface SignedIn {
  readonly browser: Browser;
  request(method: 'GET' | 'POST', url: string, form?: Readonly<Record<string, string | readonly string[]>>): Promise<LightMyRequestResponse>;
  post(url: string, form?: Readonly<Record<string, string | readonly string[]>>): Promise<LightMyRequestResponse>;
}

export async function signedIn(app: FastifyInstance, login: string, password = `${login}-password`): Promise<SignedIn> {
  const browser = new Browser(app, 'acme.localhost');
  const token = await browser.formToken('/login');
  assert.equal((await browser.signIn(login, password)).statusCode, 302);
  return {
    browser,
    request: (method, url, form) => browser.request(method, url, form),
    post: (url, form = {}) => browser.request('POST', url, { authenticity_token: token, ...form }),
  };
}
