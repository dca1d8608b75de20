import { CairnError } from '../core/errors.js';
import type { CoreKeys, KeyProvider } from '../core/keys.js';
import { getOrCreateKey, keychainStore, type SecretStore } from './keychain.js';

/** The keychain service a store's secrets are filed under. */
export const keychainService = (storeId: string): string => `Cairn store ${storeId}`;

/**
 * The core's keys from the OS keychain, read on first need and then kept in memory. A keychain
 * that cannot be reached is reported as `unavailable` and asked again next time (it may have
 * been locked), so the CLI and server run without one until a 2FA operation needs it.
 */
export function keychainKeys(storeId: string, store: SecretStore = keychainStore(keychainService(storeId))): KeyProvider {
  let loaded: Promise<CoreKeys> | undefined;
  return () => {
    loaded ??= Promise.all([getOrCreateKey(store, 'totp-encryption'), getOrCreateKey(store, 'apikey-pepper')]).then(
      ([totpEncryption, apiKeyPepper]) => ({ totpEncryption, apiKeyPepper }),
      (err: unknown) => {
        loaded = undefined;
        throw new CairnError('unavailable', `The OS keychain is not available (${(err as Error).message}); two-factor and API key operations need it`);
      },
    );
    return loaded;
  };
}
