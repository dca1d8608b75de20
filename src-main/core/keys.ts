/**
 * Keys the core needs and the OS keychain holds (loaded by the composition root, never stored in
 * SQLite): the key that encrypts TOTP secrets at rest, and the pepper API keys are stored under.
 */
export interface CoreKeys {
  readonly totpEncryption: Buffer;
  readonly apiKeyPepper: Buffer;
}

export type KeyProvider = () => Promise<CoreKeys>;
