import type { AuditAnchor } from './audit-chain.js';

/**
 * Keys the core needs and the OS keychain holds (loaded by the composition root, never stored in
 * SQLite): the key that encrypts TOTP secrets at rest, the pepper API keys are stored under, and
 * the key that seals the audit chain.
 */
export interface CoreKeys {
  readonly totpEncryption: Buffer;
  readonly apiKeyPepper: Buffer;
  readonly auditChain: Buffer;
}

export type KeyProvider = () => Promise<CoreKeys>;

/** Where the last verified head of the audit chain is kept, outside the database (the keychain). */
export interface AnchorStore {
  read(): Promise<AuditAnchor | null>;
  write(anchor: AuditAnchor): Promise<void>;
}
