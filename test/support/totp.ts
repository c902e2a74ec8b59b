/**
 * RFC 6238 codes (SHA-1, 6 digits, 30 s) computed by hand with node:crypto, independent of the app's
 * own implementation: tests read the Base32 key off the enrolment page and answer as an authenticator
 * app would.
 */
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The code of `secret` (Base32, no spaces) at `at` (milliseconds since the epoch). */
export function totp(secret: string, at: number): string {
  let bits = '';
  for (const char of secret) {
    bits += BASE32.indexOf(char).toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
