/**
 * Two-factor authentication with an authenticator app (TOTP; security.md §5), for the features that
 * meet it: the sign-in form hands a 2FA user to `startTwofaSignIn`; the page plugins register
 * `twofaEnforcement` first and `twofaPages`; settings call `unpairAllUsers` when `twofa` turns to
 * "disabled"; My account and the administrator's user page show the boxes.
 */
export { startTwofaSignIn } from './twofa-sign-in.pages.tsx';
export { twofaEnforcement } from './twofa.enforcement.ts';
export { twofaPages } from './twofa.pages.tsx';
export { twofaContextOf } from './twofa.context.ts';
export { backupCodesLeft, isTwofaEnabled, unpairAllUsers } from './twofa.service.ts';
export { TwofaAccountBox, TwofaUserBox } from './views/twofa-boxes.tsx';
