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
  /** Signs subscribers' confirmation, manage and unsubscribe links. */
  readonly subscriberLinks: Buffer;
}

export type KeyProvider = () => Promise<CoreKeys>;

/** Where the last verified head of the audit chain is kept, outside the database (the keychain). */
export interface AnchorStore {
  read(): Promise<AuditAnchor | null>;
  write(anchor: AuditAnchor): Promise<void>;
}

/**
 * Credentials of the notification providers (SMTP password, webhook signing secret, Slack URL),
 * held in the OS keychain by name and never in SQLite, config files or logs.
 */
export interface ProviderSecrets {
  get(kind: 'smtp' | 'webhook' | 'slack'): Promise<string | null>;
  set(kind: 'smtp' | 'webhook' | 'slack', value: string): Promise<void>;
  delete(kind: 'smtp' | 'webhook' | 'slack'): Promise<boolean>;
}
