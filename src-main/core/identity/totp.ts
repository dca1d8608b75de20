import { generateSecret, generateURI, verifySync } from 'otplib';

/**
 * TOTP per RFC 6238 (SHA-1, 6 digits, 30 s: what every authenticator app reads) via otplib.
 * One step of clock drift either way is accepted; a step once accepted never is again for the
 * same user (`afterStep`), which stops a code being replayed within its window.
 */
const PERIOD = 30;

/** 160 random bits (RFC 4226's recommended length), base32. */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

export const totpUri = (issuer: string, account: string, secret: string): string => generateURI({ issuer, label: account, secret });

/** The time step the code belongs to if it is valid and newer than `afterStep`, else undefined. */
export function checkTotp(secret: string, code: string, afterStep: number, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    period: PERIOD,
    epochTolerance: [PERIOD, PERIOD],
    afterTimeStep: afterStep,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
