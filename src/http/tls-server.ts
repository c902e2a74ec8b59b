/**
 * How the process speaks TLS when it ends TLS itself (TLS_CERT_FILE, TLS_KEY_FILE): TLS 1.2 at least,
 * 1.3 preferred, forward-secret AEAD suites only, in the server's order, no renegotiation, no
 * compression.
 */
import { constants } from 'node:crypto';
import type { ServerOptions } from 'node:https';
import type { TlsFiles } from '#src/config/config.ts';

/**
 * TLS 1.2: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305, nothing else (no CBC, no RSA key
 * exchange). TLS 1.3 keeps OpenSSL's suites, which are all AEAD with ephemeral keys: Node applies them
 * when the list names none.
 */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export function tlsServerOptions(files: TlsFiles): ServerOptions {
  return {
    cert: files.cert,
    key: files.key,
    minVersion: 'TLSv1.2',
    ciphers: TLS12_CIPHERS,
    honorCipherOrder: true,
    // OpenSSL refuses renegotiation outright (a client asking gets a no_renegotiation alert).
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
  };
}
