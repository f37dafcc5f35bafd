/**
 * The format of the audit id key (AUDIT_ID_KEY, and the key file the embedded store keeps in
 * DATA_DIR): hex or base64 of at least 32 random bytes. A setting's format, so the configuration
 * owns it and checks it at start; the store reads its key file with the same parser.
 */
/** Fewer bytes than the hash's own output would weaken HMAC-SHA-256 (RFC 2104 section 3). */
export const AUDIT_ID_KEY_MIN_BYTES = 32;

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

/**
 * A key written as hex (64 digits or more) or base64 / base64url (e.g. `openssl rand -base64 32`),
 * decoded; or the reason it is not one.
 */
export function parseAuditIdKey(text: string): Buffer | { readonly error: string } {
  const t = text.trim();
  const bytes = HEX.test(t)
    ? Buffer.from(t, 'hex')
    : BASE64.test(t) && t.length <= 4096
      ? Buffer.from(t, 'base64')
      : undefined;
  if (bytes === undefined) return { error: 'expected hex or base64' };
  if (bytes.length < AUDIT_ID_KEY_MIN_BYTES) {
    return {
      error: `expected at least ${AUDIT_ID_KEY_MIN_BYTES} bytes (e.g. openssl rand -base64 32), got ${bytes.length}`,
    };
  }
  return bytes;
}
