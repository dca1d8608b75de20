import { randomBytes } from 'node:crypto';

/**
 * Secrets (peppers, encryption keys, provider credentials) live in the OS keychain, never in
 * SQLite, config files or logs. This is the only module that talks to it.
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
}

type Keytar = typeof import('keytar');

async function loadKeytar(): Promise<Keytar> {
  try {
    const mod = (await import('keytar')) as Keytar & { default?: Keytar };
    return mod.default ?? mod;
  } catch (err) {
    throw new KeychainUnavailableError(`the OS keychain module could not be loaded: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Vault on Windows), with
 * every secret filed under `service` — one per data dir, so two Cairn stores never share keys.
 */
export function keychainStore(service: string): SecretStore {
  const wrap = async <T>(action: (k: Keytar) => Promise<T>): Promise<T> => {
    const keytar = await loadKeytar();
    try {
      return await action(keytar);
    } catch (err) {
      throw new KeychainUnavailableError(`the OS keychain refused the request: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  return {
    get: (name) => wrap((k) => k.getPassword(service, name)),
    set: (name, value) => wrap((k) => k.setPassword(service, name, value)),
    delete: (name) => wrap((k) => k.deletePassword(service, name)),
  };
}

/** A random key of `bytes` bytes, created in the store on first use and the same ever after. */
export async function getOrCreateKey(store: SecretStore, name: string, bytes = 32): Promise<Buffer> {
  const existing = await store.get(name);
  if (existing !== null) return Buffer.from(existing, 'base64');
  const key = randomBytes(bytes);
  await store.set(name, key.toString('base64'));
  return key;
}
