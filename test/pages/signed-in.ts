/**
 * Signed-in Browsers for page tests. A Browser's `post` carries the form token, which is bound to the
 * browser's CSRF cookie (not to the session), so it stays valid across the tests of a file — until a
 * post without it signs the browser out, as Redmine does (then `forget` the login and sign in again).
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Browser } from '../support/app.ts';

export type SignedIn = Browser;

export async function signedIn(app: FastifyInstance, login: string, password = `${login}-password`): Promise<Browser> {
  const browser = new Browser(app, 'acme.localhost');
  const answer = await browser.signIn(login, password);
  assert.equal(answer.statusCode, 302, `${login} could not sign in: ${answer.body.slice(0, 300)}`);
  return browser;
}

/** One signed-in Browser per login, made on first use; `app` is read then (the app starts in a hook). */
export function signedInBrowsers(app: () => FastifyInstance): { as: (login: string) => Promise<Browser>; forget: (login: string) => void } {
  const known = new Map<string, Browser>();
  return {
    as: async (login) => {
      let browser = known.get(login);
      if (!browser) {
        browser = await signedIn(app(), login);
        known.set(login, browser);
      }
      return browser;
    },
    forget: (login) => {
      known.delete(login);
    },
  };
}
