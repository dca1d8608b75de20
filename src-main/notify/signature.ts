import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The generic webhook's signature: `Cairn-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `<t>.<body>` with the webhook's secret. The timestamp is signed too, so a receiver that refuses
 * old timestamps (default five minutes) cannot be replayed a captured request.
 */
export const SIGNATURE_HEADER = 'cairn-signature';

export function signWebhook(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What a receiver does: true only for a genuine signature made within `toleranceS` of now. */
export function verifyWebhook(secret: string, header: string | undefined, body: string, nowMs: number, toleranceS = 300): boolean {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(nowMs / 1000 - t) > toleranceS) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}
