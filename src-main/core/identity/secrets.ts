import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The small cryptographic pieces of identity, each with one job. High-entropy random values
 * (session tokens, recovery codes) are stored as plain SHA-256: with ≥ 100 bits of entropy a
 * slow hash adds nothing. Passwords are different and live in passwords.ts.
 */

export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** A session token: 256 random bits, URL-safe. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A recovery code: 20 base32 characters (100 bits) in four groups, e.g. "k3q7d-…". */
export function newRecoveryCode(): string {
  const bytes = randomBytes(20);
  const chars = Array.from(bytes, (b) => BASE32[b & 31]).join('');
  return chars.match(/.{5}/g)!.join('-');
}

/** How a typed recovery code is compared: case, spaces and dashes do not matter. */
export const normalizeRecoveryCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');

export const hashRecoveryCode = (code: string): Buffer => sha256(`recovery:${normalizeRecoveryCode(code)}`);

export const looksLikeRecoveryCode = (code: string): boolean => /^[a-z2-7]{20}$/.test(normalizeRecoveryCode(code));

/**
 * Seals a secret with AES-256-GCM. `context` is bound as associated data (e.g. the user id), so a
 * sealed value copied onto another row does not open there. Layout: iv(12) ‖ tag(16) ‖ ciphertext.
 */
export function seal(key: Buffer, plaintext: string, context: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Opens what `seal` sealed; throws if the key, context or bytes differ. */
export function unseal(key: Buffer, sealed: Buffer, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}

export const sameBytes = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
