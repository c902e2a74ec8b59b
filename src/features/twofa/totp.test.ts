/**
 * The TOTP check against codes computed here, independently of the otpauth package: RFC 6238 by hand
 * (HMAC-SHA-1 of the big-endian step counter, dynamic truncation, modulo 10^digits) with node:crypto,
 * on a fake clock.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { checkTotp, groupedSecret, newTotpSecret, normalizeTotpCode, totpUri } from './totp.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  let bits = '';
  for (const char of text.replace(/=+$/, '')) {
    bits += BASE32.indexOf(char).toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) {
    bytes.push(parseInt(bits.slice(i, i + 8), 2));
  }
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP of `counter`, `digits` long. */
function hotp(secret: string, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code of the 30-second step `step`. */
const codeAt = (secret: string, step: number, digits = 6) => hotp(secret, step, digits);

// RFC 6238 appendix B's SHA-1 secret, "12345678901234567890" in Base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** A step boundary: 2026-11-26T00:00:00Z is a multiple of 30 s. */
const BOUNDARY_SECONDS = Date.UTC(2026, 10, 26) / 1000;
const STEP = BOUNDARY_SECONDS / 30;
const at = (seconds: number) => new Date(seconds * 1000);

describe('the hand-made reference', () => {
  test('gives RFC 6238 appendix B values (SHA-1, 8 digits)', () => {
    assert.equal(hotp(RFC_SECRET, Math.floor(59 / 30), 8), '94287082');
    assert.equal(hotp(RFC_SECRET, Math.floor(1111111109 / 30), 8), '07081804');
    assert.equal(hotp(RFC_SECRET, Math.floor(2000000000 / 30), 8), '69279037');
  });
});

describe('checkTotp', () => {
  test('RFC 6238 vectors are accepted at their time (6 digits)', () => {
    assert.deepEqual(checkTotp(RFC_SECRET, '287082', at(59), null), { kind: 'accepted', usedAt: 30 });
    assert.deepEqual(checkTotp(RFC_SECRET, '081804', at(1111111109), null), { kind: 'accepted', usedAt: Math.floor(1111111109 / 30) * 30 });
  });

  test('codes of steps −1, 0 and +1 are accepted, −2 and +2 are not', () => {
    const now = at(BOUNDARY_SECONDS + 15);
    for (const delta of [-1, 0, 1]) {
      assert.deepEqual(checkTotp(SECRET, codeAt(SECRET, STEP + delta), now, null), { kind: 'accepted', usedAt: (STEP + delta) * 30 }, `step ${delta}`);
    }
    for (const delta of [-2, 2]) {
      assert.deepEqual(checkTotp(SECRET, codeAt(SECRET, STEP + delta), now, null), { kind: 'invalid' }, `step ${delta}`);
    }
  });

  test('one second either side of a step boundary moves the window by one step', () => {
    const before = at(BOUNDARY_SECONDS - 1); // in step STEP - 1
    const after = at(BOUNDARY_SECONDS + 1); // in step STEP
    assert.equal(checkTotp(SECRET, codeAt(SECRET, STEP - 2), before, null).kind, 'accepted');
    assert.equal(checkTotp(SECRET, codeAt(SECRET, STEP - 2), after, null).kind, 'invalid');
    assert.equal(checkTotp(SECRET, codeAt(SECRET, STEP + 1), before, null).kind, 'invalid');
    assert.equal(checkTotp(SECRET, codeAt(SECRET, STEP + 1), after, null).kind, 'accepted');
    for (const now of [before, after]) {
      assert.equal(checkTotp(SECRET, codeAt(SECRET, STEP), now, null).kind, 'accepted');
      assert.equal(checkTotp(SECRET, codeAt(SECRET, STEP - 1), now, null).kind, 'accepted');
    }
  });

  test('the same code twice: the second time it is a replay', () => {
    const now = at(BOUNDARY_SECONDS + 3);
    const code = codeAt(SECRET, STEP);
    const first = checkTotp(SECRET, code, now, null);
    assert.deepEqual(first, { kind: 'accepted', usedAt: STEP * 30 });
    assert.ok(first.kind === 'accepted');
    assert.deepEqual(checkTotp(SECRET, code, at(BOUNDARY_SECONDS + 20), first.usedAt), { kind: 'replayed' });
  });

  test('a code of a step before the last one used is refused; a later one works', () => {
    const now = at(BOUNDARY_SECONDS + 10);
    assert.deepEqual(checkTotp(SECRET, codeAt(SECRET, STEP - 1), now, STEP * 30), { kind: 'replayed' });
    assert.deepEqual(checkTotp(SECRET, codeAt(SECRET, STEP + 1), now, STEP * 30), { kind: 'accepted', usedAt: (STEP + 1) * 30 });
  });

  test('7 digits, 5 digits, letters and codes of another secret are invalid', () => {
    const now = at(BOUNDARY_SECONDS + 10);
    const code = codeAt(SECRET, STEP);
    assert.deepEqual(checkTotp(SECRET, `${code}0`, now, null), { kind: 'invalid' });
    assert.deepEqual(checkTotp(SECRET, `0${code}`, now, null), { kind: 'invalid' });
    assert.deepEqual(checkTotp(SECRET, codeAt(SECRET, STEP, 7), now, null), { kind: 'invalid' });
    assert.deepEqual(checkTotp(SECRET, code.slice(1), now, null), { kind: 'invalid' });
    assert.deepEqual(checkTotp(SECRET, 'abcdef', now, null), { kind: 'invalid' });
    assert.deepEqual(checkTotp(SECRET, '', now, null), { kind: 'invalid' });
    const other = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    assert.notEqual(codeAt(other, STEP), code);
    assert.deepEqual(checkTotp(SECRET, codeAt(other, STEP), now, null), { kind: 'invalid' }, "another secret's code");
  });

  test('a code typed with spaces is accepted', () => {
    const now = at(BOUNDARY_SECONDS + 10);
    const code = codeAt(SECRET, STEP);
    const spaced = `${code.slice(0, 2)} ${code.slice(2, 4)} ${code.slice(4)}`;
    assert.deepEqual(checkTotp(SECRET, spaced, now, null), { kind: 'accepted', usedAt: STEP * 30 });
    assert.equal(normalizeTotpCode(' 12 34\t56 '), '123456');
    assert.equal(normalizeTotpCode('12 34 567'), undefined);
  });
});

describe('secrets and the URI', () => {
  test('a new secret is 20 random bytes in Base32', () => {
    const secret = newTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(secret).length, 20);
    assert.notEqual(secret, newTotpSecret());
  });

  test('the URI names the issuer, the login and the parameters', () => {
    const text = totpUri(SECRET, 'acme.kanri.example', 'jsmith');
    assert.ok(text.startsWith('otpauth://totp/acme.kanri.example:jsmith?'), text);
    const uri = new URL(text);
    assert.equal(uri.searchParams.get('secret'), SECRET);
    assert.equal(uri.searchParams.get('issuer'), 'acme.kanri.example');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });

  test('the key is shown in groups of four', () => {
    assert.equal(groupedSecret(SECRET), 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
  });
});
