import { createHmac, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * The shape of a Cairn API key, modelled on GitHub's tokens so secret scanners can recognise one
 * and a mistyped key is refused before any lookup:
 *
 *   cairn_<public id: 12 base62>_<secret: 33 base62, 196 bits><CRC32 of all before it: 6 base62>
 *
 * The public id names the row (it appears in lists and the audit log); only the secret is secret.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX = 'cairn_';
const PUBLIC_ID_LENGTH = 12;
const SECRET_LENGTH = 33; // 33 × log2(62) ≈ 196 bits ≥ the 192 asked for
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32

export const API_KEY_PATTERN = /^cairn_([0-9A-Za-z]{12})_([0-9A-Za-z]{33})([0-9A-Za-z]{6})$/;
export const PUBLIC_ID_PATTERN = /^[0-9A-Za-z]{12}$/;

/** `length` characters drawn uniformly from base62 by a CSPRNG (randomInt rejects modulo bias). */
function randomBase62(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += BASE62[randomInt(62)];
  return s;
}

function checksum(body: string): string {
  let n = crc32(body);
  let s = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
}

export interface NewApiKey {
  /** The whole key, shown once to whoever created it and never stored. */
  readonly key: string;
  readonly publicId: string;
}

/** A key from its parts, checksum appended. */
export const formatApiKey = (publicId: string, secret: string): string => {
  const body = `${PREFIX}${publicId}_${secret}`;
  return body + checksum(body);
};

export function newApiKey(): NewApiKey {
  const publicId = randomBase62(PUBLIC_ID_LENGTH);
  return { key: formatApiKey(publicId, randomBase62(SECRET_LENGTH)), publicId };
}

/** The public id of a well-formed key whose checksum holds; undefined for anything else. */
export function parseApiKey(candidate: string): { publicId: string } | undefined {
  const m = API_KEY_PATTERN.exec(candidate);
  if (!m) return undefined;
  const body = candidate.slice(0, candidate.length - CHECKSUM_LENGTH);
  return checksum(body) === m[3] ? { publicId: m[1]! } : undefined;
}

/** What is stored of a key: HMAC-SHA256 under the keychain-held pepper. */
export const apiKeyHmac = (pepper: Buffer, key: string): Buffer => createHmac('sha256', pepper).update(key, 'utf8').digest();
