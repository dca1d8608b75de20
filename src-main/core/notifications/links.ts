import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed subscriber links: `confirm` (double opt-in) and `manage` (change components, unsubscribe,
 * RFC 8058 one-click). A token names the subscriber, its purpose and expiry, and is MACed with a
 * keychain-held key over those and the subscriber's address, so a token never outlives the address
 * it was sent to (a re-used row id with another address does not verify). Nothing is stored.
 */
export type LinkPurpose = 'confirm' | 'manage';

export const LINK_LIFETIME_MS: Readonly<Record<LinkPurpose, number>> = {
  confirm: 48 * 3_600_000,
  manage: 180 * 86_400_000,
};

const mac = (key: Buffer, body: string, email: string): Buffer => createHmac('sha256', key).update(`${body}\n${email.toLowerCase()}`).digest();

export function signLink(key: Buffer, subscriberId: number, email: string, purpose: LinkPurpose, now: number, lifetimeMs = LINK_LIFETIME_MS[purpose]): string {
  const body = `${purpose === 'confirm' ? 'c' : 'm'}${subscriberId.toString(36)}.${Math.floor((now + lifetimeMs) / 1000).toString(36)}`;
  return `${body}.${mac(key, body, email).toString('base64url')}`;
}

/** The subscriber id a well-formed, unexpired token of `purpose` claims; its MAC is checked by `verifyLink`. */
export function parseLink(token: string, purpose: LinkPurpose, now: number): { subscriberId: number; body: string; mac: string } | undefined {
  const match = /^([cm])([0-9a-z]{1,11})\.([0-9a-z]{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match || match[1] !== (purpose === 'confirm' ? 'c' : 'm')) return undefined;
  const subscriberId = parseInt(match[2]!, 36);
  const expiresAt = parseInt(match[3]!, 36) * 1000;
  if (!Number.isSafeInteger(subscriberId) || subscriberId < 1 || expiresAt <= now) return undefined;
  return { subscriberId, body: `${match[1]}${match[2]}.${match[3]}`, mac: match[4]! };
}

export function verifyLink(key: Buffer, parsed: { body: string; mac: string }, email: string): boolean {
  const expected = mac(key, parsed.body, email);
  const given = Buffer.from(parsed.mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
