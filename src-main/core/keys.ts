/**
 * Keys the core needs and the OS keychain holds (loaded by the composition root, never stored in
 * SQLite): the key that encrypts TOTP secrets at rest.
 */
export interface CoreKeys {
  readonly totpEncryption: Buffer;
}

export type KeyProvider = () => Promise<CoreKeys>;
