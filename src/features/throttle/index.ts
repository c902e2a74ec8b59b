/**
 * Brute-force throttling (security.md §6, §8). Wrong passwords count per tenant and login and per
 * tenant and client address; past the limits the account is soft-locked (15 min, doubling while the
 * locks keep coming, at most 24 h) or the address blocked, and every attempt then fails exactly as a
 * wrong password does. Invalid API keys count per key and per address and, past their limits, get 429.
 * The counts live in the tenant database (`auth_throttles`), shared by every process.
 *
 * For a step that checks a credential of a user:
 * - sign-in style, with a password: `authenticateThrottled` (or `verifyThrottled` + `recordFailedAttempt`);
 * - anything else (2FA code, sudo password): `checkAttemptAllowed` first (false: answer as for a wrong
 *   credential), `recordFailedAttempt` on a wrong one, and on the code that completes a sign-in
 *   `clearAccountFailures` and `recordSignInSuccess`.
 * A successful password reset calls `clearAccountLock`; a request for a reset link asks
 * `admitPasswordResetRequest` (per target account and per address). Administrators see a soft lock on the user's
 * edit page (`SignInLockNotice`) and lift it there (`throttlePages`: POST /users/:id/sign_in_lock/delete).
 */
export {
  authenticateThrottled,
  checkAttemptAllowed,
  recordFailedAttempt,
  recordSignInSuccess,
  verifyThrottled,
  type AuthChannel,
} from './auth-attempts.ts';
export {
  accountLockedUntil,
  admitPasswordResetRequest,
  checkSignInAllowed,
  clearAccountFailures,
  clearAccountLock,
  recordAuthFailure,
  recordInvalidApiKey,
  type AuthAttempt,
  type AuthFailureOutcome,
  type PasswordResetAttempt,
  type SignInGate,
} from './throttle.service.ts';
export { throttlePages } from './throttle.pages.tsx';
export { SignInLockNotice } from './views/sign-in-lock.tsx';
