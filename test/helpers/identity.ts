import { randomBytes } from 'node:crypto';
import { hashSync } from '@node-rs/argon2';
import { generateSync } from 'otplib';
import type { CoreKeys } from '../../src-main/core/keys.js';

/** A password the policy accepts, and its argon2id hash computed once for builders that write users directly. */
export const TEST_PASSWORD = 'marble orchid lantern 42';
export const TEST_PASSWORD_HASH = hashSync(TEST_PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

/** A fixed TOTP secret for builders; identity tests enrol through the core with fresh ones. */
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** A per-run key for tables that are not about the keychain; identity tests use the real keychain. */
export const TEST_KEYS: CoreKeys = { totpEncryption: randomBytes(32), apiKeyPepper: randomBytes(32), auditChain: randomBytes(32), subscriberLinks: randomBytes(32) };

/** The TOTP code of `secret` at `ms`, as an authenticator app would show it. */
export const totpAt = (secret: string, ms: number): string => generateSync({ secret, epoch: Math.floor(ms / 1000) });
