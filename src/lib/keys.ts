/** Keys derived from the master secret, one per purpose and tenant, and HMAC signing with them. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function deriveKey(secret: string, purpose: string, scope: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\0${scope}`).digest();
}

export function sign(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** `value.signature` for a cookie. */
export function sealValue(key: Buffer, value: string): string {
  return `${value}.${sign(key, value)}`;
}

/** The value inside `sealed` when its signature is good, else undefined. */
export function unsealValue(key: Buffer, sealed: string): string | undefined {
  const dot = sealed.lastIndexOf('.');
  if (dot <= 0) {
    return undefined;
  }
  const value = sealed.slice(0, dot);
  const given = Buffer.from(sealed.slice(dot + 1));
  const expected = Buffer.from(sign(key, value));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : undefined;
}
